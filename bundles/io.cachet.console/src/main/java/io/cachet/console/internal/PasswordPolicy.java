package io.cachet.console.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

import io.cachet.api.operator.OperatorException;

/**
 * The rules every new operator password meets. Each refusal names the rule broken and what to do. The common
 * passwords come from a list bundled with Cachet ({@value #COMMON_RESOURCE}), compared without regard to case, and
 * also after dropping the digits and symbols people add around a common word ({@code Password2024!}).
 * Thread-safe, immutable.
 */
final class PasswordPolicy {

    static final int MIN_LENGTH = 12;
    /** PBKDF2 hashes any length cheaply, but a form field of megabytes is no password. */
    static final int MAX_LENGTH = 256;
    static final int MIN_DISTINCT = 5;
    static final String COMMON_RESOURCE = "common-passwords.txt";
    /** Keyboard rows, for "qwertyuiop"-like walks (also read backwards). */
    private static final String[] ROWS = {"`1234567890-=", "qwertyuiop[]\\", "asdfghjkl;'", "zxcvbnm,./",
        "azertyuiop", "qsdfghjklm", "wxcvbn", "qwertzuiop", "yxcvbnm"};

    private static final Set<String> COMMON = load();

    private PasswordPolicy() {
    }

    /**
     * @throws OperatorException naming the rule {@code password} breaks; {@code password} is left as it is
     */
    static void check(String login, char[] currentPassword, char[] password) {
        if (password == null || password.length < MIN_LENGTH) {
            throw refused("password.too-short", "Choose a new password of at least " + MIN_LENGTH + " characters.",
                    Integer.toString(MIN_LENGTH));
        }
        if (password.length > MAX_LENGTH) {
            throw refused("password.too-long", "Choose a new password of at most " + MAX_LENGTH + " characters.",
                    Integer.toString(MAX_LENGTH));
        }
        if (currentPassword != null && Arrays.equals(password, currentPassword)) {
            throw refused("password.unchanged", "The new password must differ from the current one.");
        }
        char[] lower = lower(password);
        try {
            if (login != null && login.length() >= 3 && contains(lower, login.toLowerCase(Locale.ROOT))) {
                throw refused("password.contains-login", "The new password must not contain your login; choose another one.");
            }
            if (distinct(lower) < MIN_DISTINCT) {
                throw refused("password.few-distinct", "The new password repeats too few characters (it needs at least "
                        + MIN_DISTINCT + " different ones); choose a less predictable one.", Integer.toString(MIN_DISTINCT));
            }
            if (repeatsAPattern(lower)) {
                throw refused("password.pattern", "The new password repeats a shorter pattern; choose a less predictable one.");
            }
            if (isSequence(lower)) {
                throw refused("password.sequence", "The new password is a sequence of characters (like 123456789012 or a "
                        + "row of the keyboard); choose a less predictable one.");
            }
            if (isCommon(lower)) {
                throw refused("password.common", "The new password is on the list of commonly used passwords that attackers"
                        + " try first; choose another one (a few unrelated words make a good one).");
            }
        } finally {
            Arrays.fill(lower, '\0');
        }
    }

    private static OperatorException refused(String code, String message, String... args) {
        return new OperatorException(OperatorException.Reason.INVALID, code, message, args);
    }

    /** Only the list's size leaves this class: the test checks that the resource is there. */
    static int commonCount() {
        return COMMON.size();
    }

    private static boolean isCommon(char[] lower) {
        String whole = new String(lower);
        if (COMMON.contains(whole)) {
            return true;
        }
        int start = 0;
        int end = lower.length;
        while (start < end && !Character.isLetter(lower[start])) {
            start++;
        }
        while (end > start && !Character.isLetter(lower[end - 1])) {
            end--;
        }
        // "Password2024!", "!!dragon1234": the word a person padded to reach the length
        return end - start >= 4 && (end - start < lower.length) && COMMON.contains(whole.substring(start, end));
    }

    private static int distinct(char[] s) {
        Set<Character> seen = new HashSet<>();
        for (char c : s) {
            seen.add(c);
        }
        return seen.size();
    }

    private static boolean repeatsAPattern(char[] s) {
        for (int unit = 1; unit <= s.length / 2; unit++) {
            if (s.length % unit != 0) {
                continue;
            }
            boolean repeats = true;
            for (int i = unit; i < s.length && repeats; i++) {
                repeats = s[i] == s[i - unit];
            }
            if (repeats) {
                return true;
            }
        }
        return false;
    }

    /** Each character next to the previous one in the alphabet, the digits (wrapping 9 to 0) or a keyboard row. */
    private static boolean isSequence(char[] s) {
        return steps(s, 1) || steps(s, -1) || keyboardWalk(s);
    }

    private static boolean steps(char[] s, int direction) {
        for (int i = 1; i < s.length; i++) {
            char a = s[i - 1];
            char b = s[i];
            boolean next = b - a == direction
                    || (Character.isDigit(a) && Character.isDigit(b) && Math.floorMod(b - a, 10) == Math.floorMod(direction, 10));
            if (!next) {
                return false;
            }
        }
        return true;
    }

    private static boolean keyboardWalk(char[] s) {
        for (int i = 1; i < s.length; i++) {
            if (!adjacentOnARow(s[i - 1], s[i])) {
                return false;
            }
        }
        return true;
    }

    private static boolean adjacentOnARow(char a, char b) {
        for (String row : ROWS) {
            int i = row.indexOf(a);
            int j = row.indexOf(b);
            if (i >= 0 && j >= 0 && Math.abs(i - j) == 1) {
                return true;
            }
        }
        return false;
    }

    private static boolean contains(char[] haystack, String needle) {
        outer:
        for (int i = 0; i + needle.length() <= haystack.length; i++) {
            for (int j = 0; j < needle.length(); j++) {
                if (haystack[i + j] != needle.charAt(j)) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private static char[] lower(char[] s) {
        char[] out = new char[s.length];
        for (int i = 0; i < s.length; i++) {
            out[i] = Character.toLowerCase(s[i]);
        }
        return out;
    }

    private static Set<String> load() {
        Set<String> words = new HashSet<>();
        try (InputStream in = PasswordPolicy.class.getResourceAsStream(COMMON_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("The bundled list " + COMMON_RESOURCE + " is missing from the bundle");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = r.readLine()) != null;) {
                String w = line.strip();
                if (!w.isEmpty() && !w.startsWith("#")) {
                    words.add(w.toLowerCase(Locale.ROOT));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + COMMON_RESOURCE, e);
        }
        return Set.copyOf(words);
    }
}
