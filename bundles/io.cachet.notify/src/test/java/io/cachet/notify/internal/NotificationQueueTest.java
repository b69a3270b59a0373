package io.cachet.notify.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.cachet.api.notify.Channel;
import io.cachet.api.notify.NotificationRecord;
import io.cachet.api.notify.NotificationStatus;
import io.cachet.store.testing.TestDatabases;

/** Claiming on H2 and PostgreSQL: a message locked by one transaction is skipped by another, never waited for. */
class NotificationQueueTest {

    @TempDir
    Path dir;

    static List<String> products() {
        return TestDatabases.products().toList();
    }

    @ParameterizedTest
    @MethodSource("products")
    void aClaimedMessageIsSkippedByOtherTransactionsAndGoneOnceRecorded(String product) throws Exception {
        try (TestDatabases.Handle h = TestDatabases.open(product, dir)) {
            NotificationQueue queue = new NotificationQueue(h.database());
            Instant t0 = Instant.parse("2026-12-02T10:00:00Z");
            String first = queue.enqueue(message("a@example.org"), t0).id();
            String second = queue.enqueue(message("b@example.org"), t0.plusSeconds(1)).id();
            String later = queue.enqueue(message("c@example.org"), t0.plusSeconds(1)).id();
            Instant now = t0.plusSeconds(2);
            h.database().inTransaction(c -> {
                // not due yet: left alone
                try (var ps = c.prepareStatement("UPDATE notify_message SET next_attempt_at = ? WHERE id = ?")) {
                    ps.setObject(1, java.time.OffsetDateTime.parse("2026-12-02T11:00:00Z"));
                    ps.setString(2, later);
                    ps.executeUpdate();
                }
                return null;
            });

            CountDownLatch claimed = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            CompletableFuture<String> holder = CompletableFuture.supplyAsync(() -> h.database().inTransaction(c -> {
                NotificationRecord m = queue.claimNext(c, now).orElseThrow();
                claimed.countDown();
                try {
                    release.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                queue.record(c, m.id(), new DeliveryState(NotificationStatus.SENT, 1, now, null), "holder");
                return m.id();
            }));
            assertTrue(claimed.await(60, TimeUnit.SECONDS));
            long start = System.nanoTime();
            Optional<String> other = h.database().inTransaction(c -> queue.claimNext(c, now).map(NotificationRecord::id));
            assertTrue(Duration.ofNanos(System.nanoTime() - start).toSeconds() < 5, "waited for the lock");
            assertEquals(Optional.of(second), other, "the locked oldest is skipped, the next due one taken");
            release.countDown();
            assertEquals(first, holder.get(60, TimeUnit.SECONDS));

            // the claim above was rolled back with its transaction: still pending; the first is done for good
            Optional<String> next = h.database().inTransaction(c -> queue.claimNext(c, now).map(NotificationRecord::id));
            assertEquals(Optional.of(second), next);
            assertEquals(NotificationStatus.SENT, queue.find(first).orElseThrow().status());
            assertEquals("holder", h.database().inTransaction(c -> {
                try (var rs = c.createStatement().executeQuery("SELECT delivered_by FROM notify_message WHERE id = '"
                        + first + "'")) {
                    rs.next();
                    return rs.getString(1);
                }
            }));
        }
    }

    private static NotificationQueue.NewMessage message(String to) {
        return new NotificationQueue.NewMessage(Channel.EMAIL, to, "notify.test", "en", "default", "s", "b", null);
    }
}
