package io.cachet.api.token;

/**
 * What a driver guarantees beyond the basics every driver must do (list, initialise, log in, change PIN,
 * generate RSA and EC P-256 keys, sign, keep private keys non-extractable). The compliance kit tests each
 * declared capability and reports the others as not applicable.
 */
public enum TokenCapability {
    /** Wrong user PINs are counted and the PIN locks after the policy's number of tries. */
    PIN_RETRY_LIMIT,
    /** The token reports the number of tries left. */
    PIN_TRIES_REPORTED,
    /** The token can force the holder to change the PIN at first use. */
    PIN_MUST_CHANGE,
    /** Unblocking by the security officer can be disabled. */
    SO_UNBLOCK_DISABLE,
    /** RSA-PSS signatures. */
    RSA_PSS,
    /** EC P-384 keys. */
    EC_P384,
    /** RSA 4096 keys. */
    RSA_4096
}
