package io.cachet.store.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The housekeeping H2 stops doing when every commit is written at once ({@code WRITE_DELAY=0}, which Cachet's
 * durability needs): rewriting the few live pages of old chunks so that those chunks become free and their space is
 * used again.
 *
 * <p>Why it is needed: with {@code WRITE_DELAY=0} each commit appends a chunk of its changed pages to the file (tens
 * of KB for an issuance) and H2's background thread, the only caller of its compaction, does not run. An insert under
 * a random key (a serial number) or into an index leaves a live page in almost every chunk, so no chunk ever becomes
 * free and the file grows with the number of commits rather than with the data (BENCHMARKS.md, "H2's file and its
 * chunks"), until a close compacts it for at most {@code MAX_COMPACT_TIME}.
 *
 * <p>How: a thread of its own calls {@link MVStore#compact(int, int)} at a fixed delay, as H2's background thread does
 * under load: chunks older than H2's retention time ({@code RETENTION_TIME}, 45 s by default, kept: it is what lets
 * a file survive writes the system had not yet put on disk) and below the fill rate have their live pages written
 * again, in a commit of their own, under H2's store lock. Nothing is deleted that a committed transaction needs: a
 * rewritten page is a copy, and its old chunk is freed only once the copy's chunk is written and older than the
 * retention time. H2's JDBC API gives no access to its store, so it is reached through public methods of H2's engine
 * classes by name (their package is not exported to other bundles); when that fails (another H2), nothing changes but
 * the file's growth, and a warning says so once.
 *
 * <p>Thread-safe.
 */
final class H2Housekeeping implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(H2Housekeeping.class);

    /** Compact while the live pages fill less than this share (%) of the chunks: H2's own threshold under load. */
    static final int TARGET_FILL_RATE = 80;
    /** At most this many bytes of live pages written again per round, so that a round stays short. */
    static final int WRITE_LIMIT = 1 << 20;

    private final MVStore store;
    private final ScheduledExecutorService thread;
    private volatile boolean warned;

    private H2Housekeeping(MVStore store, long periodMillis) {
        this.store = store;
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "cachet-h2-housekeeping");
            t.setDaemon(true);
            return t;
        });
        thread.scheduleWithFixedDelay(this::round, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
    }

    /**
     * Starts housekeeping for the H2 database behind {@code pool}, every {@code periodMillis}.
     *
     * @return null when {@code periodMillis} is 0, the database is in memory or read-only, or H2's store cannot be
     *         reached (logged)
     */
    static H2Housekeeping start(DataSource pool, long periodMillis) {
        if (periodMillis <= 0) {
            return null;
        }
        try {
            MVStore store = fileStore(pool);
            return store == null ? null : new H2Housekeeping(store, periodMillis); // null: nothing grows on disk
        } catch (SQLException | ReflectiveOperationException | RuntimeException e) {
            LOG.warn("H2's store could not be reached for housekeeping ({}): the database file will grow with every"
                    + " commit until the next orderly stop compacts it", e.toString());
            return null;
        }
    }

    /**
     * The store of the H2 file behind {@code pool}, or null when the database is in memory or read-only (what the
     * housekeeping and {@link H2CommitSync} act on).
     */
    static MVStore fileStore(DataSource pool) throws SQLException, ReflectiveOperationException {
        try (Connection c = pool.getConnection()) {
            MVStore store = storeOf(c);
            return store == null || store.getFileStore() == null || store.isReadOnly() ? null : store;
        }
    }

    /**
     * The store of the database {@code c} is connected to: {@code JdbcConnection.getSession()}, then the engine's
     * {@code SessionLocal.getDatabase().getStore().getMvStore()}.
     */
    static MVStore storeOf(Connection c) throws SQLException, ReflectiveOperationException {
        // by name too: its return type is in the engine's package, which the bundle cannot import
        org.h2.jdbc.JdbcConnection h2 = c.unwrap(org.h2.jdbc.JdbcConnection.class);
        Object session = h2.getClass().getMethod("getSession").invoke(h2);
        Object database = session.getClass().getMethod("getDatabase").invoke(session);
        Object store = database.getClass().getMethod("getStore").invoke(database);
        return store == null ? null : (MVStore) store.getClass().getMethod("getMvStore").invoke(store);
    }

    /**
     * One round: compact while the live pages fill less than {@link #TARGET_FILL_RATE} % of the chunks, then write
     * what moved.
     */
    void round() {
        try {
            if (store.isClosed()) {
                return;
            }
            if (store.compact(TARGET_FILL_RATE, WRITE_LIMIT)) {
                store.commit();
            }
        } catch (RuntimeException e) {
            if (store.isClosed()) {
                return; // the database closed during the round
            }
            if (!warned) {
                warned = true;
                LOG.warn("H2 housekeeping failed ({}); it is tried again, this warning is not repeated", e.toString());
            }
        }
    }

    /** Whether the thread has ended (after {@link #close}). */
    boolean stopped() {
        return thread.isTerminated();
    }

    /** Stops the thread and waits for a round in progress, so that the database can close. */
    @Override
    public void close() {
        thread.shutdown();
        try {
            if (!thread.awaitTermination(10, TimeUnit.SECONDS)) {
                thread.shutdownNow();
            }
        } catch (InterruptedException e) {
            thread.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
