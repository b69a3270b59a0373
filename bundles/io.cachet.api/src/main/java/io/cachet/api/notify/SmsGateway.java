package io.cachet.api.notify;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * An SMS vendor. Register an implementation as a service with the property {@link #ID}; the notifier uses the one
 * its configuration names ({@code smsGateway}). Cachet ships {@code http} (a JSON POST to a configurable URL).
 *
 * <p>Implementations are thread-safe, keep their credentials sealed at rest (see
 * {@link io.cachet.api.security.SecretVault}), bound every network call by a time limit, and never log the text or
 * the phone number.
 */
@ConsumerType
public interface SmsGateway {

    /** Service property naming the gateway, e.g. {@code http}. */
    String ID = "sms.gateway";

    /**
     * Sends one SMS. Returns once the gateway accepted it.
     *
     * @param reference the message's stable id: pass it to the vendor as an idempotency key where it has one, so
     *        that a retry after a lost answer is not sent twice
     * @param to E.164 phone number
     * @param text the rendered text
     * @throws SmsException when it was not accepted, saying whether trying again later may succeed
     */
    void send(String reference, String to, String text) throws SmsException;
}
