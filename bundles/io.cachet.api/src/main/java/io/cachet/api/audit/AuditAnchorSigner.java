package io.cachet.api.audit;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Makes and checks anchors of the audit chain head. The audit log uses the signer with the highest
 * {@code service.ranking}; anchors made by any signer stay verifiable as long as that signer is installed.
 * A signer must hold its key outside the database, so that whoever can rewrite the database cannot forge
 * anchors.
 *
 * <p>Service property {@link #ID} must equal {@link #id()}.
 */
@ConsumerType
public interface AuditAnchorSigner {

    /** Service property naming the signer. */
    String ID = "audit.anchor.signer";

    /** Stable identifier, stored with each anchor (e.g. {@code ed25519-local}, {@code rfc3161}). */
    String id();

    /**
     * Signs {@code statement} (the anchor's canonical bytes).
     *
     * @throws IllegalStateException when the signer cannot sign now (its token is absent, ...)
     */
    byte[] sign(byte[] statement);

    /** Whether {@code token} is this signer's valid proof over {@code statement}. Never throws. */
    boolean verify(byte[] statement, byte[] token);
}
