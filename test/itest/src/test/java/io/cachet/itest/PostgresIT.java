package io.cachet.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;

import javax.inject.Inject;

import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;

import com.fasterxml.jackson.databind.JsonNode;

import io.cachet.api.audit.AuditEvent;
import io.cachet.api.audit.AuditLog;
import io.cachet.api.store.Database;

/**
 * The same distribution switched to PostgreSQL the way an operator does it: a configuration file for
 * {@code io.cachet.store} in DATA/deploy. Uses a fresh schema of the test database (see .ci/test).
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class PostgresIT {

    @Inject
    BundleContext context;

    @Inject
    Database database;

    @Inject
    AuditLog audit;

    @Configuration
    public Option[] config() throws Exception {
        String base = System.getProperty("cachet.test.pg.url");
        String user = System.getProperty("cachet.test.pg.user", "postgres");
        String schema = "it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = DriverManager.getConnection(base, user, ""); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        }
        Path data = Files.createTempDirectory("cachet-it-pg-");
        Files.createDirectories(data.resolve("deploy"));
        Files.writeString(data.resolve("deploy/io.cachet.store.cfg"),
                "url=" + base + (base.contains("?") ? "&" : "?") + "currentSchema=" + schema + "\nuser=" + user + "\n");
        return CachetRuntime.options(data, Map.of());
    }

    @Before
    public void ready() {
        new Probe(context).healthy();
    }

    @Test
    public void runsOnPostgresql() throws Exception {
        Probe probe = new Probe(context);
        Probe.await("PostgreSQL in use", () -> "PostgreSQL".equals(database.product())
                && probe.healthyReport().path("checks").path("database").path("detail").asText().startsWith("PostgreSQL"));
        JsonNode health = probe.healthy();
        assertEquals("UP", health.path("status").asText());
        long before = audit.head().map(r -> r.sequence()).orElse(0L);
        audit.append(AuditEvent.of("system", "itest.postgres", "", "x"));
        assertEquals(before + 1, audit.head().orElseThrow().sequence());
        assertTrue(audit.verify().intact());
        String schema = database.inTransaction(c -> {
            try (var rs = c.createStatement().executeQuery("SELECT current_schema()")) {
                rs.next();
                return rs.getString(1);
            }
        });
        assertTrue(schema, schema.startsWith("it_"));
        assertTrue("operators bootstrapped in PostgreSQL too", Files.exists(probe.data().resolve("initial-admin.txt")));
    }
}
