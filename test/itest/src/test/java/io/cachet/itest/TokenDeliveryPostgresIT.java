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

/** {@link TokenDeliveryIT} again with the distribution on PostgreSQL (a fresh schema of the test database). */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class TokenDeliveryPostgresIT extends TokenDeliveryIT {

    @Inject
    @Filter(timeout = 120_000)
    Database database;

    @Override
    @Configuration
    public Option[] config() throws Exception {
        softHsm();
        return CachetRuntime.onFreshPostgresSchema("it_tokendelivery_");
    }

    @Override
    @Before
    public void ready() throws Exception {
        Probe.await("PostgreSQL in use", () -> "PostgreSQL".equals(database.product()));
        super.ready();
        assertEquals("PostgreSQL", database.product());
    }
}
