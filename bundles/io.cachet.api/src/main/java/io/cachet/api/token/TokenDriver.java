package io.cachet.api.token;

import java.util.List;
import java.util.Set;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A family of tokens reached one way: a PKCS#11 module with a vendor profile, or the software token.
 * Registered as a service with {@link #ID} = {@link #id()}; deployments choose a driver by that property and
 * can install, switch and remove drivers while running.
 *
 * <p>Thread-safe. Secrets travel as {@code char[]}; a driver never keeps a caller's array, and the caller
 * wipes it. Every failure is a {@link TokenException} whose {@link TokenException#reason()} says what
 * happened; a removed token or a dead module gives an exception, never a JVM crash or a hang.
 */
@ConsumerType
public interface TokenDriver {

    /** Service property naming the driver. */
    String ID = "token.driver";

    /** Stable identifier, e.g. {@code soft}, {@code softhsm}, {@code safenet}. */
    String id();

    /** What this driver can guarantee; the compliance kit tests exactly these. */
    Set<TokenCapability> capabilities();

    /** Every slot with a token present, initialised or blank. */
    List<TokenInfo> tokens();

    /**
     * Initialises a blank token (or re-initialises one whose SO PIN is given): label, SO PIN, user PIN, and the
     * PIN policy where the token supports it. All keys on a re-initialised token are lost.
     *
     * @param slotId {@link TokenInfo#slotId()} of the token
     * @param policy what to enforce; a driver throws {@link TokenException.Reason#UNSUPPORTED} for a demand it
     *        cannot meet rather than silently ignoring it
     */
    TokenInfo initialize(long slotId, char[] soPin, char[] userPin, String label, PinPolicy policy);

    /**
     * Logs in as the user of the token with this serial number.
     *
     * <p>A PIN that must be changed still logs in: the returned token reports
     * {@link TokenInfo.Flag#USER_PIN_TO_BE_CHANGED} and the caller asks the holder for a new PIN.
     *
     * @throws TokenException {@code NOT_FOUND}, {@code WRONG_PIN} (with tries left where known), {@code PIN_LOCKED}
     */
    Token login(String serial, char[] userPin);
}
