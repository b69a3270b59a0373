package io.cachet.api.link;

import java.time.Instant;

import io.cachet.api.order.OrderRole;

/**
 * A personal link as stored (never its secret token).
 *
 * @param id the link's id (not its token), safe to log and show operators
 * @param orderId the order it belongs to
 * @param role the person it was given to
 * @param purpose what it opens, e.g. {@code status}, {@code identity}, {@code acceptance}, {@code pin}
 * @param email the address it was sent to
 * @param usedAt when it was last opened, or null
 * @param revokedAt when it was revoked (by a fresh link of the same person and purpose, or an operator), or null
 */
public record PersonalLink(String id, String orderId, OrderRole role, String purpose, String email,
        Instant createdAt, Instant expiresAt, Instant usedAt, Instant revokedAt) {

    /** @return whether it opens at {@code now} */
    public boolean usable(Instant now) {
        return revokedAt == null && now.isBefore(expiresAt);
    }
}
