package io.cachet.token.safenet.internal;

import static io.cachet.token.pkcs11.testing.SoftHsmFixture.SO_PIN;
import static io.cachet.token.pkcs11.testing.SoftHsmFixture.USER_PIN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.cachet.api.token.PinPolicy;
import io.cachet.api.token.Token;
import io.cachet.api.token.TokenCapability;
import io.cachet.api.token.TokenException;
import io.cachet.api.token.TokenException.Reason;
import io.cachet.api.token.TokenInfo;
import io.cachet.token.pkcs11.spi.Pkcs11TokenDriver;
import io.cachet.token.pkcs11.testing.SoftHsmFixture;

/**
 * The SafeNet profile on a module that is not SafeNet's: no ETC functions and no token object, so it must declare
 * no policy capability, refuse policy demands, and report no tries, while the standard path works.
 */
class SafeNetOnSoftHsmTest {

    @Test
    void withoutVendorFunctionsTheProfileDegradesToStandardPkcs11() {
        try (Pkcs11TokenDriver driver = SafeNet.open(SoftHsmFixture.library(), Set.of(TokenCapability.EC_P384), 1,
                Duration.ofSeconds(30))) {
            assertEquals("safenet", driver.id());
            assertEquals(EnumSet.of(TokenCapability.PIN_TRIES_REPORTED, TokenCapability.RSA_4096,
                    TokenCapability.EC_P384), driver.capabilities());
            TokenInfo blank = SoftHsmFixture.blank(driver);
            assertEquals(Reason.UNSUPPORTED, assertThrows(TokenException.class, () -> driver.initialize(
                    blank.slotId(), SO_PIN.clone(), USER_PIN.clone(), "safenet", PinPolicy.qualifiedSeal(5)))
                    .reason());
            assertEquals(blank, SoftHsmFixture.blank(driver));

            TokenInfo info = SoftHsmFixture.initialise(driver, "safenet");
            assertTrue(info.userPinTriesLeft().isEmpty(), "SoftHSM2 has no SafeNet token object");
            TokenException wrong = assertThrows(TokenException.class,
                    () -> driver.login(info.serial(), "wrong-pin".toCharArray()));
            assertEquals(Reason.WRONG_PIN, wrong.reason());
            assertTrue(wrong.triesLeft().isEmpty());
            try (Token token = driver.login(info.serial(), USER_PIN.clone())) {
                assertTrue(token.info().userPinTriesLeft().isEmpty());
            }
        }
    }

    @Test
    void aMissingLibraryIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SafeNet.open("/usr/lib/libeTPkcs11-missing.so", Set.of(), 1, Duration.ofSeconds(1)));
        assertTrue(e.getMessage().contains("/usr/lib/libeTPkcs11-missing.so"));
    }
}
