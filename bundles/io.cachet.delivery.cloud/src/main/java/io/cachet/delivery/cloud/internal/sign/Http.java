package io.cachet.delivery.cloud.internal.sign;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.Part;

import io.cachet.api.web.Downloads;

/** What Click&amp;Cert's two servlets share: paths, origins, bodies, problem answers. */
final class Http {

    static final ObjectMapper JSON = new ObjectMapper();
    /** The container's bound on a multipart upload; the configured limit (smaller) is the service's. */
    static final long MAX_MULTIPART = 210L * 1024 * 1024;

    private Http() {
    }

    /**
     * A constant's spelling in problem codes, message keys and page models: lower case, dashes for underscores
     * ({@code NOT_YOURS} → {@code not-yours}). One place, so that a page, a problem and an audit record agree.
     */
    static String code(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The request's path inside the context (servlet path and path info). */
    static String path(HttpServletRequest req) {
        String sp = req.getServletPath() == null ? "" : req.getServletPath();
        String pi = req.getPathInfo() == null ? "" : req.getPathInfo();
        return sp + pi;
    }

    /** A form's second factor: {@code factorKind} and {@code factorResponse} (a security key's), else its TOTP code. */
    record Factor(String kind, String response) {
    }

    /** The second factor a re-authentication form posted (the kind null when none). */
    static Factor factor(HttpServletRequest req) {
        String kind = req.getParameter("factorKind");
        String response = req.getParameter("factorResponse");
        String totp = req.getParameter("totp");
        if ((kind == null || kind.isBlank()) && totp != null && !totp.isBlank()) {
            return new Factor("totp", totp.replaceAll("\\s", ""));
        }
        return new Factor(kind, response);
    }

    /** The origin the browser said it came from, else this server's as the request names it. */
    static String origin(HttpServletRequest req) {
        String o = req.getHeader("Origin");
        if (o != null && !o.isBlank() && !"null".equals(o)) {
            return o;
        }
        String scheme = req.getScheme() == null ? "http" : req.getScheme();
        int port = req.getServerPort();
        boolean defaultPort = port <= 0 || scheme.equals("http") && port == 80 || scheme.equals("https") && port == 443;
        return scheme + "://" + req.getServerName() + (defaultPort ? "" : ":" + port);
    }

    /**
     * Reads at most {@code max + 1} bytes of {@code in}: one more than the limit tells an oversized upload without
     * reading all of it.
     */
    static byte[] readBounded(InputStream in, long max) throws IOException {
        return in.readNBytes((int) Math.min(max + 1, Integer.MAX_VALUE - 8));
    }

    /** The uploaded file of a multipart form (field {@code file}) and its name, or null when the form has none. */
    record Upload(String fileName, byte[] content) {
    }

    static Upload multipartFile(HttpServletRequest req, long max) throws IOException {
        try {
            Part p = req.getPart("file");
            if (p == null) {
                return null;
            }
            try (InputStream in = p.getInputStream()) {
                return new Upload(p.getSubmittedFileName(), readBounded(in, max));
            }
        } catch (ServletException | IllegalStateException e) {
            // not a multipart form, or over the container's bound
            return null;
        }
    }

    static boolean multipart(HttpServletRequest req) {
        String t = req.getContentType();
        return t != null && t.toLowerCase(Locale.ROOT).startsWith("multipart/form-data");
    }

    /** An RFC 9457 problem, with {@code detail} saying what to do. */
    static void problem(HttpServletResponse resp, int status, String code, String detail) throws IOException {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("type", "urn:cachet:problem:" + code);
        json.put("title", title(status));
        json.put("status", status);
        json.put("detail", detail);
        json.put("error", code);
        resp.setStatus(status);
        resp.setHeader("Cache-Control", "no-store");
        resp.setHeader("X-Content-Type-Options", "nosniff");
        resp.setContentType("application/problem+json;charset=UTF-8");
        resp.getWriter().write(JSON.writeValueAsString(json));
    }

    static void json(HttpServletResponse resp, int status, Object body) throws IOException {
        resp.setStatus(status);
        resp.setHeader("Cache-Control", "no-store");
        resp.setHeader("X-Content-Type-Options", "nosniff");
        resp.setContentType("application/json;charset=UTF-8");
        resp.getWriter().write(JSON.writeValueAsString(body));
    }

    /** Sends a file; {@code attachment} names it for download. */
    /** A file for the holder: as every module sends files ({@link Downloads}), named when {@code attachment} is given. */
    static void bytes(HttpServletResponse resp, String type, byte[] content, String attachment) throws IOException {
        Downloads.send(resp, type, content, attachment == null ? "inline" : Downloads.attachment(attachment));
    }

    static String title(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 409 -> "Conflict";
            case 413 -> "Content Too Large";
            case 415 -> "Unsupported Media Type";
            case 422 -> "Unprocessable Content";
            case 429 -> "Too Many Requests";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            default -> "Error";
        };
    }
}
