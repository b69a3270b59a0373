package io.cachet.organisation.internal;

import static io.cachet.api.store.Columns.instant;
import static io.cachet.api.store.Columns.time;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cachet.api.audit.AuditEvent;
import io.cachet.api.audit.AuditLog;
import io.cachet.api.notify.Notification;
import io.cachet.api.notify.Notifier;
import io.cachet.api.order.CheckStatus;
import io.cachet.api.order.Order;
import io.cachet.api.order.OrderState;
import io.cachet.api.order.Orders;
import io.cachet.api.order.Person;
import io.cachet.api.organisation.OrganisationCase;
import io.cachet.api.organisation.OrganisationChecks;
import io.cachet.api.organisation.OrganisationDocument;
import io.cachet.api.organisation.OrganisationException;
import io.cachet.api.organisation.OrganisationException.Reason;
import io.cachet.api.organisation.RegistryLookup;
import io.cachet.api.security.DataKeyCipher;
import io.cachet.api.security.Digests;
import io.cachet.api.security.RandomTokens;
import io.cachet.api.store.Database;
import io.cachet.api.store.DueRows;
import io.cachet.api.web.FileTypes;

/**
 * The organisation cases on the deployment's database. Plain Java, thread-safe, safe with several nodes on one
 * database: every change locks the case's row and is one transaction with its audit record (subject
 * {@code order:<id>}, so that an order's records include them) and its e-mail. Outcomes are reported to the order's
 * {@value #KIND} check after the commit, outside any transaction (the order may then move on and call the next
 * state's checks); a report that fails stays queued for the background job. Documents are encrypted with the
 * case's data key ({@link DataKeyCipher}, purpose {@value #KEY_PURPOSE}, bound to its case, document and kind by
 * {@link #documentAad}) and never logged.
 */
public final class OrganisationService implements OrganisationChecks {

    /** The order check's kind. */
    static final String KIND = "organisation";
    /** The vault purpose the cases' data keys are sealed under. Stored keys are: never change it. */
    static final String KEY_PURPOSE = "organisation.case-key";
    static final Set<String> MEDIA_TYPES = Set.of("application/pdf", "image/jpeg", "image/png");
    private static final Logger LOG = LoggerFactory.getLogger(OrganisationService.class);
    private static final String CASE_COLUMNS = "id, order_id, status, org_name, org_country, org_identifier, org_vat,"
            + " representative, email, language, brand, data_key, legal_basis, extract_issued, decided_by, decided_at,"
            + " reason, submitted_at, extract_source";

    private final Database database;
    private final AuditLog audit;
    private final DataKeyCipher cipher;
    private final Notifier notifier;
    private final Supplier<Orders> orders;
    private final Supplier<List<RegistryLookup>> registries;
    private final Supplier<Settings> settings;
    private final Clock clock;
    private final SecureRandom random;

    /**
     * @param orders the order service, or a supplier of null while it is missing (uploads and decisions are then
     *        refused; reports wait for the job)
     * @param registries the installed register look-ups (usually none)
     * @param settings the current configuration (read at each use: it changes while running)
     * @param cipher the document cipher, on purpose {@value #KEY_PURPOSE}
     */
    public OrganisationService(Database database, AuditLog audit, DataKeyCipher cipher, Notifier notifier,
            Supplier<Orders> orders, Supplier<List<RegistryLookup>> registries, Supplier<Settings> settings,
            Clock clock, SecureRandom random) {
        this.database = Objects.requireNonNull(database);
        this.audit = Objects.requireNonNull(audit);
        this.cipher = Objects.requireNonNull(cipher);
        if (!KEY_PURPOSE.equals(cipher.purpose())) {
            throw new IllegalArgumentException("The document cipher must seal its keys for " + KEY_PURPOSE);
        }
        this.notifier = Objects.requireNonNull(notifier);
        this.orders = Objects.requireNonNull(orders);
        this.registries = Objects.requireNonNull(registries);
        this.settings = Objects.requireNonNull(settings);
        this.clock = Objects.requireNonNull(clock);
        this.random = Objects.requireNonNull(random);
    }

    /**
     * What binds a document blob to its case, document and kind, so that a blob moved to another row does not open.
     * Stored blobs carry it: never change it.
     */
    static byte[] documentAad(String caseId, String documentId, String kind) {
        return ("cachet-organisation|" + caseId + "|" + documentId + "|" + kind).getBytes(StandardCharsets.UTF_8);
    }

    private byte[] encrypt(String dataKey, String caseId, String documentId, String kind, byte[] plain) {
        return cipher.encrypt(dataKey, "document " + documentId + " of case " + caseId,
                documentAad(caseId, documentId, kind), plain);
    }

    private byte[] decrypt(String dataKey, String caseId, String documentId, String kind, byte[] blob) {
        return cipher.decrypt(dataKey, "document " + documentId + " of case " + caseId,
                documentAad(caseId, documentId, kind), blob);
    }

    /** Applies this module's migrations. */
    public static void migrate(Database database) {
        database.migrate("organisation", OrganisationService.class.getClassLoader(), "db/organisation");
    }

    // ------------------------------------------------------------------ opening

    /** Opens the order's case (idempotent: an existing case is returned unchanged). */
    public OrganisationCase open(Order order) {
        Optional<OrganisationCase> existing = forOrder(order.id());
        if (existing.isPresent()) {
            return existing.get();
        }
        try {
            return database.inTransaction(c -> {
                Optional<Row> again = byOrder(c, order.id(), true);
                if (again.isPresent()) {
                    return view(c, again.get());
                }
                var org = order.request().organisation();
                Person rep = order.request().effectiveLegalRepresentative();
                String id = "org_" + RandomTokens.urlSafe(random, 18);
                Instant now = clock.instant();
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO organisation_case (id, order_id, status,"
                        + " org_name, org_country, org_identifier, org_vat, representative, email, language, brand,"
                        + " data_key, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                    ps.setString(1, id);
                    ps.setString(2, order.id());
                    ps.setString(3, OrganisationCase.AWAITING_DOCUMENTS);
                    ps.setString(4, org.name());
                    ps.setString(5, org.country());
                    ps.setString(6, org.identifier());
                    ps.setString(7, org.vat());
                    ps.setString(8, rep.givenNames() + "\n" + rep.surname());
                    ps.setString(9, order.request().certificateManager().email());
                    ps.setString(10, order.language() == null ? "fr" : order.language());
                    ps.setString(11, order.brand());
                    ps.setString(12, cipher.newSealedKeyText());
                    ps.setObject(13, time(now));
                    ps.setObject(14, time(now));
                    ps.executeUpdate();
                }
                Row row = byId(c, id, false).orElseThrow();
                storeChecks(c, row, Optional.empty(), null, false, registryNone(row));
                audit(c, "system", "organisation.case.opened", row, Map.of());
                return view(c, row);
            });
        } catch (RuntimeException e) {
            // another node opened it at the same time (unique order): theirs stands
            Optional<OrganisationCase> theirs = forOrder(order.id());
            if (theirs.isPresent()) {
                return theirs.get();
            }
            throw e;
        }
    }

    // ------------------------------------------------------------------ reading

    @Override
    public Optional<OrganisationCase> forOrder(String orderId) {
        if (orderId == null) {
            return Optional.empty();
        }
        return database.inTransaction(c -> {
            Optional<Row> r = byOrder(c, orderId, false);
            return r.isEmpty() ? Optional.<OrganisationCase>empty() : Optional.of(view(c, r.get()));
        });
    }

    @Override
    public Optional<OrganisationCase> find(String caseId) {
        if (caseId == null) {
            return Optional.empty();
        }
        return database.inTransaction(c -> {
            Optional<Row> r = byId(c, caseId, false);
            return r.isEmpty() ? Optional.<OrganisationCase>empty() : Optional.of(view(c, r.get()));
        });
    }

    @Override
    public List<OrganisationCase> queue(int limit) {
        int max = Math.max(1, Math.min(limit, 500));
        return database.inTransaction(c -> {
            List<Row> rows = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(SELECT + " WHERE status = ? ORDER BY submitted_at, id"
                    + " FETCH FIRST " + max + " ROWS ONLY")) {
                ps.setString(1, OrganisationCase.IN_REVIEW);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rows.add(row(rs));
                    }
                }
            }
            List<OrganisationCase> out = new ArrayList<>();
            for (Row r : rows) {
                out.add(view(c, r));
            }
            return out;
        });
    }

    @Override
    public InputStream openDocument(String caseId, String documentId) {
        return openDocument(caseId, documentId, "system");
    }

    @Override
    public InputStream openDocument(String caseId, String documentId, String actor) {
        return new ByteArrayInputStream(document(caseId, documentId, actor));
    }

    /** A document's content, decrypted; audited. */
    byte[] document(String caseId, String documentId, String actor) {
        return database.inTransaction(c -> {
            Row k = byId(c, caseId, false).orElseThrow(() -> notFound(caseId));
            String kind = null;
            byte[] blob = null;
            try (PreparedStatement ps = c.prepareStatement("SELECT kind, data FROM organisation_document WHERE"
                    + " case_id = ? AND id = ?")) {
                ps.setString(1, caseId);
                ps.setString(2, documentId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        kind = rs.getString(1);
                        blob = rs.getBytes(2);
                    }
                }
            }
            if (blob == null) {
                throw new OrganisationException(Reason.NOT_FOUND, "document.not-found", "No such document.");
            }
            byte[] plain = decrypt(k.dataKey, caseId, documentId, kind, blob);
            audit(c, actor(actor), "organisation.document.read", k, Map.of("document", documentId, "kind", kind));
            return plain;
        });
    }

    // ------------------------------------------------------------------ the customer's uploads

    @Override
    public OrganisationCase upload(String orderId, String kind, String fileName, byte[] content, String actor) {
        String who = actor(actor);
        Settings s = settings.get();
        if (!OrganisationDocument.EXTRACT.equals(kind) && !OrganisationDocument.MANDATE.equals(kind)) {
            throw new OrganisationException(Reason.INVALID, "kind.unknown", "The document kind must be EXTRACT or MANDATE.");
        }
        if (content == null || content.length == 0) {
            throw new OrganisationException(Reason.INVALID, "file.empty", "The file is empty.");
        }
        if (content.length > s.maxDocumentBytes()) {
            throw refused(orderId, who, kind, new OrganisationException(Reason.INVALID, "file.too-large",
                    "The file is larger than " + s.maxDocumentBytes() / (1024 * 1024) + " MB.",
                    String.valueOf(s.maxDocumentBytes() / (1024 * 1024))));
        }
        String mediaType = FileTypes.of(content);
        if (mediaType == null) {
            throw refused(orderId, who, kind, new OrganisationException(Reason.INVALID, "file.type",
                    "The file must be a PDF, a JPEG or a PNG image."));
        }
        OrganisationCase current = forOrder(orderId).orElseThrow(() -> new OrganisationException(Reason.NOT_FOUND,
                "case.not-found", "No organisation check for this order."));
        Order order = orderNow(orderId);
        if (order.state() != OrderState.VERIFICATION) {
            throw new OrganisationException(Reason.CONFLICT, "order.not-open", "The order is not waiting for its"
                    + " verification any more (it is " + order.state() + ").");
        }
        if (OrganisationCase.APPROVED.equals(current.status())) {
            throw new OrganisationException(Reason.CONFLICT, "case.approved", "The organisation was already verified.");
        }
        Optional<String> text = Optional.empty();
        LocalDate issued = null;
        if (OrganisationDocument.EXTRACT.equals(kind) && mediaType.equals("application/pdf")) {
            text = ExtractText.of(content);
            if (text.isPresent()) {
                issued = ExtractText.issueDate(text.get()).orElse(null);
                LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
                if (issued != null && CaseChecks.tooOld(issued, today, s.maxExtractAgeMonths())) {
                    throw refused(orderId, who, kind, new OrganisationException(Reason.INVALID, "extract.too-old",
                            "The extract was issued on " + issued + ", more than " + s.maxExtractAgeMonths()
                                    + " months ago: upload one issued less than " + s.maxExtractAgeMonths()
                                    + " months ago.", issued.toString(), String.valueOf(s.maxExtractAgeMonths())));
                }
                Row r = database.inTransaction(c -> byId(c, current.id(), false).orElseThrow());
                if (!ExtractText.namesIdentifier(text.get(), r.identifier)
                        && !ExtractText.namesOrganisation(text.get(), r.name)) {
                    throw refused(orderId, who, kind, new OrganisationException(Reason.INVALID,
                            "extract.other-organisation", "The extract names neither " + r.name + " nor "
                                    + r.identifier + ": upload the extract of the organisation of the order.",
                            r.name, r.identifier));
                }
            }
        } else if (mediaType.equals("application/pdf") && ExtractText.pages(content) < 0) {
            throw refused(orderId, who, kind, new OrganisationException(Reason.INVALID, "file.unreadable",
                    "The PDF cannot be read (damaged or protected by a password)."));
        }
        String registry = OrganisationDocument.EXTRACT.equals(kind) ? registryCheck(current) : null;
        String name = cleanName(fileName);
        String sha = Digests.sha256Hex(content);
        Optional<String> extractText = text;
        LocalDate readDate = issued;
        boolean[] wasRejected = { false };
        OrganisationCase after = database.inTransaction(c -> {
            Row k = byId(c, current.id(), true).orElseThrow();
            if (OrganisationCase.APPROVED.equals(k.status)) {
                throw new OrganisationException(Reason.CONFLICT, "case.approved", "The organisation was already verified.");
            }
            wasRejected[0] = OrganisationCase.REJECTED.equals(k.status);
            int seq = 1;
            try (PreparedStatement ps = c.prepareStatement("SELECT COALESCE(MAX(seq), 0) FROM organisation_document"
                    + " WHERE case_id = ?")) {
                ps.setString(1, k.id);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    seq = rs.getInt(1) + 1;
                }
            }
            String docId = "doc_" + RandomTokens.urlSafe(random, 18);
            Instant now = clock.instant();
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO organisation_document (case_id, id, seq, kind,"
                    + " file_name, media_type, size, sha256, uploaded_at, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, k.id);
                ps.setString(2, docId);
                ps.setInt(3, seq);
                ps.setString(4, kind);
                ps.setString(5, name);
                ps.setString(6, mediaType);
                ps.setLong(7, content.length);
                ps.setString(8, sha);
                ps.setObject(9, time(now));
                ps.setBytes(10, encrypt(k.dataKey, k.id, docId, kind, content));
                ps.executeUpdate();
            }
            boolean hasExtract = OrganisationDocument.EXTRACT.equals(kind) || latest(c, k.id, OrganisationDocument.EXTRACT) != null;
            String status = hasExtract ? OrganisationCase.IN_REVIEW : OrganisationCase.AWAITING_DOCUMENTS;
            boolean newExtract = OrganisationDocument.EXTRACT.equals(kind);
            try (PreparedStatement ps = c.prepareStatement("UPDATE organisation_case SET status = ?, updated_at = ?,"
                    + (newExtract ? " extract_issued = ?, extract_source = ?," : "")
                    + " submitted_at = CASE WHEN status = ? THEN submitted_at ELSE ? END WHERE id = ?")) {
                int i = 1;
                ps.setString(i++, status);
                ps.setObject(i++, time(now));
                if (newExtract) {
                    ps.setObject(i++, readDate);
                    ps.setString(i++, readDate == null ? null : "read from the PDF");
                }
                ps.setString(i++, OrganisationCase.IN_REVIEW);
                ps.setObject(i++, time(now));
                ps.setString(i++, k.id);
                ps.executeUpdate();
            }
            Row updated = byId(c, k.id, false).orElseThrow();
            Optional<String> t = newExtract ? extractText : textOfLatestExtract(c, updated);
            storeChecks(c, updated, t, updated.extractSource, hasMandate(c, k.id),
                    registry != null ? registry : storedCheck(c, k.id, "registry").orElse(registryNone(updated)));
            audit(c, who, "organisation.document.uploaded", updated, Map.of("document", docId, "kind", kind,
                    "mediaType", mediaType, "size", content.length, "sha256", sha, "status", status));
            if (wasRejected[0]) {
                queueReport(c, updated, "upload:" + docId, CheckStatus.PENDING, "");
            }
            return view(c, updated);
        });
        if (wasRejected[0]) {
            reportNow(after.id());
        }
        return after;
    }

    private OrganisationException refused(String orderId, String actor, String kind, OrganisationException e) {
        try {
            audit.append(AuditEvent.ofFields(actor, "organisation.document.refused", "order:" + orderId,
                    Map.of("kind", kind, "code", e.code())));
        } catch (RuntimeException failure) {
            LOG.warn("A refused organisation upload could not be audited: {}", failure.toString());
        }
        return e;
    }

    // ------------------------------------------------------------------ operators

    @Override
    public OrganisationCase recordExtractDate(String caseId, LocalDate issued, String operator) {
        if (issued == null) {
            throw new OrganisationException(Reason.INVALID, "extract.date-missing", "Enter the extract's issue date.");
        }
        if (issued.isAfter(LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC))) {
            throw new OrganisationException(Reason.INVALID, "extract.date-future", "The issue date is in the future.");
        }
        String who = actor(operator);
        return database.inTransaction(c -> {
            Row k = byId(c, caseId, true).orElseThrow(() -> notFound(caseId));
            if (!OrganisationCase.IN_REVIEW.equals(k.status)) {
                throw notInReview(k);
            }
            String source = "entered by " + login(operator);
            try (PreparedStatement ps = c.prepareStatement("UPDATE organisation_case SET extract_issued = ?,"
                    + " extract_source = ?, updated_at = ? WHERE id = ?")) {
                ps.setObject(1, issued);
                ps.setString(2, source);
                ps.setObject(3, time(clock.instant()));
                ps.setString(4, caseId);
                ps.executeUpdate();
            }
            Row updated = byId(c, caseId, false).orElseThrow();
            storeChecks(c, updated, textOfLatestExtract(c, updated), source, hasMandate(c, caseId),
                    storedCheck(c, caseId, "registry").orElse(registryNone(updated)));
            audit(c, who, "organisation.extract.dated", updated, Map.of("issued", issued.toString()));
            return view(c, updated);
        });
    }

    @Override
    public OrganisationCase decide(String caseId, boolean approve, String legalRepresentativeBasis, String reason,
            String operator) {
        if (operator == null || operator.isBlank()) {
            throw new OrganisationException(Reason.INVALID, "decision.operator", "A decision needs the operator's login.");
        }
        String text = reason == null ? "" : reason.strip();
        if (!approve && text.isEmpty()) {
            throw new OrganisationException(Reason.INVALID, "reason.missing", "A rejection needs a reason (shown to"
                    + " the customer).");
        }
        if (text.length() > 1000) {
            throw new OrganisationException(Reason.INVALID, "reason.too-long", "The reason is longer than 1000"
                    + " characters.");
        }
        String basis = legalRepresentativeBasis == null ? null : legalRepresentativeBasis.strip().toUpperCase(java.util.Locale.ROOT);
        if (approve && !OrganisationDocument.EXTRACT.equals(basis) && !OrganisationDocument.MANDATE.equals(basis)) {
            throw new OrganisationException(Reason.INVALID, "basis.missing", "Confirm what names the legal"
                    + " representative: the extract (EXTRACT) or the mandate (MANDATE).");
        }
        String who = actor(operator);
        Settings s = settings.get();
        OrganisationCase decided = database.inTransaction(c -> {
            Row k = byId(c, caseId, true).orElseThrow(() -> notFound(caseId));
            if (!OrganisationCase.IN_REVIEW.equals(k.status)) {
                throw notInReview(k);
            }
            Instant now = clock.instant();
            if (approve) {
                if (OrganisationDocument.MANDATE.equals(basis) && !hasMandate(c, caseId)) {
                    throw new OrganisationException(Reason.INVALID, "basis.no-mandate", "No mandate was uploaded.");
                }
                if (k.extractIssued == null) {
                    throw new OrganisationException(Reason.INVALID, "extract.date-missing", "Enter the extract's issue"
                            + " date read on the document first.");
                }
                if (CaseChecks.tooOld(k.extractIssued, LocalDate.ofInstant(now, ZoneOffset.UTC), s.maxExtractAgeMonths())) {
                    throw new OrganisationException(Reason.INVALID, "extract.too-old", "The extract is more than "
                            + s.maxExtractAgeMonths() + " months old: reject it.", k.extractIssued.toString());
                }
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE organisation_case SET status = ?, legal_basis = ?,"
                    + " decided_by = ?, decided_at = ?, reason = ?, updated_at = ? WHERE id = ?")) {
                ps.setString(1, approve ? OrganisationCase.APPROVED : OrganisationCase.REJECTED);
                ps.setString(2, approve ? basis : null);
                ps.setString(3, login(operator));
                ps.setObject(4, time(now));
                ps.setString(5, approve ? null : text);
                ps.setObject(6, time(now));
                ps.setString(7, caseId);
                ps.executeUpdate();
            }
            Row after = byId(c, caseId, false).orElseThrow();
            if (approve) {
                audit(c, who, "organisation.case.approved", after, Map.of("basis", basis,
                        "extractIssued", String.valueOf(k.extractIssued)));
                queueReport(c, after, "decision:" + now.toEpochMilli(), CheckStatus.PASSED, "");
            } else {
                audit(c, who, "organisation.case.rejected", after, Map.of("reason", text));
                Map<String, Object> model = new LinkedHashMap<>();
                model.put("orderId", after.orderId);
                model.put("organisation", after.name);
                model.put("reason", text);
                notifier.send(Notification.email(after.email, "organisation.rejected", after.language, model)
                        .withBrand(after.brand).withIdempotencyKey("organisation:" + caseId + ":rejected:"
                                + now.toEpochMilli()));
                queueReport(c, after, "decision:" + now.toEpochMilli(), CheckStatus.FAILED, text);
            }
            return view(c, after);
        });
        reportNow(caseId);
        return decided;
    }

    // ------------------------------------------------------------------ reporting to the order

    private void queueReport(Connection c, Row k, String key, CheckStatus status, String detail) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO organisation_job (id, case_id, kind, status,"
                + " next_attempt_at, tries, outcome, detail) VALUES (?, ?, 'report', 'PENDING', ?, 0, ?, ?)")) {
            ps.setString(1, "report:" + k.id + ":" + key);
            ps.setString(2, k.id);
            ps.setObject(3, time(clock.instant()));
            ps.setString(4, status.name());
            ps.setString(5, detail.length() > 1000 ? detail.substring(0, 1000) : detail);
            ps.executeUpdate();
        }
    }

    /** Reports the case's pending outcomes to its order now, oldest first; what cannot be reported stays for the job. */
    void reportNow(String caseId) {
        try {
            List<String[]> jobs = database.inTransaction(c -> {
                List<String[]> out = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement("SELECT id, outcome, detail FROM organisation_job WHERE"
                        + " case_id = ? AND kind = 'report' AND status = 'PENDING' ORDER BY next_attempt_at, id")) {
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
            LOG.warn("Organisation case {}: its outcome could not be reported to the order yet ({}); the background"
                    + " job will", caseId, e.toString());
        }
    }

    private boolean report(String jobId, String caseId, String outcome, String detail) {
        Orders o = orders.get();
        Optional<OrganisationCase> k = find(caseId);
        if (o == null || k.isEmpty()) {
            return false;
        }
        o.report(k.get().orderId(), KIND, CheckStatus.valueOf(outcome), detail == null ? "" : detail, "check:" + KIND);
        database.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE organisation_job SET status = 'DONE' WHERE id = ?")) {
                ps.setString(1, jobId);
                return ps.executeUpdate();
            }
        });
        return true;
    }

    /**
     * Reports the due outcomes not yet reported (the order service was away), each claimed in its own transaction
     * so that several nodes share them.
     *
     * @return how many were tried
     */
    public int runDueJobs(int max) {
        int n = 0;
        for (; n < max; n++) {
            String[][] claimed = new String[1][];
            boolean ran = database.inTransaction(c -> {
                Optional<String[]> job = DueRows.claimOldest(c, database.product(), "organisation_job",
                        "id, case_id, tries, outcome, detail", clock.instant(), rs -> new String[] { rs.getString(1),
                            rs.getString(2), String.valueOf(rs.getInt(3)), rs.getString(4), rs.getString(5) });
                if (job.isEmpty()) {
                    return false;
                }
                claimed[0] = job.get();
                // leased for a minute: reported below, after this claim commits, outside any transaction
                try (PreparedStatement ps = c.prepareStatement("UPDATE organisation_job SET tries = tries + 1,"
                        + " next_attempt_at = ?, status = ? WHERE id = ?")) {
                    ps.setObject(1, time(clock.instant().plusSeconds(60)));
                    ps.setString(2, Integer.parseInt(job.get()[2]) >= 100 ? "FAILED" : "PENDING");
                    ps.setString(3, job.get()[0]);
                    ps.executeUpdate();
                }
                return true;
            });
            if (!ran) {
                break;
            }
            try {
                report(claimed[0][0], claimed[0][1], claimed[0][3], claimed[0][4]);
            } catch (RuntimeException e) {
                LOG.warn("Organisation case {}: reporting its outcome to the order failed ({}); tried again later",
                        claimed[0][1], e.toString());
            }
        }
        return n;
    }

    // ------------------------------------------------------------------ checks

    private String registryCheck(OrganisationCase k) {
        Row r = database.inTransaction(c -> byId(c, k.id(), false).orElseThrow());
        List<RegistryLookup> installed = registries.get();
        RegistryLookup lookup = installed.stream().filter(l -> {
            try {
                return l.supports(r.country);
            } catch (RuntimeException e) {
                return false;
            }
        }).findFirst().orElse(null);
        if (lookup == null) {
            return registryNone(r);
        }
        try {
            Optional<RegistryLookup.Entry> e = CompletableFuture.supplyAsync(() -> lookup.lookup(r.country, r.identifier))
                    .get(settings.get().registryTimeoutSeconds(), TimeUnit.SECONDS);
            if (e.isEmpty()) {
                return OrganisationCase.FAILED + ": the register has no organisation " + r.identifier;
            }
            RegistryLookup.Entry entry = e.get();
            boolean nameMatches = ExtractText.namesOrganisation(entry.name(), r.name);
            String reps = entry.representatives().isEmpty() ? "" : "; representatives: "
                    + String.join(", ", entry.representatives());
            return (entry.active() && nameMatches ? OrganisationCase.PASSED : OrganisationCase.FAILED) + ": "
                    + entry.source() + ": \"" + entry.name() + "\"" + (entry.active() ? ", active" : ", NOT active")
                    + reps;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return OrganisationCase.UNKNOWN + ": the register look-up was interrupted";
        } catch (Exception e) {
            LOG.warn("The register look-up failed: {}", e.getClass().getSimpleName());
            return OrganisationCase.UNKNOWN + ": the register did not answer: check it yourself";
        }
    }

    private static String registryNone(Row r) {
        return OrganisationCase.UNKNOWN + ": no online register look-up installed: check the organisation in the"
                + " register yourself";
    }

    private void storeChecks(Connection c, Row k, Optional<String> text, String issuedSource, boolean mandate,
            String registry) throws SQLException {
        boolean extract = latest(c, k.id, OrganisationDocument.EXTRACT) != null;
        String[] rep = k.representative.split("\n", 2);
        Map<String, String> checks = CaseChecks.evaluate(new CaseChecks.Subject(k.name, k.country, k.identifier, k.vat,
                rep[0], rep.length > 1 ? rep[1] : ""), extract, text, k.extractIssued,
                issuedSource == null ? "read from the PDF" : issuedSource, mandate, registry,
                LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC), settings.get().maxExtractAgeMonths());
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM organisation_check WHERE case_id = ?")) {
            ps.setString(1, k.id);
            ps.executeUpdate();
        }
        int seq = 0;
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO organisation_check (case_id, seq, name, result)"
                + " VALUES (?, ?, ?, ?)")) {
            for (Map.Entry<String, String> e : checks.entrySet()) {
                ps.setString(1, k.id);
                ps.setInt(2, ++seq);
                ps.setString(3, e.getKey());
                String v = e.getValue();
                ps.setString(4, v.length() > 600 ? v.substring(0, 600) : v);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static Optional<String> storedCheck(Connection c, String caseId, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT result FROM organisation_check WHERE case_id = ? AND"
                + " name = ?")) {
            ps.setString(1, caseId);
            ps.setString(2, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    private Optional<String> textOfLatestExtract(Connection c, Row k) throws SQLException {
        String[] latest = latest(c, k.id, OrganisationDocument.EXTRACT);
        if (latest == null || !"application/pdf".equals(latest[1])) {
            return Optional.empty();
        }
        byte[] blob;
        try (PreparedStatement ps = c.prepareStatement("SELECT data FROM organisation_document WHERE case_id = ? AND"
                + " id = ?")) {
            ps.setString(1, k.id);
            ps.setString(2, latest[0]);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                blob = rs.getBytes(1);
            }
        }
        return ExtractText.of(decrypt(k.dataKey, k.id, latest[0], OrganisationDocument.EXTRACT, blob));
    }

    /** The latest document of {@code kind}: {id, mediaType}, or null. */
    private static String[] latest(Connection c, String caseId, String kind) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id, media_type FROM organisation_document WHERE"
                + " case_id = ? AND kind = ? ORDER BY seq DESC FETCH FIRST 1 ROWS ONLY")) {
            ps.setString(1, caseId);
            ps.setString(2, kind);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new String[] { rs.getString(1), rs.getString(2) } : null;
            }
        }
    }

    private static boolean hasMandate(Connection c, String caseId) throws SQLException {
        return latest(c, caseId, OrganisationDocument.MANDATE) != null;
    }

    // ------------------------------------------------------------------ rows

    private record Row(String id, String orderId, String status, String name, String country, String identifier,
            String vat, String representative, String email, String language, String brand, String dataKey,
            String basis, LocalDate extractIssued, String extractSource, String decidedBy, Instant decidedAt,
            String reason) {
    }

    private static final String SELECT = "SELECT " + CASE_COLUMNS + " FROM organisation_case";

    private static Optional<Row> byId(Connection c, String id, boolean lock) throws SQLException {
        return one(c, SELECT + " WHERE id = ?" + (lock ? " FOR UPDATE" : ""), id);
    }

    private static Optional<Row> byOrder(Connection c, String orderId, boolean lock) throws SQLException {
        return one(c, SELECT + " WHERE order_id = ?" + (lock ? " FOR UPDATE" : ""), orderId);
    }

    private static Optional<Row> one(Connection c, String sql, String value) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, value);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(row(rs)) : Optional.empty();
            }
        }
    }

    private static Row row(ResultSet rs) throws SQLException {
        String source = rs.getString("extract_source");
        return new Row(rs.getString("id"), rs.getString("order_id"), rs.getString("status"), rs.getString("org_name"),
                rs.getString("org_country"), rs.getString("org_identifier"), rs.getString("org_vat"),
                rs.getString("representative"), rs.getString("email"), rs.getString("language"),
                rs.getString("brand"), rs.getString("data_key"), rs.getString("legal_basis"),
                rs.getObject("extract_issued", LocalDate.class), source, rs.getString("decided_by"),
                instant(rs, "decided_at"), rs.getString("reason"));
    }

    private static OrganisationCase view(Connection c, Row r) throws SQLException {
        List<OrganisationDocument> docs = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id, kind, file_name, media_type, size, sha256,"
                + " uploaded_at FROM organisation_document WHERE case_id = ? ORDER BY seq")) {
            ps.setString(1, r.id);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    docs.add(new OrganisationDocument(rs.getString(1), rs.getString(2), rs.getString(3),
                            rs.getString(4), rs.getLong(5), rs.getString(6), instant(rs, "uploaded_at")));
                }
            }
        }
        Map<String, String> checks = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT name, result FROM organisation_check WHERE case_id = ?"
                + " ORDER BY seq")) {
            ps.setString(1, r.id);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    checks.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        return new OrganisationCase(r.id, r.orderId, r.status, docs, checks, r.basis, r.extractIssued, r.decidedBy,
                r.decidedAt, r.reason);
    }

    // ------------------------------------------------------------------ helpers

    private Order orderNow(String orderId) {
        Orders o = orders.get();
        if (o == null) {
            throw new OrganisationException(Reason.CONFLICT, "order.unavailable", "The order service is not running;"
                    + " try again in a moment.");
        }
        return o.find(orderId).orElseThrow(() -> new OrganisationException(Reason.NOT_FOUND, "order.not-found",
                "No such order."));
    }

    private void audit(Connection c, String actor, String action, Row k, Map<String, ?> details) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("case", k.id);
        d.putAll(details);
        audit.append(AuditEvent.ofFields(actor, action, "order:" + k.orderId, d));
    }

    private static OrganisationException notFound(String caseId) {
        return new OrganisationException(Reason.NOT_FOUND, "case.not-found", "No organisation case " + caseId + ".");
    }

    private static OrganisationException notInReview(Row k) {
        return new OrganisationException(Reason.CONFLICT, "case.not-in-review", "The case is not waiting for a"
                + " decision (it is " + k.status + ").");
    }

    static String actor(String actor) {
        return actor == null || actor.isBlank() ? "system" : actor;
    }

    static String login(String operator) {
        int i = operator.indexOf(':');
        return i >= 0 ? operator.substring(i + 1) : operator;
    }

    /** A file name for display: its last path element, printable characters only, at most 200. */
    static String cleanName(String fileName) {
        String n = fileName == null ? "" : fileName.replace('\\', '/');
        n = n.substring(n.lastIndexOf('/') + 1).replaceAll("[\\p{Cntrl}<>\"]", "").strip();
        if (n.isEmpty()) {
            n = "document";
        }
        return n.length() > 200 ? n.substring(n.length() - 200) : n;
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
