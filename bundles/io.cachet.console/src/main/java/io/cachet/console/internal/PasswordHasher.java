package io.cachet.console.internal;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Salted password hashes with the JDK's PBKDF2-HMAC-SHA256, stored as
 * {@code pbkdf2-sha256$<iterations>$<b64 salt>$<b64 hash>}. The iteration count travels with each hash, so it
 * can be raised later without invalidating stored passwords. Thread-safe.
 */
final class PasswordHasher {

    static final String SCHEME = "pbkdf2-sha256";
    /** OWASP's 2023 recommendation for PBKDF2-HMAC-SHA256. */
    static final int ITERATIONS = 210_000;
    private static final int SALT_BYTES = 16;
    private static final int HASH_BITS = 256;
    /** Refuses stored counts a corrupted or hostile row could use to burn CPU. */
    private static final int MAX_ITERATIONS = 10_000_000;

    private final SecureRandom random;
    private volatile String dummy;

    PasswordHasher(SecureRandom random) {
        this.random = random;
    }

    String hash(char[] password) {
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        byte[] hash = derive(password, salt, ITERATIONS, HASH_BITS);
        Base64.Encoder b64 = Base64.getEncoder();
        return SCHEME + "$" + ITERATIONS + "$" + b64.encodeToString(salt) + "$" + b64.encodeToString(hash);
    }

    /** @return whether {@code password} matches {@code stored}; false for an unreadable hash */
    boolean verify(char[] password, String stored) {
        String[] parts = stored == null ? new String[0] : stored.split("\\$");
        if (parts.length != 4 || !SCHEME.equals(parts[0]) || password == null || password.length == 0) {
            return false;
        }
        try {
            int iterations = Integer.parseInt(parts[1]);
            byte[] salt = Base64.getDecoder().decode(parts[2]);
            byte[] expected = Base64.getDecoder().decode(parts[3]);
            if (iterations < 1 || iterations > MAX_ITERATIONS || expected.length == 0) {
                return false;
            }
            return MessageDigest.isEqual(expected, derive(password, salt, iterations, expected.length * 8));
        } catch (IllegalArgumentException unreadable) {
            return false;
        }
    }

    /**
     * Spends as long as a real check, for logins that do not exist: the response time must not tell an
     * attacker which logins do.
     */
    void verifyDummy(char[] password) {
        String d = dummy;
        if (d == null) {
            char[] random = new char[16];
            for (int i = 0; i < random.length; i++) {
                random[i] = (char) ('a' + this.random.nextInt(26));
            }
            d = dummy = hash(random);
        }
        verify(password == null || password.length == 0 ? new char[] {'x'} : password, d);
    }

    private static byte[] derive(char[] password, byte[] salt, int iterations, int bits) {
        PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, bits);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("This Java runtime lacks PBKDF2WithHmacSHA256", e);
        } finally {
            spec.clearPassword();
        }
    }
}
