package io.cachet.api.order;

import org.osgi.service.component.ComponentServiceObjects;

/**
 * The order service for a component the order service itself calls (a check, a listener): such a component
 * cannot reference {@link Orders} statically (a cycle), so it takes a dynamic, optional
 * {@code ComponentServiceObjects<Orders>} and asks this class for the service when it needs it. The service is got
 * once per reference and kept while that reference lasts; SCR releases it when the reference changes or the
 * component stops.
 *
 * <p>Why not get and release it at each call: the framework's use count then fell to zero between calls, and two
 * threads doing so at once raced in it, one release failing with {@code IllegalArgumentException} (the token
 * delivery's health check answered DOWN a few times per thousand under concurrent {@code /health} requests). Nine
 * components had their own copy of that code. Thread-safe.
 */
public final class LazyOrders {

    private final Object lock = new Object();
    private ComponentServiceObjects<Orders> source;
    private Orders held;

    /**
     * @param objects the component's current reference, {@code null} when there is no order service
     * @return the order service, or {@code null} when there is none (or it is going away)
     */
    public Orders from(ComponentServiceObjects<Orders> objects) {
        if (objects == null) {
            return null;
        }
        synchronized (lock) {
            if (source != objects || held == null) {
                // a new reference: the one before is closed by SCR, which releases what was got from it
                held = objects.getService();
                source = held == null ? null : objects;
            }
            return held;
        }
    }
}
