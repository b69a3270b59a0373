package io.cachet.identity.vendor.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cachet.api.audit.AuditEvent;
import io.cachet.api.audit.AuditLog;
import io.cachet.api.identity.IdentityCase;
import io.cachet.api.identity.IdentityCases;
import io.cachet.api.identity.IdentityException;
import io.cachet.api.store.Database;
import io.cachet.api.store.StoreException;

/**
 * Receives a vendor's webhook, in this order: the body's size; the timestamp and signature over the raw body
 * (401 when missing, stale, malformed or wrong); the JSON and its fields (400); the session, which must be the
 * reference of an attempt of this provider (404); the event id, never applied before (409, the replay answer: a
 * vendor that retries after a lost answer sees 409 and knows it arrived); then {@link IdentityCases#providerResult}
 * (409 when the case has no open attempt of this provider). The event id and the result are recorded in one
 * transaction: a refusal changes nothing. Every refusal is audited ({@code identity.vendor.webhook.refused}, with
 * its code, never a secret nor the body) and logged; an accepted one is audited as
 * {@code identity.vendor.webhook.accepted} beside the identity service's own record.
 */
final class VendorWebhooks {

    private static final Logger LOG = LoggerFactory.getLogger(VendorWebhooks.class);

    /** The answer to give: an HTTP status, a stable code and a sentence for the vendor's logs. */
    record Answer(int status, String code, String message, String caseId) {
        boolean accepted() {
            return status / 100 == 2;
        }
    }

    private final VendorSettings settings;
    private final WebhookSignature signature;
    private final ReplayStore replays;
    private final IdentityCases cases;
    private final Database database;
    private final AuditLog audit;
    private final Clock clock;
    private final Duration remember;

    VendorWebhooks(VendorSettings settings, ReplayStore replays, IdentityCases cases, Database database,
            AuditLog audit, Clock clock) {
        this.settings = settings;
        this.signature = new WebhookSignature(settings.webhookSecrets, settings.tolerance);
        this.replays = replays;
        this.cases = cases;
        this.database = database;
        this.audit = audit;
        this.clock = clock;
        Duration twice = settings.tolerance.multipliedBy(2);
        this.remember = twice.compareTo(Duration.ofDays(1)) > 0 ? twice : Duration.ofDays(1);
    }

    private String actor() {
        return "provider:" + settings.providerId;
    }

    Answer receive(String timestampHeader, String signatureHeader, byte[] body) {
        Instant now = clock.instant();
        if (body == null) {
            body = new byte[0];
        }
        if (body.length > settings.maxBodyBytes) {
            return refuse(413, "body.too-large", "The body is over " + settings.maxBodyBytes + " bytes.", null, null);
        }
        try {
            signature.verify(timestampHeader, signatureHeader, body, now);
        } catch (WebhookSignature.Refused r) {
            return refuse(401, r.code, r.getMessage(), null, null);
        }
        ResultMapping.Event event;
        try {
            event = settings.mapping.read(body);
        } catch (ResultMapping.MalformedEvent e) {
            return refuse(400, "body.malformed", e.getMessage(), null, null);
        }
        Optional<IdentityCase> found = cases.byReference(settings.providerId, event.sessionId());
        if (found.isEmpty()) {
            return refuse(404, "session.unknown", "There is no identity case with the session " + event.sessionId()
                    + " of this vendor.", event, null);
        }
        String caseId = found.get().id();
        try {
            replays.purge(now);
        } catch (RuntimeException e) {
            LOG.warn("Identity vendor {}: old webhook event ids could not be deleted: {}", settings.providerId,
                    e.getMessage());
        }
        try {
            return database.inTransaction(c -> {
                if (!replays.remember(c, settings.providerId, event.eventId(), event.sessionId(), caseId, now,
                        now.plus(remember))) {
                    throw new Replayed();
                }
                cases.providerResult(caseId, event.result(), actor());
                audit.append(AuditEvent.of(actor(), "identity.vendor.webhook.accepted", "identity-case:" + caseId,
                        "event=" + event.eventId() + " session=" + event.sessionId() + " outcome="
                                + event.result().outcome()));
                return new Answer(200, "accepted", "The result is recorded; an operator reviews the case.", caseId);
            });
        } catch (Replayed r) {
            return refuse(409, "event.replayed", "The event " + event.eventId() + " was received before; it is not"
                    + " applied again.", event, caseId);
        } catch (IdentityException e) {
            int status = switch (e.reason()) {
                case NOT_FOUND -> 404;
                case INVALID -> 400;
                case UNAVAILABLE -> 503;
                default -> 409;
            };
            return refuse(status, e.code(), e.getMessage(), event, caseId);
        } catch (RuntimeException e) {
            if (e.getCause() instanceof java.sql.SQLException s && StoreException.isUniqueViolation(s)) {
                return refuse(409, "event.replayed", "The event " + event.eventId() + " was received before; it is"
                        + " not applied again.", event, caseId);
            }
            throw e;
        }
    }

    /** Thrown inside the transaction to roll it back. */
    private static final class Replayed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Replayed() {
            super(null, null, false, false);
        }
    }

    private Answer refuse(int status, String code, String message, ResultMapping.Event event, String caseId) {
        String details = "status=" + status + " code=" + code
                + (event == null ? "" : " event=" + event.eventId() + " session=" + event.sessionId());
        LOG.warn("Identity vendor {}: webhook refused: {} ({})", settings.providerId, details, message);
        try {
            audit.append(AuditEvent.of(actor(), "identity.vendor.webhook.refused",
                    caseId == null ? "provider:" + settings.providerId : "identity-case:" + caseId, details));
        } catch (RuntimeException e) {
            LOG.error("Identity vendor {}: the refusal could not be audited: {}", settings.providerId, e.getMessage());
        }
        return new Answer(status, code, message, caseId);
    }
}
