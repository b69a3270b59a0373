package io.cachet.identity.internal;

import java.time.Clock;
import java.util.concurrent.ConcurrentHashMap;

/**
 * At most {@code max} actions per client address in each hour (fixed window), in memory, bounded to 10,000
 * addresses: keeps a script from mail-bombing a person through the fresh-link form. Thread-safe.
 */
final class HourlyLimiter {

    private final int max;
    private final Clock clock;
    private final ConcurrentHashMap<String, int[]> counts = new ConcurrentHashMap<>();
    private volatile long window;

    HourlyLimiter(int max, Clock clock) {
        this.max = max;
        this.clock = clock;
    }

    boolean allow(String client) {
        long now = clock.instant().getEpochSecond() / 3600;
        if (now != window || counts.size() >= 10_000) {
            synchronized (this) {
                if (now != window || counts.size() >= 10_000) {
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

    long retryAfterSeconds() {
        long now = clock.instant().getEpochSecond();
        return Math.max(1, (now / 3600 + 1) * 3600 - now);
    }
}
