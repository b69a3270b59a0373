package io.cachet.token.pkcs11.spi;

import java.util.function.Function;

import org.osgi.annotation.versioning.ProviderType;

import io.cachet.api.token.TokenException;

/**
 * A slot while a profile initialises its token. Valid only during the
 * {@link Pkcs11Profile#initialize Pkcs11Profile.initialize} call it is given to.
 */
@ProviderType
public interface Pkcs11Slot {

    /** PKCS#11 slot id. */
    long slotId();

    /** Path of the PKCS#11 module, for profiles that reach vendor functions of the same library. */
    String library();

    /**
     * The standard initialisation: {@code C_InitToken} with the SO PIN and label, then {@code C_Login} as SO,
     * {@code C_InitPIN} with the user PIN and {@code C_Logout}. A token the module moves to another slot on
     * initialisation (SoftHSM2 does) is followed by its label and serial number.
     *
     * @throws TokenException {@code WRONG_PIN} when re-initialising with a wrong SO PIN, {@code PIN_INVALID} for a
     *         PIN the token refuses, {@code BUSY} when sessions are open on the token, others as mapped
     */
    void initializeStandard(char[] soPin, char[] userPin, String label);

    /**
     * Runs {@code work} with a fresh read-write session on this slot, not logged in, closed afterwards. Errors of
     * the module raised inside are mapped to {@link TokenException}s. Most modules open no session on a blank
     * token: call this after the token is initialised.
     */
    <T> T withSession(Function<Pkcs11Session, T> work);
}
