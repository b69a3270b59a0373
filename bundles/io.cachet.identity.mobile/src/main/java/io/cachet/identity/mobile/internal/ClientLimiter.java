package io.cachet.identity.mobile.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;

/**
 * At most {@code max} actions per client address in each hour (a fixed window), in memory. Bounded: beyond 10,000
 * addresses in one window, the oldest window's counts are dropped. Bounds the guessing of short codes;
 * not a substitute for a limit at the proxy.
 * Thread-safe.
 */
final class ClientLimiter {

    static final int MAX_CLIENTS = 10_000;
    private final int max;
    private final Clock clock;
    private final ConcurrentHashMap<String, int[]> counts = new ConcurrentHashMap<>();
    private volatile long window;

    ClientLimiter(int max, Clock clock) {
        this.max = max;
        this.clock = clock;
    }

    /** Counts one action of {@code client}; false when it is over the limit (and then it is not counted). */
    boolean allow(String client) {
        long now = clock.instant().getEpochSecond() / 3600;
        if (now != window || counts.size() >= MAX_CLIENTS) {
            synchronized (this) {
                if (now != window || counts.size() >= MAX_CLIENTS) {
                    counts.clear();
                    window = now;
                }
            }
        }
        int[] n = counts.computeIfAbsent(client == null ? "" : client, k -> new int[1]);
        synchronized (n) {
            if (n[0] >= max) {
                return false;
            }
            n[0]++;
            return true;
        }
    }

    /** Seconds until the current window ends, for {@code Retry-After}. */
    long retryAfterSeconds() {
        Instant now = clock.instant();
        long next = (now.getEpochSecond() / 3600 + 1) * 3600;
        return Math.max(1, Duration.between(now, Instant.ofEpochSecond(next)).toSeconds());
    }
}
