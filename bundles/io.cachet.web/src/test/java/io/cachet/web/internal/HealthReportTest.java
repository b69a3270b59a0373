package io.cachet.web.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.cachet.api.health.HealthIndicator.Health;
import io.cachet.web.internal.HealthReport.BundleFact;
import io.cachet.web.internal.HealthReport.ComponentFact;

class HealthReportTest {

    private static final List<BundleFact> BUNDLES = List.of(new BundleFact("a", false, true),
            new BundleFact("frag", true, false));
    private static final List<ComponentFact> COMPONENTS = List.of(new ComponentFact("c1", "ACTIVE", ""),
            new ComponentFact("c2", "UNSATISFIED_CONFIGURATION", ""));
    private static final Map<String, Health> DB_OK = Map.of("database", new Health(true, "H2"));

    @Test
    void upWhenEverythingRunsFragmentsAndConfigWaitingComponentsIncluded() {
        HealthReport r = HealthReport.of(BUNDLES, COMPONENTS, DB_OK, Set.of("database"));
        assertTrue(r.healthy());
        assertEquals("UP", r.body().get("status"));
    }

    @Test
    void downWhenABundleIsNotActiveAndItIsNamed() {
        HealthReport r = HealthReport.of(List.of(new BundleFact("broken", false, false)), COMPONENTS, DB_OK,
                Set.of("database"));
        assertFalse(r.healthy());
        assertTrue(r.body().get("bundles").toString().contains("broken"));
    }

    @Test
    void aBrokenBundleInDeployIsReportedButDoesNotTakeTheCoreDown() {
        HealthReport r = HealthReport.of(List.of(new BundleFact("a", false, true),
                new BundleFact("addon", false, false, true)), COMPONENTS, DB_OK, Set.of("database"));
        assertTrue(r.healthy());
        assertTrue(r.body().get("deployed").toString().contains("addon=false") || r.body().get("deployed").toString()
                .contains("active=false"), r.body().toString());
    }

    @Test
    void downWhenAComponentFailedAndTheReasonIsShown() {
        HealthReport r = HealthReport.of(BUNDLES, List.of(new ComponentFact("x", "FAILED_ACTIVATION", "bad colour")),
                DB_OK, Set.of("database"));
        assertFalse(r.healthy());
        assertTrue(r.body().get("components").toString().contains("bad colour"));
    }

    @Test
    void downWhenTheDatabaseIsUnreachableOrMissing() {
        assertFalse(HealthReport.of(BUNDLES, COMPONENTS, Map.of("database", new Health(false, "refused")),
                Set.of("database")).healthy());
        HealthReport missing = HealthReport.of(BUNDLES, COMPONENTS, Map.of(), Set.of("database"));
        assertFalse(missing.healthy());
        assertEquals("DOWN", missing.body().get("status"));
    }

    @Test
    void thePublicViewSaysUpOrDownAndNothingAboutTheSetUp() {
        HealthReport up = HealthReport.of(BUNDLES, COMPONENTS, DB_OK, Set.of("database"));
        assertEquals(Map.of("status", "UP"), up.publicBody());
        HealthReport down = HealthReport.of(BUNDLES, COMPONENTS,
                Map.of("database", new Health(false, "H2 at jdbc:h2:file:/srv/cachet/db unreachable")), Set.of("database"));
        assertEquals(Map.of("status", "DOWN"), down.publicBody());
        assertTrue(down.body().toString().contains("jdbc:h2"), "the operators' view keeps the detail");
    }
}
