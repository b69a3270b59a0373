package io.cachet.console.internal;

import java.security.SecureRandom;

import io.cachet.api.security.SecretHash;

/**
 * Operator password hashes: {@link SecretHash} (Cachet's one way to store a chosen secret) plus a dummy check
 * that makes a login for an unknown name cost as long as a real one. Thread-safe.
 */
final class PasswordHasher {

    private final SecureRandom random;
    private volatile String dummy;

    PasswordHasher(SecureRandom random) {
        this.random = random;
    }

    String hash(char[] password) {
        return SecretHash.hash(password, random);
    }

    /** @return whether {@code password} matches {@code stored}; false for an unreadable hash */
    boolean verify(char[] password, String stored) {
        return SecretHash.verify(password, stored);
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
}
