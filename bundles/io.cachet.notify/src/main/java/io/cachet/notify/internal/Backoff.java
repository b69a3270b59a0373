package io.cachet.notify.internal;

import java.time.Duration;

/**
 * Exponential back-off: the wait after the {@code n}th failed attempt is {@code initial × 2^(n-1)}, at most
 * {@code max}. No jitter: the queue is polled, so nodes do not retry in lock-step anyway.
 */
public record Backoff(Duration initial, Duration max) {

    public Backoff {
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("back-off needs 0 < initial <= max, not " + initial + " and " + max);
        }
    }

    /** The wait before the next attempt after {@code failedAttempts} (1 or more) failed attempts. */
    public Duration after(int failedAttempts) {
        if (failedAttempts < 1) {
            throw new IllegalArgumentException("failedAttempts must be 1 or more: " + failedAttempts);
        }
        int shift = Math.min(failedAttempts - 1, 62);
        long millis = initial.toMillis();
        // doubling until max without overflowing
        for (int i = 0; i < shift && millis < max.toMillis(); i++) {
            millis = millis > Long.MAX_VALUE / 2 ? Long.MAX_VALUE : millis * 2;
        }
        return Duration.ofMillis(Math.min(millis, max.toMillis()));
    }
}
