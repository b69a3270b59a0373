package io.cachet.api.token;

import java.util.OptionalInt;

/** A token operation failed; {@link #reason()} says why and the message says what to do. */
public class TokenException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Why a token operation failed. */
    public enum Reason {
        /** The PIN is wrong; {@link TokenException#triesLeft()} tells how many tries remain where known. */
        WRONG_PIN,
        /** The PIN is locked: no more tries. */
        PIN_LOCKED,
        /** The new PIN breaks the token's or Cachet's PIN rules. */
        PIN_INVALID,
        /** No token with that serial, slot, or key alias. */
        NOT_FOUND,
        /** A key or token with that alias or label exists already. */
        ALREADY_EXISTS,
        /** The token or driver cannot do this (algorithm, policy, ...). */
        UNSUPPORTED,
        /** The token was removed or the module stopped answering. */
        TOKEN_REMOVED,
        /** All sessions are busy for longer than the driver waits. */
        BUSY,
        /** The {@link Token} was closed. */
        CLOSED,
        /** Anything else the module reported. */
        DEVICE_ERROR
    }

    private final Reason reason;
    private final transient OptionalInt triesLeft;

    public TokenException(Reason reason, String message) {
        this(reason, message, OptionalInt.empty(), null);
    }

    public TokenException(Reason reason, String message, Throwable cause) {
        this(reason, message, OptionalInt.empty(), cause);
    }

    public TokenException(Reason reason, String message, OptionalInt triesLeft, Throwable cause) {
        super(message, cause);
        this.reason = reason;
        this.triesLeft = triesLeft == null ? OptionalInt.empty() : triesLeft;
    }

    public Reason reason() {
        return reason;
    }

    /** Tries left after a {@link Reason#WRONG_PIN}, where the token tells. */
    public OptionalInt triesLeft() {
        return triesLeft == null ? OptionalInt.empty() : triesLeft;
    }
}
