package io.cachet.notify.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.cachet.api.notify.NotificationStatus;

class BackoffAndStateTest {

    private static final Backoff BACKOFF = new Backoff(Duration.ofSeconds(60), Duration.ofHours(1));
    private static final Instant NOW = Instant.parse("2026-12-02T10:00:00Z");

    @Test
    void theWaitDoublesAfterEachFailureUpToTheLongest() {
        assertEquals(Duration.ofSeconds(60), BACKOFF.after(1));
        assertEquals(Duration.ofSeconds(120), BACKOFF.after(2));
        assertEquals(Duration.ofSeconds(240), BACKOFF.after(3));
        assertEquals(Duration.ofSeconds(1920), BACKOFF.after(6));
        assertEquals(Duration.ofHours(1), BACKOFF.after(7));
        assertEquals(Duration.ofHours(1), BACKOFF.after(1000), "no overflow");
        assertThrows(IllegalArgumentException.class, () -> BACKOFF.after(0));
        assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ofSeconds(10), Duration.ofSeconds(5)));
        assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ZERO, Duration.ofSeconds(5)));
    }

    @Test
    void aSentMessageIsSentForGood() {
        DeliveryState s = DeliveryState.next(NotificationStatus.PENDING, 2, DeliveryResult.sent(), 5, BACKOFF, NOW);
        assertEquals(new DeliveryState(NotificationStatus.SENT, 3, NOW, null), s);
    }

    @Test
    void keepingInTheOutboxIsNotAnAttempt() {
        DeliveryState s = DeliveryState.next(NotificationStatus.PENDING, 0, DeliveryResult.outbox(), 5, BACKOFF, NOW);
        assertEquals(new DeliveryState(NotificationStatus.OUTBOX, 0, NOW, null), s);
    }

    @Test
    void aTemporaryFailureIsRetriedLaterUntilTheLastAttempt() {
        DeliveryState first = DeliveryState.next(NotificationStatus.PENDING, 0, DeliveryResult.retry("503"), 3, BACKOFF, NOW);
        assertEquals(new DeliveryState(NotificationStatus.PENDING, 1, NOW.plusSeconds(60), "503"), first);
        DeliveryState second = DeliveryState.next(first.status(), first.attempts(), DeliveryResult.retry("503"), 3,
                BACKOFF, NOW);
        assertEquals(new DeliveryState(NotificationStatus.PENDING, 2, NOW.plusSeconds(120), "503"), second);
        DeliveryState last = DeliveryState.next(second.status(), second.attempts(), DeliveryResult.retry("timeout"), 3,
                BACKOFF, NOW);
        assertEquals(new DeliveryState(NotificationStatus.FAILED, 3, NOW, "gave up after 3 attempts: timeout"), last);
    }

    @Test
    void aPermanentFailureFailsAtOnce() {
        DeliveryState s = DeliveryState.next(NotificationStatus.PENDING, 0, DeliveryResult.permanent("400 bad number"), 8,
                BACKOFF, NOW);
        assertEquals(NotificationStatus.FAILED, s.status());
        assertEquals(1, s.attempts());
        assertEquals("400 bad number", s.error());
    }

    @Test
    void onlyPendingMessagesAreAttempted() {
        for (NotificationStatus done : new NotificationStatus[] {NotificationStatus.SENT, NotificationStatus.OUTBOX,
                NotificationStatus.FAILED}) {
            assertThrows(IllegalStateException.class,
                    () -> DeliveryState.next(done, 1, DeliveryResult.sent(), 8, BACKOFF, NOW));
        }
        assertNull(DeliveryState.next(NotificationStatus.PENDING, 0, DeliveryResult.sent(), 1, BACKOFF, NOW).error());
    }
}
