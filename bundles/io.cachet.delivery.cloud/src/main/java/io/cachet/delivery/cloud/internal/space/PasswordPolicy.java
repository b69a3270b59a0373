package io.cachet.delivery.cloud.internal.space;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The holders' password policy, authoritative on the server (the page's meter only helps): at least
 * {@value #MIN_LENGTH} characters, at most {@value #MAX_LENGTH}, not a common password (the list
 * {@code cloudspace/common-passwords.txt} of this bundle, compared ignoring case, also without trailing digits and
 * symbols), not containing the local part of the holder's e-mail address. Thread-safe.
 */
final class PasswordPolicy {

    static final int MIN_LENGTH = 12;
    static final int MAX_LENGTH = 128;

    /** Why a password is refused: the page's message key ends with it. */
    enum Weakness {
        SHORT, LONG, COMMON, EMAIL
    }

    private static final Set<String> COMMON = load();

    private PasswordPolicy() {
    }

    /** Why {@code password} is refused for the account {@code email}; empty when it is accepted. */
    static Optional<Weakness> check(char[] password, String email) {
        if (password == null || password.length < MIN_LENGTH) {
            return Optional.of(Weakness.SHORT);
        }
        if (password.length > MAX_LENGTH) {
            return Optional.of(Weakness.LONG);
        }
        String p = new String(password).toLowerCase(Locale.ROOT);
        String local = email == null ? "" : email.toLowerCase(Locale.ROOT).replaceAll("@.*$", "");
        if (local.length() >= 3 && p.contains(local)) {
            return Optional.of(Weakness.EMAIL);
        }
        String base = p.replaceAll("[0-9\\p{Punct}\\s]+$", "");
        if (COMMON.contains(p) || COMMON.contains(base) || base.chars().distinct().count() <= 2) {
            return Optional.of(Weakness.COMMON);
        }
        return Optional.empty();
    }

    /** How many common passwords are refused (for the README and tests). */
    static int commonCount() {
        return COMMON.size();
    }

    private static Set<String> load() {
        Set<String> s = new HashSet<>();
        try (InputStream in = PasswordPolicy.class.getClassLoader().getResourceAsStream(
                "cloudspace/common-passwords.txt")) {
            if (in == null) {
                throw new IllegalStateException("cloudspace/common-passwords.txt is missing from the bundle");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = r.readLine()) != null;) {
                String l = line.strip();
                if (!l.isEmpty() && !l.startsWith("#")) {
                    s.add(l.toLowerCase(Locale.ROOT));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Set.copyOf(s);
    }
}
