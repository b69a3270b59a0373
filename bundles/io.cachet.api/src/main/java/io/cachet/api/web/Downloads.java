package io.cachet.api.web;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.http.HttpServletResponse;

/**
 * Files a servlet hands to a browser (a scanned receipt, a register extract, an identity photo, a signed PDF): sent
 * so that the browser never runs, frames, caches or guesses them. Kept here so that every module sends them alike.
 *
 * @since 1.2
 */
public final class Downloads {

    /** The policy of a file: nothing runs, nothing frames it, sandboxed when opened on its own. */
    public static final String CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'; sandbox";

    private Downloads() {
    }

    /**
     * Writes the whole answer: 200, {@code type}, the length, no caching, no sniffing, the sandboxing policy, same-origin
     * only, no referrer, no framing, and {@code disposition}.
     *
     * @param disposition e.g. {@code "inline"} or {@link #attachment(String)}
     */
    public static void send(HttpServletResponse resp, String type, byte[] bytes, String disposition)
            throws IOException {
        resp.setStatus(200);
        resp.setContentType(type);
        resp.setContentLength(bytes.length);
        resp.setHeader("Cache-Control", "no-store");
        resp.setHeader("X-Content-Type-Options", "nosniff");
        resp.setHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        resp.setHeader("Cross-Origin-Resource-Policy", "same-origin");
        resp.setHeader("Referrer-Policy", "no-referrer");
        resp.setHeader("X-Frame-Options", "DENY");
        resp.setHeader("Content-Disposition", disposition);
        try (OutputStream out = resp.getOutputStream()) {
            out.write(bytes);
        }
    }

    /**
     * {@code attachment} with the file's name: printable ASCII in {@code filename} (others, quotes and backslashes
     * as {@code _}) and the exact name in {@code filename*} (RFC 6266, UTF-8 percent-encoded as RFC 8187 says).
     */
    public static String attachment(String fileName) {
        String ascii = fileName.replaceAll("[^\\x20-\\x7e]", "_").replace("\"", "_").replace("\\", "_");
        StringBuilder encoded = new StringBuilder();
        for (byte x : fileName.getBytes(StandardCharsets.UTF_8)) {
            int c = x & 0xff;
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "-._~".indexOf(c) >= 0) {
                encoded.append((char) c);
            } else {
                encoded.append('%').append(String.format("%02X", c));
            }
        }
        return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + encoded;
    }
}
