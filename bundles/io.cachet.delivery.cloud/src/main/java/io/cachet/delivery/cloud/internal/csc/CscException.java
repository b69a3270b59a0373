package io.cachet.delivery.cloud.internal.csc;

/**
 * A refusal of the CSC API, answered as the specification lists errors: the HTTP status and
 * {@code {error, error_description}}. The description starts with the specification's words (e.g.
 * {@code Invalid parameter SAD}) and goes on saying what to do.
 */
public class CscException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String error;
    private final String reason;

    /**
     * @param reason a short code for the audit log ({@code csc.refused}), e.g. {@code hash-not-authorised}; null when
     *        the refusal is not worth a record (a malformed request)
     */
    public CscException(int status, String error, String description, String reason) {
        super(description);
        this.status = status;
        this.error = error;
        this.reason = reason;
    }

    /** 400 {@code invalid_request}, the specification's error for every bad parameter. */
    public static CscException invalid(String description) {
        return new CscException(400, "invalid_request", description, null);
    }

    /** 400 {@code invalid_request} that the audit log records with {@code reason}. */
    public static CscException refused(String reason, String description) {
        return new CscException(400, "invalid_request", description, reason);
    }

    /** 401 {@code invalid_token}: no access token, or one that is unknown, expired or revoked. */
    public static CscException invalidToken(String description) {
        return new CscException(401, "invalid_token", description, null);
    }

    public int status() {
        return status;
    }

    public String error() {
        return error;
    }

    public String reason() {
        return reason;
    }
}
