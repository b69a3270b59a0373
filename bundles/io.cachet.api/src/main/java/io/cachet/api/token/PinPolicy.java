package io.cachet.api.token;

import java.util.OptionalInt;

/**
 * What a token must enforce on its user PIN when it is initialised.
 *
 * @param maxUserPinTries wrong tries before the user PIN locks; empty leaves the token's default
 * @param mustChangeAtFirstUse the holder must replace the PIN at first login
 * @param soUnblockAllowed false to disable unblocking by the security officer ("PUK disabled"): a locked token
 *        can then never be unlocked
 * @param minLength minimum PIN length
 */
public record PinPolicy(OptionalInt maxUserPinTries, boolean mustChangeAtFirstUse, boolean soUnblockAllowed,
        int minLength) {

    /** The token's own defaults: no demand beyond a 4-character minimum. */
    public static final PinPolicy TOKEN_DEFAULT = new PinPolicy(OptionalInt.empty(), false, true, 4);

    /**
     * Cachet's policy for a qualified seal on a token: limited tries, the holder replaces the initialisation PIN
     * at first use, no unblocking.
     */
    public static PinPolicy qualifiedSeal(int maxTries) {
        return new PinPolicy(OptionalInt.of(maxTries), true, false, 4);
    }
}
