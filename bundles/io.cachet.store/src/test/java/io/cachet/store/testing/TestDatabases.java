package io.cachet.store.testing;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import io.cachet.store.internal.JdbcDatabase;
import io.cachet.store.internal.StoreComponent;

/**
 * The databases every repository test runs against: an H2 file in a temporary folder and a fresh schema
 * on the PostgreSQL server named by the system property {@code cachet.test.pg.url} (set by the build;
 * {@code .ci/run} makes sure the server runs and the database exists). Shared with other modules as a
 * test-jar so that each repository test covers both products the same way.
 */
public final class TestDatabases {

    /** A database under test, dropped on close. */
    public interface Handle extends AutoCloseable {
        JdbcDatabase database();

        String label();

        @Override
        void close();
    }

    private TestDatabases() {
    }

    /** Labels of the products to test: always {@code h2}, plus {@code postgresql} unless disabled. */
    public static Stream<String> products() {
        String pg = System.getProperty("cachet.test.pg.url", "");
        return pg.isBlank() ? Stream.of("h2") : List.of("h2", "postgresql").stream();
    }

    public static Handle open(String product, Path tempDir) {
        return switch (product) {
            case "h2" -> h2(tempDir);
            case "postgresql" -> postgres();
            default -> throw new IllegalArgumentException(product);
        };
    }

    /** The embedded H2 database of a server whose data directory is {@code dataDir}, opened with the server's URL. */
    public static Handle embedded(Path dataDir) {
        return handle(new JdbcDatabase(StoreComponent.effectiveUrl(null, dataDir.toString()), "", new char[0], 2), "h2",
                () -> { });
    }

    private static Handle h2(Path dir) {
        JdbcDatabase db = new JdbcDatabase("jdbc:h2:file:" + dir.resolve("db-" + UUID.randomUUID()).toAbsolutePath()
                + ";DB_CLOSE_ON_EXIT=FALSE", "", new char[0], 4);
        return handle(db, "h2", () -> { });
    }

    private static Handle postgres() {
        String base = System.getProperty("cachet.test.pg.url");
        String user = System.getProperty("cachet.test.pg.user", "postgres");
        String schema = "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        exec(base, user, "CREATE SCHEMA " + schema);
        String sep = base.contains("?") ? "&" : "?";
        JdbcDatabase db = new JdbcDatabase(base + sep + "currentSchema=" + schema, user, new char[0], 4);
        return handle(db, "postgresql", () -> exec(base, user, "DROP SCHEMA " + schema + " CASCADE"));
    }

    private static Handle handle(JdbcDatabase db, String label, Runnable cleanup) {
        return new Handle() {
            @Override
            public JdbcDatabase database() {
                return db;
            }

            @Override
            public String label() {
                return label;
            }

            @Override
            public void close() {
                db.close();
                cleanup.run();
            }
        };
    }

    private static void exec(String url, String user, String sql) {
        try {
            // test helper on the test class path: DriverManager sees the driver here
            try (Connection c = DriverManager.getConnection(url, user, ""); Statement s = c.createStatement()) {
                s.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL test server at " + url + " not usable (" + e.getMessage()
                    + "); start it, create the database, or run with -Dcachet.test.pg.url= to test H2 only", e);
        }
    }
}
