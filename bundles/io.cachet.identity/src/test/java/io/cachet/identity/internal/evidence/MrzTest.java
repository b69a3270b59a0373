package io.cachet.identity.internal.evidence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.cachet.api.identity.IdentityException;
import io.cachet.api.identity.MrzData;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The parser on the specimens of ../shared/DOMAIN-NOTES.md (ICAO 9303 and French), on each single-character
 * tampering of each of them, and on the input forms a person types.
 */
class MrzTest {

    static final LocalDate TODAY = LocalDate.of(2026, 12, 2);

    static final String TD3 = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n"
            + "L898902C36UTO7408122F1204159ZE184226B<<<<<10";
    static final String TD2 = "I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<\n"
            + "D231458907UTO7408122F1204159<<<<<<<6";
    static final String TD1 = "I<UTOD231458907<<<<<<<<<<<<<<<\n"
            + "7408122F1204159UTO<<<<<<<<<<<6\n"
            + "ERIKSSON<<ANNA<MARIA<<<<<<<<<<";
    static final String TD1_FR = "IDFRAX4RTBPFW46<<<<<<<<<<<<<<<\n"
            + "9007138F3002119FRA<<<<<<<<<<<6\n"
            + "MARTIN<<MAELYS<GAELLE<MARIE<<<";
    static final String FR_CNI = "IDFRABERTHIER<<<<<<<<<<<<<<<<<<<<<<<\n"
            + "8806923102858CORINNE<<<<<<<6512068F6";
    /** Not in the notes: the public specimen of the French card with two given names (one cut). */
    static final String FR_CNI_DOUEL = "IDFRADOUEL<<<<<<<<<<<<<<<<<<<<932013\n"
            + "0506932020438CHRISTIANE<<NI2906209F3";

    static final Map<String, MrzData> EXPECTED = Map.of(
            TD3, new MrzData("TD3", "P", "UTO", "L898902C3", "ERIKSSON", List.of("ANNA", "MARIA"), "UTO",
                    LocalDate.of(1974, 8, 12), "F", LocalDate.of(2012, 4, 15), null),
            TD2, new MrzData("TD2", "I", "UTO", "D23145890", "ERIKSSON", List.of("ANNA", "MARIA"), "UTO",
                    LocalDate.of(1974, 8, 12), "F", LocalDate.of(2012, 4, 15), null),
            TD1, new MrzData("TD1", "I", "UTO", "D23145890", "ERIKSSON", List.of("ANNA", "MARIA"), "UTO",
                    LocalDate.of(1974, 8, 12), "F", LocalDate.of(2012, 4, 15), null),
            TD1_FR, new MrzData("TD1", "ID", "FRA", "X4RTBPFW4", "MARTIN", List.of("MAELYS", "GAELLE", "MARIE"), "FRA",
                    LocalDate.of(1990, 7, 13), "F", LocalDate.of(2030, 2, 11), null),
            FR_CNI, new MrzData("FR-CNI", "ID", "FRA", "880692310285", "BERTHIER", List.of("CORINNE"), "FRA",
                    LocalDate.of(1965, 12, 6), "F", null, YearMonth.of(1988, 6)),
            FR_CNI_DOUEL, new MrzData("FR-CNI", "ID", "FRA", "050693202043", "DOUEL", List.of("CHRISTIANE", "NI"),
                    "FRA", LocalDate.of(1929, 6, 20), "F", null, YearMonth.of(2005, 6)));

    /*
     * What protects each position, per line (independent of the parser's own tables, from ICAO 9303-4/5/6 and the
     * French layout):
     *   d/b/e/p: the check digit of the document number / birth date / expiry date / TD3 personal number
     *   c: only the composite check digit          X: the sex, covered by the composite (FR-CNI)
     *   f: the layout (document code's first letter, FR-CNI's IDFRA): a format refusal
     *   C, S, n, N, x: no check digit at all — the document code, issuing state, nationality, names, sex change
     */
    static final Map<String, String[]> PROTECTION = Map.of(
            TD3, new String[] {"fCSSS" + "N".repeat(39),
                "d".repeat(10) + "nnn" + "b".repeat(7) + "x" + "e".repeat(7) + "p".repeat(15) + "c"},
            TD2, new String[] {"fCSSS" + "N".repeat(31),
                "d".repeat(10) + "nnn" + "b".repeat(7) + "x" + "e".repeat(7) + "c".repeat(8)},
            TD1, new String[] {"fCSSS" + "d".repeat(10) + "c".repeat(15),
                "b".repeat(7) + "x" + "e".repeat(7) + "nnn" + "c".repeat(12), "N".repeat(30)},
            TD1_FR, new String[] {"fCSSS" + "d".repeat(10) + "c".repeat(15),
                "b".repeat(7) + "x" + "e".repeat(7) + "nnn" + "c".repeat(12), "N".repeat(30)},
            FR_CNI, new String[] {"fffff" + "c".repeat(31), "d".repeat(13) + "c".repeat(14) + "b".repeat(7) + "Xc"},
            FR_CNI_DOUEL, new String[] {"fffff" + "c".repeat(31),
                "d".repeat(13) + "c".repeat(14) + "b".repeat(7) + "Xc"});

    static final Map<Character, String> CHECK_FIELD = Map.of('d', "document-number", 'b', "birth-date", 'e',
            "expiry-date", 'p', "personal-number", 'c', "composite", 'X', "composite");

    static final Map<Character, Function<MrzData, Object>> CHANGED_FIELD = Map.of(
            'C', MrzData::documentCode,
            'S', MrzData::issuingState,
            'n', MrzData::nationality,
            'N', m -> m.surname() + "|" + m.givenNames(),
            'x', MrzData::sex);

    static Stream<String> specimens() {
        return EXPECTED.keySet().stream().sorted();
    }

    @ParameterizedTest
    @MethodSource("specimens")
    void everySpecimenParsesWithItsExactFields(String specimen) {
        assertEquals(EXPECTED.get(specimen), Mrz.parse(specimen, TODAY));
    }

    @Test
    void theProtectionTablesHaveTheZonesShape() {
        for (String specimen : EXPECTED.keySet()) {
            String[] lines = specimen.split("\n");
            String[] protection = PROTECTION.get(specimen);
            assertEquals(lines.length, protection.length);
            for (int i = 0; i < lines.length; i++) {
                assertEquals(lines[i].length(), protection[i].length(), specimen + " line " + (i + 1));
            }
        }
    }

    /** A different character whose check-digit value differs modulo 10 (see below why that matters). */
    static char substitute(char c, char protection) {
        if (protection == 'x' || protection == 'X') {
            return c == 'M' ? 'F' : 'M';
        }
        if (c >= '0' && c <= '9') {
            return (char) ('0' + (c - '0' + 1) % 10);
        }
        if (c >= 'A' && c <= 'Z') {
            return c == 'Z' ? 'Y' : (char) (c + 1);
        }
        return 'B'; // '<' is 0: B is 11
    }

    static Stream<Arguments> tamperings() {
        List<Arguments> all = new ArrayList<>();
        for (String specimen : EXPECTED.keySet().stream().sorted().toList()) {
            String[] lines = specimen.split("\n");
            for (int line = 0; line < lines.length; line++) {
                for (int pos = 0; pos < lines[line].length(); pos++) {
                    all.add(Arguments.of(specimen, line, pos));
                }
            }
        }
        return all.stream();
    }

    /**
     * Each position of each specimen, changed to another character: refused where a check digit or the layout
     * covers it, else parsed with exactly that field changed. The substitute always has another value modulo 10:
     * ICAO's check digits cannot see a change between characters of the same value modulo 10 (e.g. {@code <}, 0,
     * A, K, U), a limit of the standard; {@link #checkDigitsAreDigits} covers the case where that matters most.
     */
    @ParameterizedTest(name = "{index}: line {1}, position {2}")
    @MethodSource("tamperings")
    void eachSingleCharacterTamperingIsRefusedOrChangesItsUnprotectedField(String specimen, int line, int pos) {
        String[] lines = specimen.split("\n");
        char protection = PROTECTION.get(specimen)[line].charAt(pos);
        char original = lines[line].charAt(pos);
        char changed = substitute(original, protection);
        assertNotEquals(original, changed);
        StringBuilder l = new StringBuilder(lines[line]);
        l.setCharAt(pos, changed);
        lines[line] = l.toString();
        String tampered = String.join("\n", lines);

        if (CHECK_FIELD.containsKey(protection)) {
            IdentityException e = assertThrows(IdentityException.class, () -> Mrz.parse(tampered, TODAY));
            assertEquals(IdentityException.Reason.INVALID, e.reason());
            assertEquals("mrz.check-digit", e.code(), e.getMessage());
            assertEquals(List.of(CHECK_FIELD.get(protection)), e.args());
        } else if (protection == 'f') {
            IdentityException e = assertThrows(IdentityException.class, () -> Mrz.parse(tampered, TODAY));
            assertEquals("mrz.format", e.code(), e.getMessage());
        } else {
            MrzData before = EXPECTED.get(specimen);
            MrzData after = Mrz.parse(tampered, TODAY);
            Function<MrzData, Object> field = CHANGED_FIELD.get(protection);
            assertNotEquals(field.apply(before), field.apply(after));
            // and nothing else changed
            for (Function<MrzData, Object> other : CHANGED_FIELD.values()) {
                if (other != field) {
                    assertEquals(other.apply(before), other.apply(after));
                }
            }
            assertEquals(before.documentNumber(), after.documentNumber());
            assertEquals(before.birthDate(), after.birthDate());
            assertEquals(before.expiryDate(), after.expiryDate());
            assertEquals(before.issued(), after.issued());
        }
    }

    /** Where each specimen's check digits are: {line, position, field}. */
    static final Map<String, Object[][]> CHECK_DIGITS = Map.of(
            TD3, new Object[][] {{1, 9, "document-number"}, {1, 19, "birth-date"}, {1, 27, "expiry-date"},
                {1, 42, "personal-number"}, {1, 43, "composite"}},
            TD2, new Object[][] {{1, 9, "document-number"}, {1, 19, "birth-date"}, {1, 27, "expiry-date"},
                {1, 35, "composite"}},
            TD1, new Object[][] {{0, 14, "document-number"}, {1, 6, "birth-date"}, {1, 14, "expiry-date"},
                {1, 29, "composite"}},
            TD1_FR, new Object[][] {{0, 14, "document-number"}, {1, 6, "birth-date"}, {1, 14, "expiry-date"},
                {1, 29, "composite"}},
            FR_CNI, new Object[][] {{1, 12, "document-number"}, {1, 33, "birth-date"}, {1, 35, "composite"}},
            FR_CNI_DOUEL, new Object[][] {{1, 12, "document-number"}, {1, 33, "birth-date"}, {1, 35, "composite"}});

    /**
     * Where a check digit is, only that digit will do: not a filler or a letter of the same value (0 = &lt; = A = K
     * = U), which a sum modulo 10 cannot tell apart.
     */
    @ParameterizedTest
    @MethodSource("specimens")
    void checkDigitsAreDigits(String specimen) {
        String[] lines = specimen.split("\n");
        int tried = 0;
        for (Object[] checkDigit : CHECK_DIGITS.get(specimen)) {
            int line = (Integer) checkDigit[0];
            int pos = (Integer) checkDigit[1];
            char digit = lines[line].charAt(pos);
            assertTrue(Character.isDigit(digit));
            assertEquals(CHECK_FIELD.get(PROTECTION.get(specimen)[line].charAt(pos)), checkDigit[2]);
            for (char c : "<ABCDEFGHIJKLMNOPQRSTUVWXYZ".toCharArray()) {
                int v = c == '<' ? 0 : c - 'A' + 10;
                if (v % 10 != digit - '0') {
                    continue;
                }
                String[] copy = lines.clone();
                StringBuilder l = new StringBuilder(copy[line]);
                l.setCharAt(pos, c);
                copy[line] = l.toString();
                String tampered = String.join("\n", copy);
                IdentityException e = assertThrows(IdentityException.class, () -> Mrz.parse(tampered, TODAY),
                        "line " + line + " pos " + pos + " as " + c);
                assertEquals("mrz.check-digit", e.code());
                assertEquals(List.of(checkDigit[2]), e.args());
                tried++;
            }
        }
        assertTrue(tried >= 2 * CHECK_DIGITS.get(specimen).length, "tried " + tried);
    }

    @Test
    void typedInputIsNormalised() {
        MrzData expected = EXPECTED.get(TD3);
        assertEquals(expected, Mrz.parse(TD3.toLowerCase(), TODAY));
        assertEquals(expected, Mrz.parse(TD3.replace("\n", "\r\n"), TODAY));
        assertEquals(expected, Mrz.parse(TD3.replace("\n", "\r"), TODAY));
        assertEquals(expected, Mrz.parse("  \n" + TD3.replace("<<", "< <") + "\n\n", TODAY));
        assertEquals(expected, Mrz.parse("P<UTO ERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\tL898902C36UTO7408122F1204159"
                + "ZE184226B<<<<<10", TODAY)); // one line of 88 (a tab is a space)
        assertEquals(EXPECTED.get(TD1), Mrz.parse(TD1.replace("\n", ""), TODAY));
        assertEquals(EXPECTED.get(TD2), Mrz.parse(TD2.replace("\n", ""), TODAY));
        assertEquals(EXPECTED.get(FR_CNI), Mrz.parse(FR_CNI.replace("\n", " "), TODAY));
    }

    @Test
    void charactersOutsideTheZonesAlphabetAreRefused() {
        assertCode("mrz.characters", TD3.replace("ERIKSSON", "ÉRIKSSON"));
        assertCode("mrz.characters", TD3.replace("<<ANNA", "«ANNA"));
        assertCode("mrz.characters", TD3.replace("L898902C3", "L898902C-"));
        // letters that Java would upper-case into zone letters are not zone letters
        assertCode("mrz.characters", TD3.replace("ANNA<", "ANNAß").toLowerCase());
        assertCode("mrz.characters", TD3.toLowerCase().replace("maria", "marıa"));
    }

    @Test
    void unknownLayoutsAreRefused() {
        assertCode("mrz.format", "");
        assertCode("mrz.format", null);
        assertCode("mrz.format", TD3.substring(0, 44)); // one line
        assertCode("mrz.format", TD3 + "<"); // second line 45
        assertCode("mrz.format", TD3.replace("\n", "<\n")); // first line 45
        assertCode("mrz.format", TD1.substring(0, TD1.lastIndexOf('\n'))); // two lines of 30
        assertCode("mrz.format", TD3 + "\n" + TD3.substring(0, 44)); // three lines of 44
        assertCode("mrz.format", TD2.substring(0, 36) + "\n" + TD3.substring(45)); // 36 then 44
    }

    @Test
    void fieldsOfTheWrongKindAreFormatErrors() {
        // a passport zone starts with P, a card's with I, A or C
        assertCode("mrz.format", "V" + TD3.substring(1));
        assertCode("mrz.format", "P" + TD1.substring(1));
        // sex is M, F, X or <; letters only in names, states and nationality
        assertCode("mrz.format", TD3.replace("7408122F", "7408122Q"));
        assertCode("mrz.format", TD3.replace("ERIKSSON", "ERIKSS0N"));
        assertCode("mrz.format", TD3.replace("P<UTO", "P<UT0"));
        assertCode("mrz.format", TD3.replace("C36UTO", "C36UT0"));
        assertCode("mrz.format", TD1.replace("\nERIKSSON", "\n<<ERIKSSON").substring(0, TD1.length())); // no surname
        assertEquals("X", Mrz.parse(TD3.replace("7408122F", "7408122<"), TODAY).sex());
        assertEquals("X", Mrz.parse(TD3.replace("7408122F", "7408122X"), TODAY).sex());
        assertEquals("M", Mrz.parse(TD3.replace("7408122F", "7408122M"), TODAY).sex());
    }

    @Test
    void impossibleDatesAreRefusedAfterTheirCheckDigit() {
        // the check digits are right, the dates are not
        assertDateRefused(td3("P<", "UTO", "ERIKSSON<<ANNA", "L898902C3", "UTO", "741312", "F", "120415", ""),
                "birth-date");
        assertDateRefused(td3("P<", "UTO", "ERIKSSON<<ANNA", "L898902C3", "UTO", "740230", "F", "120415", ""),
                "birth-date");
        assertDateRefused(td3("P<", "UTO", "ERIKSSON<<ANNA", "L898902C3", "UTO", "7408<<", "F", "120415", ""),
                "birth-date");
        assertDateRefused(td3("P<", "UTO", "ERIKSSON<<ANNA", "L898902C3", "UTO", "740812", "F", "120431", ""),
                "expiry-date");
        assertDateRefused(td3("P<", "UTO", "ERIKSSON<<ANNA", "L898902C3", "UTO", "740812", "F", "130229", ""),
                "expiry-date");
        assertDateRefused(frCni("BERTHIER", "881392310285", "CORINNE", "651206", "F"), "issue-date");
        assertDateRefused(frCni("BERTHIER", "880692310285", "CORINNE", "650000", "F"), "birth-date");
    }

    @Test
    void birthCenturyLiesInThePastAndExpiryIn20xx() {
        assertEquals(LocalDate.of(2020, 1, 1), birth("200101", TODAY));
        assertEquals(LocalDate.of(2026, 12, 2), birth("261202", TODAY)); // born today
        assertEquals(LocalDate.of(1926, 12, 3), birth("261203", TODAY)); // tomorrow is a century ago
        assertEquals(LocalDate.of(1930, 1, 1), birth("300101", TODAY));
        assertEquals(LocalDate.of(2000, 2, 29), birth("000229", TODAY));
        // 29 February 2104 would be in the future: 2004
        assertEquals(LocalDate.of(2004, 2, 29), birth("040229", LocalDate.of(2103, 1, 1)));
        MrzData m = Mrz.parse(td3("P<", "UTO", "A<<B", "123456789", "UTO", "740812", "F", "991231", ""), TODAY);
        assertEquals(LocalDate.of(2099, 12, 31), m.expiryDate());
        // a FR-CNI's issue month likewise: 05 is 2005, 94 is 1994
        assertEquals(YearMonth.of(1994, 3),
                Mrz.parse(frCni("BERTHIER", "940392310285", "CORINNE", "651206", "F"), TODAY).issued());
    }

    @Test
    void td3PersonalNumberCheckDigitMayBeFillerOrZeroWhenUnused() {
        String unused = td3("P<", "UTO", "ERIKSSON<<ANNA<MARIA", "L898902C3", "UTO", "740812", "F", "120415", "");
        assertEquals('<', unused.charAt(unused.length() - 2));
        assertEquals("L898902C3", Mrz.parse(unused, TODAY).documentNumber());
        String zero = unused.substring(0, unused.length() - 2) + "0" + unused.charAt(unused.length() - 1);
        assertEquals("L898902C3", Mrz.parse(zero, TODAY).documentNumber());
        String one = unused.substring(0, unused.length() - 2) + "1" + unused.charAt(unused.length() - 1);
        assertCheckDigit(one, "personal-number");
    }

    /** ICAO 9303-5/6 note j: a number of more than 9 characters goes on in the optional data. */
    @Test
    void longDocumentNumbersContinueInTheOptionalData() {
        String number = "D23145890123"; // 12 characters
        String line1 = "I<UTO" + number.substring(0, 9) + "<" + number.substring(9) + cd(number) + "<";
        line1 = pad(line1, 30);
        String line2 = "740812" + cd("740812") + "F" + "120415" + cd("120415") + "UTO" + "<".repeat(11);
        String composite = line1.substring(5, 30) + line2.substring(0, 7) + line2.substring(8, 15)
                + line2.substring(18, 29);
        String td1 = line1 + "\n" + line2 + cd(composite) + "\nERIKSSON<<ANNA<MARIA<<<<<<<<<<";
        assertEquals(number, Mrz.parse(td1, TODAY).documentNumber());
        // one more character changed in the continuation: its check digit sees it
        assertCheckDigit(td1.replace("90<123", "90<124"), "document-number");

        String l2 = number.substring(0, 9) + "<UTO740812" + cd("740812") + "F120415" + cd("120415")
                + number.substring(9) + cd(number) + "<<<";
        String td2 = "I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<\n" + l2
                + cd(l2.substring(0, 10) + l2.substring(13, 20) + l2.substring(21, 35));
        assertEquals(number, Mrz.parse(td2, TODAY).documentNumber());
        // a filler where the check digit is, and nothing after it: no check digit at all
        String bare = "I<UTOD23145890<" + "<".repeat(15);
        String l2b = "740812" + cd("740812") + "F" + "120415" + cd("120415") + "UTO" + "<".repeat(11);
        String noDigit = bare + "\n" + l2b + cd(bare.substring(5) + l2b.substring(0, 7) + l2b.substring(8, 15)
                + l2b.substring(18, 29)) + "\n" + pad("ERIKSSON<<ANNA", 30);
        assertCheckDigit(noDigit, "document-number");
    }

    @Test
    void franceCardIsToldFromTd2ByItsLayout() {
        // a TD2 document from France with the nationality's letters at 10–12 stays TD2
        String l2 = "123456789" + cd("123456789") + "FRA740812" + cd("740812") + "F120415" + cd("120415") + "<<<<<<<";
        String td2 = pad("IDFRAMARTIN<<PAUL", 36) + "\n" + l2
                + cd(l2.substring(0, 10) + l2.substring(13, 20) + l2.substring(21, 35));
        MrzData m = Mrz.parse(td2, TODAY);
        assertEquals("TD2", m.format());
        assertEquals("ID", m.documentCode());
        assertEquals("MARTIN", m.surname());
        assertEquals(List.of("PAUL"), m.givenNames());
        assertEquals(LocalDate.of(2012, 4, 15), m.expiryDate());
        assertNull(m.issued());
        assertEquals("FR-CNI", Mrz.parse(FR_CNI, TODAY).format());
    }

    @Test
    void franceCardGivenNamesAreSeparatedByTwoFillers() {
        MrzData m = Mrz.parse(frCni("MARTIN<DUPONT", "940392310285", "JEAN<PIERRE<<L", "651206", "M"), TODAY);
        assertEquals("MARTIN DUPONT", m.surname());
        assertEquals(List.of("JEAN PIERRE", "L"), m.givenNames());
        assertEquals("M", m.sex());
        assertCode("mrz.format", frCni("BERTHIER", "880692310285", "CORINNE", "651206", "X"));
    }

    @Test
    void germanyIsD() {
        String l1 = pad("IDD<<T22000129" + cd("T22000129"), 30);
        String l2 = "640812" + cd("640812") + "F" + "310731" + cd("310731") + "D<<" + "<".repeat(11);
        String td1 = l1 + "\n" + l2 + cd(l1.substring(5) + l2.substring(0, 7) + l2.substring(8, 15)
                + l2.substring(18, 29)) + "\n" + pad("MUSTERMANN<<ERIKA", 30);
        MrzData m = Mrz.parse(td1, TODAY);
        assertEquals("D", m.issuingState());
        assertEquals("D", m.nationality());
        assertEquals("T22000129", m.documentNumber());
        assertEquals("MUSTERMANN", m.surname());
    }

    /** Refusals are logged and shown: they name the field, never what the zone holds. */
    @Test
    void refusalsCarryNoPersonalData() {
        List<String> zones = List.of(TD3.replace("7408122", "7408123"), TD3.replace("L898902C36", "L898902C37"),
                TD3.replace("7408122F", "7408122Q"), frCni("BERTHIER", "880692310285", "CORINNE", "651306", "F"),
                FR_CNI.replace("CORINNE", "CORINNF"), TD1.replace("\nERIKSSON", "\nERIKSS0N"));
        for (String zone : zones) {
            IdentityException e = assertThrows(IdentityException.class, () -> Mrz.parse(zone, TODAY));
            String said = e.getMessage() + e.args();
            for (String personal : List.of("ERIKSS", "ANNA", "BERTHIER", "CORINN", "L898902", "880692", "7408",
                    "6512", "6513")) {
                assertFalse(said.contains(personal), said);
            }
        }
    }

    @Test
    void theCheckDigitIsIcaos() {
        assertEquals(6, Mrz.checkDigit("L898902C3"));
        assertEquals(2, Mrz.checkDigit("740812"));
        assertEquals(9, Mrz.checkDigit("120415"));
        assertEquals(0, Mrz.checkDigit("<<<<<<"));
        assertEquals(cd("ABCXYZ<09"), String.valueOf(Mrz.checkDigit("ABCXYZ<09")));
    }

    // --- helpers: an independent check digit and zone builders ---

    static String cd(String field) {
        int[] w = {7, 3, 1};
        int sum = 0;
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            int v = Character.isDigit(c) ? c - '0' : Character.isLetter(c) ? c - 'A' + 10 : 0;
            sum += v * w[i % 3];
        }
        return String.valueOf(sum % 10);
    }

    static String pad(String s, int length) {
        return s + "<".repeat(length - s.length());
    }

    static String td3(String code, String state, String names, String number, String nationality, String birth,
            String sex, String expiry, String personal) {
        String l1 = pad(code + state + names, 44);
        String p = pad(personal, 14);
        String pcd = personal.isEmpty() ? "<" : cd(p);
        String l2 = pad(number, 9) + cd(pad(number, 9)) + nationality + birth + cd(birth) + sex + expiry + cd(expiry)
                + p + pcd;
        return l1 + "\n" + l2 + cd(l2.substring(0, 10) + l2.substring(13, 20) + l2.substring(21, 43));
    }

    static String frCni(String surname, String number, String given, String birth, String sex) {
        String l1 = pad("IDFRA" + surname, 30) + "<<<<<<";
        String l2 = number + cd(number) + pad(given, 14) + birth + cd(birth) + sex;
        return l1 + "\n" + l2 + cd(l1 + l2);
    }

    static LocalDate birth(String yymmdd, LocalDate today) {
        return Mrz.parse(td3("P<", "UTO", "A<<B", "123456789", "UTO", yymmdd, "F", "301231", ""), today).birthDate();
    }

    static void assertCode(String code, String zone) {
        try {
            Mrz.parse(zone, TODAY);
            fail("accepted: " + code);
        } catch (IdentityException e) {
            assertEquals(IdentityException.Reason.INVALID, e.reason());
            assertEquals(code, e.code(), e.getMessage());
        }
    }

    static void assertCheckDigit(String zone, String field) {
        IdentityException e = assertThrows(IdentityException.class, () -> Mrz.parse(zone, TODAY));
        assertEquals("mrz.check-digit", e.code(), e.getMessage());
        assertEquals(List.of(field), e.args());
    }

    static void assertDateRefused(String zone, String field) {
        IdentityException e = assertThrows(IdentityException.class, () -> Mrz.parse(zone, TODAY));
        assertEquals("mrz.date", e.code(), e.getMessage());
        assertEquals(List.of(field), e.args());
    }
}
