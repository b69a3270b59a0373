package io.cachet.api.notify;

/**
 * Where a notification is. {@code PENDING} is the only state that changes again: the others are final.
 * <pre>
 * PENDING --sent--------------------&gt; SENT
 *         --kept in the outbox------&gt; OUTBOX
 *         --temporary failure-------&gt; PENDING (attempts + 1, next attempt later)
 *         --permanent failure, or the last attempt failed--&gt; FAILED
 * </pre>
 */
public enum NotificationStatus {
    /** Queued; sent at {@code nextAttemptAt} at the earliest. */
    PENDING,
    /** Accepted by the SMTP server or the SMS gateway. */
    SENT,
    /** Kept in the outbox for operators to read (the embedded default): never sent. */
    OUTBOX,
    /** Given up: refused for good, or every attempt failed; {@code lastError} says why. */
    FAILED
}
