package io.cachet.web.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.cachet.api.health.Readiness;

/**
 * When the readiness watch registers {@link Readiness#SETTLED}, for which the REST application waits so that the
 * whiteboard assembles it once rather than once per resource arriving.
 */
class SettledTest {

    static final HealthReport.ComponentFact API = new HealthReport.ComponentFact("example.rest.ApiApplication",
            "UNSATISFIED_REFERENCE", HealthServlet.WAITING_FOR_CONDITION);
    static final HealthReport.ComponentFact ACTIVE = new HealthReport.ComponentFact("a", "ACTIVE", "");
    static final HealthReport.ComponentFact DELAYED = new HealthReport.ComponentFact("b", "SATISFIED", "");
    static final HealthReport.ComponentFact NO_CONFIG = new HealthReport.ComponentFact("c", "UNSATISFIED_CONFIGURATION", "");
    static final HealthReport.ComponentFact WAITING = new HealthReport.ComponentFact("io.cachet.console.operators",
            "UNSATISFIED_REFERENCE", "waiting for database");
    static final long NOW = 0;

    @Test
    void settledWhenEveryComponentIsSatisfiedButThoseWaitingForTheConditionItself() {
        assertEquals("every component satisfied",
                HealthServlet.settleReason(List.of(ACTIVE, DELAYED, NO_CONFIG, API), NOW, NOW));
        assertTrue(HealthServlet.settled(List.of(API)));
    }

    @Test
    void notSettledWhileAComponentWaitsForAServiceThatIsComing() {
        assertNull(HealthServlet.settleReason(List.of(ACTIVE, WAITING, API), NOW, NOW));
        long almostQuiet = TimeUnit.SECONDS.toNanos(Readiness.SETTLE_QUIET_SECONDS) - 1;
        assertNull(HealthServlet.settleReason(List.of(ACTIVE, WAITING, API), almostQuiet, almostQuiet));
        // a component waiting for the condition and something else is not "waiting only for the condition"
        var both = new HealthReport.ComponentFact("d", "UNSATISFIED_REFERENCE",
                "waiting for database osgi.ds.satisfying.condition");
        assertNull(HealthServlet.settleReason(List.of(both), NOW, NOW));
        var failed = new HealthReport.ComponentFact("e", "FAILED_ACTIVATION", "boom");
        assertNull(HealthServlet.settleReason(List.of(failed), NOW, NOW));
    }

    @Test
    void aComponentWaitingForWhatDoesNotComeDelaysTheApiOnlyUntilNothingHappensOrTheBound() {
        String quiet = HealthServlet.settleReason(List.of(ACTIVE, WAITING, API),
                TimeUnit.SECONDS.toNanos(Readiness.SETTLE_QUIET_SECONDS) + 1, NOW);
        assertEquals("components still unsatisfied: [io.cachet.console.operators, example.rest.ApiApplication]",
                quiet);
        // events keep coming (a flapping component) but the bound is reached
        assertTrue(HealthServlet.settleReason(List.of(WAITING), NOW,
                TimeUnit.SECONDS.toNanos(Readiness.SETTLE_BOUND_SECONDS) + 1).startsWith("components still unsatisfied"));
    }

    @Test
    void quietnessIsCountedFromTheLastEvent() throws InterruptedException {
        HealthServlet.Changes changes = new HealthServlet.Changes();
        long start = System.nanoTime();
        while (System.nanoTime() - start < TimeUnit.MILLISECONDS.toNanos(5)) {
            Thread.onSpinWait();
        }
        long before = changes.quietFor();
        assertTrue(before >= TimeUnit.MILLISECONDS.toNanos(5), "quiet since it was made: " + before);
        changes.changed();
        assertTrue(changes.quietFor() < before, "an event starts the quiet anew");
    }
}
