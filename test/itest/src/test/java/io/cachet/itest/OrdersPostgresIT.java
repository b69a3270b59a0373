package io.cachet.itest;

import static org.junit.Assert.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;

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
 * {@link OrdersIT} again with the distribution on PostgreSQL (a fresh schema of the test database, configured as an
 * operator does in DATA/deploy, as {@link PostgresIT}).
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class OrdersPostgresIT extends OrdersIT {

    @Inject
    @Filter(timeout = 120_000)
    Database database;

    @Override
    @Configuration
    public Option[] config() throws Exception {
        String base = System.getProperty("cachet.test.pg.url");
        String user = System.getProperty("cachet.test.pg.user", "postgres");
        String schema = "it_orders_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = DriverManager.getConnection(base, user, ""); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        }
        Path data = Files.createTempDirectory("cachet-it-pg-");
        Files.createDirectories(data.resolve("deploy"));
        Files.writeString(data.resolve("deploy/io.cachet.store.cfg"),
                "url=" + base + (base.contains("?") ? "&" : "?") + "currentSchema=" + schema + "\nuser=" + user + "\n");
        return CachetRuntime.options(data, Map.of("ds.lock.timeout.milliseconds", "60000"));
    }

    @Override
    @Before
    public void ready() throws Exception {
        Probe.await("PostgreSQL in use", () -> "PostgreSQL".equals(database.product()));
        super.ready();
        assertEquals("PostgreSQL", context.getService(context.getServiceReference(Database.class)).product());
    }
}
