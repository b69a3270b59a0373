package io.cachet.token.softhsm.internal;

import static io.cachet.token.pkcs11.testing.SoftHsmFixture.SO_PIN;
import static io.cachet.token.pkcs11.testing.SoftHsmFixture.USER_PIN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;
import java.util.OptionalInt;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import io.cachet.api.token.KeyAlgorithm;
import io.cachet.api.token.PinPolicy;
import io.cachet.api.token.SignatureAlgorithm;
import io.cachet.api.token.Token;
import io.cachet.api.token.TokenCapability;
import io.cachet.api.token.TokenException;
import io.cachet.api.token.TokenException.Reason;
import io.cachet.api.token.TokenInfo;
import io.cachet.api.token.TokenInfo.Flag;
import io.cachet.api.token.TokenKey;
import io.cachet.token.pkcs11.spi.Pkcs11TokenDriver;
import io.cachet.token.pkcs11.testing.SoftHsmFixture;

/** The SoftHSM2 profile on the real SoftHSM2: what it declares, what it refuses, and that it works end to end. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SoftHsmDriverTest {

    private Pkcs11TokenDriver driver;

    @BeforeAll
    void open() {
        driver = SoftHsm.open(SoftHsmFixture.library(), 2, Duration.ofSeconds(30));
    }

    @AfterAll
    void close() {
        driver.close();
    }

    @Test
    void declaresOnlyWhatSoftHsmCanDo() {
        assertEquals("softhsm", driver.id());
        assertEquals(EnumSet.of(TokenCapability.RSA_PSS, TokenCapability.EC_P384, TokenCapability.RSA_4096),
                driver.capabilities());
    }

    @Test
    void everyPolicyDemandIsRefusedBeforeTheTokenIsTouched() {
        TokenInfo blank = SoftHsmFixture.blank(driver);
        PinPolicy[] demands = {PinPolicy.qualifiedSeal(5), new PinPolicy(OptionalInt.of(10), false, true, 4),
            new PinPolicy(OptionalInt.empty(), true, true, 4), new PinPolicy(OptionalInt.empty(), false, false, 4)};
        for (PinPolicy demand : demands) {
            TokenException e = assertThrows(TokenException.class, () -> driver.initialize(blank.slotId(),
                    SO_PIN.clone(), USER_PIN.clone(), "refused", demand));
            assertEquals(Reason.UNSUPPORTED, e.reason(), demand.toString());
            assertTrue(e.getMessage().contains("SoftHSM2"), e.getMessage());
        }
        assertEquals(blank, SoftHsmFixture.blank(driver));
        assertTrue(driver.tokens().stream().noneMatch(t -> t.label().equals("refused")));
    }

    @Test
    void aTokenIsInitialisedUsedAndReportsAWrongPinAsSoftHsmDoes() {
        TokenInfo info = SoftHsmFixture.initialise(driver, "softhsm-profile");
        assertEquals("SoftHSM project", info.manufacturer());
        assertTrue(info.has(Flag.USER_PIN_INITIALIZED));

        TokenException wrong = assertThrows(TokenException.class,
                () -> driver.login(info.serial(), "wrong-pin".toCharArray()));
        assertEquals(Reason.WRONG_PIN, wrong.reason());
        assertTrue(wrong.triesLeft().isEmpty());
        // SoftHSM2 sets only COUNT_LOW after a wrong PIN: no final try, no lock (DOMAIN-NOTES)
        TokenInfo after = driver.tokens().stream().filter(t -> t.serial().equals(info.serial())).findFirst()
                .orElseThrow();
        assertTrue(after.has(Flag.USER_PIN_COUNT_LOW), after.flags().toString());
        assertTrue(!after.has(Flag.USER_PIN_LOCKED) && !after.has(Flag.USER_PIN_FINAL_TRY));
        assertTrue(after.userPinTriesLeft().isEmpty());

        try (Token token = driver.login(info.serial(), USER_PIN.clone())) {
            TokenKey key = token.generateKeyPair("seal", KeyAlgorithm.EC_P384);
            assertTrue(key.protectedOnToken());
            byte[] message = "softhsm".getBytes(StandardCharsets.UTF_8);
            assertTrue(SoftHsmFixture.verify(key.publicKey(), SignatureAlgorithm.ECDSA_SHA384, message,
                    token.sign("seal", SignatureAlgorithm.ECDSA_SHA384, message)));
            // a successful login resets SoftHSM2's low-count flag
            assertTrue(!token.info().has(Flag.USER_PIN_COUNT_LOW), token.info().flags().toString());
        }
    }
}
