package io.cachet.api.security;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Salted hashes of secrets a person chooses (operator passwords, security-officer PINs) with the JDK's
 * PBKDF2-HMAC-SHA256, stored as {@code pbkdf2-sha256$<iterations>$<b64 salt>$<b64 hash>}. The iteration count
 * travels with each hash, so it can be raised later without invalidating stored ones: {@link #needsRehash} tells a
 * caller that has just verified a secret against an older hash to store a fresh one. Thread-safe; stateless.
 *
 * <p>Lives in the API so that every bundle stores such secrets the same way: the format is part of the
 * contract of the data Cachet keeps.
 */
public final class SecretHash {

    public static final String SCHEME = "pbkdf2-sha256";
    /**
     * OWASP Password Storage Cheat Sheet (2023 and later): 600,000 iterations for PBKDF2-HMAC-SHA256. (Its 210,000
     * is the figure for PBKDF2-HMAC-SHA512, which Cachet does not use.)
     */
    public static final int ITERATIONS = 600_000;
    private static final int SALT_BYTES = 16;
    private static final int HASH_BITS = 256;
    /** Refuses stored counts that a corrupted or hostile record could use to burn CPU. */
    private static final int MAX_ITERATIONS = 10_000_000;

    private SecretHash() {
    }

    /** A fresh salted hash of {@code secret}; the caller keeps and wipes its array. */
    public static String hash(char[] secret, SecureRandom random) {
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        Base64.Encoder b64 = Base64.getEncoder();
        return SCHEME + "$" + ITERATIONS + "$" + b64.encodeToString(salt) + "$"
                + b64.encodeToString(derive(secret, salt, ITERATIONS, HASH_BITS));
    }

    /**
     * @return whether {@code secret} matches {@code stored}, compared in constant time; false for an empty secret
     *         or an unreadable hash. Never throws.
     */
    public static boolean verify(char[] secret, String stored) {
        String[] parts = stored == null ? new String[0] : stored.split("\\$");
        if (parts.length != 4 || !SCHEME.equals(parts[0]) || secret == null || secret.length == 0) {
            return false;
        }
        try {
            int iterations = Integer.parseInt(parts[1]);
            byte[] salt = Base64.getDecoder().decode(parts[2]);
            byte[] expected = Base64.getDecoder().decode(parts[3]);
            if (iterations < 1 || iterations > MAX_ITERATIONS || expected.length == 0) {
                return false;
            }
            return MessageDigest.isEqual(expected, derive(secret, salt, iterations, expected.length * 8));
        } catch (IllegalArgumentException unreadable) {
            return false;
        }
    }

    /**
     * Spends as long as {@link #verify} against a real hash, for a login that does not exist, so that the answer's
     * time does not tell which logins do. Always false. The hash it compares with is made at the first call, not when
     * the class loads (a start-up would pay a whole derivation for nothing).
     *
     * @since 1.4
     */
    public static boolean verifyUnknown(char[] secret) {
        verify(secret == null || secret.length == 0 ? new char[] { 'x' } : secret, UnknownHash.VALUE);
        return false;
    }

    /** The hash {@link #verifyUnknown} compares with: of a random secret nobody knows, made on first use. */
    private static final class UnknownHash {
        static final String VALUE;

        static {
            SecureRandom random = new SecureRandom();
            char[] secret = new char[24];
            for (int i = 0; i < secret.length; i++) {
                secret[i] = (char) ('a' + random.nextInt(26));
            }
            VALUE = hash(secret, random);
        }
    }

    /**
     * @return whether {@code stored} was made with weaker parameters than {@link #hash} uses now (fewer iterations,
     *         another hash length or scheme), so that a caller who has just verified the secret should replace it
     *         with a fresh {@link #hash}. False for a current hash; true for an unreadable one.
     * @since 1.1
     */
    public static boolean needsRehash(String stored) {
        String[] parts = stored == null ? new String[0] : stored.split("\\$");
        if (parts.length != 4 || !SCHEME.equals(parts[0])) {
            return true;
        }
        try {
            return Integer.parseInt(parts[1]) < ITERATIONS || Base64.getDecoder().decode(parts[3]).length * 8 != HASH_BITS
                    || Base64.getDecoder().decode(parts[2]).length < SALT_BYTES;
        } catch (IllegalArgumentException unreadable) {
            return true;
        }
    }

    private static byte[] derive(char[] secret, byte[] salt, int iterations, int bits) {
        PBEKeySpec spec = new PBEKeySpec(secret, salt, iterations, bits);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("This Java runtime lacks PBKDF2WithHmacSHA256", e);
        } finally {
            spec.clearPassword();
        }
    }
}
