package io.cachet.identity.internal.evidence;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Whether names typed in an order and names read from a document's zone are the same person's, after normalisation
 * (accents and case removed, hyphens, apostrophes and spaces as fillers, several given names).
 *
 * <p>A zone writes names in A–Z only (ICAO 9303-3 §6): accents dropped, some letters transliterated (Æ → AE,
 * Œ → OE, ß → SS, Þ → TH…), and for Ä, Ö, Ü, Å, Ø states choose between the plain letter and the recommended
 * AE, OE, UE, AA, OE (Germany writes MUELLER, France would write MULLER): both spellings of the order's name are
 * tried. Separators (hyphen, apostrophe, space, comma) become fillers; ICAO also lets a state omit the apostrophe
 * (D'ARTAGNAN → DARTAGNAN), so names also match when they differ only by their separators.
 */
public final class NameMatching {

    /** The shortest name field among the layouts (FR-CNI's surname): a zone name this long may have been cut. */
    private static final int SHORTEST_NAME_FIELD = 25;

    private NameMatching() {
    }

    /** @return the name as an MRZ writes it: upper case A–Z, other separators as single spaces, trimmed */
    public static String normalise(String name) {
        return normalise(name, false);
    }

    /**
     * @return whether the order's surname and the zone's primary identifier match (a truncated zone name matches its
     *         prefix); without knowing the zone's field, a zone name of 25 characters or more (FR-CNI's surname
     *         field, the shortest) is taken as possibly cut — {@link #sameSurname(String, String, boolean)} when the
     *         caller knows
     */
    public static boolean sameSurname(String expected, String read) {
        return sameSurname(expected, read, read != null && normalise(read).length() >= SHORTEST_NAME_FIELD);
    }

    /**
     * @param truncated whether the zone's name field was full, so the name may have been cut at its end
     * @return whether the order's surname and the zone's primary identifier match: equal after normalisation (or
     *         equal but for separators), or, when {@code truncated}, the zone's name is the start of the order's
     */
    public static boolean sameSurname(String expected, String read, boolean truncated) {
        if (expected == null || read == null) {
            return false;
        }
        String zone = normalise(read);
        String zoneCompact = zone.replace(" ", "");
        if (zoneCompact.isEmpty()) {
            return false;
        }
        for (String variant : variants(expected)) {
            String compact = variant.replace(" ", "");
            if (compact.equals(zoneCompact)) {
                return true;
            }
            if (truncated && (variant.startsWith(zone) || compact.startsWith(zoneCompact))) {
                return true;
            }
        }
        return false;
    }

    /**
     * @param expected the order's given names, as typed (one string, several names separated by spaces or commas)
     * @param read the zone's given names in order
     * @return whether they match: the first given name must match, and every name of the order must be on the document
     *         (a document may carry more given names than the order); names are compared word by word (a
     *         compound name, Jean-Pierre, is two words). Without knowing the zone's field, the zone's last name is
     *         not taken as cut — {@link #sameGivenNames(String, List, boolean)} when the caller knows.
     */
    public static boolean sameGivenNames(String expected, List<String> read) {
        return sameGivenNames(expected, read, false);
    }

    /**
     * @param truncated whether the zone's name field was full: its last word may then be the start of one of the
     *        order's names (and the order's names after it may be missing from the zone)
     * @return as {@link #sameGivenNames(String, List)}; no given names on either side match only no given names on the
     *         other
     */
    public static boolean sameGivenNames(String expected, List<String> read, boolean truncated) {
        List<String> zone = new ArrayList<>();
        if (read != null) {
            for (String name : read) {
                for (String word : normalise(name).split(" ")) {
                    if (!word.isEmpty()) {
                        zone.add(word);
                    }
                }
            }
        }
        for (String variant : variants(expected == null ? "" : expected)) {
            List<String> order = new ArrayList<>();
            for (String word : variant.split(" ")) {
                if (!word.isEmpty()) {
                    order.add(word);
                }
            }
            if (matches(order, zone, truncated)) {
                return true;
            }
        }
        return false;
    }

    private static boolean matches(List<String> order, List<String> zone, boolean truncated) {
        if (order.isEmpty() || zone.isEmpty()) {
            return order.isEmpty() && zone.isEmpty();
        }
        String cut = truncated ? zone.get(zone.size() - 1) : null;
        List<String> left = new ArrayList<>(zone);
        if (cut != null) {
            left.remove(left.size() - 1);
        }
        boolean first = true;
        for (String word : order) {
            boolean whole = first ? !left.isEmpty() && left.get(0).equals(word) : left.contains(word);
            if (whole) {
                left.remove(word);
            } else if (cut != null && word.startsWith(cut) && (!first || left.isEmpty())) {
                // the zone's field ended inside this name: the names the order has after it cannot be checked
                return true;
            } else {
                return false;
            }
            first = false;
        }
        return true;
    }

    /** The order's name as a zone may write it: plain letters, and ICAO's recommended AE/OE/UE/AA if it differs. */
    private static Set<String> variants(String name) {
        Set<String> variants = new LinkedHashSet<>();
        variants.add(normalise(name, false));
        variants.add(normalise(name, true));
        return variants;
    }

    private static String normalise(String name, boolean recommended) {
        if (name == null) {
            return "";
        }
        // composed first, so that an Ä typed as A + combining diaeresis gets its transliteration below
        String upper = Normalizer.normalize(name, Normalizer.Form.NFC).toUpperCase(Locale.ROOT); // ß → SS
        StringBuilder out = new StringBuilder(upper.length() + 8);
        for (int i = 0; i < upper.length(); i++) {
            char c = upper.charAt(i);
            String t = switch (c) {
                case 'Æ' -> "AE";
                case 'Œ' -> "OE";
                case 'Ĳ' -> "IJ";
                case 'Þ' -> "TH";
                case 'ẞ' -> "SS";
                case 'Ð', 'Đ' -> "D";
                case 'Ł' -> "L";
                case 'Ħ' -> "H";
                case 'Ŧ' -> "T";
                case 'Ŀ' -> "L";
                case 'Ø' -> recommended ? "OE" : "O";
                case 'Ä' -> recommended ? "AE" : "A";
                case 'Ö' -> recommended ? "OE" : "O";
                case 'Ü' -> recommended ? "UE" : "U";
                case 'Å' -> recommended ? "AA" : "A";
                default -> null;
            };
            if (t != null) {
                out.append(t);
            } else {
                out.append(c);
            }
        }
        // decomposed (NFD), accents are combining marks that go
        String decomposed = Normalizer.normalize(out.toString(), Normalizer.Form.NFD);
        StringBuilder letters = new StringBuilder(decomposed.length());
        boolean space = false;
        for (int i = 0; i < decomposed.length(); i++) {
            char c = decomposed.charAt(i);
            if (Character.getType(c) == Character.NON_SPACING_MARK || Character.getType(c) == Character.ENCLOSING_MARK
                    || Character.getType(c) == Character.COMBINING_SPACING_MARK) {
                continue;
            }
            if (c >= 'A' && c <= 'Z') {
                if (space && letters.length() > 0) {
                    letters.append(' ');
                }
                space = false;
                letters.append(c);
            } else {
                space = true;
            }
        }
        return letters.toString();
    }
}
