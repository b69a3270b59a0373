package io.cachet.signature.internal;

import java.time.Duration;

/** Reads the HTTP timeout of the signature configuration, refusing values the network layer cannot use. */
final class Timeouts {

    private Timeouts() {
    }

    static Duration of(SignatureConfiguration config) {
        int seconds = config.timeoutSeconds();
        if (seconds < 1) {
            // said here, with the PID, rather than as Network's bare "timeout must be positive"
            throw new IllegalArgumentException("timeoutSeconds of configuration PID " + SignatureConfiguration.PID
                    + " must be 1 or more, not " + seconds);
        }
        return Duration.ofSeconds(seconds);
    }
}
