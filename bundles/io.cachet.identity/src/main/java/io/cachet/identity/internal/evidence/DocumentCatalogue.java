package io.cachet.identity.internal.evidence;

import io.cachet.api.identity.DocumentType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The catalogue of accepted identity documents, configurable.
 *
 * <p>Configuration syntax, one entry per document type, fields separated by {@code ;}:
 * <pre>
 * id; FORMAT; CODES; STATES; SIDES; lang=name; lang=name…
 * fr-cni-2021; TD1; ID; FRA; back; fr=Carte nationale d'identité (depuis 2021); en=French identity card (since 2021)
 * passport; TD3; P; *; front; fr=Passeport; en=Passport
 * </pre>
 * <ul>
 * <li>id: lower case letters, digits and hyphens, unique;</li>
 * <li>FORMAT: {@code TD1}, {@code TD2}, {@code TD3} or {@code FR-CNI};</li>
 * <li>CODES: the accepted starts of the zone's document code, comma separated, 1 or 2 letters each (e.g.
 * {@code P}, {@code I,ID});</li>
 * <li>STATES: the issuing states' ICAO codes, comma separated, 1 to 3 letters (Germany is {@code D}), or {@code *}
 * for any state;</li>
 * <li>SIDES: {@code back} (front and back are photographed) or {@code front};</li>
 * <li>names: at least {@code fr=}, usually {@code en=} too; a name cannot contain {@code ;}.</li>
 * </ul>
 * Blank entries are skipped.
 */
public final class DocumentCatalogue {

    /**
     * EU and EEA states as their documents' zones write them (ICAO 9303-3; Germany is {@code D}), and Switzerland
     * (EFTA, whose identity card is accepted for travel in the EU/EEA like theirs).
     */
    public static final Set<String> EU_EEA_STATES = Set.of("AUT", "BEL", "BGR", "HRV", "CYP", "CZE", "DNK", "EST",
            "FIN", "FRA", "D", "GRC", "HUN", "IRL", "ITA", "LVA", "LTU", "LUX", "MLT", "NLD", "POL", "PRT", "ROU", "SVK",
            "SVN", "ESP", "SWE", "ISL", "LIE", "NOR", "CHE");

    private static final Set<String> FORMATS = Set.of("TD1", "TD2", "TD3", "FR-CNI");
    private static final Pattern ID = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");
    private static final Pattern CODE = Pattern.compile("[A-Z]{1,2}");
    private static final Pattern STATE = Pattern.compile("[A-Z]{1,3}");
    private static final Pattern LANGUAGE = Pattern.compile("[a-z]{2}");

    private DocumentCatalogue() {
    }

    /**
     * The default catalogue: French CNI 2021 (TD1, back needed), French CNI 1994–2021 (FR-CNI, front only), passports
     * (TD3, any state), French titre de séjour (TD1, back), EU/EEA national identity cards (TD1, back; the EU/EEA
     * states' codes, see {@link #EU_EEA_STATES}).
     */
    public static List<DocumentType> defaults() {
        return List.of(
                new DocumentType("fr-cni-2021", "TD1", Set.of("ID"), Set.of("FRA"), true,
                        Map.of("fr", "Carte nationale d'identité française (depuis août 2021)",
                                "en", "French identity card (since August 2021)")),
                new DocumentType("fr-cni-1994", "FR-CNI", Set.of("ID"), Set.of("FRA"), false,
                        Map.of("fr", "Carte nationale d'identité française (modèle 1994–2021)",
                                "en", "French identity card (1994–2021 model)")),
                new DocumentType("passport", "TD3", Set.of("P"), Set.of(), false,
                        Map.of("fr", "Passeport", "en", "Passport")),
                // the EU's uniform residence permit writes IR, some states A… or C…: any card code is taken, a
                // French card that is no residence permit being in this catalogue anyway
                new DocumentType("fr-titre-sejour", "TD1", Set.of("I", "A", "C"), Set.of("FRA"), true,
                        Map.of("fr", "Titre de séjour français", "en", "French residence permit")),
                // national identity cards write I (ID, I<…) or, as Italy's CIE, C (CI)
                new DocumentType("eu-id-card", "TD1", Set.of("I", "C"), EU_EEA_STATES, true,
                        Map.of("fr", "Carte d'identité d'un État de l'UE, de l'EEE ou de la Suisse",
                                "en", "Identity card of an EU or EEA state or Switzerland")));
    }

    /**
     * Parses configured entries, one per document type, in the syntax documented on this class (e.g.
     * {@code fr-cni-2021; TD1; I,ID; FRA; back; fr=Carte nationale d'identité (depuis 2021); en=French identity card (since 2021)}).
     *
     * @return the types in the order given; empty when there are no (non-blank) entries
     * @throws IllegalArgumentException naming the entry and what is wrong
     */
    public static List<DocumentType> parse(String[] entries) {
        List<DocumentType> types = new ArrayList<>();
        if (entries == null) {
            return types;
        }
        Set<String> ids = new HashSet<>();
        int n = 0;
        for (String entry : entries) {
            n++;
            if (entry == null || entry.isBlank()) {
                continue;
            }
            String[] f = entry.split(";", -1);
            String where = "document type entry " + n + (f[0].isBlank() ? "" : " (" + f[0].trim() + ")");
            if (f.length < 6) {
                throw new IllegalArgumentException(where + ": expected 'id; format; codes; states; back|front; fr=name"
                        + "[; en=name]', found " + f.length + " field(s)");
            }
            String id = f[0].trim();
            if (!ID.matcher(id).matches()) {
                throw new IllegalArgumentException(where + ": the id '" + id
                        + "' must be lower case letters, digits and hyphens");
            }
            if (!ids.add(id)) {
                throw new IllegalArgumentException(where + ": the id '" + id + "' is used by an earlier entry");
            }
            String format = f[1].trim().toUpperCase(java.util.Locale.ROOT);
            if (!FORMATS.contains(format)) {
                throw new IllegalArgumentException(where + ": the format '" + f[1].trim()
                        + "' is none of TD1, TD2, TD3, FR-CNI");
            }
            Set<String> codes = list(f[2], CODE, where, "document code", "1 or 2 letters, e.g. P or ID");
            if (codes.isEmpty()) {
                throw new IllegalArgumentException(where + ": no document code (e.g. P, or I,ID)");
            }
            Set<String> states;
            if (f[3].trim().equals("*")) {
                states = Set.of();
            } else {
                states = list(f[3], STATE, where, "issuing state", "an ICAO code of 1 to 3 letters, e.g. FRA or D");
                if (states.isEmpty()) {
                    throw new IllegalArgumentException(where + ": no issuing state (a list of ICAO codes, or * for any)");
                }
            }
            String sides = f[4].trim().toLowerCase(java.util.Locale.ROOT);
            if (!sides.equals("back") && !sides.equals("front")) {
                throw new IllegalArgumentException(where + ": the sides '" + f[4].trim()
                        + "' are neither 'back' (front and back) nor 'front' (front only)");
            }
            Map<String, String> names = new LinkedHashMap<>();
            for (int i = 5; i < f.length; i++) {
                String pair = f[i].trim();
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String language = eq < 0 ? "" : pair.substring(0, eq).trim();
                String name = eq < 0 ? "" : pair.substring(eq + 1).trim();
                if (!LANGUAGE.matcher(language).matches() || name.isEmpty()) {
                    throw new IllegalArgumentException(where + ": '" + pair
                            + "' is not a name as language=name (e.g. fr=Passeport)");
                }
                if (names.put(language, name) != null) {
                    throw new IllegalArgumentException(where + ": two names in '" + language + "'");
                }
            }
            if (!names.containsKey("fr")) {
                throw new IllegalArgumentException(where + ": no French name (fr=…)");
            }
            types.add(new DocumentType(id, format, codes, states, sides.equals("back"), names));
        }
        return types;
    }

    private static Set<String> list(String field, Pattern pattern, String where, String what, String expected) {
        Set<String> values = new LinkedHashSet<>();
        for (String value : field.split(",")) {
            String v = value.trim().toUpperCase(java.util.Locale.ROOT);
            if (v.isEmpty()) {
                continue;
            }
            if (!pattern.matcher(v).matches()) {
                throw new IllegalArgumentException(where + ": the " + what + " '" + v + "' is not " + expected);
            }
            values.add(v);
        }
        return values;
    }
}
