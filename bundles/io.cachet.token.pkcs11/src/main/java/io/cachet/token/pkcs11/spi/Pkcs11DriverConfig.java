package io.cachet.token.pkcs11.spi;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;

import io.cachet.api.token.TokenCapability;

/**
 * How to open a PKCS#11 driver.
 *
 * @param library path of the vendor's PKCS#11 module (a shared library)
 * @param driverId the driver's {@link io.cachet.api.token.TokenDriver#id()}
 * @param capabilities what the driver guarantees on this module with this profile; the driver refuses the
 *        algorithms and policy demands that need a capability not listed
 * @param profile the vendor specifics
 * @param poolSize sessions per logged-in token, 1 to 64: how many signatures can run at once
 * @param borrowTimeout how long an operation waits for a free session before failing with {@code BUSY}; positive
 */
public record Pkcs11DriverConfig(String library, String driverId, Set<TokenCapability> capabilities,
        Pkcs11Profile profile, int poolSize, Duration borrowTimeout) {

    /** Most sessions per token: beyond this, tokens run out of session handles rather than speed up. */
    public static final int MAX_POOL_SIZE = 64;

    /**
     * @throws IllegalArgumentException for a blank library or id, a pool size outside 1 to {@value #MAX_POOL_SIZE}
     *         or a timeout that is not positive
     */
    public Pkcs11DriverConfig {
        Objects.requireNonNull(library, "library");
        Objects.requireNonNull(driverId, "driverId");
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(borrowTimeout, "borrowTimeout");
        if (library.isBlank()) {
            throw new IllegalArgumentException("The PKCS#11 library path is empty: give the path of the vendor's module");
        }
        if (driverId.isBlank()) {
            throw new IllegalArgumentException("The token driver id is empty");
        }
        if (poolSize < 1 || poolSize > MAX_POOL_SIZE) {
            throw new IllegalArgumentException("poolSize must be between 1 and " + MAX_POOL_SIZE + ", not " + poolSize);
        }
        if (borrowTimeout.isNegative() || borrowTimeout.isZero()) {
            throw new IllegalArgumentException("borrowTimeout must be positive, not " + borrowTimeout);
        }
        capabilities = Set.copyOf(capabilities);
    }
}
