package io.cachet.web.internal.pages;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Locale;

import io.cachet.api.security.Digests;

/** A static file served under {@code /assets/}: its bytes, a digest that versions its URL, and its type. */
public record Asset(byte[] bytes, String version, String contentType) {

    /** Largest asset read (a logo, a stylesheet): bigger is a mistake, not something to serve. */
    static final int MAX_BYTES = 2 * 1024 * 1024;

    static Asset of(byte[] bytes, String fileName) {
        return new Asset(bytes, version(bytes), contentType(fileName));
    }

    static Asset text(String text, String fileName) {
        return of(text.getBytes(StandardCharsets.UTF_8), fileName);
    }

    /** Reads the file, or null when it cannot be read or is too large. */
    static Asset read(URL url, String fileName) {
        if (url == null || contentType(fileName) == null) {
            return null;
        }
        try (InputStream in = url.openStream()) {
            byte[] bytes = in.readNBytes(MAX_BYTES + 1);
            return bytes.length > MAX_BYTES ? null : of(bytes, fileName);
        } catch (IOException e) {
            return null;
        }
    }

    static String version(byte[] bytes) {
        return HexFormat.of().formatHex(Digests.sha256(bytes), 0, 6);
    }

    /** The type of the files pages may use, by extension; null for any other file (not served). */
    static String contentType(String fileName) {
        String name = fileName.toLowerCase(Locale.ROOT);
        int dot = name.lastIndexOf('.');
        return switch (dot < 0 ? "" : name.substring(dot + 1)) {
            case "css" -> "text/css;charset=UTF-8";
            case "js" -> "text/javascript;charset=UTF-8";
            case "svg" -> "image/svg+xml";
            case "png" -> "image/png";
            case "webp" -> "image/webp";
            case "jpg", "jpeg" -> "image/jpeg";
            case "ico" -> "image/x-icon";
            case "woff2" -> "font/woff2";
            default -> null;
        };
    }
}
