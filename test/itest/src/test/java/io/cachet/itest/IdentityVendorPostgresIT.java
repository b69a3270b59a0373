package io.cachet.itest;

import static org.junit.Assert.assertEquals;

import javax.inject.Inject;

import org.junit.Before;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.ops4j.pax.exam.util.Filter;

import io.cachet.api.store.Database;

/** {@link IdentityVendorIT} on a fresh schema of the PostgreSQL test database, configured as an operator does. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class IdentityVendorPostgresIT extends IdentityVendorIT {

    @Inject
    @Filter(timeout = 120_000)
    Database database;

    @Override
    @Configuration
    public Option[] config() throws Exception {
        return CachetRuntime.onFreshPostgresSchema("it_idvendor_");
    }

    @Override
    @Before
    public void ready() throws Exception {
        Probe.await("PostgreSQL in use", () -> "PostgreSQL".equals(database.product()));
        // the first start on a fresh schema (every module's migrations, the CA's key ceremony) is slow on a loaded
        // machine: give it three minutes, and say what /health answered if it never comes up
        Probe probe = new Probe(context);
        String[] last = { "no answer" };
        long end = System.nanoTime() + java.time.Duration.ofMinutes(3).toNanos();
        while (System.nanoTime() < end) {
            try {
                java.net.http.HttpResponse<String> r = probe.get("/health");
                last[0] = r.statusCode() + " " + r.body();
                if (r.statusCode() == 200) {
                    break;
                }
            } catch (RuntimeException notYet) {
                last[0] = notYet.toString();
            }
            Thread.sleep(200);
        }
        if (!last[0].startsWith("200")) {
            String report;
            try {
                report = probe.healthReport().body();
            } catch (RuntimeException e) {
                report = e.toString();
            }
            throw new AssertionError("/health never answered 200: " + last[0] + "; report: " + report);
        }
        super.ready();
        assertEquals("PostgreSQL", context.getService(context.getServiceReference(Database.class)).product());
    }
}
