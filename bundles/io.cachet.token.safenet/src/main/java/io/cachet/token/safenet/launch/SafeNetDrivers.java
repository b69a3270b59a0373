package io.cachet.token.safenet.launch;

import java.time.Duration;
import java.util.Set;

import io.cachet.api.token.TokenCapability;
import io.cachet.token.pkcs11.spi.Pkcs11TokenDriver;
import io.cachet.token.safenet.internal.SafeNet;

/** Opens the SafeNet eToken driver outside OSGi. */
public final class SafeNetDrivers {

    /** The driver's {@link io.cachet.api.token.TokenDriver#id()}. */
    public static final String DRIVER_ID = SafeNet.DRIVER_ID;

    private SafeNetDrivers() {
    }

    /**
     * The driver on SafeNet Authentication Client's module {@code library}, declaring the PIN policy capabilities
     * only when the library exports the vendor's {@code ETC_*} initialisation functions, plus the model's
     * {@code modelCapabilities} ({@code EC_P384}, {@code RSA_PSS}: what the model holds); a pool of {@code poolSize}
     * sessions per token, waiting at most {@code borrowTimeout} for one. The caller closes it.
     *
     * @throws IllegalArgumentException when the library does not exist, or a capability is not one a model adds
     * @throws io.cachet.api.token.TokenException {@code DEVICE_ERROR} when the module cannot be loaded
     */
    public static Pkcs11TokenDriver open(String library, Set<TokenCapability> modelCapabilities, int poolSize,
            Duration borrowTimeout) {
        return SafeNet.open(library, modelCapabilities, poolSize, borrowTimeout);
    }
}
