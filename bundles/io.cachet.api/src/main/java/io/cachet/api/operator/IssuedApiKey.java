package io.cachet.api.operator;

import java.util.Objects;

/**
 * A key just created or rotated, with its secret: the only time the secret exists outside its owner's hands.
 * Show it once and forget it.
 *
 * @param key what is stored about the key
 * @param secret the whole key to send as {@code Authorization: Bearer <secret>} ({@code ck_<id>_<secret>})
 * @since 1.1
 */
public record IssuedApiKey(ApiKey key, String secret) {
    public IssuedApiKey {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(secret, "secret");
    }

    @Override
    public String toString() {
        return "IssuedApiKey[" + key + ", secret=(hidden)]";
    }
}
