package io.cachet.delivery.cloud.internal.sign;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cachet.api.audit.AuditEvent;
import io.cachet.api.audit.AuditLog;
import io.cachet.api.ca.IssuedCertificate;
import io.cachet.api.ca.RevocationReason;
import io.cachet.api.issuance.IssuanceException;
import io.cachet.api.issuance.OrderCertificates;
import io.cachet.delivery.cloud.internal.AuthOutcome;
import io.cachet.delivery.cloud.internal.HolderAccess;
import io.cachet.delivery.cloud.internal.HolderSession;

/**
 * A holder revoking the certificate of one of their cloud seals from the customer space: the reason chosen among a
 * subscriber's, the finality confirmed, and the holder's re-authentication in the same call (the password again, and
 * the second factor when one is enrolled), as for a signature. The revocation itself is the issuance module's
 * ({@link OrderCertificates#revoke}): the CA records and audits it with the actor {@code customer:<holder>}, and the
 * order's people are e-mailed and its reseller's webhook called, so that the legal representative learns of it too.
 * Refusals are audited ({@code clickcert.revoke.refused}) and change nothing. Plain Java; thread-safe.
 */
public final class SealRevocations {

    /** The reasons a subscriber may give ({@link RevocationReason#bySubscriber()}). */
    public static final List<RevocationReason> REASONS = RevocationReason.bySubscriber();

    private static final Logger LOG = LoggerFactory.getLogger(SealRevocations.class);

    /** What the holder asked: the seal (its order), the reason's RFC 5280 name, the confirmation, the credentials. */
    public record Request(String orderId, String reason, boolean confirmed, char[] password, String factorKind,
            String factorResponse) {
    }

    /** Why a revocation was refused (nothing changed), with the status the page answers. */
    public enum Why {
        NO_SEAL(400), NO_REASON(400), NOT_CONFIRMED(400), AUTHENTICATION(401), NOT_YOURS(403), NO_CERTIFICATE(404),
        ALREADY_REVOKED(409), THROTTLED(429), UNAVAILABLE(503);

        private final int status;

        Why(int status) {
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    /** A refused revocation: nothing was revoked. The message is one English sentence saying what to do. */
    public static final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final Why why;
        private final AuthOutcome.Failure failure;

        Refused(Why why, AuthOutcome.Failure failure, String message) {
            super(message);
            this.why = why;
            this.failure = failure;
        }

        public Why why() {
            return why;
        }

        /** The page's message key: {@code clickcert.revoke.error.<why>}, or {@code ….auth.<failure>}. */
        public String key() {
            if (why == Why.AUTHENTICATION && failure != null) {
                return "clickcert.revoke.error.auth." + Http.code(failure);
            }
            return "clickcert.revoke.error." + Http.code(why);
        }
    }

    private final HolderAccess access;
    private final Supplier<OrderCertificates> certificates;
    private final AuditLog audit;

    public SealRevocations(HolderAccess access, Supplier<OrderCertificates> certificates, AuditLog audit) {
        this.access = access;
        this.certificates = certificates;
        this.audit = audit;
    }

    /**
     * Revokes the certificate of the holder's seal, for good.
     *
     * @param origin the request's origin (WebAuthn checks it)
     * @param client the client's address (throttling, audit)
     * @return the certificate, revoked
     * @throws Refused with nothing revoked
     */
    public IssuedCertificate revoke(HolderSession session, Request r, String origin, String client) {
        String holderId = session.holder().id();
        try {
            if (r.orderId() == null || r.orderId().isBlank()) {
                throw new Refused(Why.NO_SEAL, null, "Choose the certificate to revoke.");
            }
            Optional<RevocationReason> reason = RevocationReason.parse(r.reason()).filter(REASONS::contains);
            if (reason.isEmpty()) {
                throw new Refused(Why.NO_REASON, null, "Choose why the certificate is revoked.");
            }
            if (!r.confirmed()) {
                throw new Refused(Why.NOT_CONFIRMED, null, "Tick the box confirming that a revocation is final.");
            }
            if (r.password() == null || r.password().length == 0) {
                throw new Refused(Why.AUTHENTICATION, AuthOutcome.Failure.WRONG_PASSWORD, "Type your password again"
                        + " to authorise this revocation.");
            }
            AuthOutcome auth = access.confirm(holderId, r.password(), blankToNull(r.factorKind()),
                    blankToNull(r.factorResponse()), origin, client);
            if (!auth.ok() || auth.holder() == null || !holderId.equals(auth.holder().id())) {
                AuthOutcome.Failure f = auth.failure() == null ? AuthOutcome.Failure.WRONG_PASSWORD : auth.failure();
                refused(session, r.orderId(), "auth-" + Http.code(f));
                throw authRefused(f, auth.message());
            }
            if (!access.orderIds(holderId).contains(r.orderId())) {
                refused(session, r.orderId(), "not-your-seal");
                throw new Refused(Why.NOT_YOURS, null, "This certificate is not one of yours; nothing was revoked.");
            }
            OrderCertificates c = certificates.get();
            if (c == null) {
                refused(session, r.orderId(), "unavailable");
                throw unavailable();
            }
            try {
                return c.revoke(r.orderId(), reason.get(), ClickCertService.actor(holderId));
            } catch (IssuanceException e) {
                refused(session, r.orderId(), "issuance-" + Http.code(e.kind()));
                throw switch (e.kind()) {
                    case NOT_FOUND -> new Refused(Why.NO_CERTIFICATE, null, "This seal has no certificate yet;"
                            + " nothing was revoked.");
                    case CONFLICT -> new Refused(Why.ALREADY_REVOKED, null, "This certificate is already revoked.");
                    case INVALID -> new Refused(Why.NO_REASON, null, "Choose why the certificate is revoked.");
                    default -> {
                        LOG.warn("A holder's revocation of order {}'s certificate failed; nothing changed: {}",
                                r.orderId(), e.getMessage());
                        yield unavailable();
                    }
                };
            }
        } finally {
            if (r.password() != null) {
                Arrays.fill(r.password(), '\0');
            }
        }
    }

    private static Refused authRefused(AuthOutcome.Failure f, String message) {
        return switch (f) {
            case THROTTLED -> new Refused(Why.THROTTLED, f, (message == null || message.isBlank()
                    ? "Too many failed attempts; try again later." : message) + " Nothing was revoked.");
            case FACTOR_REQUIRED -> new Refused(Why.AUTHENTICATION, f, "Give your second factor too (factorKind and"
                    + " factorResponse: the code of your app, or your security key); nothing was revoked.");
            case WRONG_FACTOR -> new Refused(Why.AUTHENTICATION, f, "Your second factor was not accepted; nothing was"
                    + " revoked. Try again.");
            case DISABLED -> new Refused(Why.AUTHENTICATION, f, "Your account cannot do this now; nothing was"
                    + " revoked. Contact support.");
            default -> new Refused(Why.AUTHENTICATION, f, message == null || message.isBlank() ? "Your password is"
                    + " wrong; nothing was revoked. Type it again." : message + " Nothing was revoked.");
        };
    }

    private static Refused unavailable() {
        return new Refused(Why.UNAVAILABLE, null, "Revocation is not available right now; nothing was revoked. Try"
                + " again in a few minutes.");
    }

    private void refused(HolderSession session, String orderId, String why) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("order", orderId == null ? "" : orderId);
        m.put("reason", why);
        m.put("session", session.id());
        audit.append(AuditEvent.of(ClickCertService.actor(session.holder().id()), "clickcert.revoke.refused",
                "order:" + (orderId == null ? "" : orderId), ClickCertService.payload(m)));
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
