package io.cachet.api.health;

/**
 * The start's milestones other parts can wait for, as OSGi conditions (Core R8, {@code org.osgi.service.condition}).
 *
 * @since 1.2
 */
public final class Readiness {

    /**
     * The condition registered (by {@code io.cachet.web}'s health component) once, after a start, every bundle is
     * active and every component is satisfied or waits only for this condition; or, when a component waits for
     * something that does not come, once no service has come or gone for {@link #SETTLE_QUIET_SECONDS}, and at the
     * latest {@link #SETTLE_BOUND_SECONDS} after every bundle became active. A part that would otherwise redo costly work at
     * each service arriving while Cachet starts (the REST application, assembled again by the whiteboard for every
     * resource) waits for it: {@code @SatisfyingConditionTarget(Readiness.SETTLED_TARGET)}.
     */
    public static final String SETTLED = "cachet.settled";

    /** The filter that selects {@link #SETTLED}. */
    public static final String SETTLED_TARGET = "(osgi.condition.id=" + SETTLED + ")";

    /**
     * The condition registered (by {@code io.cachet.web}'s health component) once a start is complete: every bundle
     * active, every component satisfied and every required health indicator healthy: before {@code GET /health} first
     * answers 200, and at the latest when the log says "Cachet ready". It is withdrawn when the framework begins to
     * stop. Without it, the server answers a request for an address nothing serves now with 503 and
     * {@code Retry-After} instead of 404: the part that serves it may still be starting, or already stopped.
     *
     * @since 1.3
     */
    public static final String READY = "cachet.ready";

    /** The filter that selects {@link #READY}. @since 1.3 */
    public static final String READY_TARGET = "(osgi.condition.id=" + READY + ")";

    /** How long nothing must happen before {@link #SETTLED} stops waiting for the components still unsatisfied. */
    public static final int SETTLE_QUIET_SECONDS = 5;

    /** The longest {@link #SETTLED} waits for components once every bundle is active. */
    public static final int SETTLE_BOUND_SECONDS = 60;

    private Readiness() {
    }
}
