package io.cachet.acceptance.internal;

import static io.cachet.api.store.Columns.time;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cachet.api.acceptance.AcceptanceRecord;
import io.cachet.api.acceptance.PersonAcceptance;
import io.cachet.api.audit.AuditEvent;
import io.cachet.api.audit.AuditLog;
import io.cachet.api.link.IssuedLink;
import io.cachet.api.link.PersonalLinks;
import io.cachet.api.notify.Notification;
import io.cachet.api.notify.Notifier;
import io.cachet.api.order.CheckStatus;
import io.cachet.api.order.Order;
import io.cachet.api.order.OrderRole;
import io.cachet.api.order.OrderState;
import io.cachet.api.order.Orders;
import io.cachet.api.order.Person;
import io.cachet.api.security.Digests;
import io.cachet.api.store.Database;

/**
 * The acceptances, on the deployment's database: opened when an order enters ACCEPTANCE (the form, one row per person,
 * each person's link by e-mail), SMS one-time codes (6 digits, only their HMAC stored, valid {@code codeValidity},
 * {@code maxTries} wrong codes lock the acceptance until a new code is requested, at most {@code codesPerHour} codes
 * per person and hour), the acceptance itself (the platform seals the form once more, incrementally) and the report
 * to the order's check. Every change, and every refusal, is audited (subject {@code acceptance:<order id>}); a refusal
 * changes nothing else. Thread-safe; safe with several nodes (rows locked with {@code SELECT … FOR UPDATE}).
 */
public final class AcceptanceService {

    private static final Logger LOG = LoggerFactory.getLogger(AcceptanceService.class);
    static final String PURPOSE = "acceptance";
    static final String PATH = "/acceptance";
    static final String KIND_PREFIX = "acceptance.";
    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private final Database database;
    private final AuditLog audit;
    private final PersonalLinks links;
    private final Notifier notifier;
    private final Supplier<Orders> orders;
    private final Supplier<Sealer> sealer;
    private final BiFunction<String, String, String> terms;
    private final Function<String, String> brandNames;
    private final Supplier<AcceptanceSettings> settings;
    private final Clock clock;
    private final SecureRandom random;
    private final byte[] codeKey;

    /**
     * @param orders the order service, or a supplier of null while it is missing
     * @param sealer the platform's sealer, or a supplier of null while the platform seal is not available
     * @param terms the subscriber terms of a brand (id, may be null) in a language
     * @param brandNames the display name of a brand (id, may be null)
     * @param codeKey the key of the codes' HMAC (copied)
     */
    public AcceptanceService(Database database, AuditLog audit, PersonalLinks links, Notifier notifier,
            Supplier<Orders> orders, Supplier<Sealer> sealer, BiFunction<String, String, String> terms,
            Function<String, String> brandNames, Supplier<AcceptanceSettings> settings, Clock clock,
            SecureRandom random, byte[] codeKey) {
        this.database = Objects.requireNonNull(database);
        this.audit = Objects.requireNonNull(audit);
        this.links = Objects.requireNonNull(links);
        this.notifier = Objects.requireNonNull(notifier);
        this.orders = Objects.requireNonNull(orders);
        this.sealer = Objects.requireNonNull(sealer);
        this.terms = Objects.requireNonNull(terms);
        this.brandNames = Objects.requireNonNull(brandNames);
        this.settings = Objects.requireNonNull(settings);
        this.clock = Objects.requireNonNull(clock);
        this.random = Objects.requireNonNull(random);
        this.codeKey = codeKey.clone();
    }

    /** Applies this module's migrations. */
    public static void migrate(Database database) {
        database.migrate("acceptance", AcceptanceService.class.getClassLoader(), "db/acceptance");
    }

    /** The order check kind of a person's acceptance. */
    static String kind(OrderRole role) {
        return KIND_PREFIX + role.id();
    }

    // ------------------------------------------------------------------ opening

    /**
     * Opens the order's acceptance (idempotent): the form, the persons, each person's link by e-mail, in one
     * transaction. Nothing for an order not in ACCEPTANCE.
     */
    public void open(Order order) {
        if (order.state() != OrderState.ACCEPTANCE || exists(order.id())) {
            return;
        }
        String language = "en".equals(order.language()) ? "en" : "fr";
        Instant now = clock.instant();
        byte[] pdf = FormPdf.make(new FormPdf.Content(order, language, brandNames.apply(order.brand()),
                terms.apply(order.brand(), language), now));
        try {
            database.inTransaction(c -> {
                if (exists(c, order.id())) {
                    return null;
                }
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO acceptance_form (order_id, language, brand,"
                        + " pdf, signatures, created_at) VALUES (?, ?, ?, ?, 0, ?)")) {
                    ps.setString(1, order.id());
                    ps.setString(2, language);
                    ps.setString(3, order.brand());
                    ps.setBytes(4, pdf);
                    ps.setObject(5, time(now));
                    ps.executeUpdate();
                }
                var r = order.request();
                insertPerson(c, order, OrderRole.CERTIFICATE_MANAGER, r.managerIsLegalRepresentative()
                        ? EnumSet.of(OrderRole.CERTIFICATE_MANAGER, OrderRole.LEGAL_REPRESENTATIVE)
                        : EnumSet.of(OrderRole.CERTIFICATE_MANAGER), r.certificateManager(), language);
                if (!r.managerIsLegalRepresentative()) {
                    insertPerson(c, order, OrderRole.LEGAL_REPRESENTATIVE, EnumSet.of(OrderRole.LEGAL_REPRESENTATIVE),
                            r.legalRepresentative(), language);
                }
                audit(c, "system", "acceptance.opened", order.id(), Map.of("persons",
                        r.managerIsLegalRepresentative() ? 1 : 2, "form", Digests.sha256Hex(pdf)));
                return null;
            });
        } catch (RuntimeException e) {
            if (!exists(order.id())) {
                throw e;
            }
            // another node opened it at the same time: theirs stands
        }
    }

    private void insertPerson(Connection c, Order order, OrderRole role, Set<OrderRole> roles, Person p,
            String language) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO acceptance_person (order_id, role, roles, name,"
                + " email, mobile, status, tries) VALUES (?, ?, ?, ?, ?, ?, ?, 0)")) {
            ps.setString(1, order.id());
            ps.setString(2, role.name());
            ps.setString(3, String.join(",", roles.stream().map(OrderRole::name).toList()));
            ps.setString(4, p.fullName());
            ps.setString(5, p.email());
            ps.setString(6, p.mobile());
            ps.setString(7, PersonAcceptance.WAITING);
            ps.executeUpdate();
        }
        IssuedLink link = links.issue(order.id(), role, PURPOSE, p.email(), PATH, settings.get().linkValidity(),
                "system");
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("name", p.fullName());
        model.put("orderId", order.id());
        model.put("organisation", order.request().organisation().name());
        model.put("role", role.id());
        model.put("both", roles.size() == 2);
        model.put("link", link.url());
        model.put("expires", TIME.format(link.link().expiresAt()));
        model.put("mobile", Masks.mobile(p.mobile()));
        notifier.send(Notification.email(p.email(), "acceptance.link", language, model).withBrand(order.brand())
                .withIdempotencyKey("acceptance:" + order.id() + ":" + role.id() + ":link"));
    }

    private boolean exists(String orderId) {
        return database.inTransaction(c -> exists(c, orderId));
    }

    private static boolean exists(Connection c, String orderId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM acceptance_form WHERE order_id = ?")) {
            ps.setString(1, orderId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /**
     * A fresh link for the (expired or revoked) acceptance link {@code link}, e-mailed to the address it was sent to,
     * unless the person has accepted or the order is no longer in ACCEPTANCE.
     *
     * @return whether one was sent
     */
    public boolean renew(io.cachet.api.link.PersonalLink link) {
        if (!orderInAcceptance(link.orderId())) {
            return false;
        }
        return database.inTransaction(c -> {
            PersonRow p = person(c, link.orderId(), link.role(), true);
            if (p == null || PersonAcceptance.ACCEPTED.equals(p.status())) {
                return false;
            }
            Optional<IssuedLink> fresh = links.renew(link.id(), settings.get().linkValidity(), "person:"
                    + link.role().id());
            if (fresh.isEmpty()) {
                return false;
            }
            String[] lb = languageAndBrand(c, link.orderId());
            Map<String, Object> model = new LinkedHashMap<>();
            model.put("name", p.name());
            model.put("orderId", link.orderId());
            model.put("organisation", organisation(link.orderId()));
            model.put("role", p.role().id());
            model.put("both", p.roles().size() == 2);
            model.put("link", fresh.get().url());
            model.put("expires", TIME.format(fresh.get().link().expiresAt()));
            model.put("mobile", Masks.mobile(p.mobile()));
            notifier.send(Notification.email(p.email(), "acceptance.link", lb[0], model).withBrand(lb[1])
                    .withIdempotencyKey("acceptance:" + fresh.get().link().id() + ":renewed"));
            audit(c, "person:" + link.role().id(), "acceptance.link.renewed", link.orderId(),
                    Map.of("role", p.role().id(), "link", fresh.get().link().id()));
            return true;
        });
    }

    private String organisation(String orderId) {
        Orders o = orders.get();
        return o == null ? "" : o.find(orderId).map(x -> x.request().organisation().name()).orElse("");
    }

    // ------------------------------------------------------------------ reading

    /** A person's row. */
    record PersonRow(OrderRole role, Set<OrderRole> roles, String name, String email, String mobile, String status,
            String codeHmac, Instant codeExpiresAt, int tries, Instant acceptedAt, Instant reportedAt) {

        PersonAcceptance view() {
            return new PersonAcceptance(roles, name, Masks.mobile(mobile), status, acceptedAt);
        }
    }

    /** What a person's page shows. */
    record View(String orderId, String language, String brand, int pages, PersonRow person, List<PersonRow> others,
            boolean codeOpen, Instant codeExpiresAt, int triesLeft, boolean orderOpen) {
    }

    Optional<AcceptanceRecord> record(String orderId) {
        return database.inTransaction(c -> {
            String language;
            Instant completed;
            try (PreparedStatement ps = c.prepareStatement("SELECT language, completed_at FROM acceptance_form"
                    + " WHERE order_id = ?")) {
                ps.setString(1, orderId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.<AcceptanceRecord>empty();
                    }
                    language = rs.getString(1);
                    completed = instant(rs.getObject(2, OffsetDateTime.class));
                }
            }
            return Optional.of(new AcceptanceRecord(orderId, language,
                    persons(c, orderId, false).stream().map(PersonRow::view).toList(), completed));
        });
    }

    /** The form with every signature so far. */
    Optional<byte[]> form(String orderId) {
        return database.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT pdf FROM acceptance_form WHERE order_id = ?")) {
                ps.setString(1, orderId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getBytes(1)) : Optional.<byte[]>empty();
                }
            }
        });
    }

    /** The page of the person {@code role} of the order, when the order has an acceptance. */
    Optional<View> view(String orderId, OrderRole role) {
        Optional<View> v = database.inTransaction(c -> {
            String language;
            String brand;
            byte[] pdf;
            try (PreparedStatement ps = c.prepareStatement("SELECT language, brand, pdf FROM acceptance_form"
                    + " WHERE order_id = ?")) {
                ps.setString(1, orderId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.<View>empty();
                    }
                    language = rs.getString(1);
                    brand = rs.getString(2);
                    pdf = rs.getBytes(3);
                }
            }
            List<PersonRow> all = persons(c, orderId, false);
            PersonRow me = all.stream().filter(p -> p.roles().contains(role)).findFirst().orElse(null);
            if (me == null) {
                return Optional.<View>empty();
            }
            Instant now = clock.instant();
            boolean open = me.codeHmac() != null && me.codeExpiresAt() != null && now.isBefore(me.codeExpiresAt());
            return Optional.of(new View(orderId, language, brand, FormPdf.pages(pdf), me,
                    all.stream().filter(p -> p != me).toList(), open, me.codeExpiresAt(),
                    Math.max(0, settings.get().maxTries() - me.tries()), true));
        });
        return v.map(x -> new View(x.orderId(), x.language(), x.brand(), x.pages(), x.person(), x.others(),
                x.codeOpen(), x.codeExpiresAt(), x.triesLeft(), orderInAcceptance(orderId)));
    }

    private boolean orderInAcceptance(String orderId) {
        Orders o = orders.get();
        return o != null && o.find(orderId).map(x -> x.state() == OrderState.ACCEPTANCE).orElse(false);
    }

    private List<PersonRow> persons(Connection c, String orderId, boolean lock) throws SQLException {
        List<PersonRow> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT role, roles, name, email, mobile, status, code_hmac,"
                + " code_expires_at, tries, accepted_at, reported_at FROM acceptance_person WHERE order_id = ?"
                + " ORDER BY role" + (lock ? " FOR UPDATE" : ""))) {
            ps.setString(1, orderId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Set<OrderRole> roles = EnumSet.noneOf(OrderRole.class);
                    for (String r : rs.getString(2).split(",")) {
                        roles.add(OrderRole.valueOf(r));
                    }
                    out.add(new PersonRow(OrderRole.valueOf(rs.getString(1)), roles, rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getString(6), rs.getString(7),
                            instant(rs.getObject(8, OffsetDateTime.class)), rs.getInt(9),
                            instant(rs.getObject(10, OffsetDateTime.class)),
                            instant(rs.getObject(11, OffsetDateTime.class))));
                }
            }
        }
        return out; // CERTIFICATE_MANAGER sorts before LEGAL_REPRESENTATIVE
    }

    // ------------------------------------------------------------------ codes

    /** Why a request was refused; the page says it in the person's words. */
    enum Refusal {
        /** The order is not (or no longer) in ACCEPTANCE: every check before it must pass first. */
        NOT_READY,
        /** This person accepted already. */
        ALREADY_ACCEPTED,
        /** Too many codes requested in the last hour. */
        TOO_MANY_CODES,
        /** No code was requested (or the last one was used up). */
        NO_CODE,
        /** The code is past its validity: request a new one. */
        CODE_EXPIRED,
        /** Too many wrong codes: request a new one. */
        LOCKED,
        /** A wrong code; tries are left. */
        WRONG_CODE,
        /** The platform cannot seal now; nothing changed, try again later. */
        UNAVAILABLE
    }

    /** What a request did: {@code refusal} null when it succeeded. */
    record Outcome(Refusal refusal, int triesLeft, Instant codeExpiresAt) {
        boolean ok() {
            return refusal == null;
        }
    }

    /** Sends a fresh code to the person's mobile (the previous one stops working, a locked acceptance unlocks). */
    public Outcome requestCode(String orderId, OrderRole role, String actor) {
        if (!orderInAcceptance(orderId)) {
            return refuse(orderId, role, actor, Refusal.NOT_READY, "acceptance.code.refused");
        }
        AcceptanceSettings s = settings.get();
        return database.inTransaction(c -> {
            PersonRow p = person(c, orderId, role, true);
            if (p == null) {
                return refused(c, orderId, role, actor, Refusal.NOT_READY, "acceptance.code.refused");
            }
            if (PersonAcceptance.ACCEPTED.equals(p.status())) {
                return refused(c, orderId, p.role(), actor, Refusal.ALREADY_ACCEPTED, "acceptance.code.refused");
            }
            Instant now = clock.instant();
            int sent;
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM acceptance_code WHERE order_id = ?"
                    + " AND role = ? AND sent_at > ?")) {
                ps.setString(1, orderId);
                ps.setString(2, p.role().name());
                ps.setObject(3, time(now.minus(java.time.Duration.ofHours(1))));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    sent = rs.getInt(1);
                }
            }
            if (sent >= s.codesPerHour()) {
                return refused(c, orderId, p.role(), actor, Refusal.TOO_MANY_CODES, "acceptance.code.refused");
            }
            String code = String.format(Locale.ROOT, "%06d", random.nextInt(1_000_000));
            Instant expires = now.plus(s.codeValidity());
            try (PreparedStatement ps = c.prepareStatement("UPDATE acceptance_person SET code_hmac = ?,"
                    + " code_expires_at = ?, tries = 0, status = ? WHERE order_id = ? AND role = ?")) {
                ps.setString(1, hmac(orderId, p.role(), code));
                ps.setObject(2, time(expires));
                ps.setString(3, PersonAcceptance.WAITING);
                ps.setString(4, orderId);
                ps.setString(5, p.role().name());
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO acceptance_code (order_id, role, sent_at)"
                    + " VALUES (?, ?, ?)")) {
                ps.setString(1, orderId);
                ps.setString(2, p.role().name());
                ps.setObject(3, time(now));
                ps.executeUpdate();
            }
            String[] lb = languageAndBrand(c, orderId);
            Map<String, Object> model = new LinkedHashMap<>();
            model.put("code", code);
            model.put("minutes", s.codeValidity().toMinutes());
            model.put("orderId", orderId);
            notifier.send(Notification.sms(p.mobile(), "acceptance.code", lb[0], model).withBrand(lb[1])
                    .withIdempotencyKey("acceptance:" + orderId + ":" + p.role().id() + ":code:" + now.toEpochMilli()
                            + ":" + sent));
            audit(c, actor, "acceptance.code.sent", orderId, Map.of("role", p.role().id(), "expires",
                    expires.toString(), "codesThisHour", sent + 1));
            return new Outcome(null, s.maxTries(), expires);
        });
    }

    /**
     * The person accepts with the code they received: when it is right, the platform seals the form (one more
     * incremental signature) in the same transaction, and after the commit the person's check is reported PASSED.
     * A wrong code counts a try (committed); the last wrong one locks the acceptance until a new code is requested.
     */
    public Outcome accept(String orderId, OrderRole role, String code, String actor) {
        if (!orderInAcceptance(orderId)) {
            return refuse(orderId, role, actor, Refusal.NOT_READY, "acceptance.refused");
        }
        AcceptanceSettings s = settings.get();
        Outcome outcome;
        try {
            outcome = database.inTransaction(c -> {
                byte[] pdf;
                String language;
                int signatures;
                try (PreparedStatement ps = c.prepareStatement("SELECT pdf, language, signatures FROM acceptance_form"
                        + " WHERE order_id = ? FOR UPDATE")) {
                    ps.setString(1, orderId);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (!rs.next()) {
                            return refused(c, orderId, role, actor, Refusal.NOT_READY, "acceptance.refused");
                        }
                        pdf = rs.getBytes(1);
                        language = rs.getString(2);
                        signatures = rs.getInt(3);
                    }
                }
                PersonRow p = person(c, orderId, role, true);
                if (p == null) {
                    return refused(c, orderId, role, actor, Refusal.NOT_READY, "acceptance.refused");
                }
                if (PersonAcceptance.ACCEPTED.equals(p.status())) {
                    return refused(c, orderId, p.role(), actor, Refusal.ALREADY_ACCEPTED, "acceptance.refused");
                }
                if (PersonAcceptance.LOCKED.equals(p.status())) {
                    return refused(c, orderId, p.role(), actor, Refusal.LOCKED, "acceptance.refused");
                }
                if (p.codeHmac() == null) {
                    return refused(c, orderId, p.role(), actor, Refusal.NO_CODE, "acceptance.refused");
                }
                Instant now = clock.instant();
                if (!now.isBefore(p.codeExpiresAt())) {
                    return refused(c, orderId, p.role(), actor, Refusal.CODE_EXPIRED, "acceptance.refused");
                }
                String given = code == null ? "" : code.replaceAll("\\s", "");
                boolean right = given.matches("[0-9]{6}") && MessageDigest.isEqual(
                        hmac(orderId, p.role(), given).getBytes(StandardCharsets.US_ASCII),
                        p.codeHmac().getBytes(StandardCharsets.US_ASCII));
                if (!right) {
                    int tries = p.tries() + 1;
                    boolean lock = tries >= s.maxTries();
                    try (PreparedStatement ps = c.prepareStatement("UPDATE acceptance_person SET tries = ?, status = ?,"
                            + " code_hmac = ? WHERE order_id = ? AND role = ?")) {
                        ps.setInt(1, tries);
                        ps.setString(2, lock ? PersonAcceptance.LOCKED : p.status());
                        ps.setString(3, lock ? null : p.codeHmac());
                        ps.setString(4, orderId);
                        ps.setString(5, p.role().name());
                        ps.executeUpdate();
                    }
                    audit(c, actor, lock ? "acceptance.locked" : "acceptance.code.wrong", orderId,
                            Map.of("role", p.role().id(), "tries", tries));
                    return new Outcome(lock ? Refusal.LOCKED : Refusal.WRONG_CODE, s.maxTries() - tries,
                            p.codeExpiresAt());
                }
                Sealer seal = sealer.get();
                if (seal == null) {
                    throw new SealUnavailable("the platform seal is not available");
                }
                int box = p.role() == OrderRole.CERTIFICATE_MANAGER ? 0 : 1;
                byte[] signed = seal.seal(pdf, box, lines(p, language, now));
                List<PersonRow> all = persons(c, orderId, false);
                boolean complete = all.stream().allMatch(x -> x.role() == p.role()
                        || PersonAcceptance.ACCEPTED.equals(x.status()));
                try (PreparedStatement ps = c.prepareStatement("UPDATE acceptance_form SET pdf = ?, signatures = ?,"
                        + " completed_at = ? WHERE order_id = ?")) {
                    ps.setBytes(1, signed);
                    ps.setInt(2, signatures + 1);
                    ps.setObject(3, complete ? time(now) : null);
                    ps.setString(4, orderId);
                    ps.executeUpdate();
                }
                try (PreparedStatement ps = c.prepareStatement("UPDATE acceptance_person SET status = ?,"
                        + " accepted_at = ?, code_hmac = NULL WHERE order_id = ? AND role = ?")) {
                    ps.setString(1, PersonAcceptance.ACCEPTED);
                    ps.setObject(2, time(now));
                    ps.setString(3, orderId);
                    ps.setString(4, p.role().name());
                    ps.executeUpdate();
                }
                audit(c, actor, "acceptance.accepted", orderId, Map.of("role", p.role().id(), "signature",
                        signatures + 1, "form", Digests.sha256Hex(signed), "complete", complete));
                return new Outcome(null, 0, null);
            });
        } catch (RuntimeException e) {
            LOG.warn("An acceptance of order {} could not be sealed; nothing changed: {}", orderId, e.toString());
            return refuse(orderId, role, actor, Refusal.UNAVAILABLE, "acceptance.refused");
        }
        if (outcome.ok()) {
            reportDue(orderId);
        }
        return outcome;
    }

    /** A sealer missing at the moment of acceptance. */
    static final class SealUnavailable extends RuntimeException {
        private static final long serialVersionUID = 1L;

        SealUnavailable(String message) {
            super(message);
        }
    }

    /** What the person's signature box shows. */
    static List<String> lines(PersonRow p, String language, Instant at) {
        boolean fr = "fr".equals(language);
        return List.of(p.name(), (fr ? "accepté par code SMS envoyé au " : "accepted by SMS code to ")
                + Masks.mobile(p.mobile()), TIME.format(at));
    }

    private PersonRow person(Connection c, String orderId, OrderRole role, boolean lock) throws SQLException {
        for (PersonRow p : persons(c, orderId, lock)) {
            if (p.roles().contains(role)) {
                return p;
            }
        }
        return null;
    }

    private String hmac(String orderId, OrderRole role, String code) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(codeKey, "HmacSHA256"));
            return FormPdf.hex(mac.doFinal((orderId + "\n" + role.name() + "\n" + code)
                    .getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }

    private Outcome refuse(String orderId, OrderRole role, String actor, Refusal why, String action) {
        return database.inTransaction(c -> refused(c, orderId, role, actor, why, action));
    }

    private Outcome refused(Connection c, String orderId, OrderRole role, String actor, Refusal why, String action) {
        audit(c, actor, action, orderId, Map.of("role", role.id(), "reason", why.name().toLowerCase(Locale.ROOT)
                .replace('_', '-')));
        return new Outcome(why, 0, null);
    }

    // ------------------------------------------------------------------ reporting

    /**
     * Reports the checks of the persons who accepted and whose check was not told yet (right after an acceptance,
     * and by the background job when that report failed).
     *
     * @return how many were reported
     */
    public int reportDue(String onlyOrder) {
        Orders o = orders.get();
        if (o == null) {
            return 0;
        }
        List<String[]> due = database.inTransaction(c -> {
            List<String[]> l = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT order_id, role FROM acceptance_person WHERE"
                    + " status = ? AND reported_at IS NULL" + (onlyOrder == null ? "" : " AND order_id = ?"))) {
                ps.setString(1, PersonAcceptance.ACCEPTED);
                if (onlyOrder != null) {
                    ps.setString(2, onlyOrder);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        l.add(new String[] { rs.getString(1), rs.getString(2) });
                    }
                }
            }
            return l;
        });
        int n = 0;
        for (String[] d : due) {
            String kind = kind(OrderRole.valueOf(d[1]));
            try {
                o.report(d[0], kind, CheckStatus.PASSED, "", "check:" + kind);
                database.inTransaction(c -> {
                    try (PreparedStatement ps = c.prepareStatement("UPDATE acceptance_person SET reported_at = ?"
                            + " WHERE order_id = ? AND role = ?")) {
                        ps.setObject(1, time(clock.instant()));
                        ps.setString(2, d[0]);
                        ps.setString(3, d[1]);
                        return ps.executeUpdate();
                    }
                });
                n++;
            } catch (RuntimeException e) {
                LOG.warn("The acceptance check {} of order {} could not be reported; it is tried again later: {}",
                        kind, d[0], e.toString());
            }
        }
        return n;
    }

    // ------------------------------------------------------------------ helpers

    /** The brand of an order's acceptance pages, if it has an acceptance. */
    Optional<String> brandOf(String orderId) {
        return database.inTransaction(c -> Optional.ofNullable(languageAndBrand(c, orderId)[1]));
    }

    private static String[] languageAndBrand(Connection c, String orderId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT language, brand FROM acceptance_form WHERE order_id = ?")) {
            ps.setString(1, orderId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new String[] { rs.getString(1), rs.getString(2) } : new String[] { "fr", null };
            }
        }
    }

    private Void audit(Connection c, String actor, String action, String orderId, Map<String, ?> details) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("order", orderId);
        d.putAll(details);
        audit.append(AuditEvent.ofFields(actor == null || actor.isBlank() ? "system" : actor, action,
                "acceptance:" + orderId, d));
        return null;
    }

    static Instant instant(OffsetDateTime t) {
        return t == null ? null : t.toInstant();
    }
}
