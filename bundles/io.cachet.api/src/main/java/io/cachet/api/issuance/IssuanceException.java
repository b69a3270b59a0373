package io.cachet.api.issuance;

/** An issuance or evidence operation was refused or could not be done. The message names the problem. */
public class IssuanceException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Why, so that callers can answer (e.g. with an HTTP status) without parsing messages. */
    public enum Kind {
        /** The request is wrong: fix it and send again. */
        INVALID,
        /** No such order, certificate or evidence file (yet). */
        NOT_FOUND,
        /** The request contradicts the current state (a cloud order, another request already issued, ...). */
        CONFLICT,
        /** It cannot be done now (CA, token or time-stamping authority unavailable); retry later. */
        UNAVAILABLE
    }

    private final Kind kind;

    public IssuanceException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public IssuanceException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
