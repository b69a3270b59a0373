package io.cachet.delivery.cloud.internal;

/**
 * The outcome of checking a holder's credentials (login, re-authentication, CSC {@code authData}).
 *
 * @param holder the holder, when {@link #ok()}; otherwise null
 * @param failure why not, when not ok; null when ok
 * @param message one sentence for the person (English; callers with pages translate {@link #failure} instead)
 */
public record AuthOutcome(Holder holder, Failure failure, String message) {

    /** Why credentials were refused. */
    public enum Failure {
        /** Wrong e-mail or password (never says which). */
        WRONG_PASSWORD,
        /** A second factor is enrolled and none was given: ask for it. */
        FACTOR_REQUIRED,
        /** The second factor was wrong, expired or replayed. */
        WRONG_FACTOR,
        /** Too many failures: refused without checking until the throttle lets go; the message says when. */
        THROTTLED,
        /** The account cannot log in (no password set yet, closed). */
        DISABLED
    }

    public boolean ok() {
        return failure == null;
    }

    public static AuthOutcome ok(Holder holder) {
        return new AuthOutcome(holder, null, null);
    }

    public static AuthOutcome refused(Failure failure, String message) {
        return new AuthOutcome(null, failure, message);
    }
}
