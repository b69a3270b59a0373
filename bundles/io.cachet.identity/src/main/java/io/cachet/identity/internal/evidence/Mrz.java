package io.cachet.identity.internal.evidence;

import io.cachet.api.identity.IdentityException;
import io.cachet.api.identity.IdentityException.Reason;
import io.cachet.api.identity.MrzData;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * ICAO 9303 machine readable zones (TD1, TD2, TD3) and France's 1994–2021 identity card (2×36), parsed and every
 * check digit verified. Written here rather than taken from a library: the one Java parser on Maven Central (jmrtd)
 * accepted a tampered check digit.
 *
 * <p>Layouts (0-based positions):
 * <ul>
 * <li>TD3, 2×44: line 1 code 0–1, state 2–4, names 5–43; line 2 number 0–8 + check 9, nationality 10–12, birth
 * 13–18 + check 19, sex 20, expiry 21–26 + check 27, personal number 28–41 + check 42, composite 43 over 0–9,
 * 13–19, 21–42.</li>
 * <li>TD2, 2×36: line 1 as TD3 (names 5–35); line 2 as TD3 up to 27, optional data 28–34, composite 35 over 0–9,
 * 13–19, 21–34.</li>
 * <li>TD1, 3×30: line 1 code 0–1, state 2–4, number 5–13 + check 14, optional data 15–29; line 2 birth 0–5 + check
 * 6, sex 7, expiry 8–13 + check 14, nationality 15–17, optional data 18–28, composite 29 over line 1 5–29, line 2
 * 0–6, 8–14, 18–28; line 3 names.</li>
 * <li>TD1 and TD2: a document number longer than 9 characters has a filler in place of its check digit; the rest of
 * the number follows at the start of the optional data, then its check digit (over the whole number), then a
 * filler.</li>
 * <li>FR-CNI, 2×36, line 1 starting {@code IDFRA}: surname 5–29, issuing office 30–35; line 2 card number 0–11
 * (issue year and month 0–3) + check 12, given names 13–26 (separated by {@code <<}), birth 27–32 + check 33, sex
 * 34, composite 35 over line 1 and line 2 0–34. Told from TD2 by line 2 positions 10–12, digits in the card number
 * where TD2 has the nationality's letters.</li>
 * </ul>
 *
 * <p>Nothing personal goes into the exceptions' messages: they name the field, never its value.
 */
public final class Mrz {

    private Mrz() {
    }

    /**
     * @param text the zone as the person typed it: lines separated by line breaks (CR/LF), spaces ignored, lower case
     *        accepted; the format is told by the line count and lengths (a zone typed as one line of 88, 72 or 90
     *        characters is cut into lines of 44, 36 or 30)
     * @param today to choose the birth date's century (the latest that puts it at or before today; likewise a
     *        FR-CNI's issue month); an expiry date is always 20xx
     * @return the data once every check digit (and the composite one) is right
     * @throws IdentityException {@code INVALID} with code {@code mrz.format} (not a zone of a known layout, or a
     *         field not of its kind: document code, letters where letters are due, sex), {@code mrz.characters}
     *         (characters outside A–Z 0–9 &lt;), {@code mrz.check-digit} (args: the field, {@code document-number},
     *         {@code birth-date}, {@code expiry-date}, {@code personal-number} (TD3), {@code composite}),
     *         {@code mrz.date} (args: {@code birth-date}, {@code expiry-date} or {@code issue-date}: an impossible or
     *         unknown date); checked in this order
     */
    public static MrzData parse(String text, LocalDate today) {
        Objects.requireNonNull(today, "today");
        List<String> lines = lines(text);
        int count = lines.size();
        int length = count == 0 ? 0 : lines.get(0).length();
        for (String line : lines) {
            if (line.length() != length) {
                throw format("the zone's lines are not of equal length");
            }
        }
        if (count == 2 && length == 44) {
            return td3(lines.get(0), lines.get(1), today);
        }
        if (count == 2 && length == 36) {
            if (isFrenchCard(lines.get(0), lines.get(1))) {
                return frenchCard(lines.get(0), lines.get(1), today);
            }
            return td2(lines.get(0), lines.get(1), today);
        }
        if (count == 3 && length == 30) {
            return td1(lines.get(0), lines.get(1), lines.get(2), today);
        }
        throw format("not a zone of 2 lines of 44 or 36 characters or 3 lines of 30");
    }

    /** @return the ICAO 9303 check digit of {@code field}: weights 7, 3, 1; digits as such, A–Z 10–35, &lt; 0 */
    static int checkDigit(CharSequence field) {
        int sum = 0;
        for (int i = 0; i < field.length(); i++) {
            sum += value(field.charAt(i)) * WEIGHTS[i % 3];
        }
        return sum % 10;
    }

    private static final int[] WEIGHTS = {7, 3, 1};

    private static int value(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'A' && c <= 'Z') {
            return c - 'A' + 10;
        }
        return 0;
    }

    private static List<String> lines(String text) {
        if (text == null) {
            throw format("no zone");
        }
        List<String> lines = new ArrayList<>();
        for (String raw : text.split("\r\n|\r|\n")) {
            StringBuilder line = new StringBuilder(raw.length());
            for (int i = 0; i < raw.length(); i++) {
                char c = raw.charAt(i);
                if (!Character.isWhitespace(c) && !Character.isSpaceChar(c)) {
                    line.append(c);
                }
            }
            if (line.length() > 0) {
                // checked before upper-casing: Java turns ß into SS and ı into I, which no zone holds
                for (int i = 0; i < line.length(); i++) {
                    char c = line.charAt(i);
                    if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '<')) {
                        throw new IdentityException(Reason.INVALID, "mrz.characters",
                                "the zone has a character other than A-Z, 0-9 and <");
                    }
                }
                lines.add(line.toString().toUpperCase(Locale.ROOT));
            }
        }
        if (lines.size() == 1) {
            String one = lines.get(0);
            int width = switch (one.length()) {
                case 88 -> 44;
                case 72 -> 36;
                case 90 -> 30;
                default -> 0;
            };
            if (width > 0) {
                lines.clear();
                for (int i = 0; i < one.length(); i += width) {
                    lines.add(one.substring(i, i + width));
                }
            }
        }
        return lines;
    }

    private static boolean isFrenchCard(String line1, String line2) {
        // a TD2 zone has the holder's nationality (letters or fillers) at 10–12; France's card has the end of its
        // card number (digits) and that number's check digit there
        return line1.startsWith("IDFRA") && !lettersOrFillers(line2.substring(10, 13));
    }

    private static MrzData td3(String l1, String l2, LocalDate today) {
        if (l1.charAt(0) != 'P') {
            throw format("a 2×44 zone is a passport's: its document code starts with P");
        }
        String code = code(l1.substring(0, 2));
        String state = stateCode(l1.substring(2, 5), "issuing state");
        Names names = icaoNames(l1.substring(5, 44));
        String nationality = stateCode(l2.substring(10, 13), "nationality");
        String sex = sex(l2.charAt(20));

        String number = l2.substring(0, 9);
        check(number, l2.charAt(9), "document-number");
        check(l2.substring(13, 19), l2.charAt(19), "birth-date");
        check(l2.substring(21, 27), l2.charAt(27), "expiry-date");
        String personal = l2.substring(28, 42);
        if (!(personal.equals("<".repeat(14)) && (l2.charAt(42) == '<' || l2.charAt(42) == '0'))) {
            // ICAO 9303-4: an unused personal number field may have 0 or < as its check digit
            check(personal, l2.charAt(42), "personal-number");
        }
        check(l2.substring(0, 10) + l2.substring(13, 20) + l2.substring(21, 43), l2.charAt(43), "composite");

        return new MrzData("TD3", code, state, stripFillers(number), names.surname, names.given, nationality,
                birthDate(l2.substring(13, 19), today), sex, expiryDate(l2.substring(21, 27)), null);
    }

    private static MrzData td2(String l1, String l2, LocalDate today) {
        char first = l1.charAt(0);
        if (first != 'I' && first != 'A' && first != 'C') {
            throw format("a 2×36 zone's document code starts with I, A or C");
        }
        String code = code(l1.substring(0, 2));
        String state = stateCode(l1.substring(2, 5), "issuing state");
        Names names = icaoNames(l1.substring(5, 36));
        String nationality = stateCode(l2.substring(10, 13), "nationality");
        String sex = sex(l2.charAt(20));

        String number = documentNumber(l2.substring(0, 9), l2.charAt(9), l2.substring(28, 35));
        check(l2.substring(13, 19), l2.charAt(19), "birth-date");
        check(l2.substring(21, 27), l2.charAt(27), "expiry-date");
        check(l2.substring(0, 10) + l2.substring(13, 20) + l2.substring(21, 35), l2.charAt(35), "composite");

        return new MrzData("TD2", code, state, number, names.surname, names.given, nationality,
                birthDate(l2.substring(13, 19), today), sex, expiryDate(l2.substring(21, 27)), null);
    }

    private static MrzData td1(String l1, String l2, String l3, LocalDate today) {
        char first = l1.charAt(0);
        if (first != 'I' && first != 'A' && first != 'C') {
            throw format("a 3×30 zone's document code starts with I, A or C");
        }
        String code = code(l1.substring(0, 2));
        String state = stateCode(l1.substring(2, 5), "issuing state");
        String nationality = stateCode(l2.substring(15, 18), "nationality");
        String sex = sex(l2.charAt(7));
        Names names = icaoNames(l3);

        String number = documentNumber(l1.substring(5, 14), l1.charAt(14), l1.substring(15, 30));
        check(l2.substring(0, 6), l2.charAt(6), "birth-date");
        check(l2.substring(8, 14), l2.charAt(14), "expiry-date");
        check(l1.substring(5, 30) + l2.substring(0, 7) + l2.substring(8, 15) + l2.substring(18, 29), l2.charAt(29),
                "composite");

        return new MrzData("TD1", code, state, number, names.surname, names.given, nationality,
                birthDate(l2.substring(0, 6), today), sex, expiryDate(l2.substring(8, 14)), null);
    }

    private static MrzData frenchCard(String l1, String l2, LocalDate today) {
        String surname = names(l1.substring(5, 30), "surname");
        if (surname.isEmpty()) {
            throw format("the zone has no surname");
        }
        List<String> given = new ArrayList<>();
        String givenField = l2.substring(13, 27);
        if (!lettersOrFillers(givenField)) {
            throw format("given names are letters and fillers");
        }
        // the card separates given names with two fillers; one filler stands for a hyphen or space inside a name
        for (String name : stripTrailingFillers(givenField).split("<<+")) {
            if (!name.isEmpty()) {
                given.add(name.replace('<', ' ').trim());
            }
        }
        char sexChar = l2.charAt(34);
        if (sexChar != 'M' && sexChar != 'F') {
            throw format("the card's sex is M or F");
        }

        String number = l2.substring(0, 12);
        check(number, l2.charAt(12), "document-number");
        check(l2.substring(27, 33), l2.charAt(33), "birth-date");
        check(l1 + l2.substring(0, 35), l2.charAt(35), "composite");

        YearMonth issued = issueMonth(l2.substring(0, 4), today);
        return new MrzData("FR-CNI", "ID", "FRA", stripFillers(number), surname, given, "FRA",
                birthDate(l2.substring(27, 33), today), String.valueOf(sexChar), null, issued);
    }

    /** The number, its continuation in the optional data when longer than 9 characters, checked. */
    private static String documentNumber(String principal, char checkChar, String optional) {
        if (checkChar != '<') {
            check(principal, checkChar, "document-number");
            return stripFillers(principal);
        }
        // ICAO 9303-5 note j / 9303-6 note j: filler instead of the check digit = a number of more than 9 characters
        int end = optional.indexOf('<');
        if (end < 0) {
            end = optional.length();
        }
        if (principal.indexOf('<') >= 0 || end < 2) {
            throw checkDigitError("document-number");
        }
        String number = principal + optional.substring(0, end - 1);
        check(number, optional.charAt(end - 1), "document-number");
        return number;
    }

    private static void check(String field, char digit, String name) {
        if (digit < '0' || digit > '9' || digit - '0' != checkDigit(field)) {
            throw checkDigitError(name);
        }
    }

    private static IdentityException checkDigitError(String field) {
        return new IdentityException(Reason.INVALID, "mrz.check-digit",
                "the zone's check digit of the " + field + " is wrong", field);
    }

    private static IdentityException format(String message) {
        return new IdentityException(Reason.INVALID, "mrz.format", message);
    }

    private static IdentityException date(String field) {
        return new IdentityException(Reason.INVALID, "mrz.date", "the zone's " + field + " is not a date", field);
    }

    private static void digits(String field, String name) {
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c < '0' || c > '9') {
                // an unknown day or month (fillers) or a letter: no date to compare, so refused like a wrong one
                throw date(name);
            }
        }
    }

    private static String code(String field) {
        return stripFillers(field);
    }

    private static String stateCode(String field, String what) {
        if (!lettersOrFillers(field) || field.charAt(0) == '<') {
            throw format("the " + what + " is not a code of letters");
        }
        return stripFillers(field);
    }

    private static String sex(char c) {
        return switch (c) {
            case 'M' -> "M";
            case 'F' -> "F";
            case 'X', '<' -> "X";
            default -> throw format("the sex is M, F, X or <");
        };
    }

    private record Names(String surname, List<String> given) {
    }

    /** ICAO names: primary identifier, {@code <<}, secondary identifiers separated by {@code <}. */
    private static Names icaoNames(String field) {
        if (!lettersOrFillers(field)) {
            throw format("names are letters and fillers");
        }
        String used = stripTrailingFillers(field);
        int split = used.indexOf("<<");
        String primary = split < 0 ? used : used.substring(0, split);
        String secondary = split < 0 ? "" : used.substring(split + 2);
        String surname = primary.replace('<', ' ').trim();
        if (surname.isEmpty()) {
            throw format("the zone has no surname");
        }
        List<String> given = new ArrayList<>();
        for (String name : secondary.split("<+")) {
            if (!name.isEmpty()) {
                given.add(name);
            }
        }
        return new Names(surname, given);
    }

    private static String names(String field, String what) {
        if (!lettersOrFillers(field)) {
            throw format("the " + what + " is letters and fillers");
        }
        return stripTrailingFillers(field).replaceAll("<+", " ").trim();
    }

    private static boolean lettersOrFillers(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= 'A' && c <= 'Z' || c == '<')) {
                return false;
            }
        }
        return true;
    }

    private static String stripTrailingFillers(String s) {
        int end = s.length();
        while (end > 0 && s.charAt(end - 1) == '<') {
            end--;
        }
        return s.substring(0, end);
    }

    private static String stripFillers(String s) {
        return s.replace("<", "");
    }

    private static LocalDate birthDate(String yymmdd, LocalDate today) {
        digits(yymmdd, "birth-date");
        int yy = Integer.parseInt(yymmdd.substring(0, 2));
        int mm = Integer.parseInt(yymmdd.substring(2, 4));
        int dd = Integer.parseInt(yymmdd.substring(4, 6));
        // the latest century that puts the date at or before today (a zone has two digits of the year)
        int century = (today.getYear() / 100) * 100;
        for (int c = century; c >= century - 200; c -= 100) {
            LocalDate d;
            try {
                d = LocalDate.of(c + yy, mm, dd);
            } catch (DateTimeException e) {
                if (mm < 1 || mm > 12 || dd < 1 || dd > 31) {
                    throw date("birth-date");
                }
                continue; // 29 February of a year that is not a leap year in this century: try the one before
            }
            if (!d.isAfter(today)) {
                return d;
            }
        }
        throw date("birth-date");
    }

    private static LocalDate expiryDate(String yymmdd) {
        digits(yymmdd, "expiry-date");
        try {
            return LocalDate.of(2000 + Integer.parseInt(yymmdd.substring(0, 2)),
                    Integer.parseInt(yymmdd.substring(2, 4)), Integer.parseInt(yymmdd.substring(4, 6)));
        } catch (DateTimeException e) {
            throw date("expiry-date");
        }
    }

    private static YearMonth issueMonth(String yymm, LocalDate today) {
        digits(yymm, "issue-date");
        int yy = Integer.parseInt(yymm.substring(0, 2));
        int mm = Integer.parseInt(yymm.substring(2, 4));
        if (mm < 1 || mm > 12) {
            throw date("issue-date");
        }
        YearMonth now = YearMonth.from(today);
        YearMonth issued = YearMonth.of((today.getYear() / 100) * 100 + yy, mm);
        return issued.isAfter(now) ? issued.minusYears(100) : issued;
    }
}
