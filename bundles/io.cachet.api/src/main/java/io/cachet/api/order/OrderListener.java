package io.cachet.api.order;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Told of every transition of every order (submission included) <em>inside the transition's database
 * transaction</em>: what it records through {@link io.cachet.api.store.Database#inTransaction} joins it, so it
 * commits with the transition or not at all (a webhook's delivery row, a customer e-mail queued with
 * {@link io.cachet.api.notify.Notifier}). Register it as an OSGi service (whiteboard).
 *
 * <p>It must only record, never do network I/O; an exception rolls the transition back, so throw only when the
 * transition must not happen without this record.
 */
@ConsumerType
public interface OrderListener {

    /** {@code order} as it is after {@code event}. */
    void transitioned(OrderEvent event, Order order);
}
