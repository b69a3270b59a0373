package io.cachet.api.web;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/**
 * At most {@code max} actions per client (for example its address) in each fixed window of time, in memory: cheap
 * protection of a public form or lookup against a script (filling a table, mail-bombing a person, guessing short
 * codes); not a substitute for a limit at the proxy. Bounded: beyond {@value #MAX_CLIENTS} clients in one window,
 * the window's counts are dropped. Thread-safe.
 */
public final class ClientLimiter {

    /** The most clients counted in one window before the counts are dropped. */
    public static final int MAX_CLIENTS = 10_000;

    private final int max;
    private final long windowSeconds;
    private final Clock clock;
    private final ConcurrentHashMap<String, int[]> counts = new ConcurrentHashMap<>();
    private volatile long window;

    /** At most {@code max} actions per client in each hour (windows aligned on the hours of the epoch). */
    public ClientLimiter(int max, Clock clock) {
        this(max, Duration.ofHours(1), clock);
    }

    /** At most {@code max} actions per client in each {@code window} (aligned on multiples of it since the epoch). */
    public ClientLimiter(int max, Duration window, Clock clock) {
        if (max < 0) {
            throw new IllegalArgumentException("the limit must not be negative");
        }
        if (window.getSeconds() < 1) {
            throw new IllegalArgumentException("the window must last at least one second");
        }
        this.max = max;
        this.windowSeconds = window.getSeconds();
        this.clock = clock;
    }

    /** Counts one action of {@code client}; false when it is over the limit (and then it is not counted). */
    public boolean allow(String client) {
        long now = clock.instant().getEpochSecond() / windowSeconds;
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

    /** Seconds until the current window ends (at least 1), for {@code Retry-After}. */
    public long retryAfterSeconds() {
        long now = clock.instant().getEpochSecond();
        return Math.max(1, (now / windowSeconds + 1) * windowSeconds - now);
    }
}
