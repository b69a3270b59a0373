package io.cachet.api.token;

import java.security.PublicKey;

/**
 * A key pair on a token, as read back from it (not as requested), so callers can check what the token did.
 *
 * @param alias label and id of the pair
 * @param algorithm key algorithm and size
 * @param publicKey the public half
 * @param sensitive CKA_SENSITIVE of the private half
 * @param extractable CKA_EXTRACTABLE of the private half
 * @param alwaysSensitive CKA_ALWAYS_SENSITIVE: sensitive since generation
 * @param neverExtractable CKA_NEVER_EXTRACTABLE: never extractable since generation
 */
public record TokenKey(String alias, KeyAlgorithm algorithm, PublicKey publicKey, boolean sensitive,
        boolean extractable, boolean alwaysSensitive, boolean neverExtractable) {

    /** Whether the private half is protected as Cachet requires: it has never been able to leave the token. */
    public boolean protectedOnToken() {
        return sensitive && !extractable && alwaysSensitive && neverExtractable;
    }
}
