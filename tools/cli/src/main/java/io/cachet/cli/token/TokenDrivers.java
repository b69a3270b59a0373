package io.cachet.cli.token;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

import io.cachet.api.token.TokenCapability;
import io.cachet.token.pkcs11.launch.Pkcs11Drivers;
import io.cachet.token.pkcs11.spi.Pkcs11DriverConfig;
import io.cachet.token.pkcs11.spi.Pkcs11Profile;
import io.cachet.token.pkcs11.spi.Pkcs11TokenDriver;
import io.cachet.token.safenet.launch.SafeNetDrivers;
import io.cachet.token.softhsm.launch.SoftHsmDrivers;

/**
 * Opens a PKCS#11 module with the profile its file name says: SoftHSM2 ({@code libsofthsm2}), SafeNet Authentication
 * Client ({@code eTPKCS11}, {@code libeToken}, {@code IDPrimePKCS11}: the vendor's PIN policy functions when the
 * library has them), or standard PKCS#11 for any other module.
 */
public final class TokenDrivers {

    /** One session per token: the station does one thing at a time. */
    private static final int POOL = 1;
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Pkcs11Profile STANDARD = () -> "PKCS#11";

    /** Which profile a module gets. */
    public enum Family {
        SOFTHSM("SoftHSM2"), SAFENET("SafeNet eToken"), GENERIC("PKCS#11 module");

        private final String title;

        Family(String title) {
            this.title = title;
        }

        public String title() {
            return title;
        }
    }

    private TokenDrivers() {
    }

    public static Family family(String library) {
        String name = Path.of(library).getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.contains("softhsm")) {
            return Family.SOFTHSM;
        }
        if (name.contains("etpkcs11") || name.contains("etoken") || name.contains("idprimepkcs11")) {
            return Family.SAFENET;
        }
        return Family.GENERIC;
    }

    /**
     * @throws IllegalArgumentException when the module does not exist
     * @throws io.cachet.api.token.TokenException when it cannot be loaded
     */
    public static Pkcs11TokenDriver open(String library) {
        if (!Files.isRegularFile(Path.of(library))) {
            throw new IllegalArgumentException("the PKCS#11 module " + library + " does not exist: install the token's"
                    + " driver (SafeNet Authentication Client for eTokens) or correct --module");
        }
        return switch (family(library)) {
            case SOFTHSM -> SoftHsmDrivers.open(library, POOL, WAIT);
            case SAFENET -> SafeNetDrivers.open(library, Set.of(), POOL, WAIT);
            // standard PKCS#11 only: no PIN policy can be demanded of an unknown token
            case GENERIC -> Pkcs11Drivers.open(new Pkcs11DriverConfig(library, "cli", EnumSet.of(
                    TokenCapability.EC_P384, TokenCapability.RSA_PSS, TokenCapability.RSA_4096), STANDARD, POOL, WAIT));
        };
    }
}
