package io.cachet.api.operator;

import java.time.Duration;
import java.util.Objects;

/**
 * The outcome of checking a password or an API key. The {@link #message} is safe to show to whoever sent the
 * credential: it never says whether a login exists.
 *
 * @param status what happened
 * @param operator the operator, when {@link Status#GRANTED}; for an API key, with the roles its scope allows
 * @param apiKey the key used, when an API key was {@link Status#GRANTED}; null for a password
 * @param retryAfter when {@link Status#THROTTLED}: how long to wait before trying again; otherwise zero
 * @param message one sentence for the person or program that sent the credential, in English
 * @param code what the message says, for a page that words it in its own language ({@code login.missing},
 *        {@code login.wrong}, {@code account.disabled}, {@code throttled} with {@link #retryAfter}); null when
 *        there is no code (the message then stands alone). Since 1.3.
 * @since 1.1
 */
public record Authentication(Status status, Operator operator, ApiKey apiKey, Duration retryAfter, String message,
        String code) {

    public enum Status {
        /** The credential is right and may be used now. */
        GRANTED,
        /** Wrong, unknown, malformed, revoked, expired or disabled: HTTP 401. */
        DENIED,
        /** A valid API key of an operator who must first replace a password someone else chose: HTTP 403. */
        PASSWORD_CHANGE_REQUIRED,
        /**
         * Too many recent failures from this client or for this account: refused without being checked; HTTP 429
         * with {@code Retry-After}.
         */
        THROTTLED
    }

    public Authentication {
        Objects.requireNonNull(status, "status");
        retryAfter = retryAfter == null ? Duration.ZERO : retryAfter;
        message = message == null ? "" : message;
        if (status == Status.GRANTED && operator == null) {
            throw new IllegalArgumentException("a granted authentication needs its operator");
        }
    }

    /** An outcome without a code: only its (English) message says what happened. */
    public Authentication(Status status, Operator operator, ApiKey apiKey, Duration retryAfter, String message) {
        this(status, operator, apiKey, retryAfter, message, null);
    }

    public boolean granted() {
        return status == Status.GRANTED;
    }

    public static Authentication granted(Operator operator, ApiKey key) {
        return new Authentication(Status.GRANTED, operator, key, Duration.ZERO, "");
    }

    public static Authentication denied(String message) {
        return new Authentication(Status.DENIED, null, null, Duration.ZERO, message);
    }

    /**
     * A refusal with a code that pages translate.
     *
     * @since 1.3
     */
    public static Authentication denied(String code, String message) {
        return new Authentication(Status.DENIED, null, null, Duration.ZERO, message, code);
    }

    public static Authentication throttled(Duration retryAfter) {
        long seconds = Math.max(1, (retryAfter.toMillis() + 999) / 1000);
        return new Authentication(Status.THROTTLED, null, null, Duration.ofSeconds(seconds),
                "Too many failed attempts from your address or for this account: try again in " + seconds
                        + (seconds == 1 ? " second." : " seconds."), "throttled");
    }
}
