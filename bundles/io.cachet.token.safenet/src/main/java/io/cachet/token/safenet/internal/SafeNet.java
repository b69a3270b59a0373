package io.cachet.token.safenet.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cachet.api.token.TokenCapability;
import io.cachet.token.pkcs11.spi.Pkcs11DriverConfig;
import io.cachet.token.pkcs11.launch.Pkcs11Drivers;
import io.cachet.token.pkcs11.spi.Pkcs11TokenDriver;

/**
 * Opens {@value #DRIVER_ID} drivers and decides what they can declare. Public for the plain-Java entry point
 * ({@code io.cachet.token.safenet.launch}); not exported.
 */
public final class SafeNet {

    public static final String DRIVER_ID = "safenet";
    /** What every SafeNet library gives: eTokens report their tries, 5110-class tokens hold RSA 4096. */
    static final Set<TokenCapability> BASE = Set.copyOf(EnumSet.of(TokenCapability.PIN_TRIES_REPORTED,
            TokenCapability.RSA_4096));
    /** What the ETC_* initialisation adds. */
    static final Set<TokenCapability> POLICY = Set.copyOf(EnumSet.of(TokenCapability.PIN_RETRY_LIMIT,
            TokenCapability.PIN_MUST_CHANGE, TokenCapability.SO_UNBLOCK_DISABLE));
    /** Depend on the model (IDPrime-based models have EC P-384; PSS varies), so they are configured. */
    static final Set<TokenCapability> OPTIONAL = Set.copyOf(EnumSet.of(TokenCapability.EC_P384,
            TokenCapability.RSA_PSS));

    private static final Logger LOG = LoggerFactory.getLogger(SafeNet.class);

    private SafeNet() {
    }

    static Set<TokenCapability> capabilities(boolean vendorFunctions, Set<TokenCapability> optional) {
        for (TokenCapability c : optional) {
            if (!OPTIONAL.contains(c)) {
                throw new IllegalArgumentException("Capability " + c + " is not configurable for SafeNet tokens; "
                        + "only " + OPTIONAL + " depend on the model");
            }
        }
        Set<TokenCapability> all = EnumSet.noneOf(TokenCapability.class);
        all.addAll(BASE);
        all.addAll(optional);
        if (vendorFunctions) {
            all.addAll(POLICY);
        }
        return Set.copyOf(all);
    }

    /**
     * @throws IllegalArgumentException when the library does not exist
     */
    public static Pkcs11TokenDriver open(String library, Set<TokenCapability> optional, int poolSize, Duration timeout) {
        if (!Files.isRegularFile(Path.of(library))) {
            throw new IllegalArgumentException("SafeNet PKCS#11 library " + library + " does not exist: install "
                    + "SafeNet Authentication Client or correct 'library'");
        }
        Optional<EtcFunctions> etc = JnaEtcFunctions.load(library);
        if (etc.isEmpty()) {
            LOG.warn("{} exports no ETC_* initialisation functions: the safenet driver cannot set PIN policies "
                    + "(retry counter, change at first logon, no administrator)", library);
        }
        return Pkcs11Drivers.open(new Pkcs11DriverConfig(library, DRIVER_ID, capabilities(etc.isPresent(), optional),
                new SafeNetProfile(etc), poolSize, timeout));
    }
}
