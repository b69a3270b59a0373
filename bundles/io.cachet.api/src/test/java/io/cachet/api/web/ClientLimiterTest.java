package io.cachet.api.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.cachet.api.testing.MutableClock;

class ClientLimiterTest {

    @Test
    void countsEachClientInItsHourAndRefusesBeyondTheLimit() {
        MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:59:00Z"));
        ClientLimiter limiter = new ClientLimiter(2, clock);
        assertTrue(limiter.allow("10.0.0.1"));
        assertTrue(limiter.allow("10.0.0.1"));
        assertFalse(limiter.allow("10.0.0.1"));
        assertFalse(limiter.allow("10.0.0.1"), "a refused action is not counted, but the limit stays reached");
        assertTrue(limiter.allow("10.0.0.2"), "another client has its own count");
        assertEquals(60, limiter.retryAfterSeconds());

        clock.set(Instant.parse("2026-03-01T11:00:00Z"));
        assertTrue(limiter.allow("10.0.0.1"), "a new hour starts a new window");
        assertEquals(3600, limiter.retryAfterSeconds());
    }

    @Test
    void aNullClientIsCountedAsOne() {
        ClientLimiter limiter = new ClientLimiter(1, Clock.systemUTC());
        assertTrue(limiter.allow(null));
        assertFalse(limiter.allow(null));
        assertFalse(limiter.allow(""));
    }

    @Test
    void otherWindowsAndBoundedMemory() {
        MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:10Z"));
        ClientLimiter limiter = new ClientLimiter(1, Duration.ofMinutes(1), clock);
        assertTrue(limiter.allow("a"));
        assertFalse(limiter.allow("a"));
        assertEquals(50, limiter.retryAfterSeconds());
        for (int i = 0; i < ClientLimiter.MAX_CLIENTS; i++) {
            limiter.allow("client-" + i);
        }
        assertTrue(limiter.allow("a"), "beyond the bound the window's counts are dropped");
        clock.advance(Duration.ofSeconds(60));
        assertTrue(limiter.allow("client-0"));
        assertThrows(IllegalArgumentException.class, () -> new ClientLimiter(1, Duration.ofMillis(10), clock));
    }
}
