package io.cachet.notify.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cachet.api.audit.AuditEvent;
import io.cachet.api.audit.AuditLog;
import io.cachet.api.notify.Channel;
import io.cachet.api.notify.NotificationRecord;
import io.cachet.api.notify.NotificationStatus;
import io.cachet.api.store.Database;

/**
 * The background sender of one node. Every {@code pollInterval} (and when woken) it delivers due messages, one per
 * transaction: claim with {@code FOR UPDATE SKIP LOCKED}, deliver with the channel's transport while the row stays
 * locked, record the new state and its audit record, commit. Another node's sender skips the locked row, and a row
 * whose transaction committed is no longer PENDING: no message is delivered by two nodes. A node that dies while
 * delivering releases its lock with its connection, and the message is tried again.
 */
public final class Sender implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Sender.class);

    /** How the queue is worked. */
    public record Settings(Duration pollInterval, int batchSize, int maxAttempts, Backoff backoff) {
        public Settings {
            if (pollInterval.isNegative() || pollInterval.isZero()) {
                throw new IllegalArgumentException("pollSeconds must be 1 or more");
            }
            if (batchSize < 1 || batchSize > 1000) {
                throw new IllegalArgumentException("batchSize must be 1-1000, not " + batchSize);
            }
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("maxAttempts must be 1 or more, not " + maxAttempts);
            }
        }
    }

    private final Database database;
    private final NotificationQueue queue;
    private final Function<Channel, Transport> transports;
    private final AuditLog audit;
    private final Settings settings;
    private final Clock clock;
    private final String node;
    private final ScheduledExecutorService executor;
    private final AtomicBoolean wakeRequested = new AtomicBoolean();
    private volatile String lastError;

    public Sender(Database database, NotificationQueue queue, Function<Channel, Transport> transports, AuditLog audit,
            Settings settings, Clock clock, String node) {
        this.database = database;
        this.queue = queue;
        this.transports = transports;
        this.audit = audit;
        this.settings = settings;
        this.clock = clock;
        this.node = node;
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "cachet-notify-sender");
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts polling. */
    public Sender start() {
        long millis = settings.pollInterval().toMillis();
        executor.scheduleWithFixedDelay(this::round, 0, millis, TimeUnit.MILLISECONDS);
        return this;
    }

    /** Asks for a round soon (after a message was queued), without waiting for it. */
    public void wake() {
        if (wakeRequested.compareAndSet(false, true)) {
            try {
                executor.execute(() -> {
                    wakeRequested.set(false);
                    round();
                });
            } catch (RejectedExecutionException stopping) {
                wakeRequested.set(false);
            }
        }
    }

    private void round() {
        try {
            int done;
            do {
                done = deliverDue(settings.batchSize());
            } while (done == settings.batchSize() && !executor.isShutdown());
            lastError = null;
        } catch (RuntimeException e) {
            // caught: an exception would end the periodic task; logged once per distinct cause
            String message = "Sending notifications failed: " + e.getMessage();
            if (!message.equals(lastError)) {
                LOG.error(message);
            }
            lastError = message;
        }
    }

    /**
     * Delivers up to {@code max} due messages, each in a transaction of its own.
     *
     * @return how many were attempted
     */
    public int deliverDue(int max) {
        int n = 0;
        while (n < max && deliverOne()) {
            n++;
        }
        return n;
    }

    private boolean deliverOne() {
        return database.inTransaction(c -> {
            Instant now = clock.instant();
            Optional<NotificationRecord> claimed = queue.claimNext(c, now);
            if (claimed.isEmpty()) {
                return false;
            }
            NotificationRecord m = claimed.get();
            DeliveryResult result;
            try {
                result = transports.apply(m.channel()).deliver(m);
            } catch (RuntimeException e) {
                result = DeliveryResult.retry(e.getClass().getSimpleName() + ": " + e.getMessage());
            }
            DeliveryState next = DeliveryState.next(NotificationStatus.PENDING, m.attempts(), result,
                    settings.maxAttempts(), settings.backoff(), clock.instant());
            queue.record(c, m.id(), next, node);
            audit.append(AuditEvent.of("system", "notify." + m.channel().id() + "." + action(next.status()),
                    "notification:" + m.id(), "template=" + m.template() + "\nlanguage=" + m.language() + "\nbrand="
                            + m.brand() + "\nrecipient=" + m.recipient() + "\nattempts=" + next.attempts()
                            + (next.error() == null ? "" : "\nerror=" + next.error()) + "\nnode=" + node));
            if (next.status() == NotificationStatus.FAILED) {
                LOG.warn("Notification {} ({} {}) failed for good: {}", m.id(), m.channel().id(), m.template(),
                        next.error());
            }
            return true;
        });
    }

    private static String action(NotificationStatus status) {
        return switch (status) {
            case SENT -> "sent";
            case OUTBOX -> "outbox";
            case FAILED -> "failed";
            case PENDING -> "retry";
        };
    }

    /** Stops after the message being delivered, if any (no interrupt: it could break an embedded H2 file). */
    @Override
    public void close() {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(60, TimeUnit.SECONDS)) {
                LOG.warn("The notification sender did not stop within 60 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
