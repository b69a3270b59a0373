package io.cachet.api.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256, the one digest Cachet keeps of what it must recognise again without holding it: a personal link's or an
 * API key's token (only its digest is stored), an uploaded file's content, a migration script, a request body for
 * idempotency. Text is digested as UTF-8; hexadecimal is lower case. Stateless; thread-safe.
 *
 * <p>Lives in the API so that every module digests the same way, with the JDK's provider.
 */
public final class Digests {

    private Digests() {
    }

    /** The SHA-256 of {@code data}: 32 bytes. */
    public static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    /** The SHA-256 of {@code text} in UTF-8: 32 bytes. */
    public static byte[] sha256(String text) {
        return sha256(text.getBytes(StandardCharsets.UTF_8));
    }

    /** The SHA-256 of {@code data}, in lower-case hexadecimal (64 characters). */
    public static String sha256Hex(byte[] data) {
        return HexFormat.of().formatHex(sha256(data));
    }

    /** The SHA-256 of {@code text} in UTF-8, in lower-case hexadecimal (64 characters). */
    public static String sha256Hex(String text) {
        return sha256Hex(text.getBytes(StandardCharsets.UTF_8));
    }
}
