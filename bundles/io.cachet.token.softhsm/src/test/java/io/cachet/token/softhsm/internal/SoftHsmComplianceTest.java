package io.cachet.token.softhsm.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;

import io.cachet.api.token.TokenDriver;
import io.cachet.token.pkcs11.spi.Pkcs11TokenDriver;
import io.cachet.token.pkcs11.testing.SoftHsmFixture;
import io.cachet.token.tck.TokenDriverCompliance;

/**
 * The token compliance kit against the softhsm driver on the real SoftHSM2. Every test gets a driver of its own;
 * SoftHSM2 always offers a fresh blank token, so the tests share the token store without sharing tokens.
 */
class SoftHsmComplianceTest extends TokenDriverCompliance {

    private final List<Pkcs11TokenDriver> opened = new ArrayList<>();

    private Pkcs11TokenDriver open() {
        // two sessions for eight signing threads: the pool, not the thread count, bounds the load on the module
        Pkcs11TokenDriver driver = SoftHsm.open(SoftHsmFixture.library(), 2, Duration.ofMinutes(2));
        opened.add(driver);
        return driver;
    }

    @Override
    protected TokenDriver driver() {
        return open();
    }

    @Override
    protected TokenDriver reconnect(TokenDriver previous) {
        // the last driver on the module finalises it: the next one loads and initialises it again
        ((Pkcs11TokenDriver) previous).close();
        return open();
    }

    @AfterEach
    void closeDrivers() {
        opened.forEach(Pkcs11TokenDriver::close);
    }
}
