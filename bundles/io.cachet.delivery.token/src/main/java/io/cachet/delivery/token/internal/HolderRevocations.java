package io.cachet.delivery.token.internal;

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
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

import io.cachet.api.audit.AuditEvent;
import io.cachet.api.audit.AuditLog;
import io.cachet.api.ca.IssuedCertificate;
import io.cachet.api.ca.RevocationReason;
import io.cachet.api.delivery.DeliveryException;
import io.cachet.api.delivery.ShipmentState;
import io.cachet.api.delivery.TokenDelivery.Stage;
import io.cachet.api.issuance.IssuanceException;
import io.cachet.api.issuance.OrderCertificates;
import io.cachet.api.notify.Notification;
import io.cachet.api.notify.Notifier;
import io.cachet.api.order.Order;
import io.cachet.api.order.OrderState;
import io.cachet.api.store.Database;

/**
 * The certificate manager of a token order revokes the token's certificate themselves, from their status link, with
 * a code sent by SMS to their mobile: the case of a lost or stolen token, which cannot wait for support's hours.
 *
 * <p>Offered once the token has left us (its letter sent or delivered, or the token activated; the order in
 * {@code DELIVERY} or {@code ACTIVE}) while its certificate is not revoked. The code (6 digits, only its HMAC kept,
 * {@code codeValidity} long) counts against the same SMS codes per hour as the PIN's; wrong codes count and are not
 * given back by a new code, and {@code maxTries} of them lock the holder's revocation (support revokes from the
 * console then). The right code with a subscriber's reason ({@link RevocationReason#bySubscriber()}) and the
 * confirmation that revocation is final revokes through the issuance module ({@link OrderCertificates#revoke}), so
 * that the CA records it with the actor given (the revocation listeners tell both persons and the reseller, and
 * {@link RevokedTokenPins} erases a PIN still held); then the code is closed. A CA that cannot revoke now changes
 * nothing: the code stays open for another try. Every code, wrong code, lock and refusal is audited (subject
 * {@code order:<id>}); the code never is.
 * Plain Java; thread-safe; safe with several nodes (the code's row is locked while it is checked).
 */
final class HolderRevocations {

    /** Why a step was refused; the page says it in the holder's words ({@code token.revoke.error.<code>}). */
    enum Refusal {
        /** The token has not left us (or the order is not in DELIVERY or ACTIVE), or has no certificate. */
        NOT_REVOCABLE,
        /** The certificate is revoked already. */
        ALREADY_REVOKED,
        /** Too many wrong codes: support revokes. */
        LOCKED,
        /** Too many SMS codes for the order in the last hour. */
        TOO_MANY_CODES,
        /** No code open: ask for one. */
        NO_CODE,
        /** The code is past its validity. */
        CODE_EXPIRED,
        /** A wrong code; tries left. */
        WRONG_CODE,
        /** No reason, or one a subscriber may not give. */
        NO_REASON,
        /** The box confirming that revocation is final was not ticked. */
        NOT_CONFIRMED
    }

    /** What a step did: {@code refusal} null when it succeeded. */
    record Outcome(Refusal refusal, int triesLeft, Instant codeExpiresAt, IssuedCertificate revoked) {
        boolean ok() {
            return refusal == null;
        }
    }

    /**
     * What the revocation page shows: the certificate (empty before one is issued), whether it may be revoked here
     * now, the open code's expiry (null when none), the tries left, whether wrong codes locked it, the masked mobile.
     */
    record View(Order order, Optional<IssuedCertificate> certificate, boolean revocable, Instant codeExpiresAt,
            int triesLeft, boolean locked, String maskedMobile) {
        boolean codeOpen() {
            return codeExpiresAt != null;
        }
    }

    /** The code's row of an order (absent until a first code). */
    private record CodeRow(String hmac, Instant expiresAt, int tries, Instant lockedAt) {
    }

    private final Database database;
    private final AuditLog audit;
    private final TokenDeliveryService deliveries;
    private final Supplier<OrderCertificates> certificates;
    private final Notifier notifier;
    private final Clock clock;
    private final SecureRandom random;

    /** @param certificates the issuance module, or null while it is missing */
    HolderRevocations(Database database, AuditLog audit, TokenDeliveryService deliveries,
            Supplier<OrderCertificates> certificates, Notifier notifier, Clock clock, SecureRandom random) {
        this.database = Objects.requireNonNull(database);
        this.audit = Objects.requireNonNull(audit);
        this.deliveries = Objects.requireNonNull(deliveries);
        this.certificates = Objects.requireNonNull(certificates);
        this.notifier = Objects.requireNonNull(notifier);
        this.clock = Objects.requireNonNull(clock);
        this.random = Objects.requireNonNull(random);
    }

    /** The page's view, when the order is a token order with a delivery. */
    Optional<View> view(String orderId) {
        return deliveries.pinView(orderId).map(this::view);
    }

    /** The page's view of a token order whose PIN's view the caller has read. */
    View view(TokenDeliveryService.PinView pin) {
        Order order = pin.order();
        String orderId = order.id();
        Optional<IssuedCertificate> cert = issuance().find(orderId);
        Optional<CodeRow> code = database.inTransaction(c -> codeRow(c, orderId, false));
        TokenSettings s = deliveries.settings();
        int tries = code.map(CodeRow::tries).orElse(0);
        boolean locked = code.map(x -> x.lockedAt() != null).orElse(false);
        Instant expires = code.filter(x -> x.hmac() != null && x.expiresAt() != null && now().isBefore(x.expiresAt()))
                .map(CodeRow::expiresAt).orElse(null);
        boolean revocable = revocable(order, pin, cert) == null;
        return new View(order, cert, revocable, expires, Math.max(0, s.maxTries() - tries), locked,
                pin.maskedMobile());
    }

    /** Sends a code by SMS to the certificate manager's mobile. */
    Outcome requestCode(String orderId, String actor) {
        Order order = deliveries.order(orderId);
        Optional<IssuedCertificate> cert = issuance().find(orderId);
        TokenSettings s = deliveries.settings();
        Refusal first = revocable(order, deliveries.pinView(order).orElse(null), cert);
        return database.inTransaction(c -> {
            if (first != null) {
                return refused(orderId, actor, first);
            }
            CodeRow code = lockedCodeRow(c, orderId);
            if (code.lockedAt() != null) {
                return refused(orderId, actor, Refusal.LOCKED);
            }
            Instant now = now();
            int sent = TokenDeliveryService.codesLastHour(c, orderId, now);
            if (sent >= s.codesPerHour()) {
                return refused(orderId, actor, Refusal.TOO_MANY_CODES);
            }
            String text = TokenDeliveryService.sixDigits(random);
            Instant expires = now.plus(s.codeValidity());
            update(c, orderId, hmac(orderId, text), expires, code.tries(), null);
            TokenDeliveryService.codeSent(c, orderId, now);
            Map<String, Object> model = new LinkedHashMap<>();
            model.put("code", text);
            model.put("minutes", s.codeValidity().toMinutes());
            model.put("orderId", orderId);
            model.put("serial", cert.map(IssuedCertificate::serialHex).orElse(""));
            notifier.send(Notification.sms(order.request().certificateManager().mobile(), "tokendelivery.revoke.code",
                    "en".equals(order.language()) ? "en" : "fr", model).withBrand(order.brand())
                    .withIdempotencyKey("token-revoke:" + orderId + ":code:" + now.toEpochMilli() + ":" + sent));
            audit.append(AuditEvent.of(actor, "token.revoke.code.sent", TokenDeliveryService.subject(orderId),
                    "expires=" + expires + "; codesThisHour=" + (sent + 1)));
            return new Outcome(null, Math.max(0, s.maxTries() - code.tries()), expires, null);
        });
    }

    /**
     * Revokes the token's certificate: the reason and the confirmation first (a form's mistakes cost no try), then
     * the code (a wrong one counts, committed), then the CA; the code is closed after.
     *
     * @param reason the RFC 5280 name of a subscriber's reason
     * @throws DeliveryException UNAVAILABLE when the order service or the CA cannot be reached (nothing changed)
     */
    Outcome revoke(String orderId, String code, String reason, boolean confirmed, String actor) {
        Order order = deliveries.order(orderId);
        OrderCertificates issuance = issuance();
        Optional<IssuedCertificate> cert = issuance.find(orderId);
        Optional<RevocationReason> why = RevocationReason.parse(reason)
                .filter(RevocationReason.bySubscriber()::contains);
        TokenSettings s = deliveries.settings();
        Refusal first = revocable(order, deliveries.pinView(order).orElse(null), cert);
        Outcome checked = database.inTransaction(c -> {
            // a code is only ever checked against an existing row: none is made here
            Optional<CodeRow> found = first == null ? codeRow(c, orderId, true) : Optional.empty();
            Refusal refusal = first != null ? first : formRefusal(found, why.isPresent(), confirmed);
            if (refusal != null) {
                Outcome o = refused(orderId, actor, refusal);
                return first != null ? o : new Outcome(refusal, Math.max(0, s.maxTries()
                        - found.map(CodeRow::tries).orElse(0)), found.map(CodeRow::expiresAt).orElse(null), null);
            }
            CodeRow row = found.orElseThrow();
            String given = code == null ? "" : code.replaceAll("\\s", "");
            boolean right = given.matches("[0-9]{6}") && MessageDigest.isEqual(hmac(orderId, given)
                    .getBytes(StandardCharsets.US_ASCII), row.hmac().getBytes(StandardCharsets.US_ASCII));
            if (right) {
                return new Outcome(null, s.maxTries() - row.tries(), row.expiresAt(), null);
            }
            int tries = row.tries() + 1;
            boolean lock = tries >= s.maxTries();
            update(c, orderId, lock ? null : row.hmac(), lock ? null : row.expiresAt(), tries, lock ? now() : null);
            audit.append(AuditEvent.of(actor, lock ? "token.revoke.locked" : "token.revoke.code.wrong",
                    TokenDeliveryService.subject(orderId), "tries=" + tries + "; max=" + s.maxTries()));
            return new Outcome(lock ? Refusal.LOCKED : Refusal.WRONG_CODE, s.maxTries() - tries, row.expiresAt(),
                    null);
        });
        if (!checked.ok()) {
            return checked;
        }
        IssuedCertificate revoked;
        try {
            revoked = issuance.revoke(orderId, why.get(), actor);
        } catch (IssuanceException e) {
            switch (e.kind()) {
                case CONFLICT -> {
                    database.inTransaction(c -> {
                        close(c, orderId);
                        return refused(orderId, actor, Refusal.ALREADY_REVOKED);
                    });
                    return new Outcome(Refusal.ALREADY_REVOKED, 0, null, null);
                }
                case NOT_FOUND, INVALID -> {
                    return database.inTransaction(c -> refused(orderId, actor, Refusal.NOT_REVOCABLE));
                }
                default -> throw new DeliveryException(DeliveryException.Kind.UNAVAILABLE, "The certificate could"
                        + " not be revoked now (nothing changed); try again in a few minutes.");
            }
        }
        database.inTransaction(c -> {
            close(c, orderId);
            audit.append(AuditEvent.of(actor, "token.revoked", TokenDeliveryService.subject(orderId), "serial="
                    + revoked.serialHex() + "; reason=" + why.get().rfcName() + "; by the certificate manager with"
                    + " an SMS code"));
            return null;
        });
        return new Outcome(null, 0, null, revoked);
    }

    /**
     * Why a revocation's form is refused, in the order its holder should hear it (a lock first, then the form's own
     * mistakes, which cost no try, then the code's state); null when the code may be checked.
     */
    private Refusal formRefusal(Optional<CodeRow> row, boolean reason, boolean confirmed) {
        if (row.map(r -> r.lockedAt() != null).orElse(false)) {
            return Refusal.LOCKED;
        }
        if (!reason) {
            return Refusal.NO_REASON;
        }
        if (!confirmed) {
            return Refusal.NOT_CONFIRMED;
        }
        if (row.map(CodeRow::hmac).isEmpty()) {
            return Refusal.NO_CODE;
        }
        return now().isBefore(row.get().expiresAt()) ? null : Refusal.CODE_EXPIRED;
    }

    /**
     * Null when the holder may revoke here now, else why not: the token has left us (activated, or provisioned and
     * its letter sent or delivered; a letter back with us or lost is support's), the order in DELIVERY or ACTIVE.
     */
    private static Refusal revocable(Order order, TokenDeliveryService.PinView pin, Optional<IssuedCertificate> cert) {
        if (cert.isPresent() && cert.get().revoked()) {
            return Refusal.ALREADY_REVOKED;
        }
        Stage stage = pin == null ? null : pin.row().stage();
        boolean left = stage == Stage.ACTIVATED || stage == Stage.PROVISIONED && (pin.delivered()
                || pin.letter().map(l -> l.state() == ShipmentState.SENT).orElse(false));
        boolean state = order.state() == OrderState.DELIVERY || order.state() == OrderState.ACTIVE;
        return left && state && cert.isPresent() ? null : Refusal.NOT_REVOCABLE;
    }

    private OrderCertificates issuance() {
        OrderCertificates oc = certificates.get();
        if (oc == null) {
            throw new DeliveryException(DeliveryException.Kind.UNAVAILABLE, "The issuance service is not available"
                    + " now; try again later.");
        }
        return oc;
    }

    private Outcome refused(String orderId, String actor, Refusal why) {
        audit.append(AuditEvent.of(actor, "token.revoke.refused", TokenDeliveryService.subject(orderId), "reason="
                + TokenDeliveryService.code(why)));
        return new Outcome(why, 0, null, null);
    }

    private static Optional<CodeRow> codeRow(Connection c, String orderId, boolean lock) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT code_hmac, expires_at, tries, locked_at"
                + " FROM token_revocation_code WHERE order_id = ?" + (lock ? " FOR UPDATE" : ""))) {
            ps.setString(1, orderId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new CodeRow(rs.getString(1), instant(rs, 2), rs.getInt(3),
                        instant(rs, 4))) : Optional.empty();
            }
        }
    }

    /** The order's code row, locked; made empty first when there is none (a concurrent maker wins, then it is read). */
    private CodeRow lockedCodeRow(Connection c, String orderId) throws SQLException {
        Optional<CodeRow> r = codeRow(c, orderId, true);
        if (r.isPresent()) {
            return r.get();
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO token_revocation_code (order_id, tries,"
                + " updated_at) SELECT ?, 0, ? WHERE NOT EXISTS (SELECT 1 FROM token_revocation_code WHERE"
                + " order_id = ?)")) {
            ps.setString(1, orderId);
            ps.setObject(2, time(now()));
            ps.setString(3, orderId);
            ps.executeUpdate();
        }
        return codeRow(c, orderId, true).orElseThrow();
    }

    private void update(Connection c, String orderId, String hmac, Instant expires, int tries, Instant lockedAt)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE token_revocation_code SET code_hmac = ?,"
                + " expires_at = ?, tries = ?, locked_at = ?, updated_at = ? WHERE order_id = ?")) {
            ps.setString(1, hmac);
            ps.setObject(2, expires == null ? null : time(expires));
            ps.setInt(3, tries);
            ps.setObject(4, lockedAt == null ? null : time(lockedAt));
            ps.setObject(5, time(now()));
            ps.setString(6, orderId);
            ps.executeUpdate();
        }
    }

    /** The open code, if any, is closed (the tries stay: they are the order's). */
    private void close(Connection c, String orderId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE token_revocation_code SET code_hmac = NULL,"
                + " expires_at = NULL, updated_at = ? WHERE order_id = ?")) {
            ps.setObject(1, time(now()));
            ps.setString(2, orderId);
            ps.executeUpdate();
        }
    }

    /** Domain-separated from the PIN's codes: a PIN code never opens a revocation, nor the other way round. */
    private String hmac(String orderId, String code) {
        return deliveries.hmac("revoke:" + orderId, code);
    }

    /** Milliseconds: both databases store them exactly. */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
