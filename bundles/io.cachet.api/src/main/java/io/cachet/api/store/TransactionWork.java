package io.cachet.api.store;

import java.sql.Connection;
import java.sql.SQLException;

import org.osgi.annotation.versioning.ConsumerType;

/** A unit of work run by {@link Database#inTransaction}. The connection must not be closed or committed. */
@ConsumerType
@FunctionalInterface
public interface TransactionWork<T> {
    T run(Connection connection) throws SQLException;
}
