package io.cachet.store.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.cachet.api.store.CommitFlush;
import io.cachet.api.store.StoreException;
import io.cachet.api.store.TransactionWork;
import io.cachet.store.testing.TestDatabases;

/**
 * {@link JdbcDatabase#inSharedTransaction} and {@link JdbcDatabase#deferToCommit} on H2 and PostgreSQL. The
 * three-sharer cases make the sharing certain rather than likely: the first work holds its turn until the two others
 * are parked waiting for theirs.
 */
class GroupCommitTest {

    @TempDir
    Path temp;

    static java.util.stream.Stream<String> products() {
        return TestDatabases.products();
    }

    private static void insert(Connection c, long id) throws SQLException {
        JdbcDatabaseTest.insert(c, id, "item-" + id);
    }

    private static Set<Long> ids(JdbcDatabase db) {
        return db.inTransaction(c -> {
            Set<Long> ids = new TreeSet<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM sample_item"); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
            return ids;
        });
    }

    /** What each sharer's call gave: its work's result, or what it threw. */
    private record Outcome(Object result, Throwable thrown) {
    }

    /**
     * Runs {@code a}, {@code b} and {@code c} as sharers: {@code a} takes the turn first and starts its work only once
     * {@code b} and {@code c} are parked waiting for theirs, so that all three are in one transaction.
     *
     * @param afterA run on {@code a}'s thread as soon as its call returned
     */
    private static List<Outcome> threeSharers(JdbcDatabase db, TransactionWork<Object> a, TransactionWork<Object> b,
            TransactionWork<Object> c, Runnable afterA) throws Exception {
        List<CompletableFuture<Outcome>> outcomes = List.of(new CompletableFuture<>(), new CompletableFuture<>(),
                new CompletableFuture<>());
        Thread tb = sharer(db, b, outcomes.get(1), () -> { });
        Thread tc = sharer(db, c, outcomes.get(2), () -> { });
        Thread ta = sharer(db, connection -> {
            tb.start();
            tc.start();
            awaitParked(tb, tc);
            return a.run(connection);
        }, outcomes.get(0), afterA);
        ta.start();
        List<Outcome> result = new ArrayList<>();
        for (CompletableFuture<Outcome> f : outcomes) {
            result.add(f.get(60, java.util.concurrent.TimeUnit.SECONDS));
        }
        return result;
    }

    private static Thread sharer(JdbcDatabase db, TransactionWork<Object> work, CompletableFuture<Outcome> outcome,
            Runnable after) {
        return new Thread(() -> {
            try {
                Object r = db.inSharedTransaction(work);
                after.run();
                outcome.complete(new Outcome(r, null));
            } catch (Throwable t) {
                outcome.complete(new Outcome(null, t));
            }
        });
    }

    /** Waits (for a condition, not a time) until both threads are parked: blocked waiting for the turn. */
    private static void awaitParked(Thread... threads) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        for (Thread t : threads) {
            while (t.getState() != Thread.State.WAITING) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError(t + " never waited for its turn: " + t.getState());
                }
                Thread.onSpinWait();
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("products")
    void sharersCommitTogetherAndAFailingOneIsUndoneAlone(String product) throws Exception {
        try (var h = TestDatabases.open(product, temp)) {
            JdbcDatabase db = h.database();
            db.migrate("sample", getClass().getClassLoader(), "db/sample");
            List<Connection> seen = new CopyOnWriteArrayList<>();
            List<List<String>> flushed = new CopyOnWriteArrayList<>();
            CommitFlush<String> flush = (c, items) -> {
                flushed.add(List.copyOf(items));
                assertTrue(db.inTransactionNow(), "a flush runs inside the transaction");
                insert(c, 100 + items.size()); // written in the same transaction as the works
            };
            Set<Long> seenByA = Collections.synchronizedSet(new TreeSet<>());
            IllegalStateException refused = new IllegalStateException("b refused");
            List<Outcome> outcomes = threeSharers(db, c -> {
                seen.add(c);
                insert(c, 1);
                db.deferToCommit(flush, "a");
                return "a done";
            }, c -> {
                seen.add(c);
                insert(c, 2);
                db.deferToCommit(flush, "b");
                throw refused;
            }, c -> {
                seen.add(c);
                db.inTransaction(nested -> {
                    assertSame(c, nested, "a nested transaction joins the shared one");
                    insert(nested, 3);
                    return null;
                });
                db.deferToCommit(flush, "c");
                return "c done";
            }, () -> seenByA.addAll(ids(db)));

            assertEquals(new Outcome("a done", null), outcomes.get(0));
            assertSame(refused, outcomes.get(1).thrown(), "the failing work's own exception reaches its caller");
            assertEquals(new Outcome("c done", null), outcomes.get(2));
            assertEquals(3, seen.size());
            assertTrue(seen.get(0) == seen.get(1) && seen.get(1) == seen.get(2), "one transaction, one connection");
            assertEquals(List.of(List.of("a", "c")), flushed, "one flush, with the kept works' items in order");
            assertEquals(Set.of(1L, 3L, 102L), ids(db), "b's row is undone, a's and c's and the flush's are saved");
            assertEquals(Set.of(1L, 3L, 102L), seenByA, "a returned only after the commit that saved c's row too");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("products")
    void aFirstWorkThatFailsIsUndoneAloneAndTheOthersGoOn(String product) throws Exception {
        try (var h = TestDatabases.open(product, temp)) {
            JdbcDatabase db = h.database();
            db.migrate("sample", getClass().getClassLoader(), "db/sample");
            List<Outcome> outcomes = threeSharers(db, c -> {
                insert(c, 1);
                insert(c, 1); // a key violation: on PostgreSQL the transaction is aborted until rolled back
                return "never";
            }, c -> {
                insert(c, 2);
                return "b";
            }, c -> {
                insert(c, 3);
                return "c";
            }, () -> { });
            StoreException e = assertInstanceOf(StoreException.class, outcomes.get(0).thrown());
            assertTrue(StoreException.isUniqueViolation(e), e.getMessage());
            assertEquals("b", outcomes.get(1).result());
            assertEquals("c", outcomes.get(2).result());
            assertEquals(Set.of(2L, 3L), ids(db));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("products")
    void aFlushThatFailsFailsEverySharerAndSavesNothing(String product) throws Exception {
        try (var h = TestDatabases.open(product, temp)) {
            JdbcDatabase db = h.database();
            db.migrate("sample", getClass().getClassLoader(), "db/sample");
            CommitFlush<Long> flush = (c, items) -> insert(c, 1); // row 1 exists: the flush fails
            TransactionWork<Object> work = c -> {
                long id = 10 + ids(db).size(); // joins: sees the rows of the works before it in the transaction
                insert(c, id);
                db.deferToCommit(flush, id);
                return id;
            };
            db.inTransaction(c -> {
                insert(c, 1);
                return null;
            });
            List<Outcome> outcomes = threeSharers(db, work, work, work, () -> { });
            for (Outcome o : outcomes) {
                StoreException e = assertInstanceOf(StoreException.class, o.thrown());
                assertTrue(e.getMessage().startsWith("The shared transaction could not be committed, nothing of it was"
                        + " saved"), e.getMessage());
            }
            assertEquals(Set.of(1L), ids(db));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("products")
    void aTransactionFlushesWhatItDeferredOnceBeforeItsCommitAndNothingWhenItRollsBack(String product) {
        try (var h = TestDatabases.open(product, temp)) {
            JdbcDatabase db = h.database();
            db.migrate("sample", getClass().getClassLoader(), "db/sample");
            List<List<Long>> flushed = new CopyOnWriteArrayList<>();
            CommitFlush<Long> flush = (c, items) -> {
                flushed.add(List.copyOf(items));
                for (long id : items) {
                    insert(c, id);
                }
            };
            db.inTransaction(c -> {
                db.deferToCommit(flush, 1L);
                db.inSharedTransaction(inner -> {
                    assertSame(c, inner, "shared work inside a transaction joins it");
                    db.deferToCommit(flush, 2L);
                    return null;
                });
                assertEquals(Set.of(), ids(db), "nothing flushed before the end");
                return null;
            });
            assertEquals(List.of(List.of(1L, 2L)), flushed);
            assertThrowsIllegalState(() -> db.inTransaction(c -> {
                db.deferToCommit(flush, 3L);
                throw new IllegalStateException("rolled back");
            }));
            assertEquals(1, flushed.size(), "a rolled back transaction flushes nothing");
            db.deferToCommit(flush, 4L); // no transaction: at once
            assertEquals(List.of(4L), flushed.get(1));
            assertEquals(Set.of(1L, 2L, 4L), ids(db));
        }
    }

    private static void assertThrowsIllegalState(Runnable r) {
        try {
            r.run();
        } catch (IllegalStateException expected) {
            return;
        }
        throw new AssertionError("expected an IllegalStateException");
    }

    /**
     * Many threads sharing at once: every kept work and only those are saved, each flush gets exactly the kept works'
     * items, and the calls did share (fewer transactions than works).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("products")
    void underLoadEveryKeptWorkIsSavedWithItsDeferredItem(String product) throws Exception {
        try (var h = TestDatabases.open(product, temp)) {
            JdbcDatabase db = h.database();
            db.migrate("sample", getClass().getClassLoader(), "db/sample");
            AtomicInteger flushes = new AtomicInteger();
            CommitFlush<Long> flush = (c, items) -> {
                flushes.incrementAndGet();
                for (long id : items) {
                    insert(c, -id);
                }
            };
            int threads = 8;
            int each = 150;
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            List<Future<?>> futures = new ArrayList<>();
            Set<Long> kept = Collections.synchronizedSet(new TreeSet<>());
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    for (int i = 1; i <= each; i++) {
                        long id = thread * 1000L + i;
                        try {
                            db.inSharedTransaction(c -> {
                                insert(c, id);
                                db.deferToCommit(flush, id);
                                if (id % 7 == 0) {
                                    throw new IllegalArgumentException("refused " + id);
                                }
                                return null;
                            });
                            kept.add(id);
                        } catch (IllegalArgumentException expected) {
                            assertEquals(0, id % 7);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get(5, java.util.concurrent.TimeUnit.MINUTES);
            }
            pool.shutdown();
            Set<Long> expected = new TreeSet<>(kept);
            kept.forEach(id -> expected.add(-id));
            assertEquals(expected, ids(db));
            assertEquals(threads * each - refusedCount(threads, each), kept.size());
            assertTrue(flushes.get() < kept.size(), "the works shared transactions: " + flushes.get() + " flushes for "
                    + kept.size() + " works");
        }
    }

    private static int refusedCount(int threads, int each) {
        int n = 0;
        for (int t = 0; t < threads; t++) {
            for (int i = 1; i <= each; i++) {
                if ((t * 1000L + i) % 7 == 0) {
                    n++;
                }
            }
        }
        return n;
    }
}
