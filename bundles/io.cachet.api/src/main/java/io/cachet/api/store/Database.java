package io.cachet.api.store;

import javax.sql.DataSource;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The database of this Cachet deployment.
 *
 * <p>Thread-safe. A module first calls {@link #migrate} with its own migration scripts, then works inside
 * {@link #inTransaction}. Nested calls on the same thread join the outer transaction, so a service can call
 * another service's transactional method and both commit or roll back together.
 */
@ProviderType
public interface Database {

    /**
     * Applies the module's pending migrations ({@code V1__name.sql}, {@code V2__...}) found under
     * {@code location} in {@code loader}. Each module has its own history, so modules evolve independently.
     * Idempotent: already-applied scripts are skipped; a script whose content changed after it was applied
     * fails with a {@link StoreException} that names it.
     *
     * @param module short module name, lower case letters, digits and underscore (e.g. {@code audit})
     * @param loader class loader that sees the scripts (usually the calling bundle's)
     * @param location folder of the scripts inside {@code loader}, e.g. {@code db/audit}
     * @throws StoreException when the database is unreachable or a script fails
     */
    void migrate(String module, ClassLoader loader, String location);

    /**
     * Runs {@code work} in a transaction: commits when it returns, rolls back when it throws. When this
     * thread already runs a transaction, {@code work} joins it.
     *
     * @throws StoreException wrapping any {@link java.sql.SQLException}, with the original as cause
     */
    <T> T inTransaction(TransactionWork<T> work);

    /**
     * Runs {@code work} like {@link #inTransaction}, in a transaction that other threads' calls of this method may
     * share (group commit): the calls that arrive while one is open join it, and one commit ends them all. For short,
     * frequent work that would otherwise pass one commit at a time, such as work that appends to the audit log
     * (whose chain head each transaction holds until it ends).
     *
     * <p>The work runs on the calling thread, in a savepoint of its own: when it throws, only its changes are undone
     * and its caller gets its exception. The call returns only after the shared transaction ended, so a return means
     * the work is committed; when that commit fails, every sharer whose work it held gets a {@link StoreException}
     * and nothing of theirs is saved. Sharers take turns on one connection, so the work should do its slow parts
     * (signing, parsing) before the call and only its statements inside. When this thread already runs a
     * transaction, {@code work} joins it.
     *
     * <p>The default runs {@code work} in a transaction of its own.
     *
     * @throws StoreException wrapping any {@link java.sql.SQLException}, with the original as cause
     * @since 1.5
     */
    default <T> T inSharedTransaction(TransactionWork<T> work) {
        return inTransaction(work);
    }

    /**
     * Defers {@code item} to the end of the calling thread's transaction: just before it commits, {@code flush} is
     * called once with every item deferred to it with the same {@code flush} (compared by identity) and kept, in the
     * order they were deferred. An item deferred by shared work ({@link #inSharedTransaction}) that failed is dropped
     * with that work's changes. When a flush throws, the transaction is rolled back. Without a transaction on this
     * thread, {@code flush} is called at once with {@code item} alone, in a transaction of its own.
     *
     * <p>The default flushes at once, inside the caller's transaction if there is one.
     *
     * @throws StoreException wrapping any {@link java.sql.SQLException} of a flush run at once
     * @since 1.5
     */
    default <E> void deferToCommit(CommitFlush<E> flush, E item) {
        inTransaction(c -> {
            flush.flush(c, java.util.List.of(item));
            return null;
        });
    }

    /**
     * Runs {@code work} that reads with <em>one</em> statement, without a transaction of its own: the statement
     * commits by itself (auto-commit), so a PostgreSQL server is asked once instead of twice (the query, then its
     * commit). For hot look-ups such as an OCSP status. Each statement sees its own snapshot, so work that needs
     * several statements to agree, or that writes, uses {@link #inTransaction}. When this thread already runs a
     * transaction, {@code work} joins it and sees its changes.
     *
     * @throws StoreException wrapping any {@link java.sql.SQLException}, with the original as cause
     * @since 1.2
     */
    <T> T read(TransactionWork<T> work);

    /**
     * @return whether the calling thread is inside {@link #inTransaction} (so that {@link #read} would join that
     *         transaction and see its uncommitted changes). Lets a service that answers several threads' reads with
     *         one statement keep a transaction's own reads out of it.
     * @since 1.3
     */
    boolean inTransactionNow();

    /** Current state of the database, for health reporting. Never throws. */
    StoreStatus status();

    /** The pooled data source, for libraries that need one. Callers must close what they open. */
    DataSource dataSource();

    /** The product in use: {@code "H2"} or {@code "PostgreSQL"}. */
    String product();
}
