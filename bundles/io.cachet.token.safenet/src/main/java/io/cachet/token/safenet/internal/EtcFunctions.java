package io.cachet.token.safenet.internal;

/**
 * SafeNet's token initialisation beyond PKCS#11: {@code ETC_InitTokenInit}, {@code ETC_InitPIN} and
 * {@code ETC_InitTokenFinal}, which set the user PIN's retry counter and its "must be changed" flag, and can
 * leave the token without an administrator (SO) password, which is how SAC disables unblocking.
 */
interface EtcFunctions {

    /**
     * Initialises the token in {@code slotId}.
     *
     * @param adminPin the administrator (SO) password, or {@code null} for a token without one: a locked user PIN
     *        can then never be unblocked
     * @param label at most 32 bytes of UTF-8
     * @param userRetries wrong user PINs before the PIN locks, 1 to 15
     * @param mustChange whether the holder must change the user PIN at first logon
     */
    void initialize(long slotId, char[] adminPin, char[] userPin, String label, int userRetries, boolean mustChange);
}
