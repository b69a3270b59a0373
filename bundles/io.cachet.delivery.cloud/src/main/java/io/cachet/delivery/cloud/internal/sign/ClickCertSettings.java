package io.cachet.delivery.cloud.internal.sign;

import java.time.Duration;
import java.util.Locale;

import io.cachet.api.signature.Level;

/**
 * Click&amp;Cert's settings, checked.
 *
 * @param maxUploadBytes the largest PDF accepted
 * @param level the PAdES level of the seals
 * @param history how long a signed document stays downloadable
 * @param pending how long an uploaded, unsigned document is kept
 * @param jobSeconds the purge's period
 */
public record ClickCertSettings(long maxUploadBytes, Level level, Duration history, Duration pending, int jobSeconds) {

    /** The configuration PID. */
    public static final String PID = "io.cachet.delivery.cloud.clickcert";

    public ClickCertSettings {
        if (maxUploadBytes < 1) {
            throw new IllegalArgumentException("Click&Cert's upload limit must be at least 1 byte");
        }
        if (history.isNegative() || history.isZero() || pending.isNegative() || pending.isZero()) {
            throw new IllegalArgumentException("Click&Cert's retention periods must be positive");
        }
        if (jobSeconds < 1) {
            throw new IllegalArgumentException("Click&Cert's purge period must be at least one second");
        }
    }

    static ClickCertSettings defaults() {
        return new ClickCertSettings(20L * 1024 * 1024, Level.LT, Duration.ofDays(30), Duration.ofMinutes(60), 300);
    }

    static ClickCertSettings of(ClickCertConfiguration c) {
        Level level;
        try {
            level = Level.valueOf(c.level().trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException(PID + ": level must be B, T, LT or LTA, not '" + c.level() + "'");
        }
        if (c.maxUploadMegabytes() < 1 || c.historyDays() < 1 || c.pendingMinutes() < 1 || c.jobSeconds() < 1) {
            throw new IllegalArgumentException(PID + ": maxUploadMegabytes, historyDays, pendingMinutes and jobSeconds"
                    + " must be at least 1");
        }
        return new ClickCertSettings(c.maxUploadMegabytes() * 1024L * 1024L, level, Duration.ofDays(c.historyDays()),
                Duration.ofMinutes(c.pendingMinutes()), c.jobSeconds());
    }

    /** The upload limit in whole megabytes, as pages show it. */
    public long maxUploadMegabytes() {
        return Math.max(1, maxUploadBytes / (1024 * 1024));
    }
}
