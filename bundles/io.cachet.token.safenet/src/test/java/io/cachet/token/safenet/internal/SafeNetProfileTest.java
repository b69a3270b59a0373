package io.cachet.token.safenet.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Function;

import org.junit.jupiter.api.Test;

import io.cachet.api.token.PinPolicy;
import io.cachet.api.token.TokenCapability;
import io.cachet.api.token.TokenException;
import io.cachet.api.token.TokenException.Reason;
import io.cachet.token.pkcs11.spi.Pkcs11Session;
import io.cachet.token.pkcs11.spi.Pkcs11Slot;

/** The SafeNet profile's decisions, with the slot, the session and the ETC functions played by fakes. */
class SafeNetProfileTest {

    /** Records the standard initialisations asked of it. */
    private static final class FakeSlot implements Pkcs11Slot {
        final List<String> calls = new ArrayList<>();

        @Override
        public long slotId() {
            return 3;
        }

        @Override
        public String library() {
            return "/usr/lib/libeTPkcs11.so";
        }

        @Override
        public void initializeStandard(char[] soPin, char[] userPin, String label) {
            calls.add("standard " + new String(soPin) + " " + new String(userPin) + " " + label);
        }

        @Override
        public <T> T withSession(Function<Pkcs11Session, T> work) {
            throw new UnsupportedOperationException();
        }
    }

    /** Records the vendor initialisations asked of it. */
    private static final class FakeEtc implements EtcFunctions {
        final List<Object[]> calls = new ArrayList<>();

        @Override
        public void initialize(long slotId, char[] adminPin, char[] userPin, String label, int userRetries,
                boolean mustChange) {
            calls.add(new Object[] {slotId, adminPin == null ? null : new String(adminPin), new String(userPin),
                label, userRetries, mustChange});
        }
    }

    @Test
    void capabilitiesFollowTheVendorFunctionsAndTheModel() {
        assertEquals(EnumSet.of(TokenCapability.PIN_RETRY_LIMIT, TokenCapability.PIN_TRIES_REPORTED,
                TokenCapability.PIN_MUST_CHANGE, TokenCapability.SO_UNBLOCK_DISABLE, TokenCapability.RSA_4096,
                TokenCapability.EC_P384), SafeNet.capabilities(true, Set.of(TokenCapability.EC_P384)));
        assertEquals(EnumSet.of(TokenCapability.PIN_TRIES_REPORTED, TokenCapability.RSA_4096),
                SafeNet.capabilities(false, Set.of()));
        assertThrows(IllegalArgumentException.class,
                () -> SafeNet.capabilities(true, Set.of(TokenCapability.PIN_MUST_CHANGE)));
    }

    @Test
    void theQualifiedSealPolicyGoesThroughTheVendorFunctionsWithoutAdministrator() {
        FakeEtc etc = new FakeEtc();
        FakeSlot slot = new FakeSlot();
        SafeNetProfile profile = new SafeNetProfile(Optional.of(etc));
        PinPolicy policy = PinPolicy.qualifiedSeal(5);
        profile.checkPolicy(policy);
        profile.initialize(slot, "admin".toCharArray(), "1234567890".toCharArray(), "seal", policy);
        assertTrue(slot.calls.isEmpty());
        assertEquals(1, etc.calls.size());
        Object[] call = etc.calls.get(0);
        assertEquals(3L, call[0]);
        assertNull(call[1], "no administrator password: unblocking is impossible");
        assertEquals("1234567890", call[2]);
        assertEquals("seal", call[3]);
        assertEquals(5, call[4]);
        assertEquals(true, call[5]);
    }

    @Test
    void aRetryLimitAloneKeepsTheAdministratorAndDefaultsOthers() {
        FakeEtc etc = new FakeEtc();
        new SafeNetProfile(Optional.of(etc)).initialize(new FakeSlot(), "admin".toCharArray(), "pin-1".toCharArray(),
                "t", new PinPolicy(OptionalInt.of(10), false, true, 4));
        assertEquals("admin", etc.calls.get(0)[1]);
        assertEquals(10, etc.calls.get(0)[4]);
        assertEquals(false, etc.calls.get(0)[5]);

        new SafeNetProfile(Optional.of(etc)).initialize(new FakeSlot(), "admin".toCharArray(), "pin-1".toCharArray(),
                "t", new PinPolicy(OptionalInt.empty(), true, true, 4));
        assertEquals(SafeNetProfile.MAX_USER_RETRIES, etc.calls.get(1)[4]);
    }

    @Test
    void noDemandsMeansStandardPkcs11() {
        FakeEtc etc = new FakeEtc();
        FakeSlot slot = new FakeSlot();
        new SafeNetProfile(Optional.of(etc)).initialize(slot, "admin".toCharArray(), "pin-1".toCharArray(), "t",
                PinPolicy.TOKEN_DEFAULT);
        assertEquals(List.of("standard admin pin-1 t"), slot.calls);
        assertTrue(etc.calls.isEmpty());
    }

    @Test
    void demandsTheTokenCannotTakeAreRefused() {
        SafeNetProfile withEtc = new SafeNetProfile(Optional.of(new FakeEtc()));
        for (int tries : new int[] {0, 16}) {
            TokenException e = assertThrows(TokenException.class,
                    () -> withEtc.checkPolicy(new PinPolicy(OptionalInt.of(tries), false, true, 4)));
            assertEquals(Reason.UNSUPPORTED, e.reason());
        }
        SafeNetProfile withoutEtc = new SafeNetProfile(Optional.empty());
        withoutEtc.checkPolicy(PinPolicy.TOKEN_DEFAULT);
        TokenException e = assertThrows(TokenException.class,
                () -> withoutEtc.checkPolicy(PinPolicy.qualifiedSeal(5)));
        assertEquals(Reason.UNSUPPORTED, e.reason());
        assertTrue(e.getMessage().contains("ETC_InitPIN"), e.getMessage());
    }

    @Test
    void triesLeftAreReadFromTheTokenObject() {
        byte[] raw = java.nio.ByteBuffer.allocate(8).order(java.nio.ByteOrder.nativeOrder()).putLong(4).array();
        List<Map<Long, Object>> searches = new ArrayList<>();
        Pkcs11Session session = new Pkcs11Session() {
            @Override
            public long slotId() {
                return 3;
            }

            @Override
            public long[] findObjects(Map<Long, Object> template, int max) {
                searches.add(template);
                return new long[] {99};
            }

            @Override
            public Optional<byte[]> rawAttribute(long object, long type) {
                return object == 99 && type == SafeNetProfile.ETCKA_RETRY_USER ? Optional.of(raw) : Optional.empty();
            }
        };
        assertEquals(OptionalInt.of(4), new SafeNetProfile(Optional.empty()).userPinTriesLeft(session));
        assertEquals(Map.of(0x0L, 0x5L, 0x300L, 0x80005002L), searches.get(0));
    }
}
