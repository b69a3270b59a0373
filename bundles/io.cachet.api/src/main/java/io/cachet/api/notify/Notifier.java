package io.cachet.api.notify;

import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Sends notifications. Thread-safe; safe across several nodes sharing one database.
 *
 * <p>{@link #send} renders the message now (so a template error is the caller's error, at once) and stores it in
 * the queue <em>in the caller's database transaction</em> when there is one: the message is sent if and only if the
 * caller's change commits. A background sender delivers it afterwards with the transport the configuration chooses
 * per channel (SMTP, an SMS gateway, or the outbox), retrying temporary failures with exponential back-off. Each
 * message is delivered at most once by the queue, whatever the number of nodes (a message accepted by the server
 * just before a node crashes may be sent again: e-mails carry a stable {@code Message-ID} and SMS an
 * {@code Idempotency-Key} so that the far side can tell).
 */
@ProviderType
public interface Notifier {

    /**
     * Renders and queues {@code notification}.
     *
     * @return the id of the queued message (the first one's, for an idempotency key already used)
     * @throws NotificationException when it cannot be rendered or addressed (nothing is queued)
     * @throws io.cachet.api.store.StoreException when it could not be stored
     */
    String send(Notification notification);

    /** The message {@code id}, with its delivery state. */
    Optional<NotificationRecord> find(String id);
}
