package io.cachet.token.pkcs11.spi;

import java.util.OptionalInt;

import org.osgi.annotation.versioning.ConsumerType;

import io.cachet.api.token.PinPolicy;
import io.cachet.api.token.TokenException;

/**
 * The vendor specifics of a family of PKCS#11 tokens, implemented by profile bundles (SoftHSM2, SafeNet eToken,
 * ...). Every method has a default that does standard PKCS#11 only, so a profile overrides just what its vendor
 * does differently.
 *
 * <p>Implementations must be thread-safe: the driver calls them from any thread.
 */
@ConsumerType
public interface Pkcs11Profile {

    /** Name of the token family for messages and logs, e.g. {@code SoftHSM2}; never {@code null}. */
    String name();

    /**
     * Refuses a policy demand the profile cannot make the token enforce, before the token is changed. The driver
     * has already refused every demand that needs a {@link io.cachet.api.token.TokenCapability} the driver does not
     * declare; this hook adds the profile's own limits (e.g. a retry counter outside the range the hardware takes).
     *
     * @throws TokenException {@link TokenException.Reason#UNSUPPORTED} naming the demand
     */
    default void checkPolicy(PinPolicy policy) {
    }

    /**
     * Initialises the token in {@code slot} and applies {@code policy}, whose demands have passed
     * {@link #checkPolicy}. The default is the standard sequence ({@link Pkcs11Slot#initializeStandard}), which
     * can apply no demand at all; a profile that declares policy capabilities must override this.
     *
     * <p>The PINs belong to the caller: read them, never keep or wipe them.
     *
     * @throws TokenException mapped from the module's error codes
     */
    default void initialize(Pkcs11Slot slot, char[] soPin, char[] userPin, String label, PinPolicy policy) {
        slot.initializeStandard(soPin, userPin, label);
    }

    /**
     * Tries left for the user PIN, read through the vendor's own means; standard PKCS#11 has none. Called with a
     * session that may or may not be logged in, after a wrong PIN too.
     *
     * @return empty when the token does not tell; never {@code null}
     */
    default OptionalInt userPinTriesLeft(Pkcs11Session session) {
        return OptionalInt.empty();
    }
}
