package io.cachet.ca.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Threads that ask at the same moment share one read; each gets its own answer, or the read's failure. */
class CombinedReadsTest {

    private final ExecutorService threads = Executors.newCachedThreadPool();
    /** The keys of each read, in order. */
    private final List<List<String>> reads = Collections.synchronizedList(new ArrayList<>());

    @AfterEach
    void stop() {
        threads.shutdownNow();
    }

    /** Answers "value of k" for every key but "missing". */
    private Map<String, String> answer(List<String> keys) {
        reads.add(keys);
        Map<String, String> answers = new HashMap<>();
        for (String k : keys) {
            if (!k.equals("missing")) {
                answers.put(k, "value of " + k);
            }
        }
        return answers;
    }

    /**
     * A read that, the first time, waits until {@code others} more threads have queued behind the one reading,
     * so that they must share the next read.
     */
    private Function<List<String>, Map<String, String>> firstWaitsFor(CombinedReads<String, String>[] self,
            int others, CountDownLatch firstStarted) {
        return keys -> {
            if (reads.isEmpty()) {
                firstStarted.countDown();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (self[0].queuedCount() < others) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("the other threads did not queue");
                    }
                    Thread.onSpinWait();
                }
            }
            return answer(keys);
        };
    }

    private record Started(CombinedReads<String, String> reads, Future<String> first) {
    }

    /**
     * A first thread asking {@code firstKey}, whose read (wrapped by {@code around}) waits until {@code others}
     * more threads have queued; returns once that read has begun.
     */
    @SuppressWarnings("unchecked")
    private Started startFirst(String firstKey, int others, int maxBatch,
            UnaryOperator<Function<List<String>, Map<String, String>>> around) throws Exception {
        CombinedReads<String, String>[] self = new CombinedReads[1];
        CountDownLatch firstStarted = new CountDownLatch(1);
        self[0] = new CombinedReads<>(around.apply(firstWaitsFor(self, others, firstStarted)), maxBatch);
        Future<String> first = threads.submit(() -> self[0].get(firstKey));
        assertTrue(firstStarted.await(30, TimeUnit.SECONDS));
        return new Started(self[0], first);
    }

    /** Each key asked by a thread of its own, in order; their answers to come. */
    private List<Future<String>> ask(CombinedReads<String, String> combined, List<String> keys) {
        List<Future<String>> answers = new ArrayList<>();
        for (String key : keys) {
            answers.add(threads.submit(() -> combined.get(key)));
        }
        return answers;
    }

    @Test
    void aThreadAloneReadsAtOnceForItselfOnly() {
        CombinedReads<String, String> combined = new CombinedReads<>(this::answer, 8);
        assertEquals("value of a", combined.get("a"));
        assertNull(combined.get("missing"));
        assertEquals(List.of(List.of("a"), List.of("missing")), reads);
    }

    @Test
    void threadsAskingWhileAReadRunsShareTheNextOne() throws Exception {
        Started started = startFirst("k0", 5, 8, read -> read);
        CombinedReads<String, String> combined = started.reads();
        Future<String> first = started.first();
        List<Future<String>> others = ask(combined, List.of("k1", "k2", "k3", "k4", "k5"));
        assertEquals("value of k0", first.get(30, TimeUnit.SECONDS));
        for (int i = 1; i <= 5; i++) {
            assertEquals("value of k" + i, others.get(i - 1).get(30, TimeUnit.SECONDS));
        }
        assertEquals(2, reads.size(), "one read for the first thread, one for the five that queued: " + reads);
        assertEquals(List.of("k0"), reads.get(0));
        assertEquals(Set.of("k1", "k2", "k3", "k4", "k5"), new HashSet<>(reads.get(1)));
        assertEquals(0, combined.queuedCount());
    }

    @Test
    void aReadTakesAtMostMaxBatchKeysAndEqualKeysOnce() throws Exception {
        Started started = startFirst("first", 6, 2, read -> read);
        CombinedReads<String, String> combined = started.reads();
        Future<String> first = started.first();
        List<String> keys = List.of("a", "a", "b", "c", "missing", "d");
        List<Future<String>> others = ask(combined, keys);
        assertEquals("value of first", first.get(30, TimeUnit.SECONDS));
        for (int i = 0; i < keys.size(); i++) {
            String key = keys.get(i);
            assertEquals(key.equals("missing") ? null : "value of " + key, others.get(i).get(30, TimeUnit.SECONDS));
        }
        List<String> read = new ArrayList<>();
        for (List<String> r : reads.subList(1, reads.size())) {
            assertTrue(r.size() <= 2, "at most two keys per read: " + reads);
            assertEquals(new HashSet<>(r).size(), r.size(), "no key twice in one read: " + reads);
            read.addAll(r);
        }
        assertTrue(read.containsAll(Set.of("a", "b", "c", "d", "missing")), reads.toString());
    }

    @Test
    void aFailedReadFailsInEveryThreadItReadForAndTheNextReadsAgain() throws Exception {
        IllegalStateException down = new IllegalStateException("database down");
        boolean[] failing = { true };
        Started started = startFirst("k0", 3, 8, waits -> keys -> {
            Map<String, String> answers = waits.apply(keys);
            if (failing[0] && reads.size() == 2) {
                throw down; // the second read: the three queued threads'
            }
            return answers;
        });
        CombinedReads<String, String> combined = started.reads();
        Future<String> first = started.first();
        List<Future<String>> others = ask(combined, List.of("k1", "k2", "k3"));
        assertEquals("value of k0", first.get(30, TimeUnit.SECONDS));
        for (Future<String> f : others) {
            java.util.concurrent.ExecutionException e = assertThrows(java.util.concurrent.ExecutionException.class,
                    () -> f.get(30, TimeUnit.SECONDS));
            assertSame(down, e.getCause());
        }
        failing[0] = false;
        assertEquals("value of k1", combined.get("k1"));
    }

    @Test
    void manyThreadsEachGetTheirOwnAnswers() throws Exception {
        CombinedReads<String, String> combined = new CombinedReads<>(this::answer, 4);
        List<Future<Boolean>> all = new ArrayList<>();
        CountDownLatch go = new CountDownLatch(1);
        for (int t = 0; t < 16; t++) {
            int thread = t;
            all.add(threads.submit(() -> {
                go.await();
                for (int i = 0; i < 500; i++) {
                    String key = "t" + thread + "-" + (i % 7);
                    if (!("value of " + key).equals(combined.get(key))) {
                        return false;
                    }
                }
                return true;
            }));
        }
        go.countDown();
        for (Future<Boolean> f : all) {
            assertTrue(f.get(60, TimeUnit.SECONDS));
        }
        assertEquals(0, combined.queuedCount());
        int keys = 0;
        synchronized (reads) {
            for (List<String> r : reads) {
                assertTrue(r.size() <= 4, r.toString());
                keys += r.size();
            }
        }
        assertTrue(keys <= 16 * 500, "no key read twice for one request");
    }
}
