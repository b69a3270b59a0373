package io.cachet.api.delivery;

import java.time.Instant;
import java.util.Optional;

/**
 * Where a token order's delivery stands: its provisioning on a token, the custody of the initialisation PIN and the
 * holder's activation. The shipment is a {@link Shipment}.
 *
 * @param orderId the order
 * @param attempt the provisioning attempt (1 for the first token; a new token, or a lost one replaced, adds one)
 * @param stage how far the current attempt went
 * @param tokenLabel the label written on the token (from the order)
 * @param tokenSerial the token's serial, once provisioning started on one
 * @param tokenModel the token's manufacturer and model, as it reported them
 * @param tokenFirmware the token's firmware version, where it reports one
 * @param certificateSerial the serial (lower-case hex) of the certificate issued for the token's key
 * @param pin the initialisation PIN's custody
 * @param pinRevealedAt when the certificate manager retrieved it
 * @param activatedAt when the holder reported the token activated (the order then became ACTIVE)
 * @param lastError where and why the last attempt stopped, for operators, empty when none did
 * @param updatedAt when this last changed
 */
public record TokenDelivery(String orderId, int attempt, Stage stage, String tokenLabel, Optional<String> tokenSerial,
        Optional<String> tokenModel, Optional<String> tokenFirmware, Optional<String> certificateSerial, PinCustody pin,
        Optional<Instant> pinRevealedAt, Optional<Instant> activatedAt, Optional<String> lastError, Instant updatedAt) {

    /** How far provisioning went, in order. */
    public enum Stage {
        /** No token provisioned yet (or the last one was discarded): in the operators' queue. */
        WAITING,
        /** The token was initialised with the initialisation PIN (held by Cachet, encrypted). */
        INITIALISED,
        /** The key pair was made on the token (sensitive and never extractable, as read back). */
        KEY_GENERATED,
        /** The CA issued the certificate from the token's request. */
        CERTIFIED,
        /** The certificate and its chain are on the token; the shipment is prepared. */
        PROVISIONED,
        /** The holder replaced the initialisation PIN; the order is ACTIVE. */
        ACTIVATED
    }

    /** The initialisation PIN's custody. */
    public enum PinCustody {
        /** No PIN held (before initialisation). */
        NONE,
        /** Held encrypted; retrievable once the shipment is delivered. */
        HELD,
        /** Shown once to the certificate manager, then erased. */
        REVEALED,
        /** Too many wrong codes: retrieval is locked until support reopens it. */
        LOCKED
    }
}
