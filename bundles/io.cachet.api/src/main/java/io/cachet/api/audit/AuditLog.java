package io.cachet.api.audit;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
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

    /**
     * Appends one record like {@link #append}, chained when the caller's database transaction commits (just before
     * it), with the other records deferred to that commit: a transaction that writes a state change and then its
     * record holds the chain's head only for the end of the transaction, so that concurrent transactions, and the
     * transactions shared by {@link io.cachet.api.store.Database#inSharedTransaction}, wait less on each other.
     * Shared work that fails drops its deferred records with its changes. Without a transaction, appends at once.
     * The records deferred by a transaction come after every record it {@link #append appended} itself, whatever the
     * order of the calls: a transaction that needs its records in the order of its calls uses one of the two only.
     *
     * <p>The default appends at once.
     *
     * @throws io.cachet.api.store.StoreException when the record could not be stored: the caller's transaction is
     *         then not committed either (when chained at its commit, the whole transaction fails)
     * @since 1.3
     */
    default void appendAtCommit(AuditEvent event) {
        append(event);
    }

    /** Records from {@code fromSequence} (inclusive) on, in order, at most {@code max}. */
    List<AuditRecord> read(long fromSequence, int max);

    /**
     * The records about any of {@code subjects} (exact subjects, e.g. {@code order:<id>}, {@code identity-case:<id>}),
     * from {@code fromSequence} (inclusive) on, in order, at most {@code max}. The audit bundle answers from an index;
     * this default, for other implementations, reads the whole log from {@code fromSequence}.
     *
     * @since 1.2
     */
    default List<AuditRecord> about(Collection<String> subjects, long fromSequence, int max) {
        if (max < 0) {
            throw new IllegalArgumentException("max must not be negative: " + max);
        }
        Set<String> wanted = Set.copyOf(subjects);
        List<AuditRecord> result = new ArrayList<>();
        long next = fromSequence;
        while (result.size() < max && !wanted.isEmpty()) {
            List<AuditRecord> page = read(next, 500);
            if (page.isEmpty()) {
                break;
            }
            for (AuditRecord r : page) {
                if (wanted.contains(r.subject()) && result.size() < max) {
                    result.add(r);
                }
            }
            next = page.get(page.size() - 1).sequence() + 1;
        }
        return List.copyOf(result);
    }

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
