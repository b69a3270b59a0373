package io.cachet.api.identity;

import java.time.Instant;

/**
 * An image kept as evidence (its bytes are encrypted at rest and only shown to operators through
 * {@link IdentityCases#image}).
 *
 * @param kind which image
 * @param contentType {@code image/jpeg} or {@code image/png}, as read from the bytes (never as declared)
 * @param width pixels
 * @param height pixels
 * @param size bytes stored (metadata stripped)
 * @param sha256 hex SHA-256 of the stored bytes
 * @param receivedAt when it was accepted
 */
public record Evidence(EvidenceKind kind, String contentType, int width, int height, long size, String sha256,
        Instant receivedAt) {
}
