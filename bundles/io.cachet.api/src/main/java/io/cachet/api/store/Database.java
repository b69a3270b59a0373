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
