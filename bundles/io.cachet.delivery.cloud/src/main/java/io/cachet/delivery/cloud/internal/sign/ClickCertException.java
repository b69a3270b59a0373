package io.cachet.delivery.cloud.internal.sign;

import java.util.Locale;

import io.cachet.delivery.cloud.internal.AuthOutcome;

/**
 * A Click&amp;Cert request refused or failed; nothing was signed and nothing stored was lost. The message is one English
 * sentence saying what to do (the JSON API's {@code detail}); pages translate {@link #key()} with {@link #args()}.
 */
public class ClickCertException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Why, with the HTTP status the JSON API answers. */
    public enum Kind {
        NOT_PDF(415),
        TOO_LARGE(413),
        CORRUPT(422),
        PASSWORD_REQUIRED(422),
        WRONG_PDF_PASSWORD(422),
        NOT_FOUND(404),
        NOT_YOUR_SEAL(403),
        SEAL_UNUSABLE(409),
        HASH_MISMATCH(409),
        ALREADY_SIGNED(409),
        BAD_PLACEMENT(422),
        TOO_MANY_PENDING(409),
        BAD_REQUEST(400),
        REAUTHENTICATION(401),
        THROTTLED(429),
        SIGNING_FAILED(502),
        UNAVAILABLE(503);

        private final int status;

        Kind(int status) {
            this.status = status;
        }

        public int status() {
            return status;
        }

        /** The page message key, {@code clickcert.error.<kind>}. */
        public String key() {
            return "clickcert.error." + Http.code(this);
        }
    }

    private final Kind kind;
    private final transient Object[] args;
    private final AuthOutcome.Failure failure;

    public ClickCertException(Kind kind, String message, Object... args) {
        this(kind, null, message, args);
    }

    ClickCertException(Kind kind, AuthOutcome.Failure failure, String message, Object... args) {
        super(message == null ? "" : message.replaceAll("\\s*[\\r\\n]+\\s*", " ").trim());
        this.kind = kind;
        this.failure = failure;
        this.args = args == null ? new Object[0] : args.clone();
    }

    public Kind kind() {
        return kind;
    }

    /** For {@link Kind#REAUTHENTICATION} and {@link Kind#THROTTLED}: how the holder's credentials were refused. */
    public AuthOutcome.Failure failure() {
        return failure;
    }

    /** The page message key: the kind's, or for a refused re-authentication, the failure's. */
    public String key() {
        if (failure != null && kind == Kind.REAUTHENTICATION) {
            return "clickcert.error.auth." + Http.code(failure);
        }
        return kind.key();
    }

    public Object[] args() {
        return args.clone();
    }
}
