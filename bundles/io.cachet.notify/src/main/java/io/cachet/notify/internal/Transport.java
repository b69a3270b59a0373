package io.cachet.notify.internal;

import io.cachet.api.notify.NotificationRecord;

/** Delivers one claimed message. Never throws: every failure is a {@link DeliveryResult.Failed}. */
@FunctionalInterface
public interface Transport {

    DeliveryResult deliver(NotificationRecord message);

    /** The embedded default: the message stays in the database for operators to read. */
    Transport OUTBOX = message -> DeliveryResult.outbox();
}
