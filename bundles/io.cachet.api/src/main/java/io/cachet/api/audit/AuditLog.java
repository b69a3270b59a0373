package io.cachet.api.audit;

import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The audit log. Thread-safe; safe across several nodes sharing one database.
 *
 * <p>{@link #append} joins the caller's database transaction when there is one, so a state change and its
 * audit record commit or roll back together.
 */
@ProviderType
public interface AuditLog {

    /**
     * Appends one record, chained to the previous one.
     *
     * @return the stored record with its sequence number and hash
     * @throws io.cachet.api.store.StoreException when it could not be stored (the caller's change must then
     *         not be committed either)
     */
    AuditRecord append(AuditEvent event);

    /** Records from {@code fromSequence} (inclusive) on, in order, at most {@code max}. */
    List<AuditRecord> read(long fromSequence, int max);

    /** The newest record, if any. */
    Optional<AuditRecord> head();

    /**
     * Anchors the current chain head now with the best available {@link AuditAnchorSigner}.
     *
     * @return the anchor, or empty when the log is empty or no signer is available
     */
    Optional<AuditAnchor> anchor();

    /** Checks the whole chain and every anchor. Never throws for a broken chain: it reports it. */
    AuditVerification verify();
}
