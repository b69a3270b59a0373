package io.cachet.itest;

import static org.junit.Assert.assertEquals;

import java.util.Hashtable;

import javax.inject.Inject;

import org.junit.Before;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.ops4j.pax.exam.util.Filter;
import org.osgi.service.cm.ConfigurationAdmin;

import io.cachet.api.store.Database;

/**
 * {@link JourneyIT} again with the distribution on PostgreSQL (a fresh schema of the test database), and identities
 * needing two approvals ({@code secondApproval}): the demo's second registration officer gives the second.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class JourneyPostgresIT extends JourneyIT {

    @Override
    int approvals() {
        return 2;
    }

    private static boolean configured;

    @Inject
    @Filter(timeout = 120_000)
    Database database;

    @Override
    @Configuration
    public Option[] config() throws Exception {
        return CachetRuntime.onFreshPostgresSchema("it_journey_");
    }

    @Override
    @Before
    public void ready() throws Exception {
        Probe.await("PostgreSQL in use", () -> "PostgreSQL".equals(database.product()));
        super.ready();
        assertEquals("PostgreSQL", database.product());
        if (!configured) {
            org.osgi.service.cm.Configuration c = service(ConfigurationAdmin.class).getConfiguration(
                    "io.cachet.identity", "?");
            Hashtable<String, Object> props = new Hashtable<>();
            props.put("secondApproval", true);
            // a reason of its own, seen on the API once the identity service runs with this configuration
            props.put("rejectionReasons", new String[] { "document-unreadable", "selfie-mismatch", "journey-marker" });
            c.update(props);
            Probe.await("the identity configuration applied", () -> probe.get("/api/v1/identity/rejection-reasons",
                    "Authorization", "Bearer " + admin).body().contains("journey-marker"));
            configured = true;
        }
    }
}
