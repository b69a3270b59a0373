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

/**
 * {@link ResellersIT} again with the distribution on PostgreSQL (a fresh schema of the test database, configured as an
 * operator does in DATA/deploy), so that the reseller endpoints are proven on both databases as the orders' are.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ResellersPostgresIT extends ResellersIT {

    @Inject
    @Filter(timeout = 120_000)
    Database database;

    @Override
    @Configuration
    public Option[] config() throws Exception {
        return CachetRuntime.onFreshPostgresSchema("it_resellers_");
    }

    @Override
    @Before
    public void ready() {
        Probe.await("PostgreSQL in use", () -> "PostgreSQL".equals(database.product()));
        super.ready();
        assertEquals("PostgreSQL", database.product());
    }
}
