package io.cachet.token.pkcs11.launch;

import io.cachet.api.token.TokenException;
import io.cachet.token.pkcs11.internal.Pkcs11Driver;
import io.cachet.token.pkcs11.spi.Pkcs11DriverConfig;
import io.cachet.token.pkcs11.spi.Pkcs11TokenDriver;

/**
 * Opens PKCS#11 drivers: the one way to construct Cachet's generic driver, for vendor profile bundles (which
 * publish the driver they open as their token driver service) and for plain Java (the command line, tests).
 */
public final class Pkcs11Drivers {

    private Pkcs11Drivers() {
    }

    /**
     * Loads and initialises the module (or shares it with the drivers of this JVM that already use it) and returns
     * a driver on it. The caller closes the driver.
     *
     * @throws IllegalArgumentException when the library file does not exist, naming the path
     * @throws TokenException {@code DEVICE_ERROR} when the module cannot be loaded or initialised
     */
    public static Pkcs11TokenDriver open(Pkcs11DriverConfig config) {
        return new Pkcs11Driver(config.library(), config.driverId(), config.capabilities(), config.profile(),
                config.poolSize(), config.borrowTimeout());
    }
}
