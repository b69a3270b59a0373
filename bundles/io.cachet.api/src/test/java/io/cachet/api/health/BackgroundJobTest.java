package io.cachet.api.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

class BackgroundJobTest {

    private static final long WAIT = 10;

    @Test
    void runsOnItsNamedDaemonThreadAgainAndAgain() throws Exception {
        BlockingQueue<Thread> runs = new LinkedBlockingQueue<>();
        BackgroundJob job = new BackgroundJob("cachet-test-jobs", () -> runs.add(Thread.currentThread()), e -> {
        });
        try {
            job.schedule(0, 1, TimeUnit.MILLISECONDS);
            for (int i = 0; i < 3; i++) {
                Thread t = runs.poll(WAIT, TimeUnit.SECONDS);
                assertTrue(t != null, "run " + i + " came");
                assertEquals("cachet-test-jobs", t.getName());
                assertTrue(t.isDaemon());
            }
        } finally {
            job.stop();
        }
    }

    @Test
    void aFailureIsKeptReportedAndClearedByTheNextSuccess() {
        AtomicInteger calls = new AtomicInteger();
        List<RuntimeException> reported = new CopyOnWriteArrayList<>();
        BackgroundJob job = new BackgroundJob("cachet-test-jobs", () -> {
            if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("database down");
            }
        }, reported::add);
        try {
            assertNull(job.lastFailure(), "nothing ran yet");
            job.run(); // never throws
            assertEquals("IllegalStateException: database down", job.lastFailure());
            assertEquals(1, reported.size());
            assertEquals("database down", reported.get(0).getMessage());
            job.run();
            assertNull(job.lastFailure());
            assertEquals(1, reported.size());
        } finally {
            job.stop();
        }
    }

    @Test
    void aFailedScheduledRunDoesNotStopTheSchedule() throws Exception {
        CountDownLatch threeRuns = new CountDownLatch(3);
        BackgroundJob job = new BackgroundJob("cachet-test-jobs", () -> {
            threeRuns.countDown();
            throw new IllegalStateException("always");
        }, e -> {
        });
        try {
            job.schedule(0, 1, TimeUnit.MILLISECONDS);
            assertTrue(threeRuns.await(WAIT, TimeUnit.SECONDS), "runs went on after a failure");
            assertEquals("IllegalStateException: always", job.lastFailure());
        } finally {
            job.stop();
        }
    }

    @Test
    void schedulingAgainReplacesTheSchedule() throws Exception {
        BlockingQueue<Long> runs = new LinkedBlockingQueue<>();
        BackgroundJob job = new BackgroundJob("cachet-test-jobs", () -> runs.add(System.nanoTime()), e -> {
        });
        try {
            job.schedule(1, 1, TimeUnit.HOURS);
            job.schedule(0, 1, TimeUnit.MILLISECONDS);
            for (int i = 0; i < 2; i++) {
                assertTrue(runs.poll(WAIT, TimeUnit.SECONDS) != null, "the new schedule ran, not the hour's");
            }
        } finally {
            job.stop();
        }
    }

    @Test
    void runSoonAndRunAfterRunOnTheJobsThread() throws Exception {
        BlockingQueue<String> runs = new LinkedBlockingQueue<>();
        BackgroundJob job = new BackgroundJob("cachet-test-jobs", () -> runs.add(Thread.currentThread().getName()),
                e -> {
                });
        try {
            job.runSoon();
            assertEquals("cachet-test-jobs", runs.poll(WAIT, TimeUnit.SECONDS));
            job.runAfter(1, TimeUnit.MILLISECONDS);
            assertEquals("cachet-test-jobs", runs.poll(WAIT, TimeUnit.SECONDS));
        } finally {
            job.stop();
        }
    }

    @Test
    void stopInterruptsARunWaitsForItAndRefusesMore() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        BackgroundJob job = new BackgroundJob("cachet-test-jobs", () -> {
            started.countDown();
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                interrupted.countDown();
            }
        }, e -> {
        });
        job.runSoon();
        assertTrue(started.await(WAIT, TimeUnit.SECONDS));
        assertTrue(job.stop(WAIT, TimeUnit.SECONDS), "the thread ended");
        assertEquals(0, interrupted.getCount(), "the run was interrupted");
        assertThrows(RejectedExecutionException.class, job::runSoon);
        assertThrows(RejectedExecutionException.class, () -> job.schedule(1, 1, TimeUnit.SECONDS));
    }

    @Test
    void aNonPositiveDelayIsRefused() {
        BackgroundJob job = new BackgroundJob("cachet-test-jobs", () -> {
        }, e -> {
        });
        try {
            assertThrows(IllegalArgumentException.class, () -> job.schedule(0, 0, TimeUnit.SECONDS));
        } finally {
            job.stop();
        }
    }
}
