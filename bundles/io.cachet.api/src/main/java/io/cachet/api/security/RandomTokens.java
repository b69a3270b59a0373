package io.cachet.api.security;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

/**
 * Unguessable tokens: personal links, upload and management links, API keys, webhook secrets, CSC credentials.
 * A token is {@code bytes} random bytes in URL-safe Base64 without padding (so it fits a path segment, a query or a
 * header as it is); the raw bytes are wiped. Stateless; thread-safe as the caller's {@link SecureRandom} is.
 *
 * <p>Lives in the API so that every module makes its tokens the same way.
 */
public final class RandomTokens {

    private RandomTokens() {
    }

    /**
     * A fresh token of {@code bytes} random bytes from {@code random}.
     *
     * @throws IllegalArgumentException when {@code bytes} is under 16 (128 bits: anything shorter can be guessed)
     */
    public static String urlSafe(SecureRandom random, int bytes) {
        if (bytes < 16) {
            throw new IllegalArgumentException("a token needs at least 16 random bytes: " + bytes);
        }
        byte[] raw = new byte[bytes];
        random.nextBytes(raw);
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        } finally {
            Arrays.fill(raw, (byte) 0);
        }
    }
}
