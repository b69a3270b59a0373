package io.cachet.audit.internal;

import java.util.Objects;

import io.cachet.api.audit.AuditAnchor;

/**
 * An anchor with what chains it: the id of the audit chain it vouches for and the hash of the anchor before it
 * ({@code previous}: {@link AuditEncoding#GENESIS} for the first; null for an anchor made before anchors were
 * chained, whose statement is the older {@code cachet.audit.anchor.v1}).
 */
record ChainedAnchor(String chainId, AuditAnchor anchor, String previous) {

    ChainedAnchor {
        Objects.requireNonNull(anchor, "anchor");
    }

    boolean chained() {
        return previous != null;
    }

    long sequence() {
        return anchor.sequence();
    }

    /** The bytes the signer signed. */
    byte[] statement() {
        return chained()
                ? AuditEncoding.anchorStatement(chainId, anchor.sequence(), anchor.headHash(), anchor.time(), previous)
                : AuditEncoding.anchorStatement(anchor.sequence(), anchor.headHash(), anchor.time());
    }

    /** What the next anchor names as its previous one; null for an unchained (v1) anchor. */
    String hash() {
        return chained() ? AuditEncoding.anchorHash(chainId, anchor.sequence(), anchor.headHash(), anchor.time(),
                previous, anchor.signer(), anchor.token()) : null;
    }

    /** For an operator: "the anchor of record 12 made at 2026-... by ed25519-local". */
    String describe() {
        return "the anchor of record " + anchor.sequence() + " made at " + AuditEncoding.time(anchor.time()) + " by "
                + anchor.signer();
    }
}
