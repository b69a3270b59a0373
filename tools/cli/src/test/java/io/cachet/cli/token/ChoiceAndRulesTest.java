package io.cachet.cli.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.OptionalInt;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.cachet.api.token.TokenInfo;
import io.cachet.api.token.TokenInfo.Flag;

/**
 * Which token {@code token provision} takes, and the holder's PIN rules. The token lists are made up here: SoftHSM2
 * always offers exactly one blank token, so "no blank token" and "several blank tokens" cannot happen on it.
 */
class ChoiceAndRulesTest {

    static final String LIB = "/usr/lib/libeTPkcs11.so";
    static final ProvisioningApi.Delivery WAITING = new ProvisioningApi.Delivery("WAITING", "Cachet 1", null, 1);

    static TokenInfo blank(long slot, String serial) {
        return new TokenInfo(slot, "", serial, "SafeNet, Inc.", "eToken", Set.of(), OptionalInt.empty());
    }

    static TokenInfo initialised(long slot, String serial, String label) {
        return new TokenInfo(slot, label, serial, "SafeNet, Inc.", "eToken", Set.of(Flag.INITIALIZED,
                Flag.USER_PIN_INITIALIZED), OptionalInt.of(15));
    }

    static String refusal(List<TokenInfo> tokens, Long slot, ProvisioningApi.Delivery d, boolean reinitialise) {
        return assertThrows(IllegalArgumentException.class,
                () -> Provisioning.choose(tokens, slot, d, reinitialise, LIB)).getMessage();
    }

    @Test
    void noTokenNoBlankTokenOrSeveralBlankOnesAreRefusedSayingWhatToDo() {
        assertTrue(refusal(List.of(), null, WAITING, false).startsWith("no token is plugged in"));
        String none = refusal(List.of(initialised(0, "A1", "ACME")), null, WAITING, false);
        assertTrue(none.startsWith("no blank token") && none.contains("slot 0: 'ACME' serial A1")
                && none.contains("--reinitialise"), none);
        String several = refusal(List.of(blank(0, "B1"), blank(1, "B2")), null, WAITING, false);
        assertTrue(several.contains("several blank tokens") && several.contains("--slot N"), several);
    }

    @Test
    void theOrdersOwnTokenIsResumedBeforeABlankOneAndOnlyWhenItsStageAllows() {
        TokenInfo own = initialised(3, "OWN", "Cachet 1");
        List<TokenInfo> tokens = List.of(blank(0, "B1"), own);
        assertEquals(own, Provisioning.choose(tokens, null, new ProvisioningApi.Delivery("KEY_GENERATED", "Cachet 1",
                "OWN", 1), false, LIB));
        // at WAITING the server holds no PIN for it: the blank one is taken (and the old attempt discarded there)
        assertEquals(0, Provisioning.choose(tokens, null, new ProvisioningApi.Delivery("WAITING", "Cachet 1", "OWN",
                1), false, LIB).slotId());
        String reinit = refusal(tokens, 3L, new ProvisioningApi.Delivery("CERTIFIED", "Cachet 1", "OWN", 1), true);
        assertTrue(reinit.contains("run without --reinitialise to resume"), reinit);
    }

    @Test
    void aSlotIsTakenAsGivenButAnInitialisedTokenOnlyToEraseIt() {
        List<TokenInfo> tokens = List.of(blank(0, "B1"), initialised(1, "X", "Other"));
        assertEquals(0, Provisioning.choose(tokens, 0L, WAITING, false, LIB).slotId());
        assertTrue(refusal(tokens, 1L, WAITING, false).contains("already initialised: refused"));
        assertEquals(1, Provisioning.choose(tokens, 1L, WAITING, true, LIB).slotId());
        assertTrue(refusal(tokens, 0L, WAITING, true).contains("is blank: --reinitialise"));
        assertTrue(refusal(tokens, 7L, WAITING, false).startsWith("no token in slot 7"));
    }

    @Test
    void pinRules() {
        PinRules rules = new PinRules(4, 16);
        char[] init = "4821".toCharArray();
        rules.check(init, "2580".toCharArray(), "2580".toCharArray());
        rules.check(init, "9075316".toCharArray(), "9075316".toCharArray());
        assertEquals("the two new PINs differ: type the same new PIN twice", assertThrows(
                IllegalArgumentException.class, () -> rules.check(init, "2580".toCharArray(), "2581".toCharArray()))
                .getMessage());
        for (String weak : List.of("1111", "1234", "4321", "0123456", "98765")) {
            String m = assertThrows(IllegalArgumentException.class, () -> rules.check(init, weak.toCharArray(),
                    weak.toCharArray())).getMessage();
            assertTrue(m.contains("too easy to guess"), weak + ": " + m);
        }
        assertTrue(assertThrows(IllegalArgumentException.class, () -> rules.check(init, "482".toCharArray(),
                "482".toCharArray())).getMessage().contains("4 to 16 digits"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> rules.check(init, "12345678901234567"
                .toCharArray(), "12345678901234567".toCharArray())).getMessage().contains("4 to 16 digits"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> rules.check(init, "48a1".toCharArray(),
                "48a1".toCharArray())).getMessage().contains("digits only"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> rules.check(init, "4821".toCharArray(),
                "4821".toCharArray())).getMessage().contains("not be the initialisation PIN"));
        PinRules six = new PinRules(6, 16);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> six.check(init, "2580".toCharArray(),
                "2580".toCharArray())).getMessage().contains("6 to 16 digits"));
        assertThrows(IllegalArgumentException.class, () -> new PinRules(3, 16));
    }

    @Test
    void pinCipherIsRsaOaepWithSha256ForBothDigests() throws Exception {
        var pair = PinCipher.resumeKey(new java.security.SecureRandom());
        String c = PinCipher.encrypt("0815".toCharArray(), pair.getPublic());
        // the JDK's own explicit OAEP-SHA-256/MGF1-SHA-256 decrypts it: the parameters are the contract's
        javax.crypto.Cipher jdk = javax.crypto.Cipher.getInstance("RSA/ECB/OAEPWithSHA-256AndMGF1Padding");
        jdk.init(javax.crypto.Cipher.DECRYPT_MODE, pair.getPrivate(), new javax.crypto.spec.OAEPParameterSpec(
                "SHA-256", "MGF1", java.security.spec.MGF1ParameterSpec.SHA256,
                javax.crypto.spec.PSource.PSpecified.DEFAULT));
        assertEquals("0815", new String(jdk.doFinal(java.util.Base64.getDecoder().decode(c)),
                java.nio.charset.StandardCharsets.US_ASCII));
        assertEquals("0815", new String(PinCipher.decrypt(c, pair.getPrivate())));
        assertEquals(pair.getPublic(), PinCipher.rsaPublicKey(PinCipher.pem(pair.getPublic())));
    }

    @Test
    void theModulesNameChoosesTheProfile() {
        assertEquals(TokenDrivers.Family.SOFTHSM, TokenDrivers.family("/usr/lib/softhsm/libsofthsm2.so"));
        assertEquals(TokenDrivers.Family.SAFENET, TokenDrivers.family("/usr/lib/libeTPkcs11.so"));
        assertEquals(TokenDrivers.Family.SAFENET, TokenDrivers.family("/usr/lib/libIDPrimePKCS11.so"));
        assertEquals(TokenDrivers.Family.GENERIC, TokenDrivers.family("/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so"));
    }
}
