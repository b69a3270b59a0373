package io.cachet.delivery.cloud.internal.space;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;

/** The configuration as values, checked: a bad value is refused with the attribute named. */
record SpaceSettings(boolean autoOpen, Duration linkValidity, Duration resetValidity, Duration idle,
        Duration absolute, int maxFailures, Duration firstLockout, Duration maxLockout, int resetsPerHour,
        String baseUrl, int jobSeconds) {

    static final String PID = "io.cachet.delivery.cloud.space";

    static SpaceSettings of(SpaceConfiguration c, String httpPort) {
        return new SpaceSettings(c.autoOpen(), Duration.ofHours(clamp(c.linkHours(), 1, 720)),
                Duration.ofMinutes(clamp(c.resetMinutes(), 5, 1440)), Duration.ofMinutes(clamp(c.idleMinutes(), 1,
                        1440)), Duration.ofHours(clamp(c.absoluteHours(), 1, 72)), clamp(c.maxFailures(), 1, 100),
                Duration.ofSeconds(Math.max(1, c.lockoutSeconds())), Duration.ofMinutes(Math.max(1,
                        c.maxLockoutMinutes())), Math.max(1, c.resetsPerHour()), baseUrl(c.publicBaseUrl(), httpPort),
                Math.max(1, c.jobSeconds()));
    }

    static SpaceSettings defaults(String baseUrl) {
        return new SpaceSettings(true, Duration.ofHours(72), Duration.ofMinutes(60), Duration.ofMinutes(15),
                Duration.ofHours(8), 5, Duration.ofSeconds(60), Duration.ofMinutes(1440), 5, baseUrl, 60);
    }

    SpaceSettings withAutoOpen(boolean open) {
        return new SpaceSettings(open, linkValidity, resetValidity, idle, absolute, maxFailures, firstLockout,
                maxLockout, resetsPerHour, baseUrl, jobSeconds);
    }

    /** The host of the public base URL: the WebAuthn relying party id. */
    String host() {
        return URI.create(baseUrl).getHost();
    }

    /** The public origin ({@code scheme://host[:port]}), which WebAuthn checks. */
    String origin() {
        URI u = URI.create(baseUrl);
        return u.getScheme() + "://" + u.getHost() + (u.getPort() < 0 ? "" : ":" + u.getPort());
    }

    private static int clamp(int v, int min, int max) {
        return Math.min(max, Math.max(min, v));
    }

    /** @throws IllegalArgumentException when the base URL is not an http(s) URL (the message names the attribute) */
    static String baseUrl(String configured, String httpPort) {
        String base = configured == null ? "" : configured.strip();
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
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null || uri.getQuery() != null
                || uri.getFragment() != null) {
            throw new IllegalArgumentException("publicBaseUrl of configuration PID " + PID + " must be an http:// or"
                    + " https:// URL without query, e.g. https://cachet.example.fr, not " + base);
        }
        return base;
    }
}
