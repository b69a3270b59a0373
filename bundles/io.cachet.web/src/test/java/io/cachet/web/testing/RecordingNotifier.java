package io.cachet.web.testing;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

import io.cachet.api.notify.Notification;
import io.cachet.api.notify.NotificationException;
import io.cachet.api.notify.NotificationRecord;
import io.cachet.api.notify.Notifier;

/**
 * A notifier for modules' tests that records what it is asked to queue instead of rendering and queueing it (the
 * real one is proven in the notify module and the ITs; {@link TestEmails} renders what was recorded). As the real
 * one, a notification whose idempotency key was already used queues nothing and gets the first one's id. Thread-safe.
 */
public final class RecordingNotifier implements Notifier {

    /** What was queued, in order. */
    public final List<Notification> sent = new CopyOnWriteArrayList<>();
    /** For each notification queued, what the probe given to the constructor said then; empty without a probe. */
    public final List<Boolean> inTransaction = new CopyOnWriteArrayList<>();
    /** While true, {@link #send} throws {@link NotificationException} and records nothing. */
    public volatile boolean down;
    /** The notifications refused as when {@link #down} (e.g. those of one order); none by default. */
    public volatile Predicate<Notification> refuses = n -> false;

    private final BooleanSupplier probe;
    private final Map<String, String> idsByKey = new HashMap<>();
    private int count;

    public RecordingNotifier() {
        this(null);
    }

    /** @param probe asked at each notification queued, e.g. whether the caller's transaction is open */
    public RecordingNotifier(BooleanSupplier probe) {
        this.probe = probe;
    }

    @Override
    public synchronized String send(Notification notification) {
        if (down || refuses.test(notification)) {
            throw new NotificationException("the queue cannot take " + notification.template() + " now");
        }
        String key = notification.idempotencyKey();
        if (key != null && idsByKey.containsKey(key)) {
            return idsByKey.get(key);
        }
        String id = "msg-" + ++count;
        if (probe != null) {
            inTransaction.add(probe.getAsBoolean());
        }
        sent.add(notification);
        if (key != null) {
            idsByKey.put(key, id);
        }
        return id;
    }

    /** None: nothing is delivered. */
    @Override
    public Optional<NotificationRecord> find(String id) {
        return Optional.empty();
    }

    /** What was queued from {@code template}, in order. */
    public List<Notification> of(String template) {
        return sent.stream().filter(n -> n.template().equals(template)).toList();
    }
}
