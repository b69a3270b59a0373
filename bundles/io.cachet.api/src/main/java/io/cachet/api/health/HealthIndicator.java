package io.cachet.api.health;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A part of Cachet that can tell whether it works. Every registered indicator is asked on each
 * {@code GET /health}; one unhealthy indicator makes the answer 503. Must answer quickly (under a second)
 * and never throw.
 */
@ConsumerType
public interface HealthIndicator {

    /** Short stable name, e.g. {@code database}. */
    String name();

    Health check();

    /**
     * @param healthy whether this part works
     * @param detail one line for an operator: what was checked, or what is wrong and what to do
     */
    record Health(boolean healthy, String detail) {
    }
}
