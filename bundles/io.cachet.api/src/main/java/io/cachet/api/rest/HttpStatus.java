package io.cachet.api.rest;

/**
 * The words Cachet's error answers put beside an HTTP status: a machine-readable {@link #code} (the {@code error}
 * field clients read) and the standard {@link #title} (RFC 9110 reason phrase, the problem's {@code title}). One
 * table for the REST API's problems and the web guard's error pages, so both say the same for the same status.
 */
public final class HttpStatus {

    private HttpStatus() {
    }

    /** {@code invalid_request}, {@code not_found}, … ; {@code error} or {@code internal_error} for others. */
    public static String code(int status) {
        return switch (status) {
            case 400 -> "invalid_request";
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 406 -> "not_acceptable";
            case 408 -> "request_timeout";
            case 409 -> "conflict";
            case 413 -> "payload_too_large";
            case 414 -> "uri_too_long";
            case 415 -> "unsupported_media_type";
            case 429 -> "too_many_requests";
            case 503 -> "unavailable";
            default -> status >= 500 ? "internal_error" : "error";
        };
    }

    /** The reason phrase: {@code Bad Request}, {@code Not Found}, … */
    public static String title(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 406 -> "Not Acceptable";
            case 408 -> "Request Timeout";
            case 409 -> "Conflict";
            case 413 -> "Content Too Large";
            case 414 -> "URI Too Long";
            case 415 -> "Unsupported Media Type";
            case 429 -> "Too Many Requests";
            case 500 -> "Internal Server Error";
            case 503 -> "Service Unavailable";
            default -> status >= 500 ? "Server Error" : "Client Error";
        };
    }
}
