package io.cachet.api.audit;

import java.time.Instant;

/**
 * A stored audit record. {@code hash} = SHA-256 over the previous record's hash and this record's fields
 * (see the audit bundle's documentation for the exact encoding); hashes and digests are lower-case hex.
 */
public record AuditRecord(long sequence, Instant time, String actor, String action, String subject,
        String payloadDigest, String previousHash, String hash) {
}
