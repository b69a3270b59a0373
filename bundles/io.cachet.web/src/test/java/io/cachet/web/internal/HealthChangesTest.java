package io.cachet.web.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The readiness watch's wake-up: it looks at bundles and components again after an event, not on a clock. */
class HealthChangesTest {

    @Test
    void anEventSinceTheLastLookReturnsAtOnce() throws InterruptedException {
        HealthServlet.Changes changes = new HealthServlet.Changes();
        long seen = changes.count();
        changes.changed();
        // would wait an hour if the event were not seen
        changes.awaitAfter(seen, TimeUnit.HOURS.toMillis(1));
        assertNotEquals(seen, changes.count());
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES) // only a guard against hanging: the wait is an hour
    void aWaitingWatchWakesOnTheNextEvent() throws InterruptedException {
        HealthServlet.Changes changes = new HealthServlet.Changes();
        long seen = changes.count();
        CountDownLatch waiting = new CountDownLatch(1);
        CountDownLatch woke = new CountDownLatch(1);
        Thread watch = new Thread(() -> {
            try {
                waiting.countDown();
                changes.awaitAfter(seen, TimeUnit.HOURS.toMillis(1));
                woke.countDown();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        watch.start();
        waiting.await();
        changes.serviceChanged(null);
        woke.await();
        assertEquals(seen + 1, changes.count());
        watch.join();
    }

    @Test
    void withoutAnEventTheWaitEndsAtItsLimit() throws InterruptedException {
        HealthServlet.Changes changes = new HealthServlet.Changes();
        long seen = changes.count();
        changes.awaitAfter(seen, 20);
        assertEquals(seen, changes.count());
    }
}
