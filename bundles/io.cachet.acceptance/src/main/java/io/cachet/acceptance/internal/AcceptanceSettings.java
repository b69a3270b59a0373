package io.cachet.acceptance.internal;

import java.time.Duration;

/** The configuration as values. */
record AcceptanceSettings(Duration linkValidity, Duration codeValidity, int maxTries, int codesPerHour, int pageDpi,
        int jobSeconds) {

    static final String PID = "io.cachet.acceptance";

    static AcceptanceSettings of(AcceptanceConfiguration c) {
        return new AcceptanceSettings(Duration.ofDays(Math.max(1, c.linkValidityDays())),
                Duration.ofMinutes(Math.max(1, c.codeMinutes())), Math.max(1, c.maxTries()),
                Math.max(1, c.codesPerHour()), Math.min(200, Math.max(48, c.pageDpi())), Math.max(1, c.jobSeconds()));
    }

    static AcceptanceSettings defaults() {
        return new AcceptanceSettings(Duration.ofDays(30), Duration.ofMinutes(10), 5, 5, 110, 30);
    }
}
