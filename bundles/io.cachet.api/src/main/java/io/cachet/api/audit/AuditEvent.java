package io.cachet.api.audit;

import java.util.Locale;
import java.util.Map;
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

    /**
     * An event whose payload is {@code details} as one JSON object (UTF-8), in the map's order: finite numbers and
     * booleans as they are, null as null, any other value as its string.
     *
     * @since 1.4
     */
    public static AuditEvent ofFields(String actor, String action, String subject, Map<String, ?> details) {
        return of(actor, action, subject, details == null ? null : jsonObject(details));
    }

    // Written here rather than with Jackson so that the API needs no JSON library: a flat object of scalars is all
    // the modules' audit details are, and this is the one writer they share.
    private static String jsonObject(Map<String, ?> details) {
        StringBuilder b = new StringBuilder("{");
        for (Map.Entry<String, ?> e : details.entrySet()) {
            b.append(b.length() > 1 ? "," : "");
            jsonString(b, String.valueOf(e.getKey())).append(':');
            Object v = e.getValue();
            if (v == null || v instanceof Boolean || v instanceof Number n && Double.isFinite(n.doubleValue())) {
                b.append(v);
            } else {
                jsonString(b, v.toString());
            }
        }
        return b.append('}').toString();
    }

    private static StringBuilder jsonString(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch == '"' || ch == '\\') {
                b.append('\\').append(ch);
            } else if (ch < 0x20) {
                b.append(String.format(Locale.ROOT, "\\u%04x", (int) ch));
            } else {
                b.append(ch);
            }
        }
        return b.append('"');
    }
}
