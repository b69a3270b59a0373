package io.cachet.identity.internal;

import static io.cachet.api.store.Columns.instant;
import static io.cachet.api.store.Columns.time;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cachet.api.audit.AuditEvent;
import io.cachet.api.audit.AuditLog;
import io.cachet.api.identity.Attempt;
import io.cachet.api.identity.CaseStatus;
import io.cachet.api.identity.CheckResult;
import io.cachet.api.identity.Decision;
import io.cachet.api.identity.DocumentType;
import io.cachet.api.identity.Evidence;
import io.cachet.api.identity.EvidenceKind;
import io.cachet.api.identity.IdentityCase;
import io.cachet.api.identity.IdentityCases;
import io.cachet.api.identity.IdentityException;
import io.cachet.api.identity.IdentityException.Reason;
import io.cachet.api.identity.IdentityProvider;
import io.cachet.api.identity.MrzData;
import io.cachet.api.identity.ProviderResult;
import io.cachet.api.link.IssuedLink;
import io.cachet.api.link.PersonalLinks;
import io.cachet.api.notify.Notification;
import io.cachet.api.notify.Notifier;
import io.cachet.api.order.CheckStatus;
import io.cachet.api.order.Order;
import io.cachet.api.order.OrderEvent;
import io.cachet.api.order.OrderRole;
import io.cachet.api.order.OrderState;
import io.cachet.api.order.Orders;
import io.cachet.api.order.Person;
import io.cachet.api.security.DataKeyCipher;
import io.cachet.api.security.Digests;
import io.cachet.api.security.RandomTokens;
import io.cachet.api.store.Database;
import io.cachet.api.store.DueRows;
import io.cachet.api.web.BundleMessages;
import io.cachet.identity.internal.evidence.DocumentCatalogue;
import io.cachet.identity.internal.evidence.DocumentChecks;
import io.cachet.identity.internal.evidence.ImageCheck;
import io.cachet.identity.internal.evidence.Mrz;
import io.cachet.identity.internal.evidence.NameMatching;

/**
 * The identity cases on the deployment's database: {@link IdentityCases} plus what the identity bundle itself does
 * (open a case when an order enters VERIFICATION, start an attempt when the person opens their link, end the cases
 * of an ended order, the background jobs). Plain Java, thread-safe, safe with several nodes on one database: every
 * change locks the case's row, is one transaction with its audit record (and its e-mail, its report to the order).
 * Evidence is encrypted with the case's data key ({@link DataKeyCipher}, purpose {@value #KEY_PURPOSE}, bound to its
 * case, attempt and kind by {@link #evidenceAad}) and never logged.
 */
public final class CaseService implements IdentityCases {

    static final String PURPOSE = "identity";
    static final String START_PATH = "/identity/start";
    static final String DOCUMENTS_PATH = "/identity/documents";
    static final String KIND_PREFIX = "identity.";
    static final int TOKEN_BYTES = 32;
    /** The vault purpose the cases' data keys are sealed under. Stored keys are: never change it. */
    static final String KEY_PURPOSE = "identity.case-key";
    private static final Logger LOG = LoggerFactory.getLogger(CaseService.class);
    private static final Pattern FLOW_TOKEN = Pattern.compile("[A-Za-z0-9_-]{43}");
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);
    private static final BundleMessages TEXT = BundleMessages.of(CaseService.class, IdentityPages.NAMESPACE);
    private static final String CASE_COLUMNS = "id, order_id, role, surname, given_names, birth_date, email, status,"
            + " provider, max_attempts, level, created_at, updated_at, purged_at, data_key, language, brand, reseller";

    private final Database database;
    private final AuditLog audit;
    private final DataKeyCipher cipher;
    private final PersonalLinks links;
    private final Notifier notifier;
    private final Supplier<Orders> orders;
    private final Function<String, IdentityProvider> providers;
    private final Supplier<IdentitySettings> settings;
    private final Clock clock;
    private final SecureRandom random;
    private volatile Catalogue catalogue;

    /**
     * @param orders the order service, or a supplier of null while it is missing (reporting is then refused)
     * @param providers the installed provider of an id, or null
     * @param settings the current configuration (read at each use: it changes while running)
     * @param cipher the evidence cipher, on purpose {@value #KEY_PURPOSE}
     */
    public CaseService(Database database, AuditLog audit, DataKeyCipher cipher, PersonalLinks links, Notifier notifier,
            Supplier<Orders> orders, Function<String, IdentityProvider> providers, Supplier<IdentitySettings> settings,
            Clock clock, SecureRandom random) {
        this.database = Objects.requireNonNull(database);
        this.audit = Objects.requireNonNull(audit);
        this.cipher = Objects.requireNonNull(cipher);
        if (!KEY_PURPOSE.equals(cipher.purpose())) {
            throw new IllegalArgumentException("The evidence cipher must seal its keys for " + KEY_PURPOSE);
        }
        this.links = Objects.requireNonNull(links);
        this.notifier = Objects.requireNonNull(notifier);
        this.orders = Objects.requireNonNull(orders);
        this.providers = Objects.requireNonNull(providers);
        this.settings = Objects.requireNonNull(settings);
        this.clock = Objects.requireNonNull(clock);
        this.random = Objects.requireNonNull(random);
    }

    /**
     * What binds an evidence blob to its case, attempt and kind ({@code mrz} for the machine-readable zone), so that
     * a blob moved to another case or slot does not open. Stored blobs carry it: never change it.
     */
    static byte[] evidenceAad(String caseId, int attempt, String kind) {
        return ("cachet-identity|" + caseId + "|" + attempt + "|" + kind).getBytes(StandardCharsets.UTF_8);
    }

    private byte[] encrypt(String dataKey, String caseId, int attempt, String kind, byte[] plain) {
        return cipher.encrypt(dataKey, "the evidence " + kind + " of case " + caseId,
                evidenceAad(caseId, attempt, kind), plain);
    }

    private byte[] decrypt(String dataKey, String caseId, int attempt, String kind, byte[] blob) {
        return cipher.decrypt(dataKey, "the evidence " + kind + " of case " + caseId,
                evidenceAad(caseId, attempt, kind), blob);
    }

    /** Applies this module's migrations. */
    public static void migrate(Database database) {
        database.migrate("identity", CaseService.class.getClassLoader(), "db/identity");
    }

    /** The order check kind of a role's identity. */
    static String kind(OrderRole role) {
        return KIND_PREFIX + role.id();
    }

    // ------------------------------------------------------------------ opening

    /**
     * Opens the case of {@code role} for {@code order} (idempotent: an existing case is returned unchanged), with its
     * data key, its reminder, and the e-mail carrying the person's link, in one transaction.
     */
    public IdentityCase open(Order order, OrderRole role) {
        Optional<IdentityCase> existing = database.inTransaction(c -> caseOf(c, order.id(), role));
        if (existing.isPresent()) {
            return existing.get();
        }
        try {
            return database.inTransaction(c -> {
                Optional<IdentityCase> again = caseOf(c, order.id(), role);
                if (again.isPresent()) {
                    return again.get();
                }
                return insertCase(c, order, role);
            });
        } catch (RuntimeException e) {
            // another node opened it at the same time (unique order and role): theirs stands
            Optional<IdentityCase> theirs = database.inTransaction(c -> caseOf(c, order.id(), role));
            if (theirs.isPresent()) {
                return theirs.get();
            }
            throw e;
        }
    }

    private IdentityCase insertCase(Connection c, Order order, OrderRole role) throws SQLException {
        IdentitySettings s = settings.get();
        Person p = role == OrderRole.CERTIFICATE_MANAGER ? order.request().certificateManager()
                : order.request().effectiveLegalRepresentative();
        String id = "idc_" + RandomTokens.urlSafe(random, 18);
        Instant now = clock.instant();
        String provider = s.providerFor(order.reseller(), order.brand());
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO identity_case (id, order_id, role, surname,"
                + " given_names, birth_date, email, language, brand, reseller, status, provider, max_attempts, level,"
                + " data_key, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, id);
            ps.setString(2, order.id());
            ps.setString(3, role.name());
            ps.setString(4, p.surname());
            ps.setString(5, p.givenNames());
            ps.setObject(6, p.birthDate());
            ps.setString(7, p.email());
            ps.setString(8, order.language() == null ? "fr" : order.language());
            ps.setString(9, order.brand());
            ps.setString(10, order.reseller());
            ps.setString(11, CaseStatus.OPEN.name());
            ps.setString(12, provider);
            ps.setInt(13, s.maxAttempts());
            ps.setString(14, s.level());
            ps.setString(15, cipher.newSealedKeyText());
            ps.setObject(16, time(now));
            ps.setObject(17, time(now));
            ps.executeUpdate();
        }
        IdentityCase created = load(c, id, false).orElseThrow();
        audit(c, "system", "identity.case.opened", created, Map.of("order", order.id(), "role", role.id(),
                "provider", provider));
        queueReminder(c, created, s);
        sendLink(c, created, "identity.start", "identity:" + id + ":start", Map.of());
        return created;
    }

    private void queueReminder(Connection c, IdentityCase k, IdentitySettings s) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO identity_job (id, case_id, kind, status,"
                + " next_attempt_at, tries) VALUES (?, ?, 'reminder', 'PENDING', ?, 0)")) {
            ps.setString(1, "reminder:" + k.id() + ":" + k.attempts().size());
            ps.setString(2, k.id());
            ps.setObject(3, time(clock.instant().plus(s.reminderDelay())));
            ps.executeUpdate();
        }
    }

    private void cancelReminders(Connection c, String caseId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE identity_job SET status = 'DONE' WHERE case_id = ? AND"
                + " kind = 'reminder' AND status = 'PENDING'")) {
            ps.setString(1, caseId);
            ps.executeUpdate();
        }
    }

    private void queueRelease(Connection c, IdentityCase k, String provider) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO identity_job (id, case_id, kind, status,"
                + " next_attempt_at, tries, provider) VALUES (?, ?, 'release', 'PENDING', ?, 0, ?)")) {
            ps.setString(1, "release:" + k.id() + ":" + UUID.randomUUID());
            ps.setString(2, k.id());
            ps.setObject(3, time(clock.instant()));
            ps.setString(4, provider);
            ps.executeUpdate();
        }
    }

    /** Issues the person's identity link and queues {@code template} carrying it, in the caller's transaction. */
    private IssuedLink sendLink(Connection c, IdentityCase k, String template, String key, Map<String, ?> extra)
            throws SQLException {
        IdentitySettings s = settings.get();
        IssuedLink link = links.issue(k.orderId(), k.role(), PURPOSE, k.email(), START_PATH, s.linkValidity(), "system");
        Map<String, Object> model = model(c, k);
        model.put("link", link.url());
        model.put("expires", DATE.format(link.link().expiresAt()));
        model.put("documents", base(link.url()) + DOCUMENTS_PATH);
        model.putAll(extra);
        send(c, k, template, key, model);
        return link;
    }

    private void send(Connection c, IdentityCase k, String template, String key, Map<String, Object> model)
            throws SQLException {
        String[] lb = languageAndBrand(c, k.id());
        notifier.send(Notification.email(k.email(), template, lb[0], model).withBrand(lb[1]).withIdempotencyKey(key));
    }

    private Map<String, Object> model(Connection c, IdentityCase k) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", k.givenNames() + " " + k.surname());
        m.put("orderId", k.orderId());
        m.put("role", k.role().id());
        m.put("maxAttempts", k.maxAttempts());
        m.put("attemptsLeft", Math.max(0, k.maxAttempts() - k.attempts().size()));
        return m;
    }

    /** {@code https://host} of a link {@code https://host/identity/start/<token>}. */
    static String base(String linkUrl) {
        int i = linkUrl.indexOf(START_PATH + "/");
        return i < 0 ? "" : linkUrl.substring(0, i);
    }

    /**
     * A fresh link for the (expired or revoked) identity link {@code link}, e-mailed, unless its case has ended.
     *
     * @return whether one was sent
     */
    public boolean renew(io.cachet.api.link.PersonalLink link) {
        return database.inTransaction(c -> {
            Optional<IdentityCase> k = caseOf(c, link.orderId(), link.role());
            if (k.isEmpty() || k.get().status().ended()) {
                return false;
            }
            Optional<IssuedLink> fresh = links.renew(link.id(), settings.get().linkValidity(), "customer");
            if (fresh.isEmpty()) {
                return false;
            }
            Map<String, Object> model = model(c, k.get());
            model.put("link", fresh.get().url());
            model.put("expires", DATE.format(fresh.get().link().expiresAt()));
            model.put("documents", base(fresh.get().url()) + DOCUMENTS_PATH);
            send(c, k.get(), "identity.link", "identity:" + fresh.get().link().id() + ":renewed", model);
            audit(c, "customer", "identity.link.renewed", k.get(), Map.of());
            return true;
        });
    }

    // ------------------------------------------------------------------ starting an attempt

    /** What opening an identity link led to. */
    public sealed interface Start {
        /** Send the browser there. */
        record Redirect(String url) implements Start {
        }

        /** The case's provider is not installed or could not start: try again later; nothing changed. */
        record Unavailable(String provider) implements Start {
        }

        /** Nothing to start: the case is under review or ended (its status says which). */
        record Closed(CaseStatus status) implements Start {
        }
    }

    /**
     * Starts an attempt of the case of {@code role} in {@code orderId} (the person opened their link), or resumes the
     * open one with a fresh flow token (the previous one stops working).
     */
    public Start start(String orderId, OrderRole role, String language) {
        Optional<IdentityCase> found = database.inTransaction(c -> caseOf(c, orderId, role));
        if (found.isEmpty()) {
            return new Start.Closed(CaseStatus.CANCELLED);
        }
        IdentityCase k = found.get();
        if (k.status() == CaseStatus.REVIEW || k.status().ended()) {
            return new Start.Closed(k.status());
        }
        boolean resume = k.status() == CaseStatus.IN_PROGRESS && k.currentAttempt() != null;
        if (!resume && k.attempts().size() >= k.maxAttempts()) {
            return new Start.Closed(CaseStatus.REJECTED);
        }
        String providerId;
        if (resume) {
            providerId = k.currentAttempt().provider();
        } else if (k.attempts().isEmpty()) {
            // configuration changes apply to every case not started yet
            String[] rb = database.inTransaction(c -> resellerAndBrand(c, k.id()));
            providerId = settings.get().providerFor(rb[0], rb[1]);
        } else {
            providerId = k.provider();
        }
        IdentityProvider provider = providers.apply(providerId);
        if (provider == null) {
            LOG.info("Identity case {}: provider '{}' is not installed; the person was asked to come back later",
                    k.id(), providerId);
            return new Start.Unavailable(providerId);
        }
        int number = resume ? k.currentAttempt().number() : k.attempts().size() + 1;
        Instant now = clock.instant();
        List<Attempt> attempts = new ArrayList<>(k.attempts());
        if (resume) {
            attempts.remove(attempts.size() - 1);
        }
        Attempt fresh = resume ? k.currentAttempt()
                : new Attempt(number, providerId, null, null, List.of(), null, List.of(), now, null);
        attempts.add(fresh);
        IdentityCase snapshot = new IdentityCase(k.id(), k.orderId(), k.role(), k.surname(), k.givenNames(),
                k.birthDate(), k.email(), CaseStatus.IN_PROGRESS, providerId, attempts, k.maxAttempts(), k.decisions(),
                k.level(), k.createdAt(), now, k.purgedAt());
        String flowToken = RandomTokens.urlSafe(random, TOKEN_BYTES);
        IdentityProvider.Start started;
        try {
            started = provider.start(snapshot, flowToken, language);
        } catch (RuntimeException e) {
            LOG.warn("Identity case {}: provider '{}' could not start an attempt ({}); the person was asked to come"
                    + " back later", k.id(), providerId, e.getMessage());
            return new Start.Unavailable(providerId);
        }
        if (started == null || started.url() == null || started.url().isBlank()) {
            LOG.warn("Identity case {}: provider '{}' gave no URL to send the person to", k.id(), providerId);
            return new Start.Unavailable(providerId);
        }
        String hash = Digests.sha256Hex(flowToken);
        return database.inTransaction(c -> {
            IdentityCase now2 = load(c, k.id(), true).orElseThrow();
            Attempt open = now2.currentAttempt();
            if (now2.status() == CaseStatus.IN_PROGRESS && open != null && open.number() == number) {
                // resumed (or started twice at once): this start's token and reference replace the previous ones
                try (PreparedStatement ps = c.prepareStatement("UPDATE identity_attempt SET flow_token_hash = ?,"
                        + " reference = ? WHERE case_id = ? AND number = ?")) {
                    ps.setString(1, hash);
                    ps.setString(2, started.reference());
                    ps.setString(3, k.id());
                    ps.setInt(4, number);
                    ps.executeUpdate();
                }
                if (open.reference() != null && !open.reference().equals(started.reference())) {
                    queueRelease(c, now2, open.provider());
                }
                touch(c, k.id(), now2.status());
                audit(c, "customer", "identity.attempt.resumed", now2, Map.of("attempt", number,
                        "provider", providerId));
                return new Start.Redirect(started.url());
            }
            if (now2.status() != CaseStatus.OPEN || now2.attempts().size() != number - 1) {
                return now2.status() == CaseStatus.IN_PROGRESS ? new Start.Unavailable(providerId)
                        : new Start.Closed(now2.status());
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO identity_attempt (case_id, number, provider,"
                    + " reference, flow_token_hash, started_at) VALUES (?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, k.id());
                ps.setInt(2, number);
                ps.setString(3, providerId);
                ps.setString(4, started.reference());
                ps.setString(5, hash);
                ps.setObject(6, time(now));
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE identity_case SET provider = ? WHERE id = ?")) {
                ps.setString(1, providerId);
                ps.setString(2, k.id());
                ps.executeUpdate();
            }
            touch(c, k.id(), CaseStatus.IN_PROGRESS);
            cancelReminders(c, k.id());
            audit(c, "customer", "identity.attempt.started", now2, Map.of("attempt", number, "provider", providerId));
            return new Start.Redirect(started.url());
        });
    }

    // ------------------------------------------------------------------ IdentityCases: look-ups

    @Override
    public Optional<IdentityCase> find(String caseId) {
        if (caseId == null || caseId.isBlank()) {
            return Optional.empty();
        }
        return database.inTransaction(c -> load(c, caseId, false));
    }

    @Override
    public List<IdentityCase> forOrder(String orderId) {
        return database.inTransaction(c -> cases(c, "SELECT id FROM identity_case WHERE order_id = ? ORDER BY role",
                orderId));
    }

    @Override
    public Optional<IdentityCase> byFlowToken(String flowToken) {
        if (flowToken == null || !FLOW_TOKEN.matcher(flowToken).matches()) {
            return Optional.empty();
        }
        byte[] hash = Digests.sha256(flowToken);
        return database.inTransaction(c -> {
            String caseId = null;
            String stored = null;
            try (PreparedStatement ps = c.prepareStatement("SELECT case_id, flow_token_hash FROM identity_attempt"
                    + " WHERE flow_token_hash = ? AND submitted_at IS NULL")) {
                ps.setString(1, HexFormat.of().formatHex(hash));
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        caseId = rs.getString(1);
                        stored = rs.getString(2);
                    }
                }
            }
            if (caseId == null || !MessageDigest.isEqual(hash, HexFormat.of().parseHex(stored))) {
                return Optional.empty();
            }
            return load(c, caseId, false).filter(k -> k.status() == CaseStatus.IN_PROGRESS);
        });
    }

    @Override
    public Optional<IdentityCase> byReference(String provider, String reference) {
        if (provider == null || reference == null) {
            return Optional.empty();
        }
        return database.inTransaction(c -> {
            List<String[]> hits = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT case_id, number FROM identity_attempt WHERE"
                    + " provider = ? AND reference = ?")) {
                ps.setString(1, provider);
                ps.setString(2, reference);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        hits.add(new String[] { rs.getString(1), String.valueOf(rs.getInt(2)) });
                    }
                }
            }
            for (String[] h : hits) {
                Optional<IdentityCase> k = load(c, h[0], false);
                if (k.isPresent() && k.get().currentAttempt() != null
                        && k.get().currentAttempt().number() == Integer.parseInt(h[1])) {
                    return k;
                }
            }
            return Optional.empty();
        });
    }

    @Override
    public List<DocumentType> acceptedDocuments() {
        return catalogue().types;
    }

    private record Catalogue(List<String> entries, List<DocumentType> types) {
    }

    private Catalogue catalogue() {
        List<String> entries = settings.get().documents();
        Catalogue current = catalogue;
        if (current == null || !current.entries.equals(entries)) {
            List<DocumentType> types = entries.isEmpty() ? DocumentCatalogue.defaults()
                    : DocumentCatalogue.parse(entries.toArray(String[]::new));
            current = new Catalogue(entries, List.copyOf(types));
            catalogue = current;
        }
        return current;
    }

    private Optional<DocumentType> documentType(String id) {
        return id == null ? Optional.empty() : acceptedDocuments().stream().filter(t -> t.id().equals(id)).findFirst();
    }

    @Override
    public List<String> rejectionReasons() {
        return settings.get().rejectionReasons();
    }

    @Override
    public List<IdentityCase> queue(int limit) {
        int max = Math.max(1, Math.min(limit, 500));
        return database.inTransaction(c -> cases(c, "SELECT k.id FROM identity_case k JOIN identity_attempt a"
                + " ON a.case_id = k.id AND a.number = (SELECT MAX(number) FROM identity_attempt WHERE case_id ="
                + " k.id) WHERE k.status = 'REVIEW' ORDER BY a.submitted_at, k.id FETCH FIRST " + max
                + " ROWS ONLY"));
    }

    // ------------------------------------------------------------------ IdentityCases: providers record

    @Override
    public Evidence addImage(String caseId, EvidenceKind kind, byte[] image, String actor) {
        Objects.requireNonNull(kind, "kind");
        IdentityCase before = openCase(caseId);
        ImageCheck.Checked checked;
        try {
            checked = ImageCheck.check(image == null ? new byte[0] : image, settings.get().uploadLimitBytes());
        } catch (IdentityException e) {
            database.inTransaction(c -> audit(c, actor, "identity.image.refused", before,
                    Map.of("kind", kind.id(), "code", e.code())));
            throw e;
        }
        Instant now = clock.instant();
        String sha = Digests.sha256Hex(checked.bytes());
        return database.inTransaction(c -> {
            IdentityCase k = requireOpen(c, caseId);
            int attempt = k.currentAttempt().number();
            String key = dataKey(c, caseId);
            byte[] blob = encrypt(key, caseId, attempt, kind.id(), checked.bytes());
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM identity_evidence WHERE case_id = ? AND"
                    + " attempt = ? AND kind = ?")) {
                ps.setString(1, caseId);
                ps.setInt(2, attempt);
                ps.setString(3, kind.name());
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO identity_evidence (case_id, attempt, kind,"
                    + " content_type, width, height, size, sha256, received_at, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?,"
                    + " ?, ?)")) {
                ps.setString(1, caseId);
                ps.setInt(2, attempt);
                ps.setString(3, kind.name());
                ps.setString(4, checked.contentType());
                ps.setInt(5, checked.width());
                ps.setInt(6, checked.height());
                ps.setLong(7, checked.bytes().length);
                ps.setString(8, sha);
                ps.setObject(9, time(now));
                ps.setBytes(10, blob);
                ps.executeUpdate();
            }
            replaceChecks(c, caseId, attempt, List.of(new CheckResult("image." + kind.id(), true,
                    checked.contentType() + " " + checked.width() + "×" + checked.height())));
            touch(c, caseId, k.status());
            audit(c, actor, "identity.image.added", k, Map.of("attempt", attempt, "kind", kind.id(), "sha256", sha));
            return new Evidence(kind, checked.contentType(), checked.width(), checked.height(), checked.bytes().length,
                    sha, now);
        });
    }

    @Override
    public MrzData submitDocument(String caseId, String documentType, String mrz, String actor) {
        IdentityCase before = openCase(caseId);
        LocalDate today = LocalDate.now(clock);
        MrzData data;
        List<CheckResult> checks;
        try {
            DocumentType type = documentType(documentType).orElseThrow(() -> new IdentityException(Reason.INVALID,
                    "document.type-not-accepted", "This document type is not in the catalogue."));
            data = Mrz.parse(mrz == null ? "" : mrz, today);
            checks = new ArrayList<>();
            checks.add(new CheckResult("mrz.check-digits", true, data.format()));
            checks.addAll(DocumentChecks.verify(type, data, before.surname(), before.givenNames(), before.birthDate(),
                    today));
            IdentityException refusal = DocumentChecks.refusal(checks);
            if (refusal != null) {
                throw refusal;
            }
        } catch (IdentityException e) {
            database.inTransaction(c -> audit(c, actor, "identity.document.refused", before,
                    Map.of("documentType", String.valueOf(documentType), "code", e.code())));
            throw e;
        }
        List<CheckResult> accepted = List.copyOf(checks);
        byte[] plain = mrzBytes(data);
        return database.inTransaction(c -> {
            IdentityCase k = requireOpen(c, caseId);
            int attempt = k.currentAttempt().number();
            byte[] blob = encrypt(dataKey(c, caseId), caseId, attempt, "mrz", plain);
            try (PreparedStatement ps = c.prepareStatement("UPDATE identity_attempt SET document_type = ?, mrz = ?"
                    + " WHERE case_id = ? AND number = ?")) {
                ps.setString(1, documentType);
                ps.setBytes(2, blob);
                ps.setString(3, caseId);
                ps.setInt(4, attempt);
                ps.executeUpdate();
            }
            replaceChecks(c, caseId, attempt, accepted);
            touch(c, caseId, k.status());
            audit(c, actor, "identity.document.accepted", k, Map.of("attempt", attempt, "documentType", documentType));
            return data;
        });
    }

    @Override
    public IdentityCase submit(String caseId, String actor) {
        return database.inTransaction(c -> {
            IdentityCase k = requireOpen(c, caseId);
            Attempt a = k.currentAttempt();
            List<String> missing = new ArrayList<>();
            if (a.evidence().stream().noneMatch(e -> e.kind() == EvidenceKind.DOCUMENT_FRONT)) {
                missing.add(EvidenceKind.DOCUMENT_FRONT.id());
            }
            boolean back = a.documentType() != null && documentType(a.documentType()).map(DocumentType::needsBack)
                    .orElse(false);
            if (back && a.evidence().stream().noneMatch(e -> e.kind() == EvidenceKind.DOCUMENT_BACK)) {
                missing.add(EvidenceKind.DOCUMENT_BACK.id());
            }
            if (a.evidence().stream().noneMatch(e -> e.kind() == EvidenceKind.SELFIE)) {
                missing.add(EvidenceKind.SELFIE.id());
            }
            if (a.mrz() == null) {
                missing.add("mrz");
            }
            if (!missing.isEmpty()) {
                throw new IdentityException(Reason.INVALID, "evidence.incomplete", "The evidence is incomplete: "
                        + String.join(", ", missing) + " missing.", missing.toArray(String[]::new));
            }
            return toReview(c, k, actor, "identity.attempt.submitted", Map.of("attempt", a.number()));
        });
    }

    @Override
    public IdentityCase providerResult(String caseId, ProviderResult result, String actor) {
        Objects.requireNonNull(result, "result");
        IdentityCase before = openCase(caseId);
        List<CheckResult> checks = new ArrayList<>();
        checks.add(new CheckResult("vendor.outcome", result.outcome() == ProviderResult.Outcome.VERIFIED,
                result.outcome().name()));
        checks.addAll(result.checks());
        if (result.surname() != null) {
            checks.add(new CheckResult("name.match", NameMatching.sameSurname(before.surname(), result.surname()),
                    "surname read by the provider vs. the order"));
        }
        if (result.givenNames() != null) {
            checks.add(new CheckResult("given-names.match", NameMatching.sameGivenNames(before.givenNames(),
                    List.of(result.givenNames().strip().split("[\\s,]+"))), "given names read by the provider vs. the order"));
        }
        if (result.birthDate() != null) {
            checks.add(new CheckResult("birth-date.match", result.birthDate().equals(before.birthDate()),
                    "birth date read by the provider vs. the order"));
        }
        if (result.documentType() != null) {
            checks.add(new CheckResult("document.type", documentType(result.documentType()).isPresent(),
                    result.documentType()));
        }
        if (result.expiryDate() != null) {
            checks.add(new CheckResult("document.not-expired", !result.expiryDate().isBefore(LocalDate.now(clock)),
                    "expires " + result.expiryDate()));
        }
        List<CheckResult> all = List.copyOf(checks);
        return database.inTransaction(c -> {
            IdentityCase k = requireOpen(c, caseId);
            Attempt a = k.currentAttempt();
            if (!a.provider().equals(providerOfActor(actor, a.provider()))) {
                throw new IdentityException(Reason.CONFLICT, "case.not-open",
                        "No attempt of this provider is open for the case.");
            }
            if (result.documentType() != null) {
                try (PreparedStatement ps = c.prepareStatement("UPDATE identity_attempt SET document_type = ? WHERE"
                        + " case_id = ? AND number = ?")) {
                    ps.setString(1, result.documentType().length() > 64 ? result.documentType().substring(0, 64)
                            : result.documentType());
                    ps.setString(2, caseId);
                    ps.setInt(3, a.number());
                    ps.executeUpdate();
                }
            }
            replaceChecks(c, caseId, a.number(), all);
            return toReview(c, k, actor, "identity.provider.result", Map.of("attempt", a.number(),
                    "outcome", result.outcome().name()));
        });
    }

    /** The provider named by an actor {@code provider:<id>}; any other actor speaks for the attempt's provider. */
    private static String providerOfActor(String actor, String attemptProvider) {
        return actor != null && actor.startsWith("provider:") ? actor.substring("provider:".length()) : attemptProvider;
    }

    private IdentityCase toReview(Connection c, IdentityCase k, String actor, String action, Map<String, Object> details)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE identity_attempt SET submitted_at = ?,"
                + " flow_token_hash = NULL WHERE case_id = ? AND number = ?")) {
            ps.setObject(1, time(clock.instant()));
            ps.setString(2, k.id());
            ps.setInt(3, k.currentAttempt().number());
            ps.executeUpdate();
        }
        touch(c, k.id(), CaseStatus.REVIEW);
        audit(c, actor, action, k, details);
        return load(c, k.id(), false).orElseThrow();
    }

    // ------------------------------------------------------------------ IdentityCases: operators

    @Override
    public IdentityCase review(String caseId, String operator) {
        return database.inTransaction(c -> {
            IdentityCase k = load(c, caseId, false).orElseThrow(() -> notFound(caseId));
            audit(c, operatorActor(operator), "identity.case.viewed", k, Map.of("status", k.status().name()));
            return k;
        });
    }

    @Override
    public byte[] image(String caseId, int attempt, EvidenceKind kind, String operator) {
        Objects.requireNonNull(kind, "kind");
        return database.inTransaction(c -> {
            IdentityCase k = load(c, caseId, false).orElseThrow(() -> notFound(caseId));
            byte[] blob = null;
            try (PreparedStatement ps = c.prepareStatement("SELECT data FROM identity_evidence WHERE case_id = ? AND"
                    + " attempt = ? AND kind = ?")) {
                ps.setString(1, caseId);
                ps.setInt(2, attempt);
                ps.setString(3, kind.name());
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        blob = rs.getBytes(1);
                    }
                }
            }
            if (blob == null) {
                throw new IdentityException(Reason.NOT_FOUND, "image.not-found",
                        "No such image (never received, or purged after the retention period).");
            }
            byte[] plain = decrypt(dataKey(c, caseId), caseId, attempt, kind.id(), blob);
            audit(c, operatorActor(operator), "identity.image.viewed", k, Map.of("attempt", attempt, "kind", kind.id()));
            return plain;
        });
    }

    @Override
    public IdentityCase decide(String caseId, boolean approve, String reason, String comment, boolean allowRetry,
            String operator) {
        if (operator == null || operator.isBlank()) {
            throw new IdentityException(Reason.INVALID, "decision.operator", "A decision needs the operator's login.");
        }
        String text = comment == null ? "" : comment.strip();
        if (text.length() > 2000) {
            throw new IdentityException(Reason.INVALID, "decision.comment-too-long",
                    "The comment is longer than 2000 characters.");
        }
        if (!approve && (reason == null || !settings.get().rejectionReasons().contains(reason))) {
            throw new IdentityException(Reason.INVALID, "decision.reason", "A rejection needs a reason of the list: "
                    + String.join(", ", settings.get().rejectionReasons()) + ".");
        }
        String actor = operatorActor(operator);
        // the operator's login whether they decide in the console (operator:<login>) or over REST (api:<login>): a
        // second approval must come from another person, not from the same one through the other door
        String login = operator.startsWith("operator:") ? operator.substring("operator:".length())
                : operator.startsWith("api:") ? operator.substring("api:".length()) : operator;
        IdentityCase decided = database.inTransaction(c -> {
            IdentityCase k = load(c, caseId, true).orElseThrow(() -> notFound(caseId));
            if (k.status() != CaseStatus.REVIEW || k.currentAttempt() == null) {
                throw new IdentityException(Reason.CONFLICT, "case.not-in-review", "The case is not waiting for a"
                        + " decision (it is " + k.status() + ").");
            }
            int attempt = k.currentAttempt().number();
            List<Decision> ofAttempt = k.decisions().stream().filter(d -> d.attempt() == attempt).toList();
            if (approve && ofAttempt.stream().anyMatch(d -> d.approved() && d.operator().equals(login))) {
                throw new IdentityException(Reason.CONFLICT, "decision.already-approved", "You already approved this"
                        + " case: a second approval must come from another operator.");
            }
            insertDecision(c, k, login, approve, approve ? null : reason, text, attempt);
            if (approve) {
                boolean second = settings.get().secondApproval();
                if (second && ofAttempt.stream().noneMatch(Decision::approved)) {
                    audit(c, actor, "identity.decision.first-approval", k, Map.of("attempt", attempt));
                    touch(c, caseId, CaseStatus.REVIEW);
                    return load(c, caseId, false).orElseThrow();
                }
                touch(c, caseId, CaseStatus.APPROVED);
                audit(c, actor, "identity.case.approved", k, Map.of("attempt", attempt));
                IdentityCase after = load(c, caseId, false).orElseThrow();
                queueRelease(c, after, k.currentAttempt().provider());
                send(c, after, "identity.approved", "identity:" + caseId + ":approved", model(c, after));
                queueReport(c, after, attempt, CheckStatus.PASSED, "");
                return after;
            }
            String reasonText = reasonText(c, k, reason);
            boolean retry = allowRetry && k.attempts().size() < k.maxAttempts();
            if (retry) {
                touch(c, caseId, CaseStatus.OPEN);
                audit(c, actor, "identity.case.rejected-retry", k, Map.of("attempt", attempt, "reason", reason));
                IdentityCase after = load(c, caseId, false).orElseThrow();
                queueReminder(c, after, settings.get());
                sendLink(c, after, "identity.retry", "identity:" + caseId + ":retry:" + attempt,
                        Map.of("reason", reasonText, "comment", text));
                return after;
            }
            touch(c, caseId, CaseStatus.REJECTED);
            audit(c, actor, "identity.case.rejected", k, Map.of("attempt", attempt, "reason", reason));
            IdentityCase after = load(c, caseId, false).orElseThrow();
            queueRelease(c, after, k.currentAttempt().provider());
            Map<String, Object> model = model(c, after);
            model.put("reason", reasonText);
            model.put("comment", text);
            send(c, after, "identity.rejected", "identity:" + caseId + ":rejected", model);
            queueReport(c, after, attempt, CheckStatus.FAILED, reasonText);
            return after;
        });
        if (decided.status().ended()) {
            reportNow(caseId); // after the commit; if it fails, the background job reports it
        }
        return decided;
    }

    /**
     * Records that the case's outcome must be reported to its order's check. The report itself runs after the
     * decision committed and outside any transaction (the order may move on and call the next state's checks, which
     * the order service promises to do after its commit): at once, and again by the background job until done.
     */
    private void queueReport(Connection c, IdentityCase k, int attempt, CheckStatus status, String detail)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO identity_job (id, case_id, kind, status,"
                + " next_attempt_at, tries, outcome, detail) VALUES (?, ?, 'report', 'PENDING', ?, 0, ?, ?)")) {
            ps.setString(1, "report:" + k.id() + ":" + attempt);
            ps.setString(2, k.id());
            ps.setObject(3, time(clock.instant()));
            ps.setString(4, status.name());
            ps.setString(5, detail.length() > 1000 ? detail.substring(0, 1000) : detail);
            ps.executeUpdate();
        }
    }

    /** Reports the case's pending outcomes to its order now; what cannot be reported stays for the job. */
    private void reportNow(String caseId) {
        try {
            List<String[]> jobs = database.inTransaction(c -> {
                List<String[]> out = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement("SELECT id, outcome, detail FROM identity_job WHERE"
                        + " case_id = ? AND kind = 'report' AND status = 'PENDING'")) {
                    ps.setString(1, caseId);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            out.add(new String[] { rs.getString(1), rs.getString(2), rs.getString(3) });
                        }
                    }
                }
                return out;
            });
            for (String[] j : jobs) {
                report(j[0], caseId, j[1], j[2]);
            }
        } catch (RuntimeException e) {
            LOG.warn("Identity case {}: its outcome could not be reported to the order yet ({}); the background job"
                    + " will", caseId, e.toString());
        }
    }

    /** Reports outside any transaction, then marks the job done. @return whether it was reported */
    private boolean report(String jobId, String caseId, String outcome, String detail) {
        Orders o = orders.get();
        Optional<IdentityCase> k = find(caseId);
        if (o == null || k.isEmpty()) {
            return false;
        }
        String kind = kind(k.get().role());
        o.report(k.get().orderId(), kind, CheckStatus.valueOf(outcome), detail == null ? "" : detail, "check:" + kind);
        database.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE identity_job SET status = 'DONE' WHERE id = ?")) {
                ps.setString(1, jobId);
                return ps.executeUpdate();
            }
        });
        return true;
    }

    private void insertDecision(Connection c, IdentityCase k, String login, boolean approved, String reason,
            String comment, int attempt) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO identity_decision (case_id, seq, operator,"
                + " approved, reason, comment, attempt, decided_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, k.id());
            ps.setInt(2, k.decisions().size() + 1);
            ps.setString(3, login);
            ps.setBoolean(4, approved);
            ps.setString(5, reason);
            ps.setString(6, comment);
            ps.setInt(7, attempt);
            ps.setObject(8, time(clock.instant()));
            ps.executeUpdate();
        }
    }

    /** A rejection reason's text in the case's language, from the identity pages' messages. */
    private String reasonText(Connection c, IdentityCase k, String reason) throws SQLException {
        String language = languageAndBrand(c, k.id())[0];
        String key = "identity.reason." + reason;
        return TEXT.has(language, key) ? TEXT.text(language, key) : reason;
    }

    // ------------------------------------------------------------------ the order's life

    /** The order moved: when it ended, its open cases are cancelled; when it ended or went active, retention starts. */
    public void orderTransitioned(OrderEvent event, Order order) {
        OrderState to = event.to();
        if (!(to.ended() || to == OrderState.ACTIVE)) {
            return;
        }
        database.inTransaction(c -> {
            List<String> ids = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM identity_case WHERE order_id = ?")) {
                ps.setString(1, order.id());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getString(1));
                    }
                }
            }
            for (String id : ids) {
                IdentityCase k = load(c, id, true).orElseThrow();
                try (PreparedStatement ps = c.prepareStatement("UPDATE identity_case SET order_ended_at = ? WHERE id = ?"
                        + " AND order_ended_at IS NULL")) {
                    ps.setObject(1, time(event.at() == null ? clock.instant() : event.at()));
                    ps.setString(2, id);
                    ps.executeUpdate();
                }
                if (to.ended() && !k.status().ended()) {
                    try (PreparedStatement ps = c.prepareStatement("UPDATE identity_attempt SET flow_token_hash = NULL"
                            + " WHERE case_id = ?")) {
                        ps.setString(1, id);
                        ps.executeUpdate();
                    }
                    touch(c, id, CaseStatus.CANCELLED);
                    cancelReminders(c, id);
                    audit(c, event.actor() == null || event.actor().isBlank() ? "system" : event.actor(),
                            "identity.case.cancelled", k, Map.of("orderState", to.name()));
                    if (k.currentAttempt() != null) {
                        queueRelease(c, k, k.currentAttempt().provider());
                    }
                }
            }
            return null;
        });
    }

    // ------------------------------------------------------------------ background jobs

    /**
     * Runs the due jobs (reminders, telling providers), each claimed in its own transaction so several nodes share
     * them.
     *
     * @return how many ran
     */
    public int runDueJobs(int max) {
        int n = 0;
        for (; n < max; n++) {
            String[][] report = new String[1][];
            boolean ran = database.inTransaction(c -> {
                Optional<String[]> job = DueRows.claimOldest(c, database.product(), "identity_job",
                        "id, case_id, kind, provider, tries, outcome, detail", clock.instant(),
                        rs -> new String[] { rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                                String.valueOf(rs.getInt(5)), rs.getString(6), rs.getString(7) });
                if (job.isEmpty()) {
                    return false;
                }
                String[] j = job.get();
                if (j[2].equals("report")) {
                    // leased for a minute: reported below, after this claim commits, outside any transaction
                    report[0] = j;
                    try (PreparedStatement ps = c.prepareStatement("UPDATE identity_job SET tries = tries + 1,"
                            + " next_attempt_at = ?, status = ? WHERE id = ?")) {
                        ps.setObject(1, time(clock.instant().plusSeconds(60)));
                        ps.setString(2, Integer.parseInt(j[4]) >= 100 ? "FAILED" : "PENDING");
                        ps.setString(3, j[0]);
                        ps.executeUpdate();
                    }
                    return true;
                }
                String status = switch (j[2]) {
                    case "reminder" -> remind(c, j[1]);
                    case "release" -> release(c, j[1], j[3], Integer.parseInt(j[4]));
                    default -> "FAILED";
                };
                try (PreparedStatement ps = c.prepareStatement("UPDATE identity_job SET status = ?, tries = tries + 1,"
                        + " next_attempt_at = ? WHERE id = ?")) {
                    ps.setString(1, status);
                    ps.setObject(2, time(clock.instant().plusSeconds(300)));
                    ps.setString(3, j[0]);
                    ps.executeUpdate();
                }
                return true;
            });
            if (!ran) {
                break;
            }
            if (report[0] != null) {
                try {
                    report(report[0][0], report[0][1], report[0][5], report[0][6]);
                } catch (RuntimeException e) {
                    LOG.warn("Identity case {}: reporting its outcome to the order failed ({}); tried again later",
                            report[0][1], e.toString());
                }
            }
        }
        return n;
    }

    private String remind(Connection c, String caseId) throws SQLException {
        Optional<IdentityCase> k = load(c, caseId, true);
        if (k.isEmpty() || k.get().status() != CaseStatus.OPEN) {
            return "DONE";
        }
        sendLink(c, k.get(), "identity.reminder", "identity:" + caseId + ":reminder:" + k.get().attempts().size(),
                Map.of());
        audit(c, "system", "identity.reminder.sent", k.get(), Map.of("attempts", k.get().attempts().size()));
        return "DONE";
    }

    private String release(Connection c, String caseId, String providerId, int tries) throws SQLException {
        Optional<IdentityCase> k = load(c, caseId, false);
        IdentityProvider p = providerId == null ? null : providers.apply(providerId);
        if (k.isEmpty()) {
            return "DONE";
        }
        if (p == null) {
            return tries >= 20 ? "FAILED" : "PENDING"; // told when the provider is back (or given up)
        }
        try {
            p.ended(k.get());
            return "DONE";
        } catch (RuntimeException e) {
            LOG.warn("Identity case {}: provider '{}' failed to release it ({}); tried again later", caseId, providerId,
                    e.toString());
            return tries >= 20 ? "FAILED" : "PENDING";
        }
    }

    /**
     * Purges the evidence of cases whose order ended more than the retention period ago: the image blobs, the zone's
     * data and the case's data key; each purge audited.
     *
     * @return how many cases were purged
     */
    public int purgeDue(int max) {
        IdentitySettings s = settings.get();
        Instant cutoff = clock.instant().atZone(ZoneOffset.UTC).minus(s.retention()).toInstant();
        List<String> due = database.inTransaction(c -> {
            List<String> ids = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM identity_case WHERE purged_at IS NULL AND"
                    + " order_ended_at <= ? ORDER BY order_ended_at, id FETCH FIRST " + Math.max(1, max) + " ROWS ONLY")) {
                ps.setObject(1, time(cutoff));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getString(1));
                    }
                }
            }
            return ids;
        });
        int purged = 0;
        for (String id : due) {
            boolean done = database.inTransaction(c -> {
                try (PreparedStatement ps = c.prepareStatement("SELECT id FROM identity_case WHERE id = ? AND purged_at"
                        + " IS NULL AND order_ended_at <= ? FOR UPDATE SKIP LOCKED")) {
                    ps.setString(1, id);
                    ps.setObject(2, time(cutoff));
                    try (ResultSet rs = ps.executeQuery()) {
                        if (!rs.next()) {
                            return false;
                        }
                    }
                }
                int images;
                try (PreparedStatement ps = c.prepareStatement("UPDATE identity_evidence SET data = NULL WHERE case_id"
                        + " = ? AND data IS NOT NULL")) {
                    ps.setString(1, id);
                    images = ps.executeUpdate();
                }
                try (PreparedStatement ps = c.prepareStatement("UPDATE identity_attempt SET mrz = NULL,"
                        + " flow_token_hash = NULL WHERE case_id = ?")) {
                    ps.setString(1, id);
                    ps.executeUpdate();
                }
                Instant now = clock.instant();
                try (PreparedStatement ps = c.prepareStatement("UPDATE identity_case SET data_key = NULL, purged_at = ?,"
                        + " updated_at = ? WHERE id = ?")) {
                    ps.setObject(1, time(now));
                    ps.setObject(2, time(now));
                    ps.setString(3, id);
                    ps.executeUpdate();
                }
                IdentityCase k = load(c, id, false).orElseThrow();
                audit(c, "system", "identity.evidence.purged", k, Map.of("images", images,
                        "retention", s.retention().toString()));
                return true;
            });
            if (done) {
                purged++;
            }
        }
        return purged;
    }

    // ------------------------------------------------------------------ reading

    private Optional<IdentityCase> caseOf(Connection c, String orderId, OrderRole role) throws SQLException {
        String id = null;
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM identity_case WHERE order_id = ? AND role = ?")) {
            ps.setString(1, orderId);
            ps.setString(2, role.name());
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    id = rs.getString(1);
                }
            }
        }
        return id == null ? Optional.empty() : load(c, id, false);
    }

    /** The case with the latest attempt, its evidence, checks and decisions; {@code lock} locks its row. */
    /** The cases whose ids {@code sql} selects (first column), in its order. */
    private List<IdentityCase> cases(Connection c, String sql, String... params) throws SQLException {
        List<String> ids = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setString(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
        }
        List<IdentityCase> out = new ArrayList<>();
        for (String id : ids) {
            load(c, id, false).ifPresent(out::add);
        }
        return out;
    }

    private Optional<IdentityCase> load(Connection c, String id, boolean lock) throws SQLException {
        String dataKey;
        IdentityCase head;
        try (PreparedStatement ps = c.prepareStatement("SELECT " + CASE_COLUMNS + " FROM identity_case WHERE id = ?"
                + (lock ? " FOR UPDATE" : ""))) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                dataKey = rs.getString(15);
                head = new IdentityCase(rs.getString(1), rs.getString(2), OrderRole.valueOf(rs.getString(3)),
                        rs.getString(4), rs.getString(5), rs.getObject(6, LocalDate.class), rs.getString(7),
                        CaseStatus.valueOf(rs.getString(8)), rs.getString(9), List.of(), rs.getInt(10), List.of(),
                        rs.getString(11), instant(rs, 12), instant(rs, 13), instant(rs, 14));
            }
        }
        Map<Integer, List<Evidence>> evidence = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT attempt, kind, content_type, width, height, size, sha256,"
                + " received_at FROM identity_evidence WHERE case_id = ? ORDER BY attempt, kind")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    evidence.computeIfAbsent(rs.getInt(1), x -> new ArrayList<>()).add(new Evidence(
                            EvidenceKind.valueOf(rs.getString(2)), rs.getString(3), rs.getInt(4), rs.getInt(5),
                            rs.getLong(6), rs.getString(7), instant(rs, 8)));
                }
            }
        }
        Map<Integer, List<CheckResult>> checks = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT attempt, name, passed, detail FROM identity_check WHERE"
                + " case_id = ? ORDER BY attempt, seq")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    checks.computeIfAbsent(rs.getInt(1), x -> new ArrayList<>()).add(new CheckResult(rs.getString(2),
                            rs.getBoolean(3), rs.getString(4)));
                }
            }
        }
        List<Attempt> attempts = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT number, provider, reference, document_type, mrz,"
                + " started_at, submitted_at FROM identity_attempt WHERE case_id = ? ORDER BY number")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    int n = rs.getInt(1);
                    byte[] mrzBlob = rs.getBytes(5);
                    MrzData mrz = mrzBlob == null || dataKey == null ? null
                            : mrzData(decrypt(dataKey, id, n, "mrz", mrzBlob));
                    attempts.add(new Attempt(n, rs.getString(2), rs.getString(3), rs.getString(4),
                            evidence.getOrDefault(n, List.of()), mrz, checks.getOrDefault(n, List.of()), instant(rs, 6),
                            instant(rs, 7)));
                }
            }
        }
        List<Decision> decisions = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT operator, approved, reason, comment, attempt, decided_at"
                + " FROM identity_decision WHERE case_id = ? ORDER BY seq")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    decisions.add(new Decision(rs.getString(1), rs.getBoolean(2), rs.getString(3), rs.getString(4),
                            rs.getInt(5), instant(rs, 6)));
                }
            }
        }
        return Optional.of(new IdentityCase(head.id(), head.orderId(), head.role(), head.surname(), head.givenNames(),
                head.birthDate(), head.email(), head.status(), head.provider(), attempts, head.maxAttempts(), decisions,
                head.level(), head.createdAt(), head.updatedAt(), head.purgedAt()));
    }

    private String dataKey(Connection c, String caseId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT data_key FROM identity_case WHERE id = ?")) {
            ps.setString(1, caseId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private String[] languageAndBrand(Connection c, String caseId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT language, brand FROM identity_case WHERE id = ?")) {
            ps.setString(1, caseId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new String[] { rs.getString(1), rs.getString(2) } : new String[] { "fr", null };
            }
        }
    }

    private String[] resellerAndBrand(Connection c, String caseId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT reseller, brand FROM identity_case WHERE id = ?")) {
            ps.setString(1, caseId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new String[] { rs.getString(1), rs.getString(2) } : new String[] { null, null };
            }
        }
    }

    /** The brand of an order's identity pages (that of its cases), if it has cases with one. */
    Optional<String> brandOfOrder(String orderId) {
        try {
            return database.inTransaction(c -> {
                try (PreparedStatement ps = c.prepareStatement("SELECT brand FROM identity_case WHERE order_id = ? AND"
                        + " brand IS NOT NULL")) {
                    ps.setString(1, orderId);
                    try (ResultSet rs = ps.executeQuery()) {
                        return rs.next() ? Optional.of(rs.getString(1)) : Optional.<String>empty();
                    }
                }
            });
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The brand ({@code Pages.BRAND_ATTRIBUTE}) and language of a case's pages and e-mails. */
    String[] languageAndBrand(String caseId) {
        return database.inTransaction(c -> languageAndBrand(c, caseId));
    }

    // ------------------------------------------------------------------ helpers

    /** The case, which must have an open attempt (read without a lock, for checks run before the transaction). */
    private IdentityCase openCase(String caseId) {
        return database.inTransaction(c -> requireOpen(c, caseId));
    }

    private IdentityCase requireOpen(Connection c, String caseId) throws SQLException {
        IdentityCase k = load(c, caseId, true).orElseThrow(() -> notFound(caseId));
        if (k.status() != CaseStatus.IN_PROGRESS || k.currentAttempt() == null
                || k.currentAttempt().submittedAt() != null) {
            throw new IdentityException(Reason.CONFLICT, "case.not-open", "No attempt of the case is open (it is "
                    + k.status() + ").");
        }
        return k;
    }

    private void replaceChecks(Connection c, String caseId, int attempt, List<CheckResult> checks) throws SQLException {
        int seq = 0;
        try (PreparedStatement ps = c.prepareStatement("SELECT COALESCE(MAX(seq), 0) FROM identity_check WHERE"
                + " case_id = ? AND attempt = ?")) {
            ps.setString(1, caseId);
            ps.setInt(2, attempt);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                seq = rs.getInt(1);
            }
        }
        for (CheckResult r : checks) {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM identity_check WHERE case_id = ? AND attempt = ?"
                    + " AND name = ?")) {
                ps.setString(1, caseId);
                ps.setInt(2, attempt);
                ps.setString(3, r.name());
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO identity_check (case_id, attempt, seq, name,"
                    + " passed, detail) VALUES (?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, caseId);
                ps.setInt(2, attempt);
                ps.setInt(3, ++seq);
                ps.setString(4, r.name().length() > 64 ? r.name().substring(0, 64) : r.name());
                ps.setBoolean(5, r.passed());
                String d = r.detail() == null ? "" : r.detail();
                ps.setString(6, d.length() > 500 ? d.substring(0, 500) : d);
                ps.executeUpdate();
            }
        }
    }

    private void touch(Connection c, String caseId, CaseStatus status) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE identity_case SET status = ?, updated_at = ? WHERE id = ?")) {
            ps.setString(1, status.name());
            ps.setObject(2, time(clock.instant()));
            ps.setString(3, caseId);
            ps.executeUpdate();
        }
    }

    private Void audit(Connection c, String actor, String action, IdentityCase k, Map<String, ?> details) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("case", k.id());
        d.put("order", k.orderId());
        d.put("role", k.role().id());
        d.putAll(details);
        audit.append(AuditEvent.ofFields(actor == null || actor.isBlank() ? "system" : actor, action,
                "identity-case:" + k.id(), d));
        return null;
    }

    private static String operatorActor(String operator) {
        return operator == null || operator.isBlank() ? "operator:unknown"
                : operator.contains(":") ? operator : "operator:" + operator;
    }

    private static IdentityException notFound(String caseId) {
        return new IdentityException(Reason.NOT_FOUND, "case.not-found", "No identity case " + caseId + ".");
    }

    /** The zone's data as stored (encrypted afterwards): one field a line. */
    static byte[] mrzBytes(MrzData m) {
        String s = String.join("\n", m.format(), m.documentCode(), m.issuingState(), m.documentNumber(), m.surname(),
                String.join("|", m.givenNames()), m.nationality(), String.valueOf(m.birthDate()), m.sex(),
                String.valueOf(m.expiryDate()), String.valueOf(m.issued()));
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static MrzData mrzData(byte[] bytes) {
        String[] f = new String(bytes, StandardCharsets.UTF_8).split("\n", -1);
        return new MrzData(f[0], f[1], f[2], f[3], f[4], f[5].isEmpty() ? List.of() : List.of(f[5].split("\\|")),
                f[6], f[7].equals("null") ? null : LocalDate.parse(f[7]), f[8],
                f[9].equals("null") ? null : LocalDate.parse(f[9]), f[10].equals("null") ? null : YearMonth.parse(f[10]));
    }

    private String token(int bytes) {
        return RandomTokens.urlSafe(random, bytes);
    }
}
