package io.cachet.store.internal;

import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicLong;

import javax.sql.DataSource;

import org.h2.mvstore.MVStore;

import io.cachet.api.store.StoreException;

/**
 * Forces an embedded H2 file to disk after each commit, before Cachet answers for it.
 *
 * <p>Why: with {@code WRITE_DELAY=0} H2 writes a commit into its file before the commit returns, but it never asks the
 * system to put the file on disk (it does so only when it closes or moves chunks): a commit then survives a
 * {@code kill -9} of Cachet, since the system still holds the write, but not a power cut, a crash of the system or a
 * reset of its virtual machine, which lose what the system had not yet written out (up to about 30 s on Linux). H2
 * has no setting for it; PostgreSQL does it at every commit by default.
 *
 * <p>How: {@link MVStore#sync()} ({@code FileChannel.force}) after the commit. Commits that end while a force is
 * under way share the next one: each commit takes a number when it has been written, and a force covers every number
 * taken before it started, so one force answers for all of them (the way a database's group commit shares a log
 * flush).
 *
 * <p>Thread-safe.
 */
final class H2CommitSync {

    private final MVStore store;
    /** Commits written so far (numbered when their commit returned). */
    private final AtomicLong written = new AtomicLong();
    private final Object forcing = new Object();
    private long forced; // guarded by forcing: every commit numbered up to this one is on disk

    private H2CommitSync(MVStore store) {
        this.store = store;
    }

    /**
     * For the H2 database behind {@code pool}.
     *
     * @return null when the database is in memory or read-only (nothing to force)
     * @throws StoreException when H2's store cannot be reached: Cachet would otherwise answer for commits a power cut
     *         could undo
     */
    static H2CommitSync start(DataSource pool) {
        try {
            MVStore store = H2Housekeeping.fileStore(pool);
            return store == null ? null : new H2CommitSync(store);
        } catch (SQLException | ReflectiveOperationException | RuntimeException e) {
            throw new StoreException("H2's file cannot be forced to disk after each commit (its store was not reached: "
                    + e + "). Use the H2 version Cachet ships, or set h2SyncCommits to false in configuration PID "
                    + "io.cachet.store to accept losing the last commits to a power cut", e);
        }
    }

    /**
     * Returns once every commit that returned before this call is on disk.
     *
     * @throws StoreException when the force fails: the commit is in H2's file and survives a crash of Cachet, but
     *         may not survive a power cut
     */
    void afterCommit() {
        long mine = written.incrementAndGet();
        synchronized (forcing) {
            if (forced >= mine) {
                return; // a force that started after this commit returned has ended
            }
            long upTo = written.get();
            try {
                store.sync();
            } catch (RuntimeException e) {
                // a store closed meanwhile included: an orderly close forces the file, one after an error does not
                throw new StoreException("The change was saved but the database file could not be forced to disk ("
                        + JdbcDatabase.rootMessage(e) + "): it survives a restart of Cachet but perhaps not a power"
                        + " cut. Check the disk that holds the data directory", e);
            }
            forced = upTo;
        }
    }
}
