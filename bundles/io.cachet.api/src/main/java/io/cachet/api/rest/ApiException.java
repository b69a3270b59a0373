package io.cachet.api.rest;

/**
 * Thrown by a REST resource to answer with an error. The REST API turns it into the HTTP status and an RFC 9457
 * {@code application/problem+json} body: {@code type} ({@code urn:cachet:problem:<error>}), {@code title},
 * {@code status}, {@code detail} (the description), and the fields clients used before,
 * {@code error} and {@code error_description}. Any other exception becomes a 500 with a reference number and no
 * internals.
 */
public class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String error;
    private final transient java.util.Map<String, Object> extensions;

    /**
     * @param status HTTP status, 4xx or 5xx
     * @param error short machine-readable code, e.g. {@code invalid_request}, {@code not_found}
     * @param description one sentence for a person: what was wrong and what to do
     */
    public ApiException(int status, String error, String description) {
        this(status, error, description, java.util.Map.of());
    }

    /**
     * An error whose problem body carries more members (RFC 9457 extension members), e.g. {@code errors}: a list of
     * {@code {field, code, message}} objects naming each invalid field of the request. Values must be what the
     * API's JSON writer can write (strings, numbers, lists, maps, records); members named as the standard ones
     * ({@code type}, {@code title}, {@code status}, {@code detail}, {@code error}, {@code error_description}) are
     * ignored.
     *
     * @since 2.1
     */
    public ApiException(int status, String error, String description, java.util.Map<String, Object> extensions) {
        super(description);
        this.extensions = java.util.Map.copyOf(extensions);
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("an API error needs a 4xx or 5xx status: " + status);
        }
        this.status = status;
        this.error = error;
    }

    public int status() {
        return status;
    }

    public String error() {
        return error;
    }

    /**
     * @return the problem body's extension members, empty for most errors
     * @since 2.1
     */
    public java.util.Map<String, Object> extensions() {
        return extensions == null ? java.util.Map.of() : extensions;
    }

    public static ApiException badRequest(String description) {
        return new ApiException(400, "invalid_request", description);
    }

    public static ApiException notFound(String description) {
        return new ApiException(404, "not_found", description);
    }

    /** @since 2.0 */
    public static ApiException forbidden(String description) {
        return new ApiException(403, "forbidden", description);
    }

    /** @since 2.0 */
    public static ApiException conflict(String description) {
        return new ApiException(409, "conflict", description);
    }
}
