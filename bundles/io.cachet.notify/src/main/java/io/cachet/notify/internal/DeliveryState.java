package io.cachet.notify.internal;

import java.time.Instant;

import io.cachet.api.notify.NotificationStatus;

/**
 * The queue's state machine: from PENDING, an attempt's result gives the next state. Only PENDING messages are ever
 * attempted; every other state is final.
 *
 * @param status the new status
 * @param attempts attempts made so far, this one included
 * @param nextAttemptAt for PENDING, the earliest next attempt; else the time of the transition
 * @param error the failure, for PENDING after a failure and for FAILED; else null
 */
public record DeliveryState(NotificationStatus status, int attempts, Instant nextAttemptAt, String error) {

    /**
     * @param attemptsBefore attempts made before this one
     * @param maxAttempts the attempt that fails last: FAILED after it
     */
    public static DeliveryState next(NotificationStatus current, int attemptsBefore, DeliveryResult result,
            int maxAttempts, Backoff backoff, Instant now) {
        if (current != NotificationStatus.PENDING) {
            throw new IllegalStateException("only a PENDING message is attempted, not a " + current + " one");
        }
        int attempts = attemptsBefore + 1;
        if (result instanceof DeliveryResult.Sent) {
            return new DeliveryState(NotificationStatus.SENT, attempts, now, null);
        }
        if (result instanceof DeliveryResult.KeptInOutbox) {
            // keeping a message in the outbox is not an attempt to send it
            return new DeliveryState(NotificationStatus.OUTBOX, attemptsBefore, now, null);
        }
        DeliveryResult.Failed failed = (DeliveryResult.Failed) result;
        if (!failed.retryable()) {
            return new DeliveryState(NotificationStatus.FAILED, attempts, now, failed.error());
        }
        if (attempts >= maxAttempts) {
            return new DeliveryState(NotificationStatus.FAILED, attempts, now,
                    "gave up after " + attempts + " attempts: " + failed.error());
        }
        return new DeliveryState(NotificationStatus.PENDING, attempts, now.plus(backoff.after(attempts)), failed.error());
    }
}
