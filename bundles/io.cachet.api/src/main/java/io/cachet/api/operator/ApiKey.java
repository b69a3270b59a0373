package io.cachet.api.operator;

import java.time.Instant;
import java.util.Objects;

/**
 * What is known about an API key, never its secret (Cachet keeps only the secret's digest).
 *
 * @param id the key id, the part of the key after {@code ck_} and before the secret; safe to show and log
 * @param login the operator who owns the key
 * @param label what the operator calls it (may be empty)
 * @param scope what requests made with it may do
 * @param createdAt when it was created
 * @param expiresAt when it stops working by itself, or null for never
 * @param rotatedAt when its secret was last replaced, or null
 * @param revokedAt when it was revoked, or null
 * @since 1.1
 */
public record ApiKey(String id, String login, String label, ApiKeyScope scope, Instant createdAt, Instant expiresAt,
        Instant rotatedAt, Instant revokedAt) {

    public ApiKey {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(login, "login");
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(createdAt, "createdAt");
        label = label == null ? "" : label;
    }

    /** The key's state at {@code now}. */
    public enum Status { ACTIVE, EXPIRED, REVOKED }

    public Status status(Instant now) {
        if (revokedAt != null) {
            return Status.REVOKED;
        }
        return expiresAt != null && !now.isBefore(expiresAt) ? Status.EXPIRED : Status.ACTIVE;
    }
}
