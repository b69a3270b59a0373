package io.cachet.rest.internal;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.ws.rs.core.Response;

/**
 * The API's one error answer, RFC 9457 {@code application/problem+json}: {@code type}, {@code title},
 * {@code status}, {@code detail}, plus {@code error} and {@code error_description} (the fields the API answered
 * with before problem details, which clients and the README rely on). Never a stack trace or a class name.
 */
final class Problems {

    static final String MEDIA_TYPE = "application/problem+json";
    static final String TYPE_PREFIX = "urn:cachet:problem:";

    private Problems() {
    }

    static Map<String, Object> body(int status, String error, String detail) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", TYPE_PREFIX + error);
        body.put("title", title(status));
        body.put("status", status);
        body.put("detail", detail);
        body.put("error", error);
        body.put("error_description", detail);
        return body;
    }

    static Response.ResponseBuilder response(int status, String error, String detail) {
        return Response.status(status).type(MEDIA_TYPE).header("Cache-Control", "no-store")
                .entity(body(status, error, detail));
    }

    /** The machine-readable code for a status nobody explained (as the web's error pages name them). */
    static String code(int status) {
        return switch (status) {
            case 400 -> "invalid_request";
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 406 -> "not_acceptable";
            case 409 -> "conflict";
            case 413 -> "payload_too_large";
            case 415 -> "unsupported_media_type";
            case 429 -> "too_many_requests";
            case 503 -> "unavailable";
            default -> status >= 500 ? "internal_error" : "error";
        };
    }

    static String title(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 406 -> "Not Acceptable";
            case 409 -> "Conflict";
            case 413 -> "Content Too Large";
            case 415 -> "Unsupported Media Type";
            case 429 -> "Too Many Requests";
            case 500 -> "Internal Server Error";
            case 503 -> "Service Unavailable";
            default -> status >= 500 ? "Server Error" : "Client Error";
        };
    }
}
