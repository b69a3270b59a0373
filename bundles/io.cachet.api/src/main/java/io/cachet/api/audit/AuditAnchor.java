package io.cachet.api.audit;

import java.time.Instant;

/**
 * A signed statement that the record {@code sequence} had hash {@code headHash} at {@code time}.
 *
 * @param signer the {@link AuditAnchorSigner#id()} that made {@code token}
 * @param token the signer's proof (a signature, an RFC 3161 timestamp token, ...)
 */
public record AuditAnchor(long sequence, String headHash, Instant time, String signer, byte[] token) {
    public AuditAnchor {
        token = token.clone();
    }

    @Override
    public byte[] token() {
        return token.clone();
    }
}
