package io.cachet.cli.demo;

import java.text.Normalizer;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * A passport's machine readable zone (ICAO 9303 part 4, TD3: two lines of 44), with every check digit, for the
 * demo's sample person. The issuing state is {@code UTO} (Utopia, ICAO's specimen state), so that a sample can never
 * pass for a real document.
 */
public final class Mrz {

    private static final DateTimeFormatter YYMMDD = DateTimeFormatter.ofPattern("yyMMdd");

    private Mrz() {
    }

    /**
     * @param surname as on the order (accents and punctuation become fillers)
     * @param givenNames as on the order, space separated
     * @param documentNumber up to 9 letters or digits
     * @param sex {@code M}, {@code F} or {@code <}
     * @return the two lines, separated by a line feed
     */
    public static String td3(String surname, String givenNames, String documentNumber, LocalDate birthDate,
            String sex, LocalDate expiry, String personalNumber) {
        String line1 = pad("P<UTO" + field(surname) + "<<" + field(givenNames), 44);
        String doc = pad(field(documentNumber), 9);
        doc = doc + digit(doc);
        String birth = birthDate.format(YYMMDD);
        birth = birth + digit(birth);
        String exp = expiry.format(YYMMDD);
        exp = exp + digit(exp);
        String personal = pad(field(personalNumber == null ? "" : personalNumber), 14);
        personal = personal + digit(personal);
        String composite = String.valueOf(digit(doc + birth + exp + personal));
        String line2 = doc + "UTO" + birth + sex + exp + personal + composite;
        return line1 + "\n" + line2;
    }

    /** The ICAO check digit: weights 7, 3, 1 repeated; digits as themselves, A–Z as 10–35, the filler as 0. */
    public static int digit(String s) {
        int[] weights = { 7, 3, 1 };
        int sum = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            int v;
            if (c == '<') {
                v = 0;
            } else if (c >= '0' && c <= '9') {
                v = c - '0';
            } else if (c >= 'A' && c <= 'Z') {
                v = c - 'A' + 10;
            } else {
                throw new IllegalArgumentException("not a zone character: " + c);
            }
            sum += v * weights[i % 3];
        }
        return sum % 10;
    }

    /** Upper case, accents dropped, anything but A–Z and 0–9 a filler. */
    static String field(String s) {
        String plain = Normalizer.normalize(s.strip(), Normalizer.Form.NFD).replaceAll("\\p{M}", "")
                .toUpperCase(Locale.ROOT);
        return plain.replaceAll("[^A-Z0-9]", "<");
    }

    private static String pad(String s, int n) {
        return s.length() >= n ? s.substring(0, n) : s + "<".repeat(n - s.length());
    }
}
