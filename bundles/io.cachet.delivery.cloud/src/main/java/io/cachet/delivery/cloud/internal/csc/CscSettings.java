package io.cachet.delivery.cloud.internal.csc;

import java.time.Duration;
import java.util.Locale;

/**
 * The CSC API's settings, checked once.
 *
 * @param token how long an access token is valid
 * @param sad how long a SAD is valid
 * @param maxSignatures the most hashes one authorisation may list
 */
public record CscSettings(Duration token, Duration sad, int maxSignatures, String name, String logo, String region,
        String lang, String description) {

    public static final String PID = "io.cachet.delivery.cloud.csc";

    public CscSettings {
        if (token.isNegative() || token.isZero() || sad.isNegative() || sad.isZero()) {
            throw new IllegalArgumentException("CSC: the token and SAD lifetimes must be positive");
        }
        if (maxSignatures < 1) {
            throw new IllegalArgumentException("CSC: maxSignatures must be at least 1, not " + maxSignatures);
        }
        name = blank(name) ? "Cachet" : name.strip();
        logo = blank(logo) ? "" : logo.strip();
        region = blank(region) ? "FR" : region.strip().toUpperCase(Locale.ROOT);
        lang = blank(lang) ? "en" : lang.strip().toLowerCase(Locale.ROOT);
        description = blank(description) ? "" : description.strip();
        if (!region.matches("[A-Z]{2}")) {
            throw new IllegalArgumentException("CSC: region must be a two-letter country code, not '" + region + "'");
        }
        if (!lang.matches("[a-z]{2}")) {
            throw new IllegalArgumentException("CSC: lang must be a two-letter language code, not '" + lang + "'");
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    public static CscSettings of(CscConfiguration c) {
        return new CscSettings(Duration.ofSeconds(c.tokenSeconds()), Duration.ofSeconds(c.sadSeconds()),
                c.maxSignatures(), c.name(), c.logo(), c.region(), c.lang(), c.description());
    }

    /** The defaults of {@link CscConfiguration}. */
    public static CscSettings defaults() {
        return new CscSettings(Duration.ofHours(1), Duration.ofMinutes(5), 100, "Cachet", "", "FR", "en",
                "Remote sealing with Cachet's cloud seals");
    }

    public CscSettings withSad(Duration d) {
        return new CscSettings(token, d, maxSignatures, name, logo, region, lang, description);
    }

    public CscSettings withMaxSignatures(int max) {
        return new CscSettings(token, sad, max, name, logo, region, lang, description);
    }
}
