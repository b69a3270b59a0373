package io.cachet.api.audit;

import java.util.Objects;

/**
 * One state change to record.
 *
 * @param actor who did it: {@code operator:<login>}, {@code customer:<id>}, {@code system}, {@code api:<login>}
 * @param action what happened, dotted lower case, e.g. {@code operator.password.changed}
 * @param subject what it happened to, e.g. {@code certificate:0a1b...}; may be empty, never null
 * @param payload the details; only their SHA-256 digest is kept in the log (personal data stays out of it)
 */
public record AuditEvent(String actor, String action, String subject, byte[] payload) {
    public AuditEvent {
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(action, "action");
        subject = subject == null ? "" : subject;
        payload = payload == null ? new byte[0] : payload.clone();
        if (actor.isBlank() || action.isBlank()) {
            throw new IllegalArgumentException("an audit event needs an actor and an action");
        }
    }

    @Override
    public byte[] payload() {
        return payload.clone();
    }

    /** An event whose payload is the UTF-8 encoding of {@code details}. */
    public static AuditEvent of(String actor, String action, String subject, String details) {
        return new AuditEvent(actor, action, subject,
                details == null ? null : details.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
