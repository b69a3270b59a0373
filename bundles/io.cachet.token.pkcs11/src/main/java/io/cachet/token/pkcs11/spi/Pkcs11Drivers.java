package io.cachet.token.pkcs11.spi;

import io.cachet.api.token.TokenException;
import io.cachet.token.pkcs11.internal.Pkcs11Driver;

/** Opens PKCS#11 drivers. */
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
