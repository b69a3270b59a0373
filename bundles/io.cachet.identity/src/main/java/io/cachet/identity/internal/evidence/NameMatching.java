package io.cachet.identity.internal.evidence;

import java.util.List;

/**
 * STUB (to be written by the evidence work): whether names typed in an order and names read from a document's zone
 * are the same person's, after normalisation (accents and case removed, hyphens, apostrophes and spaces as
 * fillers, several given names).
 */
public final class NameMatching {

    private NameMatching() {
    }

    /** @return the name as an MRZ writes it: upper case A–Z, other separators as single spaces, trimmed */
    public static String normalise(String name) {
        throw new UnsupportedOperationException("stub");
    }

    /** @return whether the order's surname and the zone's primary identifier match (a truncated zone name matches its prefix) */
    public static boolean sameSurname(String expected, String read) {
        throw new UnsupportedOperationException("stub");
    }

    /**
     * @param expected the order's given names, as typed (one string, several names separated by spaces or commas)
     * @param read the zone's given names in order
     * @return whether they match: the first given name must match, and every name of the order must be on the document
     *         (a document may carry more given names than the order)
     */
    public static boolean sameGivenNames(String expected, List<String> read) {
        throw new UnsupportedOperationException("stub");
    }
}
