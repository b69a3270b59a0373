package io.cachet.bench;

import java.util.concurrent.Phaser;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * The raw limit measured in the fork of our path, right after each of its iterations. JMH measures each
 * {@code @Benchmark} method in forks of its own, one after the other, so a separate raw benchmark would be measured
 * seconds or minutes apart from our path, in another JVM, at another moment of a shared machine's load. Instead each
 * benchmark class has a thread-scoped {@code @AuxCounters} state whose iteration tear-down calls {@link #rate}: once
 * the iteration of our path has ended on every thread (JMH's tear-down barrier), each benchmark thread runs the raw
 * operation for a fixed window and reports its own rate; JMH sums the threads' rates into the iteration's secondary
 * result {@code raw}, one figure per measured iteration beside our path's in the JSON results ({@link Report} pairs
 * them iteration by iteration).
 *
 * <p>One instance per benchmark-scoped state (the key's fixture): each benchmark thread {@link #join joins} it once,
 * and {@link #rate} returns only when every thread's window is over, so that no thread goes on to the trial's
 * tear-down (which closes the token) while another still signs in its window.
 */
final class RawLimit {

    /** The raw window after a measured iteration (the iterations of our path last 5 s). */
    static final long MEASURED_NANOS = TimeUnit.MILLISECONDS.toNanos(1_000);
    /** After a warm-up iteration: enough to compile the raw path, not reported. */
    static final long WARMUP_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    /** Keeps the results alive so that the JIT cannot drop the operation. */
    static volatile long sink;

    /** A raw operation; its result is consumed. */
    @FunctionalInterface
    interface Operation {
        byte[] run() throws Exception;
    }

    private final Phaser threads = new Phaser();

    /** Counts the calling benchmark thread among those whose windows {@link #rate} waits for. */
    void join() {
        threads.register();
    }

    /**
     * Operations per second of {@code operation} on this thread for the window that suits {@code iteration};
     * returns once every joined thread has finished its window.
     */
    double rate(IterationParams iteration, Operation operation) throws Exception {
        long window = iteration.getType() == IterationType.WARMUP ? WARMUP_NANOS : MEASURED_NANOS;
        long ops = 0;
        long bytes = 0;
        long start = System.nanoTime();
        long elapsed;
        do {
            bytes += operation.run().length;
            ops++;
            elapsed = System.nanoTime() - start;
        } while (elapsed < window);
        sink += bytes;
        threads.arriveAndAwaitAdvance();
        return ops * 1e9 / elapsed;
    }
}
