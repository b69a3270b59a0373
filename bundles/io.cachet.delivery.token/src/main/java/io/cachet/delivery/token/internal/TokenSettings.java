package io.cachet.delivery.token.internal;

import java.time.Duration;

import io.cachet.api.token.KeyAlgorithm;

/** The configuration as values. */
record TokenSettings(KeyAlgorithm keyAlgorithm, int maxUserPinTries, int pinDigits, Duration codeValidity,
        int maxTries, int codesPerHour, int activationsPerHour, int jobSeconds) {

    static final String PID = "io.cachet.delivery.token";

    /** @throws IllegalArgumentException for an unknown key algorithm (the message names the allowed ones) */
    static TokenSettings of(TokenDeliveryConfiguration c) {
        KeyAlgorithm alg;
        try {
            alg = KeyAlgorithm.valueOf(c.keyAlgorithm().strip());
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException(PID + ": keyAlgorithm must be one of EC_P256, EC_P384, RSA_3072,"
                    + " RSA_4096, not '" + c.keyAlgorithm() + "'");
        }
        return new TokenSettings(alg, Math.min(15, Math.max(1, c.maxUserPinTries())),
                Math.min(8, Math.max(4, c.pinDigits())), Duration.ofMinutes(Math.min(60, Math.max(1, c.codeMinutes()))),
                Math.max(1, c.maxTries()), Math.max(1, c.codesPerHour()), Math.max(1, c.activationsPerHour()),
                Math.max(1, c.jobSeconds()));
    }

    static TokenSettings defaults() {
        return new TokenSettings(KeyAlgorithm.EC_P256, 5, 4, Duration.ofMinutes(10), 3, 5, 20, 30);
    }
}
