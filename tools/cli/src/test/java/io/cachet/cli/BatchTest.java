package io.cachet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

/** {@link Batch}: work on several threads at once, outcomes in the items' order, a failure only its item's. */
class BatchTest {

    /** Collects what the batch reports, checking that it comes on the caller's thread, in order. */
    static final class Recorder<R> implements Batch.Report<Integer, R> {
        final Thread caller = Thread.currentThread();
        final List<String> events = new ArrayList<>();

        @Override
        public void next(int index, Integer item) {
            assertEquals(caller, Thread.currentThread());
            events.add("next " + index);
        }

        @Override
        public void outcome(int index, Integer item, Batch.Outcome<R> outcome) {
            assertEquals(caller, Thread.currentThread());
            assertEquals(index, item.intValue());
            events.add(outcome.failure() == null ? index + "=" + outcome.result()
                    : index + " failed: " + outcome.failure().getMessage());
        }

        List<String> outcomes() {
            return events.stream().filter(e -> !e.startsWith("next ")).toList();
        }
    }

    /** Waits for a condition another thread brings about; failing (not hanging) when it never comes. */
    private static void await(CountDownLatch latch, String what) {
        try {
            if (!latch.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("never happened: " + what);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void twoJobsRunAtOnceAndTheLaterOneFinishingFirstIsStillReportedSecond() {
        CountDownLatch bothRunning = new CountDownLatch(2);
        CountDownLatch secondDone = new CountDownLatch(1);
        List<Integer> finished = Collections.synchronizedList(new ArrayList<>());
        Recorder<String> report = new Recorder<>();
        Batch.run(List.of(0, 1), 2, i -> {
            bothRunning.countDown();
            await(bothRunning, "both items running at once");
            if (i == 0) {
                await(secondDone, "item 1 finished before item 0");
            }
            finished.add(i);
            if (i == 1) {
                secondDone.countDown();
            }
            return "done " + i;
        }, report);
        assertEquals(List.of(1, 0), finished, "item 1 finished first");
        assertEquals(List.of("next 0", "0=done 0", "next 1", "1=done 1"), report.events);
    }

    @Test
    void aFailureInTheMiddleIsReportedAtItsPlaceAndTheOthersAreDone() {
        Recorder<Integer> report = new Recorder<>();
        Batch.run(List.of(0, 1, 2, 3, 4), 2, i -> {
            if (i == 2) {
                throw new IllegalArgumentException("not a PDF");
            }
            return i * 10;
        }, report);
        assertEquals(List.of("0=0", "1=10", "2 failed: not a PDF", "3=30", "4=40"), report.outcomes());
    }

    @Test
    void neverMoreThanJobsAtOnceNorMoreThanTwiceJobsAheadOfTheReport() {
        int jobs = 3;
        int n = 200;
        AtomicInteger running = new AtomicInteger();
        AtomicInteger mostRunning = new AtomicInteger();
        AtomicInteger started = new AtomicInteger();
        Set<String> threads = ConcurrentHashMap.newKeySet();
        List<Integer> startedWhenReported = new ArrayList<>();
        Function<Integer, Integer> work = i -> {
            started.incrementAndGet();
            threads.add(Thread.currentThread().getName());
            mostRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
            Thread.yield();
            running.decrementAndGet();
            return i;
        };
        Batch.run(IntStream.range(0, n).boxed().toList(), jobs, work, new Batch.Report<>() {
            @Override
            public void next(int index, Integer item) {
            }

            @Override
            public void outcome(int index, Integer item, Batch.Outcome<Integer> outcome) {
                assertNull(outcome.failure());
                assertEquals(index, outcome.result().intValue());
                startedWhenReported.add(started.get());
            }
        });
        assertEquals(n, startedWhenReported.size());
        assertTrue(mostRunning.get() <= jobs, "at most " + jobs + " at once, saw " + mostRunning.get());
        assertTrue(threads.size() <= jobs, threads.toString());
        for (int i = 0; i < n; i++) {
            assertTrue(startedWhenReported.get(i) <= i + 2 * jobs,
                    "item " + i + " reported when " + startedWhenReported.get(i) + " had started");
        }
    }

    @Test
    void oneJobWorksOnOneThreadInOrder() {
        List<Integer> order = Collections.synchronizedList(new ArrayList<>());
        Set<String> threads = ConcurrentHashMap.newKeySet();
        Recorder<Integer> report = new Recorder<>();
        Batch.run(List.of(0, 1, 2, 3), 1, i -> {
            order.add(i);
            threads.add(Thread.currentThread().getName());
            return i;
        }, report);
        assertEquals(List.of(0, 1, 2, 3), order);
        assertEquals(1, threads.size(), threads.toString());
        assertEquals(List.of("0=0", "1=1", "2=2", "3=3"), report.outcomes());
    }

    @Test
    void anErrorEndsTheBatchAndZeroJobsIsRefused() {
        Recorder<Integer> report = new Recorder<>();
        AssertionError e = assertThrows(AssertionError.class, () -> Batch.run(List.of(0, 1), 2, i -> {
            throw new AssertionError("out of memory, say");
        }, report));
        assertEquals("out of memory, say", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Batch.run(List.of(0), 0, i -> i, report));
    }
}
