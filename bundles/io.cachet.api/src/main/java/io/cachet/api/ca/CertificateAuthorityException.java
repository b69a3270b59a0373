package io.cachet.api.ca;

/** A CA operation was refused or could not be done. The message names the problem, never key material. */
public class CertificateAuthorityException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Why, so that callers can answer (e.g. with an HTTP status) without parsing messages. */
    public enum Kind {
        /** The request is wrong: fix it and send again. */
        INVALID_REQUEST,
        /** No such certificate at this CA. */
        NOT_FOUND,
        /** The request contradicts the current state, e.g. revoking twice. */
        CONFLICT,
        /** The CA cannot work now (token absent, database down); retry later. */
        UNAVAILABLE
    }

    private final Kind kind;

    public CertificateAuthorityException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public CertificateAuthorityException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
