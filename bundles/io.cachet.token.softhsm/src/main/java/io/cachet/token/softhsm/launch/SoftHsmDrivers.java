package io.cachet.token.softhsm.launch;

import java.time.Duration;

import io.cachet.token.pkcs11.spi.Pkcs11TokenDriver;
import io.cachet.token.softhsm.internal.SoftHsm;

/** Opens the SoftHSM2 driver outside OSGi. */
public final class SoftHsmDrivers {

    /** Where Debian's softhsm2 package installs the module. */
    public static final String DEFAULT_LIBRARY = SoftHsm.DEFAULT_LIBRARY;

    private SoftHsmDrivers() {
    }

    /**
     * The driver on the SoftHSM2 module {@code library} (its tokens where {@code SOFTHSM2_CONF} says), with a pool
     * of {@code poolSize} sessions per token, waiting at most {@code borrowTimeout} for one. The caller closes it.
     */
    public static Pkcs11TokenDriver open(String library, int poolSize, Duration borrowTimeout) {
        return SoftHsm.open(library, poolSize, borrowTimeout);
    }
}
