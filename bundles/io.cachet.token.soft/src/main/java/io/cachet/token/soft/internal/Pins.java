package io.cachet.token.soft.internal;

import java.security.SecureRandom;
import java.util.Arrays;

import io.cachet.api.security.SecretHash;
import io.cachet.api.token.TokenException;

/**
 * PIN rules, the SO PIN hash (Cachet's {@link SecretHash}, as operator passwords are stored) and constant-time
 * comparison. The user PIN is never hashed here: it is the password of the PKCS#12 file.
 */
final class Pins {

    /** Shortest PIN the software token accepts whatever the policy says: the PIN is all that protects the file. */
    static final int MIN_LENGTH = 4;
    /** Longest PIN, as PKCS#11 tokens such as SoftHSM2 allow. */
    static final int MAX_LENGTH = 255;


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
        return SecretHash.hash(pin, random);
    }

    /** @return whether {@code pin} matches {@code stored}; false for an unreadable hash */
    static boolean verify(char[] pin, String stored) {
        return SecretHash.verify(pin, stored);
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
}
