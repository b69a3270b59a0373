package io.cachet.token.softhsm.internal;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;

import io.cachet.api.token.TokenCapability;
import io.cachet.token.pkcs11.spi.Pkcs11DriverConfig;
import io.cachet.token.pkcs11.launch.Pkcs11Drivers;
import io.cachet.token.pkcs11.spi.Pkcs11Profile;
import io.cachet.token.pkcs11.spi.Pkcs11TokenDriver;

/**
 * SoftHSM2 (opendnssec/SoftHSMv2 2.6): a software token that speaks standard PKCS#11 and nothing more. It counts
 * no wrong PINs (no retry limit, by design), never sets "must change", reports no tries left, and its only PIN
 * rule is a length of 4 to 255; so it declares no PIN capability and refuses every policy demand beyond those.
 */
public final class SoftHsm implements Pkcs11Profile {

    public static final String DRIVER_ID = "softhsm";
    public static final String DEFAULT_LIBRARY = "/usr/lib/softhsm/libsofthsm2.so";
    public static final Set<TokenCapability> CAPABILITIES = Set.copyOf(EnumSet.of(TokenCapability.RSA_PSS,
            TokenCapability.EC_P384, TokenCapability.RSA_4096));

    @Override
    public String name() {
        return "SoftHSM2";
    }

    /** A {@value #DRIVER_ID} driver on the SoftHSM2 module at {@code library}. */
    public static Pkcs11TokenDriver open(String library, int poolSize, Duration borrowTimeout) {
        return Pkcs11Drivers.open(new Pkcs11DriverConfig(library, DRIVER_ID, CAPABILITIES, new SoftHsm(), poolSize,
                borrowTimeout));
    }
}
