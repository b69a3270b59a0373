package io.cachet.cli.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.OptionalInt;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.cachet.api.token.PinPolicy;
import io.cachet.api.token.Token;
import io.cachet.api.token.TokenCapability;
import io.cachet.api.token.TokenDriver;
import io.cachet.api.token.TokenException;
import io.cachet.api.token.TokenInfo;
import io.cachet.api.token.TokenInfo.Flag;

/**
 * What {@code token activate} tells the holder when the token counts tries and locks: SoftHSM2 does neither (no
 * retry limit, by design), so these answers, which a SafeNet eToken gives, come from a driver made up here.
 */
class ActivationMessagesTest {

    /** A driver whose login answers as told. */
    record Answering(TokenException answer) implements TokenDriver {
        @Override
        public String id() {
            return "made-up";
        }

        @Override
        public Set<TokenCapability> capabilities() {
            return Set.of(TokenCapability.PIN_TRIES_REPORTED, TokenCapability.PIN_RETRY_LIMIT);
        }

        @Override
        public List<TokenInfo> tokens() {
            return List.of();
        }

        @Override
        public TokenInfo initialize(long slotId, char[] soPin, char[] userPin, String label, PinPolicy policy) {
            throw new AssertionError("activation never initialises");
        }

        @Override
        public Token login(String serial, char[] userPin) {
            throw answer;
        }
    }

    static final TokenInfo ETOKEN = new TokenInfo(0, "Cachet 42", "0A1B2C3D", "SafeNet, Inc.", "eToken",
            Set.of(Flag.INITIALIZED, Flag.USER_PIN_INITIALIZED, Flag.USER_PIN_TO_BE_CHANGED), OptionalInt.of(5));

    @Test
    void theTokenShowsItsTriesLeftAndThatItsPinMustChange() {
        assertEquals("token 'Cachet 42', serial 0A1B2C3D (SafeNet, Inc. eToken): 5 PIN tries left; its PIN must be"
                + " changed now", Activation.describe(ETOKEN));
    }

    @Test
    void aWrongInitialisationPinSaysHowManyTriesAreLeft() {
        var wrong = new Answering(new TokenException(TokenException.Reason.WRONG_PIN, "wrong", OptionalInt.of(2),
                null));
        String m = assertThrows(Activation.Refused.class, () -> Activation.changePin(wrong, ETOKEN,
                "4821".toCharArray(), "2580".toCharArray())).getMessage();
        assertEquals("the initialisation PIN is wrong: 2 tries left before the token locks for good; nothing was"
                + " changed", m);
    }

    @Test
    void aLockedTokenSendsTheHolderToSupportAndSaysNoUnblockExists() {
        var locked = new Answering(new TokenException(TokenException.Reason.PIN_LOCKED, "locked"));
        String m = assertThrows(Activation.Refused.class, () -> Activation.changePin(locked, ETOKEN,
                "4821".toCharArray(), "2580".toCharArray())).getMessage();
        assertTrue(m.contains("locked") && m.contains("Contact support: no unblock exists"), m);

        // a token already flagged locked is not even tried
        TokenInfo flagged = new TokenInfo(0, "Cachet 42", "0A1B2C3D", "SafeNet, Inc.", "eToken",
                Set.of(Flag.INITIALIZED, Flag.USER_PIN_LOCKED), OptionalInt.of(0));
        assertTrue(Activation.describe(flagged).endsWith("LOCKED"));
        String before = assertThrows(Activation.Refused.class, () -> Activation.changePin(new Answering(
                new TokenException(TokenException.Reason.DEVICE_ERROR, "the token was asked")), flagged,
                "4821".toCharArray(), "2580".toCharArray())).getMessage();
        assertTrue(before.contains("no unblock exists"), before);
    }
}
