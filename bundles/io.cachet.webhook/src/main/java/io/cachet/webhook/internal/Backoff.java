package io.cachet.webhook.internal;

import java.time.Duration;

/**
 * The retry schedule of a delivery: after the {@code n}th failed attempt the next one waits
 * {@code initial × 2^(n-1)}, at most {@code max}; after {@code maxAttempts} attempts the delivery has FAILED.
 */
record Backoff(Duration initial, Duration max, int maxAttempts) {

    Backoff {
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("back-off needs 0 < initialBackoffSeconds <= maxBackoffSeconds, not "
                    + initial.toSeconds() + " and " + max.toSeconds());
        }
        if (maxAttempts < 1 || maxAttempts > 50) {
            throw new IllegalArgumentException("maxAttempts must be 1-50, not " + maxAttempts);
        }
    }

    /** @return the wait after {@code failedAttempts} failures, or null when no attempt is left */
    Duration after(int failedAttempts) {
        if (failedAttempts < 1) {
            throw new IllegalArgumentException("failedAttempts must be 1 or more: " + failedAttempts);
        }
        if (failedAttempts >= maxAttempts) {
            return null;
        }
        long millis = initial.toMillis();
        for (int i = 1; i < failedAttempts && millis < max.toMillis(); i++) {
            millis *= 2;
        }
        return Duration.ofMillis(Math.min(millis, max.toMillis()));
    }
}
