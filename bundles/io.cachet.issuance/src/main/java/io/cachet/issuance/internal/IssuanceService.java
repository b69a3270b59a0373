package io.cachet.issuance.internal;

import static io.cachet.api.store.Columns.instant;
import static io.cachet.api.store.Columns.time;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cachet.api.audit.AuditEvent;
import io.cachet.api.audit.AuditLog;
import io.cachet.api.ca.CertificateAuthority;
import io.cachet.api.ca.CertificateAuthorityException;
import io.cachet.api.ca.IssuedCertificate;
import io.cachet.api.ca.RevocationReason;
import io.cachet.api.ca.SealCertificateRequest;
import io.cachet.api.ca.SealCertificateRequest.Profile;
import io.cachet.api.issuance.Issuance;
import io.cachet.api.issuance.IssuanceException;
import io.cachet.api.issuance.OrderCertificates;
import io.cachet.api.order.CheckStatus;
import io.cachet.api.order.Order;
import io.cachet.api.order.OrderException;
import io.cachet.api.order.OrderState;
import io.cachet.api.order.Orders;
import io.cachet.api.security.Digests;
import io.cachet.api.store.Database;
import io.cachet.api.store.DueRows;
import io.cachet.api.store.StoreException;

/**
 * The ISSUANCE step of orders, as plain Java.
 *
 * <p><b>On entry</b> ({@link #entered}) the certificate's subject is frozen from the order
 * ({@link SealCertificateRequest.Organisation#of}, the organisation's name as common name) in a row of
 * {@code issuance} keyed by the order's id, so that later changes elsewhere never change what is certified.
 *
 * <p><b>Cloud orders</b> are a queue ({@link DueRows}): a worker takes a due row and, in that same short transaction,
 * moves its {@code next_attempt_at} forward by the lease — other nodes leave it alone meanwhile, and take it over if
 * this one dies. It then makes the key pair on the cloud key token (or finds the one an earlier attempt made), stores
 * the certification request once, and asks the CA with the order's id as request id: the CA issues at most once per
 * order, so a retried attempt (after a crash, on another node) gets the same certificate back. The certificate is
 * stored next to the key, and the row marked {@code ISSUED} in the transaction that reports the order's
 * {@value #KIND} check passed (the order moves to DELIVERY). A CA, token or database that cannot be used now leaves
 * the row {@code PENDING} due after a back-off (doubling, at most {@code maxBackoff}, for ever); a request the CA
 * refuses for good, or an order that ended meanwhile, makes it {@code FAILED} (the check fails, an operator decides).
 * Every change is audited (subject {@code order:<id>}).
 *
 * <p><b>Token orders</b> wait ({@code AWAITING_REQUEST}) until {@link #issue} brings their token's request.
 */
final class IssuanceService implements OrderCertificates {

    private static final Logger LOG = LoggerFactory.getLogger(IssuanceService.class);
    /** The serial this thread's {@link #discard} is revoking, while the CA tells its listeners. */
    private static final ThreadLocal<BigInteger> DISCARDING = new ThreadLocal<>();

    /** The order check's kind. */
    static final String KIND = "issuance";
    static final String ACTOR = "system";
    private static final String COLUMNS = "id, status, profile, common_name, org_name, org_identifier, org_country,"
            + " validity_years, key_alias, csr_pem, serial, attempts, last_error, reported, created_at, updated_at";

    /** Timing of the cloud worker. */
    record Timing(Duration lease, Duration initialBackoff, Duration maxBackoff) {
        Timing {
            if (lease.isNegative() || lease.isZero() || initialBackoff.isNegative() || initialBackoff.isZero()
                    || maxBackoff.compareTo(initialBackoff) < 0) {
                throw new IllegalArgumentException("issuance timing needs a positive lease and 0 < initial back-off"
                        + " <= maximum back-off");
            }
        }

        /** The wait after {@code failures} failed attempts: initial × 2^(failures-1), at most the maximum. */
        Duration backoff(int failures) {
            long millis = initialBackoff.toMillis();
            for (int i = 1; i < failures && millis < maxBackoff.toMillis(); i++) {
                millis *= 2;
            }
            return Duration.ofMillis(Math.min(millis, maxBackoff.toMillis()));
        }
    }

    private final Database database;
    private final AuditLog audit;
    private final Supplier<Orders> orders;
    private final Supplier<CertificateAuthority> ca;
    private final CloudKeys keys;
    private final Supplier<Timing> timing;
    private final Clock clock;

    IssuanceService(Database database, AuditLog audit, Supplier<Orders> orders, Supplier<CertificateAuthority> ca,
            CloudKeys keys, Supplier<Timing> timing, Clock clock) {
        this.database = Objects.requireNonNull(database);
        this.audit = Objects.requireNonNull(audit);
        this.orders = orders;
        this.ca = ca;
        this.keys = keys;
        this.timing = timing;
        this.clock = clock;
    }

    static void migrate(Database database) {
        database.migrate("issuance", IssuanceService.class.getClassLoader(), "db/issuance");
    }

    // ---- entry

    /**
     * The order entered ISSUANCE: records its issuance (idempotent: a second call changes nothing).
     *
     * @return whether a cloud certificate is now due (the caller may run {@link #runDue} at once)
     */
    boolean entered(Order order) {
        if (order.state() != OrderState.ISSUANCE) {
            return false;
        }
        var r = order.request();
        Profile profile = r.medium().token() ? Profile.QSCD : Profile.CLOUD;
        var o = r.organisation();
        String registration = "FR".equalsIgnoreCase(o.country()) && o.identifier() != null
                && o.identifier().length() == 14 ? o.identifier().substring(0, 9) : o.identifier();
        SealCertificateRequest.Organisation subject;
        try {
            subject = SealCertificateRequest.Organisation.of(o.name(), o.country(), registration, o.vat());
        } catch (IllegalArgumentException e) {
            LOG.warn("Order {}: its organisation cannot be a certificate's subject: {}", order.id(), e.getMessage());
            return false;
        }
        String commonName = commonName(subject.name());
        Instant now = now();
        try {
            return database.inTransaction(c -> {
                if (row(c, order.id(), false).isPresent()) {
                    return false;
                }
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO issuance (id, status, profile, common_name,"
                        + " org_name, org_identifier, org_country, validity_years, key_alias, attempts,"
                        + " reported, next_attempt_at, created_at, updated_at)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, FALSE, ?, ?, ?)")) {
                    ps.setString(1, order.id());
                    ps.setString(2, profile == Profile.CLOUD ? "PENDING" : "AWAITING_REQUEST");
                    ps.setString(3, profile.name());
                    ps.setString(4, commonName);
                    ps.setString(5, subject.name());
                    ps.setString(6, subject.identifier());
                    ps.setString(7, subject.country());
                    ps.setInt(8, r.validityYears());
                    ps.setString(9, profile == Profile.CLOUD ? keyAlias(order.id()) : null);
                    ps.setObject(10, time(now));
                    ps.setObject(11, time(now));
                    ps.setObject(12, time(now));
                    ps.executeUpdate();
                }
                audit.append(AuditEvent.of(ACTOR, "issuance.started", subject(order.id()), "profile=" + profile.name()
                        + "; organizationIdentifier=" + subject.identifier()));
                return profile == Profile.CLOUD;
            });
        } catch (StoreException e) {
            if (StoreException.isUniqueViolation(e)) {
                return false; // another node recorded it first
            }
            throw e;
        }
    }

    /** The alias of an order's cloud key: the token's aliases are lower case, order ids are not. */
    static String keyAlias(String orderId) {
        return "cloud-" + HexFormat.of().formatHex(Arrays.copyOf(Digests.sha256(orderId), 16));
    }

    private static String commonName(String organisation) {
        String cn = organisation.strip();
        return cn.length() <= 64 ? cn : cn.substring(0, 64).strip();
    }

    // ---- the cloud worker

    /**
     * Takes one due cloud issuance, if any, and attempts it.
     *
     * @return whether one was taken (call again until false)
     */
    boolean runDue() {
        Instant now = now();
        Optional<Row> taken = database.inTransaction(c -> {
            Optional<Row> row = DueRows.claimOldest(c, database.product(), "issuance", COLUMNS, now,
                    IssuanceService::read);
            if (row.isPresent()) {
                try (PreparedStatement ps = c.prepareStatement("UPDATE issuance SET next_attempt_at = ?,"
                        + " attempts = attempts + 1, updated_at = ? WHERE id = ?")) {
                    ps.setObject(1, time(now.plus(timing.get().lease())));
                    ps.setObject(2, time(now));
                    ps.setString(3, row.get().id());
                    ps.executeUpdate();
                }
            }
            return row;
        });
        if (taken.isEmpty()) {
            return false;
        }
        attempt(taken.get().withAttempts(taken.get().attempts() + 1));
        return true;
    }

    private void attempt(Row row) {
        String id = row.id();
        try {
            Orders o = orders.get();
            if (o == null) {
                throw new IllegalStateException("the order service is not available");
            }
            Order order = o.find(id).orElse(null);
            if (order == null || order.state() != OrderState.ISSUANCE) {
                fail(row, "the order " + (order == null ? "is gone" : "is " + order.state()) + ": nothing issued");
                return;
            }
            CertificateAuthority authority = ca.get();
            if (authority == null) {
                throw new CertificateAuthorityException(CertificateAuthorityException.Kind.UNAVAILABLE,
                        "the CA is not running");
            }
            String csr = row.csr();
            if (csr == null) {
                String made = keys.request(row.keyAlias());
                csr = database.inTransaction(c -> {
                    try (PreparedStatement ps = c.prepareStatement(
                            "UPDATE issuance SET csr_pem = ? WHERE id = ? AND csr_pem IS NULL")) {
                        ps.setString(1, made);
                        ps.setString(2, id);
                        ps.executeUpdate();
                    }
                    return row(c, id, false).orElseThrow().csr(); // the first request stored wins
                });
            }
            String request = csr;
            IssuedCertificate issued = authority.issue(row.request(request), ACTOR, id);
            keys.attach(row.keyAlias(), issued.certificate());
            database.inTransaction(c -> {
                Row now = row(c, id, true).orElseThrow();
                if (!"PENDING".equals(now.status())) {
                    return null; // another node finished it
                }
                markIssued(c, id, request, issued);
                audit.append(AuditEvent.of(ACTOR, "issuance.issued", subject(id), "serial=" + issued.serialHex()
                        + "; profile=CLOUD; attempts=" + row.attempts()));
                return null;
            });
            LOG.info("Order {}: cloud certificate {} issued", id, issued.serialHex());
            tell(id);
        } catch (CertificateAuthorityException e) {
            if (e.kind() == CertificateAuthorityException.Kind.INVALID_REQUEST
                    || e.kind() == CertificateAuthorityException.Kind.CONFLICT) {
                fail(row, "the CA refused the request: " + e.getMessage());
            } else {
                retry(row, "the CA cannot issue now: " + e.getMessage());
            }
        } catch (OrderException e) {
            retry(row, "the order could not be told: " + e.getMessage());
        } catch (RuntimeException e) {
            retry(row, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private void retry(Row row, String why) {
        Instant now = now();
        Duration wait = timing.get().backoff(row.attempts());
        LOG.warn("Order {}: issuance attempt {} failed, next in {} s: {}", row.id(), row.attempts(), wait.toSeconds(),
                why);
        try {
            database.inTransaction(c -> {
                try (PreparedStatement ps = c.prepareStatement("UPDATE issuance SET next_attempt_at = ?, last_error = ?,"
                        + " updated_at = ? WHERE id = ? AND status = 'PENDING'")) {
                    ps.setObject(1, time(now.plus(wait)));
                    ps.setString(2, clip(why));
                    ps.setObject(3, time(now));
                    ps.setString(4, row.id());
                    ps.executeUpdate();
                }
                audit.append(AuditEvent.of(ACTOR, "issuance.retry", subject(row.id()), "attempt=" + row.attempts()
                        + "; next=" + now.plus(wait) + "; reason=" + why));
                return null;
            });
        } catch (RuntimeException e) {
            // the lease runs out and the row is due again: nothing is lost
            LOG.warn("Order {}: could not record the failed attempt: {}", row.id(), e.toString());
        }
    }

    private void fail(Row row, String why) {
        Instant now = now();
        LOG.warn("Order {}: issuance failed: {}", row.id(), why);
        database.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE issuance SET status = 'FAILED', last_error = ?,"
                    + " updated_at = ? WHERE id = ? AND status = 'PENDING'")) {
                ps.setString(1, clip(why));
                ps.setObject(2, time(now));
                ps.setString(3, row.id());
                if (ps.executeUpdate() == 0) {
                    return null;
                }
            }
            audit.append(AuditEvent.of(ACTOR, "issuance.failed", subject(row.id()), why));
            return null;
        });
        tell(row.id());
    }

    // ---- telling the order

    /**
     * Tells the order's check the outcome recorded (ISSUED: passed, FAILED: failed), outside any transaction of
     * this service, so that the order's own after-commit work (the next state's checks) runs after a real commit;
     * then records that it was told. Safe to repeat: an unchanged report changes nothing.
     *
     * @return whether the order has been told
     */
    boolean tell(String id) {
        Row row = database.inTransaction(c -> row(c, id, false)).orElse(null);
        if (row == null || row.reported() || !("ISSUED".equals(row.status()) || "FAILED".equals(row.status()))) {
            return row != null && row.reported();
        }
        Orders o = orders.get();
        if (o == null) {
            return false;
        }
        try {
            if ("ISSUED".equals(row.status())) {
                o.report(id, KIND, CheckStatus.PASSED, "certificate " + row.serial(), ACTOR);
            } else {
                o.report(id, KIND, CheckStatus.FAILED, clip(row.lastError()), ACTOR);
            }
        } catch (OrderException e) {
            if (e.reason() != OrderException.Reason.NOT_FOUND) {
                LOG.warn("Order {}: its issuance check could not be told yet: {}", id, e.getMessage());
                return false;
            }
            // no such order or check (an order that never had this check): nothing to tell
        } catch (RuntimeException e) {
            LOG.warn("Order {}: its issuance check could not be told yet: {}", id, e.toString());
            return false;
        }
        database.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE issuance SET reported = TRUE WHERE id = ?")) {
                ps.setString(1, id);
                ps.executeUpdate();
            }
            return null;
        });
        return true;
    }

    /** Tells the orders whose outcome was recorded but not yet told (a failure or a crash in between). */
    int tellUnreported(int max) {
        java.util.List<String> ids = database.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM issuance WHERE reported = FALSE AND status IN"
                    + " ('ISSUED', 'FAILED') ORDER BY updated_at, id FETCH FIRST " + max + " ROWS ONLY")) {
                java.util.List<String> l = new java.util.ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        l.add(rs.getString(1));
                    }
                }
                return l;
            }
        });
        int told = 0;
        for (String id : ids) {
            if (tell(id)) {
                told++;
            }
        }
        return told;
    }

    // ---- token orders

    @Override
    public IssuedCertificate issue(String orderId, String csrPem, String actor) {
        if (csrPem == null || csrPem.isBlank() || csrPem.length() > 20_000) {
            throw refused(orderId, actor, new IssuanceException(IssuanceException.Kind.INVALID,
                    "A certification request (PKCS#10, PEM, at most 20,000 characters) is required."));
        }
        CertificateAuthority authority = ca.get();
        Orders o = orders.get();
        if (authority == null || o == null) {
            throw new IssuanceException(IssuanceException.Kind.UNAVAILABLE, "The CA or the orders are not available"
                    + " now; try again later.");
        }
        try {
            IssuedCertificate result = database.inTransaction(c -> {
                Row row = row(c, orderId, true).orElseThrow(() -> new IssuanceException(
                        IssuanceException.Kind.NOT_FOUND, "Order " + orderId + " has not entered ISSUANCE."));
                if (row.profile() == Profile.CLOUD) {
                    throw new IssuanceException(IssuanceException.Kind.CONFLICT, "Order " + orderId + " is a cloud"
                            + " order: its key is made on the platform, not on a token.");
                }
                if ("ISSUED".equals(row.status())) {
                    if (sameRequest(row.csr(), csrPem)) {
                        return authority.find(new BigInteger(row.serial(), 16)).orElseThrow(() -> new IssuanceException(
                                IssuanceException.Kind.UNAVAILABLE, "The certificate of order " + orderId
                                        + " cannot be read now."));
                    }
                    throw new IssuanceException(IssuanceException.Kind.CONFLICT, "A certificate was already issued"
                            + " for order " + orderId + " from another request.");
                }
                Order order = o.find(orderId).orElse(null);
                int generation = generation(c, orderId);
                // after a discard the order may have moved on to DELIVERY (a lost letter): its next token is issued there
                boolean open = order != null && (order.state() == OrderState.ISSUANCE
                        || generation > 0 && order.state() == OrderState.DELIVERY);
                if (!open) {
                    throw new IssuanceException(IssuanceException.Kind.CONFLICT, "Order " + orderId + " is "
                            + (order == null ? "gone" : order.state()) + ", not in ISSUANCE.");
                }
                IssuedCertificate issued;
                try {
                    issued = authority.issue(row.request(csrPem.strip() + "\n"), actor, requestId(orderId, generation));
                } catch (CertificateAuthorityException e) {
                    throw new IssuanceException(switch (e.kind()) {
                    case INVALID_REQUEST -> IssuanceException.Kind.INVALID;
                    case CONFLICT -> IssuanceException.Kind.CONFLICT;
                    default -> IssuanceException.Kind.UNAVAILABLE;
                    }, e.getMessage(), e);
                }
                markIssued(c, orderId, csrPem.strip() + "\n", issued);
                audit.append(AuditEvent.of(actor, "issuance.issued", subject(orderId), "serial=" + issued.serialHex()
                        + "; profile=QSCD"));
                return issued;
            });
            tell(orderId);
            return result;
        } catch (IssuanceException e) {
            throw refused(orderId, actor, e);
        }
    }

    /** Audits a refused request (after its transaction rolled back), and gives the exception back to throw. */
    private IssuanceException refused(String orderId, String actor, IssuanceException e) {
        if (e.kind() != IssuanceException.Kind.UNAVAILABLE) {
            try {
                audit.append(AuditEvent.of(actor, "issuance.request.refused", subject(orderId), e.kind() + ": "
                        + e.getMessage()));
            } catch (RuntimeException a) {
                LOG.warn("Could not audit a refused certificate request of order {}: {}", orderId, a.toString());
            }
        }
        return e;
    }

    /** Two PEM requests are the same when their DER bytes are. */
    static boolean sameRequest(String a, String b) {
        return a != null && b != null && Arrays.equals(der(a), der(b));
    }

    private static byte[] der(String pem) {
        String body = pem.replaceAll("-----[A-Z0-9 ]+-----", "").replaceAll("\\s", "");
        try {
            return Base64.getDecoder().decode(body);
        } catch (IllegalArgumentException e) {
            return pem.strip().getBytes(StandardCharsets.UTF_8);
        }
    }

    private void markIssued(Connection c, String id, String csr, IssuedCertificate issued) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE issuance SET status = 'ISSUED', serial = ?, csr_pem = ?,"
                + " last_error = NULL, reported = FALSE, updated_at = ? WHERE id = ?")) {
            ps.setString(1, issued.serialHex());
            ps.setString(2, csr);
            ps.setObject(3, time(now()));
            ps.setString(4, id);
            ps.executeUpdate();
        }
    }

    /** Whether the calling thread is discarding (revoking through {@link #discard}) the certificate {@code serial}. */
    static boolean discarding(BigInteger serial) {
        return serial.equals(DISCARDING.get());
    }

    @Override
    public Issuance discard(String orderId, RevocationReason reason, String actor) {
        // the revocation listeners run on this thread, in the CA's transaction: RevocationNotices asks whether the
        // certificate it is told of is one this thread discards (a token that never reached its holder, or whose
        // letter was lost: the token delivery tells them in its own words)
        Objects.requireNonNull(reason, "reason");
        Row current = database.inTransaction(c -> row(c, orderId, false)).orElseThrow(() -> new IssuanceException(
                IssuanceException.Kind.NOT_FOUND, "Order " + orderId + " has not entered ISSUANCE."));
        if (current.profile() == Profile.CLOUD) {
            throw new IssuanceException(IssuanceException.Kind.CONFLICT, "Order " + orderId + " is a cloud order: its"
                    + " key never leaves the platform, there is no token to discard.");
        }
        if (!"ISSUED".equals(current.status())) {
            return current.view();
        }
        CertificateAuthority authority = ca.get();
        if (authority == null) {
            throw new IssuanceException(IssuanceException.Kind.UNAVAILABLE, "The CA is not available now; nothing"
                    + " was revoked, try again later.");
        }
        BigInteger serial = new BigInteger(current.serial(), 16);
        // revoke first (the CA's own transaction): a crash before the row below changes leaves the order ISSUED with
        // a revoked certificate, and the next discard finds it revoked already and finishes the job
        DISCARDING.set(serial);
        try {
            authority.revoke(serial, reason, actor);
        } catch (CertificateAuthorityException e) {
            if (e.kind() != CertificateAuthorityException.Kind.CONFLICT) {
                throw new IssuanceException(IssuanceException.Kind.UNAVAILABLE, "The CA could not revoke certificate "
                        + current.serial() + " now (" + e.getMessage() + "); nothing changed, try again later.", e);
            }
            // already revoked: an earlier discard got this far
        } finally {
            DISCARDING.remove();
        }
        return database.inTransaction(c -> {
            Row row = row(c, orderId, true).orElseThrow();
            if (!"ISSUED".equals(row.status()) || !current.serial().equals(row.serial())) {
                return row.view(); // another node finished this discard meanwhile
            }
            int generation = generation(c, orderId) + 1;
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO issuance_discarded (order_id, generation,"
                    + " serial, reason, actor, discarded_at) VALUES (?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, orderId);
                ps.setInt(2, generation);
                ps.setString(3, row.serial());
                ps.setString(4, reason.name());
                ps.setString(5, actor);
                ps.setObject(6, time(now()));
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE issuance SET status = 'AWAITING_REQUEST',"
                    + " serial = NULL, csr_pem = NULL, generation = ?, reported = TRUE, last_error = ?, updated_at = ?"
                    + " WHERE id = ?")) {
                ps.setInt(1, generation);
                ps.setString(2, clip("certificate " + row.serial() + " revoked (" + reason + "): its token was"
                        + " discarded; waiting for the request of the next token"));
                ps.setObject(3, time(now()));
                ps.setString(4, orderId);
                ps.executeUpdate();
            }
            audit.append(AuditEvent.of(actor, "issuance.discarded", subject(orderId), "serial=" + row.serial()
                    + "; reason=" + reason + "; generation=" + generation));
            return row(c, orderId, false).orElseThrow().view();
        });
    }

    /**
     * Revokes the certificate issued for the order, for good (an operator's decision, or the order's Certificate
     * Manager's request from the customer space: the organisation asked, it ceased, the key was compromised). The
     * order keeps its state and its certificate shows the revocation; the CA's status, CRL and OCSP say so from now
     * on, and a cloud key no longer signs. The CA audits it in the same transaction ({@code ca.certificate.revoked},
     * with {@code actor}).
     *
     * @throws IssuanceException {@code NOT_FOUND} when the order has no certificate issued; {@code CONFLICT} when it
     *         is already revoked; {@code INVALID} for {@code CA_COMPROMISE} (the CA's own reason, never a
     *         subscriber's); {@code UNAVAILABLE} when the CA cannot revoke now (nothing changed)
     */
    @Override
    public IssuedCertificate revoke(String orderId, RevocationReason reason, String actor) {
        Objects.requireNonNull(reason, "reason");
        if (reason == RevocationReason.CA_COMPROMISE) {
            throw new IssuanceException(IssuanceException.Kind.INVALID, "cACompromise is the CA's own revocation"
                    + " reason; choose the reason of this certificate's revocation.");
        }
        Optional<Row> row = database.inTransaction(c -> row(c, orderId, false));
        if (row.isEmpty() || row.get().serial() == null) {
            throw new IssuanceException(IssuanceException.Kind.NOT_FOUND, "Order " + orderId
                    + " has no certificate issued.");
        }
        CertificateAuthority authority = ca.get();
        if (authority == null) {
            throw new IssuanceException(IssuanceException.Kind.UNAVAILABLE, "The CA is not available now; nothing"
                    + " was revoked, try again later.");
        }
        try {
            return authority.revoke(new BigInteger(row.get().serial(), 16), reason, actor);
        } catch (CertificateAuthorityException e) {
            if (e.kind() == CertificateAuthorityException.Kind.CONFLICT) {
                throw new IssuanceException(IssuanceException.Kind.CONFLICT, "Certificate " + row.get().serial()
                        + " of order " + orderId + " is already revoked.", e);
            }
            if (e.kind() == CertificateAuthorityException.Kind.INVALID_REQUEST) {
                throw new IssuanceException(IssuanceException.Kind.INVALID, e.getMessage(), e);
            }
            throw new IssuanceException(IssuanceException.Kind.UNAVAILABLE, "The CA could not revoke certificate "
                    + row.get().serial() + " now (" + e.getMessage() + "); nothing changed, try again later.", e);
        }
    }

    /** How many certificates of the order were discarded. */
    private static int generation(Connection c, String orderId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT generation FROM issuance WHERE id = ?")) {
            ps.setString(1, orderId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getInt(1) : 0;
            }
        }
    }

    /** The CA request id of the order's current certificate: the order's id, then {@code <id>#<generation>}. */
    static String requestId(String orderId, int generation) {
        return generation == 0 ? orderId : orderId + "#" + generation;
    }

    // ---- reading

    @Override
    public Optional<IssuedCertificate> find(String orderId) {
        Optional<Row> row = database.inTransaction(c -> row(c, orderId, false));
        if (row.isEmpty() || row.get().serial() == null) {
            return Optional.empty();
        }
        CertificateAuthority authority = ca.get();
        if (authority == null) {
            throw new IssuanceException(IssuanceException.Kind.UNAVAILABLE, "The CA is not available now.");
        }
        return authority.find(new BigInteger(row.get().serial(), 16));
    }

    @Override
    public Optional<String> orderOf(BigInteger serial) {
        return database.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM issuance WHERE serial = ? UNION"
                    + " SELECT order_id FROM issuance_discarded WHERE serial = ?")) {
                ps.setString(1, serial.toString(16));
                ps.setString(2, serial.toString(16));
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public Optional<Issuance> status(String orderId) {
        return database.inTransaction(c -> row(c, orderId, false)).map(Row::view);
    }

    // ---- rows

    record Row(String id, String status, Profile profile, String commonName, String orgName, String orgIdentifier,
            String orgCountry, int validityYears, String keyAlias, String csr, String serial, int attempts,
            String lastError, boolean reported, Instant createdAt, Instant updatedAt) {

        Row withAttempts(int n) {
            return new Row(id, status, profile, commonName, orgName, orgIdentifier, orgCountry, validityYears, keyAlias,
                    csr, serial, n, lastError, reported, createdAt, updatedAt);
        }

        SealCertificateRequest request(String csrPem) {
            return new SealCertificateRequest(csrPem, profile, commonName,
                    new SealCertificateRequest.Organisation(orgName, orgIdentifier, orgCountry), validityYears);
        }

        Issuance view() {
            Issuance.Status s = switch (status) {
            case "PENDING" -> Issuance.Status.ISSUING;
            case "AWAITING_REQUEST" -> Issuance.Status.AWAITING_REQUEST;
            case "ISSUED" -> Issuance.Status.ISSUED;
            default -> Issuance.Status.FAILED;
            };
            return new Issuance(id, s, profile, commonName,
                    new SealCertificateRequest.Organisation(orgName, orgIdentifier, orgCountry),
                    Optional.ofNullable(serial), Optional.ofNullable(keyAlias), attempts, Optional.ofNullable(lastError),
                    createdAt, updatedAt);
        }
    }

    private static Optional<Row> row(Connection c, String id, boolean lock) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM issuance WHERE id = ?"
                + (lock ? " FOR UPDATE" : ""))) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        }
    }

    private static Row read(ResultSet rs) throws SQLException {
        return new Row(rs.getString(1), rs.getString(2), Profile.valueOf(rs.getString(3)), rs.getString(4),
                rs.getString(5), rs.getString(6), rs.getString(7), rs.getInt(8), rs.getString(9), rs.getString(10),
                rs.getString(11), rs.getInt(12), rs.getString(13), rs.getBoolean(14), instant(rs, 15), instant(rs, 16));
    }

    /** Milliseconds: both databases store them exactly, so a time written compares as it was computed. */
    private Instant now() {
        return clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
    }

    static String subject(String orderId) {
        return "order:" + orderId;
    }

    private static String clip(String s) {
        return s == null ? null : s.length() <= 1000 ? s : s.substring(0, 999) + "…";
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
