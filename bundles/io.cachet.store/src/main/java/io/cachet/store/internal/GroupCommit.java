package io.cachet.store.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.locks.ReentrantLock;

import javax.sql.DataSource;

import io.cachet.api.store.StoreException;
import io.cachet.api.store.TransactionWork;

/**
 * Group commit for {@link JdbcDatabase#inSharedTransaction}: the calls that arrive while a transaction is being filled
 * join it, each in a savepoint of its own, and one commit makes them all durable.
 *
 * <p>Written here because nothing below offers it: JDBC and Hikari know one transaction per connection, and
 * PostgreSQL's own {@code commit_delay} groups only the WAL flushes of transactions that do not wait on each other.
 * Work that appends to the audit chain does wait: it holds the chain's head row from its append to its commit, so
 * one such transaction at a time gets through, each paying a whole commit (a WAL flush) while every other one waits.
 * Shared, a transaction pays one commit for all its work.
 *
 * <p>How: sharers take turns on the open transaction's connection (a lock), each running its work on its own
 * thread with the connection bound to it (so that nested {@code inTransaction} calls join). A sharer that finds
 * nobody waiting for a turn after its own, or the transaction full, closes it: later callers open the next one
 * (on another pooled connection, filled while this one commits), and the closer commits, then wakes the others.
 * Every sharer returns only after the commit, with its own result or exception. A transaction holds at most
 * {@link #MAX_UNITS} works: PostgreSQL keeps the sub-transactions of up to 64 savepoints per transaction in shared
 * memory, beyond which every other session's snapshots slow down (works undone count too, to keep it simple).
 *
 * <p>Thread-safe.
 */
final class GroupCommit {

    static final int MAX_UNITS = 32;

    private final DataSource pool;
    private final ThreadLocal<Connection> current;
    private final ThreadLocal<Deferrals> deferred;
    /** Run after each commit, before the sharers return (the H2 file forced to disk); throws when it fails. */
    private final Runnable committed;
    /** Whose turn it is to run work on the open transaction's connection. */
    private final ReentrantLock turn = new ReentrantLock();
    private Shared open; // guarded by turn

    GroupCommit(DataSource pool, ThreadLocal<Connection> current, ThreadLocal<Deferrals> deferred,
            Runnable committed) {
        this.pool = pool;
        this.current = current;
        this.deferred = deferred;
        this.committed = committed;
    }

    /** One transaction being filled, then committed, on its own pooled connection. */
    private final class Shared {
        final Connection connection;
        final CompletableFuture<Void> ended = new CompletableFuture<>();
        final Deferrals deferrals = new Deferrals(); // guarded by turn until closed: the kept works' items
        int units; // guarded by turn until closed: works done and kept in it
        int works; // guarded by turn: works run in it, kept or undone (each failed one after the first used a savepoint)
        boolean broken; // guarded by turn: a rollback to a savepoint failed, so nothing in it can be committed

        Shared(Connection connection) {
            this.connection = connection;
        }

        /**
         * Flushes what its works deferred and commits (rolls back when broken), hands the connection back, wakes the
         * sharers: they learn the outcome whatever happens here, an {@link Error} included.
         */
        void end() {
            Throwable failure = null;
            boolean done = false; // committed: a failure after it is not undone by a rollback
            try {
                if (broken) {
                    connection.rollback();
                } else if (units > 0) {
                    current.set(connection);
                    try {
                        deferrals.flush(connection);
                    } finally {
                        current.remove();
                    }
                    connection.commit();
                    done = true;
                    committed.run();
                }
            } catch (SQLException | RuntimeException | Error e) {
                failure = e;
                try {
                    if (!done) {
                        connection.rollback();
                    }
                } catch (SQLException again) {
                    e.addSuppressed(again);
                }
            } finally {
                try {
                    connection.setAutoCommit(true);
                    connection.close();
                } catch (SQLException e) {
                    // the pool evicts a connection that fails here; the outcome above stands
                }
                if (failure == null && !broken) {
                    ended.complete(null);
                } else {
                    ended.completeExceptionally(new StoreException(failure == null
                            ? "The database connection failed during a shared transaction: nothing of it was saved"
                            : done ? failure.getMessage() // committed, then not confirmed: its own words
                            : "The shared transaction could not be committed, nothing of it was saved: "
                                    + (failure instanceof SQLException sql ? JdbcDatabase.describe(sql)
                                            : failure.getMessage()), failure));
                }
            }
        }

        /** Waits for {@link #end}, without giving up on an interrupt (the outcome is not known before it). */
        void awaitEnd() {
            try {
                ended.join();
            } catch (CompletionException e) {
                StoreException cause = (StoreException) e.getCause();
                throw new StoreException(cause.getMessage(), cause.getCause());
            }
        }
    }

    <T> T run(TransactionWork<T> work) {
        Shared shared;
        T result = null;
        Throwable failure = null;
        boolean closer;
        turn.lock();
        try {
            if (open == null) {
                open = new Shared(begin());
            }
            shared = open;
            Connection c = shared.connection;
            // the first work needs no savepoint: when it fails, rolling the whole transaction back undoes only it
            boolean first = shared.units == 0;
            Savepoint savepoint = null;
            Deferrals own = new Deferrals();
            current.set(c);
            deferred.set(own);
            shared.works++;
            try {
                if (!first) {
                    savepoint = c.setSavepoint();
                }
                result = work.run(c);
                shared.units++;
                shared.deferrals.addAll(own);
            } catch (SQLException | RuntimeException | Error e) {
                failure = e;
                undo(shared, first, savepoint, e);
            } finally {
                deferred.remove();
                current.remove();
            }
            closer = shared.broken || shared.works >= MAX_UNITS || !turn.hasQueuedThreads();
            if (closer) {
                open = null;
            }
        } finally {
            turn.unlock();
        }
        if (closer) {
            shared.end();
        }
        if (failure != null) {
            // the work failed on its own and was undone; the others' outcome does not change that
            if (failure instanceof SQLException sql) {
                throw new StoreException(JdbcDatabase.describe(sql), sql);
            }
            if (failure instanceof RuntimeException r) {
                throw r;
            }
            throw (Error) failure;
        }
        shared.awaitEnd();
        return result;
    }

    private Connection begin() {
        try {
            Connection c = pool.getConnection();
            try {
                c.setAutoCommit(false);
            } catch (SQLException e) {
                c.close();
                throw e;
            }
            return c;
        } catch (SQLException e) {
            throw new StoreException(JdbcDatabase.describe(e), e);
        }
    }

    /** Undoes one work: to its savepoint, or the whole transaction when it was the first one in it. */
    private static void undo(Shared shared, boolean first, Savepoint savepoint, Throwable cause) {
        try {
            if (first) {
                shared.connection.rollback();
            } else if (savepoint != null) {
                shared.connection.rollback(savepoint);
            } else {
                shared.broken = true; // no savepoint could be set: the connection is not usable
            }
        } catch (SQLException e) {
            cause.addSuppressed(e);
            shared.broken = true;
        }
    }
}
