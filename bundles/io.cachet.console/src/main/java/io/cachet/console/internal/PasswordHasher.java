package io.cachet.console.internal;

import java.security.SecureRandom;

import io.cachet.api.security.SecretHash;

/**
 * Operator password hashes: {@link SecretHash} (Cachet's one way to store a chosen secret) plus a dummy check
 * that makes a login for an unknown name cost as long as a real one. Thread-safe.
 */
final class PasswordHasher {

    private final SecureRandom random;

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
        SecretHash.verifyUnknown(password);
    }
}
