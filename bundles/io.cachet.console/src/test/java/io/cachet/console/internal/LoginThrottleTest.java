package io.cachet.console.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

class LoginThrottleTest {

    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    @Test
    void theDelayDoublesUpToItsCeiling() {
        LoginThrottle t = new LoginThrottle(LoginThrottle.Settings.DEFAULTS);
        assertEquals(Duration.ofSeconds(1), t.delay("client:x", 1));
        assertEquals(Duration.ofSeconds(2), t.delay("client:x", 2));
        assertEquals(Duration.ofSeconds(512), t.delay("client:x", 10));
        assertEquals(Duration.ofMinutes(15), t.delay("client:x", 11));
        assertEquals(Duration.ofMinutes(15), t.delay("client:x", 1000));
        assertEquals(Duration.ofSeconds(32), t.delay("account:alice", 6));
        assertEquals(Duration.ofMinutes(1), t.delay("account:alice", 7), "accounts have a lower ceiling");
        assertEquals(Duration.ofMinutes(1), t.delay("apikey:abc", 50));
    }

    @Test
    void aQuietPeriodForgetsTheCount() {
        LoginThrottle t = new LoginThrottle(LoginThrottle.Settings.DEFAULTS);
        Instant now = T0;
        for (int i = 0; i < 6; i++) {
            t.failure(now, "account:alice");
        }
        assertEquals(Duration.ofSeconds(1), t.waitFor(now, "account:alice"));
        now = now.plus(Duration.ofMinutes(5)); // more than 4 × the account ceiling
        t.failure(now, "account:alice");
        assertEquals(Duration.ZERO, t.waitFor(now, "account:alice"), "counted from 1 again");
    }

    @Test
    void theMemoryIsBoundedAndKeepsWhoIsWaiting() {
        LoginThrottle t = new LoginThrottle(new LoginThrottle.Settings(1, Duration.ofSeconds(1), Duration.ofMinutes(15),
                Duration.ofMinutes(1), 100));
        t.failure(T0, "client:attacker");
        t.failure(T0, "client:attacker");
        for (int i = 0; i < 10_000; i++) {
            t.failure(T0, "client:10.1." + (i / 256) + "." + (i % 256));
        }
        assertTrue(t.size() <= 100, "entries: " + t.size());
        assertEquals(Duration.ofSeconds(1), t.waitFor(T0, "client:attacker"), "a waiting client is evicted last");
    }

    @Test
    void settingsAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> new LoginThrottle.Settings(0, Duration.ofSeconds(1),
                Duration.ofSeconds(1), Duration.ofSeconds(1), 100));
        assertThrows(IllegalArgumentException.class, () -> new LoginThrottle.Settings(5, Duration.ofSeconds(10),
                Duration.ofSeconds(1), Duration.ofSeconds(10), 100));
        assertThrows(IllegalArgumentException.class, () -> new LoginThrottle.Settings(5, Duration.ofSeconds(1),
                Duration.ofSeconds(1), Duration.ofSeconds(1), 10));
    }
}
