package io.cachet.token.safenet.internal;

import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import io.cachet.api.token.PinPolicy;
import io.cachet.api.token.TokenException;
import io.cachet.api.token.TokenException.Reason;
import io.cachet.token.pkcs11.spi.Pkcs11Profile;
import io.cachet.token.pkcs11.spi.Pkcs11Session;
import io.cachet.token.pkcs11.spi.Pkcs11Slot;

/**
 * SafeNet eToken (5110/5300 class) through SafeNet Authentication Client.
 *
 * <p>Standard PKCS#11 is used wherever it suffices: a policy without demands initialises with {@code C_InitToken}
 * and {@code C_InitPIN}, and eTokens report CKF_USER_PIN_COUNT_LOW / FINAL_TRY / LOCKED themselves. A policy with
 * demands (retry counter, PIN to change at first logon, no administrator) goes through the vendor's
 * {@code ETC_InitTokenInit / ETC_InitPIN / ETC_InitTokenFinal} ({@link JnaEtcFunctions}). Tries left are read
 * from the vendor attribute {@code ETCKA_RETRY_USER} of the token object ({@code CKO_HW_FEATURE} of type
 * {@code ETCKH_TOKEN_OBJECT}).
 *
 * <p><b>Not verified on hardware</b> (none was available when this was written): the values and encoding the
 * token object's attributes have on a real eToken, that the token object is readable before login, and
 * everything listed on {@link JnaEtcFunctions}. The decoding, the choice between the standard and the vendor
 * path, and the refusals are unit-tested; the standard path and the absence of vendor objects are tested on
 * SoftHSM2.
 */
final class SafeNetProfile implements Pkcs11Profile {

    static final long CKA_CLASS = 0x0L;
    static final long CKO_HW_FEATURE = 0x5L;
    static final long CKA_HW_FEATURE_TYPE = 0x300L;
    /** Hardware feature type of SafeNet's token object, which carries the retry counters. */
    static final long ETCKH_TOKEN_OBJECT = 0x80005002L;
    static final long ETCKA_RETRY_USER = 0x80001110L;
    static final long ETCKA_RETRY_USER_MAX = 0x80001112L;
    /** SAC lets the issuer set 1 to 15 user PIN tries; 15 is its default. */
    static final int MAX_USER_RETRIES = 15;

    private final Optional<EtcFunctions> etc;

    SafeNetProfile(Optional<EtcFunctions> etc) {
        this.etc = etc;
    }

    @Override
    public String name() {
        return "SafeNet eToken";
    }

    static boolean needsVendorFunctions(PinPolicy policy) {
        return policy.maxUserPinTries().isPresent() || policy.mustChangeAtFirstUse() || !policy.soUnblockAllowed();
    }

    @Override
    public void checkPolicy(PinPolicy policy) {
        if (needsVendorFunctions(policy) && etc.isEmpty()) {
            throw new TokenException(Reason.UNSUPPORTED, "This SafeNet library exports no ETC_InitTokenInit/"
                    + "ETC_InitPIN/ETC_InitTokenFinal: a retry counter, a PIN to change at first logon or a token "
                    + "without administrator cannot be set through it; nothing was changed on the token");
        }
        if (policy.maxUserPinTries().isPresent()) {
            int tries = policy.maxUserPinTries().getAsInt();
            if (tries < 1 || tries > MAX_USER_RETRIES) {
                throw new TokenException(Reason.UNSUPPORTED, "SafeNet eTokens take 1 to " + MAX_USER_RETRIES
                        + " user PIN tries, not " + tries + "; nothing was changed on the token");
            }
        }
    }

    @Override
    public void initialize(Pkcs11Slot slot, char[] soPin, char[] userPin, String label, PinPolicy policy) {
        if (!needsVendorFunctions(policy)) {
            slot.initializeStandard(soPin, userPin, label);
            return;
        }
        EtcFunctions functions = etc.orElseThrow(() -> new TokenException(Reason.UNSUPPORTED,
                "No ETC functions in " + slot.library()));
        // no administrator password is how SAC makes a locked PIN final ("PUK disabled")
        functions.initialize(slot.slotId(), policy.soUnblockAllowed() ? soPin : null, userPin, label,
                policy.maxUserPinTries().orElse(MAX_USER_RETRIES), policy.mustChangeAtFirstUse());
    }

    @Override
    public OptionalInt userPinTriesLeft(Pkcs11Session session) {
        long[] tokenObject = session.findObjects(Map.of(CKA_CLASS, CKO_HW_FEATURE, CKA_HW_FEATURE_TYPE,
                ETCKH_TOKEN_OBJECT), 1);
        if (tokenObject.length == 0) {
            return OptionalInt.empty();
        }
        return session.rawAttribute(tokenObject[0], ETCKA_RETRY_USER).map(RetryCounter::decode)
                .orElse(OptionalInt.empty());
    }
}
