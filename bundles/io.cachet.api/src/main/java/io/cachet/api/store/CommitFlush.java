package io.cachet.api.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Writes, just before a transaction commits, the items deferred to it with {@link Database#deferToCommit}: all of
 * them in one go, so that a row every writer must lock (such as the audit chain's head) is held for one round of
 * statements at the end of the transaction instead of from its first write to its commit.
 *
 * @param <E> the items
 * @since 1.5
 */
@ConsumerType
@FunctionalInterface
public interface CommitFlush<E> {

    /**
     * @param connection the transaction's connection: must not be closed or committed
     * @param items the items deferred with this flush and kept, in the order they were deferred; never empty
     * @throws SQLException to fail the whole transaction: nothing of it is committed
     */
    void flush(Connection connection, List<E> items) throws SQLException;
}
