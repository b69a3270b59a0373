package io.cachet.web.internal.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import io.cachet.api.rest.HttpStatus;
import io.cachet.web.internal.Json;

/**
 * The one error body of the server: under {@code /api} the REST API's own shape, an RFC 9457 problem
 * ({@code application/problem+json}: type, title, status, detail, and the API's {@code error},
 * {@code error_description}), one plain-text line elsewhere. Never a stack trace, a class or a servlet name: only
 * the status and a sentence saying what to do.
 */
public final class ErrorPage {

    static final String API_PREFIX = "/api/";

    /**
     * The {@code Retry-After} (seconds) of an answer "Cachet is starting" (503): a start takes seconds, and a client
     * that comes back after one finds the address served as soon as it can be.
     */
    public static final String STARTING_RETRY_AFTER = "1";

    private ErrorPage() {
    }

    /** Writes the error unless the response is already on its way (then nothing can be changed). */
    public static void write(HttpServletRequest request, HttpServletResponse response, int status, String description)
            throws IOException {
        if (response.isCommitted()) {
            return;
        }
        response.resetBuffer();
        response.setStatus(status);
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("X-Content-Type-Options", "nosniff");
        String text = description == null ? describe(status, request.getMethod()) : description;
        String body;
        if (isApi(request)) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("type", "urn:cachet:problem:" + code(status));
            json.put("title", reason(status));
            json.put("status", status);
            json.put("detail", text);
            json.put("error", code(status));
            json.put("error_description", text);
            body = Json.MAPPER.writeValueAsString(json) + "\n";
            response.setContentType("application/problem+json;charset=UTF-8");
        } else {
            body = status + " " + reason(status) + ": " + text + "\n";
            response.setContentType("text/plain;charset=UTF-8");
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        try {
            response.setContentLength(bytes.length);
            response.getOutputStream().write(bytes);
        } catch (IllegalStateException writerInUse) {
            // the servlet had taken the writer before it failed: the body goes through it
            response.getWriter().write(body);
        }
        response.flushBuffer();
    }

    /** Answered as a problem ({@code application/problem+json}) rather than a plain line: the API and CSC paths. */
    public static boolean isApi(HttpServletRequest request) {
        String path = path(request);
        return path.startsWith(API_PREFIX) || path.startsWith(CSC_PREFIX);
    }

    /** The Cloud Signature Consortium API's root: its clients read {@code error} and {@code error_description}. */
    static final String CSC_PREFIX = "/csc/";

    /** The decoded path of the request, as the HTTP runtime dispatches it. */
    static String path(HttpServletRequest request) {
        String servletPath = request.getServletPath() == null ? "" : request.getServletPath();
        String pathInfo = request.getPathInfo() == null ? "" : request.getPathInfo();
        String path = servletPath + pathInfo;
        return path.isEmpty() ? "/" : path;
    }

    /** A sentence for a status the caller did not explain. */
    static String describe(int status, String method) {
        return switch (status) {
            case 400 -> "The request is malformed; check its parameters and their encoding.";
            case 401 -> "Authenticate first.";
            case 403 -> "You may not do this.";
            case 404 -> "There is nothing at this address.";
            case 405 -> "The method " + safe(method) + " is not allowed at this address.";
            case 408 -> "The request took too long to arrive.";
            case 413 -> "The request is too large.";
            case 414 -> "The address is too long.";
            case 415 -> "The request's content type is not accepted here.";
            case 429 -> "Too many requests; wait a little and try again.";
            case 503 -> "The service is not available right now; try again later.";
            default -> status >= 500 ? "The server could not complete the request." : "The request was refused.";
        };
    }

    /** The machine-readable code of the JSON body, as the REST API names them. */
    static String code(int status) {
        return HttpStatus.code(status);
    }

    static String reason(int status) {
        return HttpStatus.title(status);
    }

    /** An HTTP method is a token; anything else is not echoed. */
    private static String safe(String method) {
        return method != null && method.matches("[A-Z]{1,16}") ? method : "used";
    }
}
