package io.cachet.webhook.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void doublesUpToTheLongestWaitThenGivesUp() {
        Backoff b = new Backoff(Duration.ofSeconds(30), Duration.ofMinutes(5), 7);
        List<Duration> waits = new ArrayList<>();
        for (int n = 1; n < 7; n++) {
            waits.add(b.after(n));
        }
        assertEquals(List.of(Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofSeconds(120),
                Duration.ofSeconds(240), Duration.ofSeconds(300), Duration.ofSeconds(300)), waits);
        assertNull(b.after(7), "the seventh failure was the last attempt");
        assertNull(b.after(100));
    }

    @Test
    void theDefaultsSpreadTenAttemptsOverAboutFourHours() {
        Backoff b = new Backoff(Duration.ofSeconds(30), Duration.ofHours(6), 10);
        Duration total = Duration.ZERO;
        for (int n = 1; n < 10; n++) {
            total = total.plus(b.after(n));
        }
        assertEquals(Duration.ofSeconds(30 * 511), total);
    }

    @Test
    void refusesNonsense() {
        assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ZERO, Duration.ofSeconds(1), 3));
        assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1), 3));
        assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(1), 0));
        assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(1), 3)
                .after(0));
    }
}
