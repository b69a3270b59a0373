package io.cachet.cli;

import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Does one piece of work per item on a fixed number of threads and reports the outcomes on the calling thread in
 * the items' order, whatever finishes first. A failed item is reported as such and the others go on.
 *
 * <p>Memory stays bounded: at most {@code 2 × jobs} items are handed to the threads ahead of the next one to
 * report, and only {@code jobs} of them run (hold their file) at once; an item waiting for its turn to be reported
 * keeps only its small result.
 */
final class Batch {

    /** What happened to one item: its result, or what it failed with (never both). */
    record Outcome<R>(R result, RuntimeException failure) {
    }

    /** Told about each item, in the items' order, on the thread that called {@link #run}. */
    interface Report<T, R> {
        /** The item is the next one to be reported: the others before it are done. */
        void next(int index, T item);

        void outcome(int index, T item, Outcome<R> outcome);
    }

    private Batch() {
    }

    /**
     * @param jobs how many items are worked on at once, at least 1
     * @throws Error an {@link Error} thrown by the work (out of memory, a class missing) ends the batch
     * @throws IllegalStateException when the calling thread is interrupted (the running work is interrupted too)
     */
    static <T, R> void run(List<T> items, int jobs, Function<T, R> work, Report<T, R> report) {
        if (jobs < 1) {
            throw new IllegalArgumentException("jobs must be at least 1, not " + jobs);
        }
        int threads = Math.min(jobs, Math.max(1, items.size()));
        int ahead = 2 * threads;
        ExecutorService pool = Executors.newFixedThreadPool(threads, named());
        ArrayDeque<Future<R>> pending = new ArrayDeque<>(ahead);
        int submitted = 0;
        try {
            for (int i = 0; i < items.size(); i++) {
                while (submitted < items.size() && pending.size() < ahead) {
                    T item = items.get(submitted++);
                    pending.add(pool.submit(() -> work.apply(item)));
                }
                report.next(i, items.get(i));
                report.outcome(i, items.get(i), outcome(pending.remove()));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static <R> Outcome<R> outcome(Future<R> future) {
        try {
            return new Outcome<>(future.get(), null);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException failure) {
                return new Outcome<>(null, failure);
            }
            if (cause instanceof Error error) {
                throw error;
            }
            // Function.apply throws no checked exceptions: only a sneaky throw gets here
            return new Outcome<>(null, new IllegalStateException(cause.toString(), cause));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Daemon threads: a stuck token or server never keeps the command from ending. */
    private static ThreadFactory named() {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "cachet-batch-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
