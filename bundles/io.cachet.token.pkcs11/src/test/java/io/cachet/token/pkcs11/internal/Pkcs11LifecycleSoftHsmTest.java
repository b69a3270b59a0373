package io.cachet.token.pkcs11.internal;

import static io.cachet.token.pkcs11.testing.SoftHsmFixture.SO_PIN;
import static io.cachet.token.pkcs11.testing.SoftHsmFixture.USER_PIN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cachet.api.token.KeyAlgorithm;
import io.cachet.api.token.PinPolicy;
import io.cachet.api.token.SignatureAlgorithm;
import io.cachet.api.token.Token;
import io.cachet.api.token.TokenException;
import io.cachet.api.token.TokenException.Reason;
import io.cachet.api.token.TokenInfo;
import io.cachet.api.token.TokenKey;
import io.cachet.token.pkcs11.testing.SoftHsmFixture;

/**
 * PINs, re-initialisation, reconnecting and failures of the module, each test with drivers of its own (several
 * close the module, which would end the sessions of a driver shared across tests).
 */
class Pkcs11LifecycleSoftHsmTest {

    private static Pkcs11Driver open() {
        return new Pkcs11Driver(SoftHsmFixture.library(), "lifecycle", Set.of(), new GenericProfile(), 2,
                Duration.ofSeconds(30));
    }

    @Test
    void aWrongPinIsRefusedAndTheRightOneLogsIn() {
        try (Pkcs11Driver driver = open()) {
            TokenInfo info = SoftHsmFixture.initialise(driver, "pins");
            TokenException wrong = assertThrows(TokenException.class,
                    () -> driver.login(info.serial(), "not-the-pin".toCharArray()));
            assertEquals(Reason.WRONG_PIN, wrong.reason());
            // SoftHSM2 counts nothing it would tell
            assertTrue(wrong.triesLeft().isEmpty());
            try (Token token = driver.login(info.serial(), USER_PIN.clone())) {
                assertEquals(info.serial(), token.info().serial());
            }
            // closing logged out: the token can be logged in to again
            driver.login(info.serial(), USER_PIN.clone()).close();
        }
    }

    @Test
    void thePinIsChangedAndOnlyTheNewOneWorksAfterwards() {
        try (Pkcs11Driver driver = open()) {
            TokenInfo info = SoftHsmFixture.initialise(driver, "change");
            char[] newPin = "a-new-pin-5678".toCharArray();
            try (Token token = driver.login(info.serial(), USER_PIN.clone())) {
                assertEquals(Reason.WRONG_PIN, assertThrows(TokenException.class,
                        () -> token.changePin("wrong-pin".toCharArray(), newPin.clone())).reason());
                assertEquals(Reason.PIN_INVALID, assertThrows(TokenException.class,
                        () -> token.changePin(USER_PIN.clone(), "12".toCharArray())).reason());
                token.changePin(USER_PIN.clone(), newPin.clone());
            }
            assertEquals(Reason.WRONG_PIN, assertThrows(TokenException.class,
                    () -> driver.login(info.serial(), USER_PIN.clone())).reason());
            driver.login(info.serial(), newPin.clone()).close();
        }
    }

    @Test
    void reinitialisingNeedsTheSoPinAndClearsTheKeys() {
        try (Pkcs11Driver driver = open()) {
            TokenInfo info = SoftHsmFixture.initialise(driver, "reinit");
            try (Token token = driver.login(info.serial(), USER_PIN.clone())) {
                token.generateKeyPair("old", KeyAlgorithm.EC_P256);
                // sessions are open: the module refuses, the driver says why
                assertEquals(Reason.BUSY, assertThrows(TokenException.class, () -> driver.initialize(info.slotId(),
                        SO_PIN.clone(), USER_PIN.clone(), "reinit-2", PinPolicy.TOKEN_DEFAULT)).reason());
            }
            assertEquals(Reason.WRONG_PIN, assertThrows(TokenException.class, () -> driver.initialize(info.slotId(),
                    "wrong-so-pin".toCharArray(), USER_PIN.clone(), "reinit-2", PinPolicy.TOKEN_DEFAULT)).reason());
            char[] userPin = "second-user-pin".toCharArray();
            TokenInfo again = driver.initialize(info.slotId(), SO_PIN.clone(), userPin.clone(), "reinit-2",
                    PinPolicy.TOKEN_DEFAULT);
            assertEquals("reinit-2", again.label());
            try (Token token = driver.login(again.serial(), userPin.clone())) {
                assertEquals(List.of(), token.keys());
            }
        }
    }

    @Test
    void afterReconnectingTheKeysAreFoundWithFreshHandles() {
        String serial;
        TokenKey before;
        Token old;
        try (Pkcs11Driver driver = open()) {
            serial = SoftHsmFixture.initialise(driver, "reconnect").serial();
            old = driver.login(serial, USER_PIN.clone());
            before = old.generateKeyPair("seal", KeyAlgorithm.RSA_2048);
            old.sign("seal", SignatureAlgorithm.RSA_PKCS1_SHA256, new byte[] {1});
        }
        // closing the driver logged out its tokens and finalised the module
        assertEquals(Reason.CLOSED, assertThrows(TokenException.class,
                () -> old.sign("seal", SignatureAlgorithm.RSA_PKCS1_SHA256, new byte[] {1})).reason());
        try (Pkcs11Driver driver = open(); Token token = driver.login(serial, USER_PIN.clone())) {
            TokenKey after = token.keys().stream().filter(k -> k.alias().equals("seal")).findFirst().orElseThrow();
            assertEquals(before.publicKey(), after.publicKey());
            byte[] message = "after reconnect".getBytes(StandardCharsets.UTF_8);
            assertTrue(SoftHsmFixture.verify(after.publicKey(), SignatureAlgorithm.RSA_PKCS1_SHA256, message,
                    token.sign("seal", SignatureAlgorithm.RSA_PKCS1_SHA256, message)));
        }
    }

    @Test
    void aModuleFinalisedUnderneathGivesTokenRemovedNotACrashOrHang() throws Exception {
        Pkcs11Driver driver = open();
        try {
            TokenInfo info = SoftHsmFixture.initialise(driver, "dies");
            Token token = driver.login(info.serial(), USER_PIN.clone());
            token.generateKeyPair("k", KeyAlgorithm.EC_P256);
            // what a crashed or reset module looks like to its callers
            driver.shared().module.finalize(null);
            TokenException e = assertThrows(TokenException.class,
                    () -> token.sign("k", SignatureAlgorithm.ECDSA_SHA256, new byte[] {1}));
            assertEquals(Reason.TOKEN_REMOVED, e.reason());
            assertTrue(e.getMessage().contains("log in again"), e.getMessage());
            assertEquals(Reason.TOKEN_REMOVED, assertThrows(TokenException.class, token::keys).reason());
            token.close();
            assertEquals(Reason.TOKEN_REMOVED, assertThrows(TokenException.class, driver::tokens).reason());
        } finally {
            driver.close();
        }
        // a new driver initialises the module again
        try (Pkcs11Driver fresh = open()) {
            assertTrue(fresh.tokens().stream().anyMatch(t -> t.label().equals("dies")));
        }
    }

    @Test
    void twoDriversShareTheModuleAndClosingOneLeavesTheOther() {
        try (Pkcs11Driver first = open()) {
            TokenInfo info = SoftHsmFixture.initialise(first, "shared");
            try (Token token = first.login(info.serial(), USER_PIN.clone())) {
                token.generateKeyPair("k", KeyAlgorithm.EC_P256);
                Pkcs11Driver second = open();
                assertEquals(Reason.BUSY, assertThrows(TokenException.class,
                        () -> second.login(info.serial(), USER_PIN.clone())).reason());
                second.close();
                assertEquals(Reason.CLOSED, assertThrows(TokenException.class, second::tokens).reason());
                assertTrue(token.sign("k", SignatureAlgorithm.ECDSA_SHA256, new byte[] {1}).length > 0);
            }
        }
    }

    @Test
    void aMissingLibraryIsNamed() {
        String path = "/nowhere/libmissing-pkcs11.so";
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Pkcs11Driver(path,
                "missing", Set.of(), new GenericProfile(), 1, Duration.ofSeconds(1)));
        assertTrue(e.getMessage().contains(path), e.getMessage());
    }

    @Test
    void aFileThatIsNoModuleIsADeviceError(@TempDir Path dir) throws Exception {
        Path notAModule = Files.writeString(dir.resolve("libfake.so"), "not a shared library");
        TokenException e = assertThrows(TokenException.class, () -> new Pkcs11Driver(notAModule.toString(), "fake",
                Set.of(), new GenericProfile(), 1, Duration.ofSeconds(1)));
        assertEquals(Reason.DEVICE_ERROR, e.reason());
        assertTrue(e.getMessage().contains(notAModule.toString()), e.getMessage());
    }

    @Test
    void invalidSettingsAreRefused() {
        String library = SoftHsmFixture.library();
        assertThrows(IllegalArgumentException.class, () -> new Pkcs11Driver(library, "x", Set.of(),
                new GenericProfile(), 0, Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> new Pkcs11Driver(library, "x", Set.of(),
                new GenericProfile(), 1, Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> new Pkcs11Driver(library, " ", Set.of(),
                new GenericProfile(), 1, Duration.ofSeconds(1)));
        assertNotEquals(0, Pkcs11DriverComponent.ALLOWED.size());
    }
}
