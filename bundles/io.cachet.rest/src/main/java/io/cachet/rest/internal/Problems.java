package io.cachet.rest.internal;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.ws.rs.core.Response;

import io.cachet.api.rest.HttpStatus;

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
        return response(status, error, detail, Map.of());
    }

    /** With extension members (e.g. an invalid order's {@code errors}); the standard members cannot be replaced. */
    static Response.ResponseBuilder response(int status, String error, String detail, Map<String, Object> extensions) {
        Map<String, Object> body = body(status, error, detail);
        extensions.forEach(body::putIfAbsent);
        return Response.status(status).type(MEDIA_TYPE).header("Cache-Control", "no-store").entity(body);
    }

    /** The machine-readable code for a status nobody explained (as the web's error pages name them). */
    static String code(int status) {
        return HttpStatus.code(status);
    }

    static String title(int status) {
        return HttpStatus.title(status);
    }
}
