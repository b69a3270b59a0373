package io.cachet.token.pkcs11.internal;

import static io.cachet.token.pkcs11.testing.SoftHsmFixture.USER_PIN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.cachet.api.token.KeyAlgorithm;
import io.cachet.api.token.PinPolicy;
import io.cachet.api.token.Token;
import io.cachet.api.token.TokenCapability;
import io.cachet.api.token.TokenException;
import io.cachet.api.token.TokenInfo;
import io.cachet.token.pkcs11.spi.Pkcs11Profile;
import io.cachet.token.pkcs11.spi.Pkcs11Session;
import io.cachet.token.pkcs11.spi.Pkcs11Slot;
import io.cachet.token.pkcs11.testing.SoftHsmFixture;

/** The SPI a profile sees, on the real module: initialisation hooks, object search and raw attributes. */
class ProfileSpiSoftHsmTest {

    private static final long CKA_CLASS = 0x0;
    private static final long CKA_ID = 0x102;
    private static final long CKO_PUBLIC_KEY = 0x2;
    private static final long VENDOR_ATTRIBUTE = 0x80001110L;

    /** Reports the length of the CKA_ID of the first public key as "tries left", to prove the plumbing. */
    private static final class ProbingProfile implements Pkcs11Profile {
        final List<String> seen = new ArrayList<>();

        @Override
        public String name() {
            return "probe";
        }

        @Override
        public void initialize(Pkcs11Slot slot, char[] soPin, char[] userPin, String label, PinPolicy policy) {
            seen.add("library " + slot.library());
            slot.initializeStandard(soPin, userPin, label);
            // a blank token takes no session; an initialised one does, before the user logs in
            long[] none = slot.withSession(s -> s.findObjects(Map.of(CKA_CLASS, CKO_PUBLIC_KEY), 10));
            seen.add("objects after " + none.length);
        }

        @Override
        public OptionalInt userPinTriesLeft(Pkcs11Session session) {
            long[] keys = session.findObjects(Map.of(CKA_CLASS, CKO_PUBLIC_KEY, CKA_ID,
                    "probe".getBytes(StandardCharsets.UTF_8)), 1);
            if (keys.length == 0) {
                return OptionalInt.empty();
            }
            seen.add("vendor " + session.rawAttribute(keys[0], VENDOR_ATTRIBUTE).isPresent());
            return session.rawAttribute(keys[0], CKA_ID).map(id -> OptionalInt.of(id.length))
                    .orElse(OptionalInt.empty());
        }
    }

    @Test
    void aProfileSearchesAndReadsRawAttributesThroughTheSpi() {
        ProbingProfile profile = new ProbingProfile();
        try (Pkcs11Driver driver = new Pkcs11Driver(SoftHsmFixture.library(), "probe",
                Set.of(TokenCapability.PIN_TRIES_REPORTED), profile, 1, Duration.ofSeconds(30))) {
            TokenInfo info = SoftHsmFixture.initialise(driver, "probe");
            assertEquals(List.of("library " + SoftHsmFixture.LIBRARY, "objects after 0"), profile.seen);
            assertTrue(info.userPinTriesLeft().isEmpty());
            try (Token token = driver.login(info.serial(), USER_PIN.clone())) {
                token.generateKeyPair("probe", KeyAlgorithm.EC_P256);
                assertEquals(OptionalInt.of(5), token.info().userPinTriesLeft());
                // an attribute SoftHSM2 does not know reads as absent, not as an error
                assertTrue(profile.seen.contains("vendor false"));
            }
            // the public key is a public object: the profile finds it without a login too
            assertEquals(OptionalInt.of(5), driver.tokens().stream().filter(t -> t.serial().equals(info.serial()))
                    .findFirst().orElseThrow().userPinTriesLeft());
            TokenException wrong = org.junit.jupiter.api.Assertions.assertThrows(TokenException.class,
                    () -> driver.login(info.serial(), "wrong-pin".toCharArray()));
            assertEquals(OptionalInt.of(5), wrong.triesLeft());
            assertTrue(wrong.getMessage().contains("5 tries left"), wrong.getMessage());
        }
    }
}
