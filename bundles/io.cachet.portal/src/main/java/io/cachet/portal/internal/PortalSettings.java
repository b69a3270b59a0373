package io.cachet.portal.internal;

import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The portal's configuration, checked: a bad value is refused with the attribute named. The reminders' settings are
 * checked apart ({@link #reminders}), by the reminder job alone: a wrong one stops that job, not the pages and links
 * that the whole journey needs.
 */
record PortalSettings(String baseUrl, Duration statusLinkValidity, int submissionsPerHour) {

    /** The reminder job's settings: its thresholds in days, smallest first, and how often it looks. */
    record Reminders(List<Integer> days, int sweepSeconds) {
    }

    static final String PID = "io.cachet.portal";

    static PortalSettings of(PortalConfiguration config, String httpPort) {
        String base = config.publicBaseUrl() == null ? "" : config.publicBaseUrl().strip();
        if (base.isEmpty()) {
            base = "http://localhost:" + (httpPort == null || httpPort.isBlank() ? "8080" : httpPort.strip());
        }
        base = base.replaceAll("/+$", "");
        URI uri;
        try {
            uri = URI.create(base);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("publicBaseUrl of configuration PID " + PID + " is not a URL: " + base);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null || uri.getQuery() != null
                || uri.getFragment() != null) {
            throw new IllegalArgumentException("publicBaseUrl of configuration PID " + PID
                    + " must be an http:// or https:// URL without query, e.g. https://cachet.example.fr, not " + base);
        }
        if (config.statusLinkDays() < 1 || config.statusLinkDays() > 365) {
            throw new IllegalArgumentException("statusLinkDays of configuration PID " + PID + " must be 1 to 365");
        }
        if (config.submissionsPerHour() < 1) {
            throw new IllegalArgumentException("submissionsPerHour of configuration PID " + PID + " must be 1 or more");
        }
        return new PortalSettings(base, Duration.ofDays(config.statusLinkDays()), config.submissionsPerHour());
    }

    static Reminders reminders(PortalConfiguration config) {
        List<Integer> days = reminderDays(config.reminderDays());
        if (config.reminderSweepSeconds() < 10 || config.reminderSweepSeconds() > 86400) {
            throw new IllegalArgumentException("reminderSweepSeconds of configuration PID " + PID
                    + " must be 10 to 86400");
        }
        return new Reminders(days, config.reminderSweepSeconds());
    }

    /** "7,1" as [1, 7]: the thresholds in days, without 0s and repeats. */
    static List<Integer> reminderDays(String value) {
        String v = value == null ? "" : value.strip();
        if (!v.matches("(\\d{1,2}(\\s*[,;\\s]\\s*\\d{1,2})*)?")) {
            throw new IllegalArgumentException("reminderDays of configuration PID " + PID + " must list whole numbers"
                    + " of days from 0 to 90 separated by commas, e.g. 7,1; not '" + v + "'");
        }
        List<Integer> days = v.isEmpty() ? List.of() : Arrays.stream(v.split("[,;\\s]+")).map(Integer::valueOf)
                .toList();
        if (days.stream().anyMatch(d -> d > 90)) {
            throw new IllegalArgumentException("reminderDays of configuration PID " + PID + " must list days from 0"
                    + " to 90, not '" + v + "'");
        }
        return days.stream().filter(d -> d > 0).distinct().sorted().toList();
    }
}
