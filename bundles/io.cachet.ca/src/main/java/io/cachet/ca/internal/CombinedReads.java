package io.cachet.ca.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;

/**
 * Look-ups by key that threads ask at the same moment, answered by one read for all of them ("flat combining"): a
 * thread queues its key; the first that finds no read running becomes the reader, takes up to {@code maxBatch}
 * queued keys (its own among them, in queue order), reads them at once and hands each waiting thread its answer,
 * until its own is answered; then the next waiting thread reads for the keys still queued. A thread alone reads at
 * once, for itself only: no delay is added to wait for others.
 *
 * <p>Why: an OCSP answer needs its certificate's status, one statement; on PostgreSQL each is a round trip and a
 * turn of a server process, the largest part of an answer's cost after the signature. Under concurrent requests
 * one statement for several serials costs about what one for a single serial does. Written here because it is
 * small and nothing the project uses offers it (a connection pool or JDBC batch does not merge reads).
 *
 * <p>A read sees what was committed before it began; each waiting thread queued its key before that, so it never
 * gets an answer older than its own request. A read that throws throws in every thread it was reading for; the
 * next batch reads again. Thread-safe.
 *
 * @param <K> the key (equal keys in one batch are read once)
 * @param <V> the answer; a key the read does not return gets {@code null}
 */
final class CombinedReads<K, V> {

    private final Function<List<K>, Map<K, V>> read;
    private final int maxBatch;
    private final ConcurrentLinkedQueue<Waiter<K, V>> queued = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean reading = new AtomicBoolean();

    private static final class Waiter<K, V> {
        final K key;
        final Thread thread = Thread.currentThread();
        V value;
        RuntimeException failure;
        volatile boolean done; // written last: value and failure are visible once it is seen true

        Waiter(K key) {
            this.key = key;
        }
    }

    /**
     * @param read reads several distinct keys in one go: the answers of those it found
     * @param maxBatch at most this many keys per read (at least 1)
     */
    CombinedReads(Function<List<K>, Map<K, V>> read, int maxBatch) {
        if (maxBatch < 1) {
            throw new IllegalArgumentException("maxBatch must be at least 1: " + maxBatch);
        }
        this.read = Objects.requireNonNull(read, "read");
        this.maxBatch = maxBatch;
    }

    /**
     * @return the answer for {@code key}, or {@code null} when the read did not find it
     * @throws RuntimeException what the read threw
     */
    V get(K key) {
        Waiter<K, V> me = new Waiter<>(Objects.requireNonNull(key, "key"));
        queued.add(me);
        boolean interrupted = false;
        while (!me.done) {
            if (reading.compareAndSet(false, true)) {
                try {
                    while (!me.done) {
                        readBatch();
                    }
                } finally {
                    reading.set(false);
                    // a thread that queued while this one read may have parked after finding the read taken
                    Waiter<K, V> next = queued.peek();
                    if (next != null) {
                        LockSupport.unpark(next.thread);
                    }
                }
            } else {
                LockSupport.park(this);
                interrupted |= Thread.interrupted(); // else park would return at once, again and again
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (me.failure != null) {
            throw me.failure;
        }
        return me.value;
    }

    /** @return how many threads wait for a read now (for tests) */
    int queuedCount() {
        return queued.size();
    }

    /** Only the thread that holds {@link #reading}. */
    private void readBatch() {
        List<Waiter<K, V>> batch = new ArrayList<>();
        List<K> keys = new ArrayList<>();
        Waiter<K, V> w;
        while (keys.size() < maxBatch && (w = queued.poll()) != null) {
            batch.add(w);
            if (!keys.contains(w.key)) {
                keys.add(w.key);
            }
        }
        Map<K, V> answers = null;
        RuntimeException failure = null;
        Error error = null;
        try {
            answers = read.apply(List.copyOf(keys));
        } catch (RuntimeException e) {
            failure = e;
        } catch (Error e) { // the waiting threads must not wait for ever
            error = e;
            failure = new IllegalStateException("The read failed: " + e, e);
        }
        for (Waiter<K, V> each : batch) {
            if (failure != null) {
                each.failure = failure;
            } else {
                each.value = answers.get(each.key);
            }
            each.done = true;
            if (each.thread != Thread.currentThread()) {
                LockSupport.unpark(each.thread);
            }
        }
        if (error != null) {
            throw error;
        }
    }
}
