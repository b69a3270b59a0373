package io.cachet.token.soft.internal;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

import io.cachet.api.token.TokenException;

/**
 * PIN rules, the SO PIN hash (the JDK's PBKDF2-HMAC-SHA256, stored as
 * {@code pbkdf2-sha256$<iterations>$<b64 salt>$<b64 hash>}, as the operator directory stores passwords) and
 * constant-time comparison. The user PIN is never hashed here: it is the password of the PKCS#12 file.
 */
final class Pins {

    /** Shortest PIN the software token accepts whatever the policy says: the PIN is all that protects the file. */
    static final int MIN_LENGTH = 4;
    /** Longest PIN, as PKCS#11 tokens such as SoftHSM2 allow. */
    static final int MAX_LENGTH = 255;

    private static final String SCHEME = "pbkdf2-sha256";
    private static final int ITERATIONS = 210_000;
    private static final int MAX_ITERATIONS = 10_000_000;
    private static final int SALT_BYTES = 16;
    private static final int HASH_BITS = 256;

    private Pins() {
    }

    /** @throws TokenException {@code PIN_INVALID} naming the rule {@code pin} breaks */
    static void checkRules(char[] pin, int minLength, String what) {
        int min = Math.max(MIN_LENGTH, minLength);
        if (pin == null || pin.length < min || pin.length > MAX_LENGTH) {
            throw new TokenException(TokenException.Reason.PIN_INVALID,
                    what + " must have " + min + " to " + MAX_LENGTH + " characters");
        }
    }

    static String hash(char[] pin, SecureRandom random) {
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        Base64.Encoder b64 = Base64.getEncoder();
        return SCHEME + "$" + ITERATIONS + "$" + b64.encodeToString(salt) + "$"
                + b64.encodeToString(derive(pin, salt, ITERATIONS, HASH_BITS));
    }

    /** @return whether {@code pin} matches {@code stored}; false for an unreadable hash */
    static boolean verify(char[] pin, String stored) {
        String[] parts = stored == null ? new String[0] : stored.split("\\$");
        if (parts.length != 4 || !SCHEME.equals(parts[0]) || pin == null || pin.length == 0) {
            return false;
        }
        try {
            int iterations = Integer.parseInt(parts[1]);
            byte[] salt = Base64.getDecoder().decode(parts[2]);
            byte[] expected = Base64.getDecoder().decode(parts[3]);
            if (iterations < 1 || iterations > MAX_ITERATIONS || expected.length == 0) {
                return false;
            }
            return MessageDigest.isEqual(expected, derive(pin, salt, iterations, expected.length * 8));
        } catch (IllegalArgumentException unreadable) {
            return false;
        }
    }

    /** Compares in time independent of where the arrays differ. */
    static boolean equal(char[] a, char[] b) {
        if (a == null || b == null) {
            return false;
        }
        int difference = a.length ^ b.length;
        for (int i = 0; i < Math.max(a.length, b.length); i++) {
            char x = i < a.length ? a[i] : 0;
            char y = i < b.length ? b[i] : 0;
            difference |= x ^ y;
        }
        return difference == 0;
    }

    static void wipe(char[] secret) {
        if (secret != null) {
            Arrays.fill(secret, '\0');
        }
    }

    private static byte[] derive(char[] pin, byte[] salt, int iterations, int bits) {
        PBEKeySpec spec = new PBEKeySpec(pin, salt, iterations, bits);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is missing from this JDK", e);
        } finally {
            spec.clearPassword();
        }
    }
}
