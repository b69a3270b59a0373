package io.cachet.identity.internal.evidence;

import io.cachet.api.identity.IdentityException;
import io.cachet.api.identity.MrzData;

/**
 * STUB (to be written by the evidence work): ICAO 9303 machine readable zones (TD1, TD2, TD3) and France's
 * 1994–2021 identity card (2×36), parsed and every check digit verified.
 */
public final class Mrz {

    private Mrz() {
    }

    /**
     * @param text the zone as the person typed it: lines separated by line breaks (CR/LF), spaces ignored, lower case
     *        accepted; the format is told by the line count and lengths
     * @param today to choose the birth date's century (and an expiry date's)
     * @return the data once every check digit (and the composite one) is right
     * @throws IdentityException {@code INVALID} with code {@code mrz.format} (not a zone of a known layout),
     *         {@code mrz.characters} (characters outside A–Z 0–9 <), {@code mrz.check-digit} (args: the field,
     *         e.g. {@code document-number}, {@code birth-date}, {@code expiry-date}, {@code composite}),
     *         {@code mrz.date} (an impossible date)
     */
    public static MrzData parse(String text, java.time.LocalDate today) {
        throw new UnsupportedOperationException("stub");
    }
}
