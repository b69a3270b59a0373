package io.cachet.store.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.cachet.api.store.StoreException;
import io.cachet.store.testing.TestDatabases;

class MigrationsTest {

    @TempDir
    Path temp;

    static java.util.stream.Stream<String> products() {
        return TestDatabases.products();
    }

    @Test
    void scriptsAreFoundInOrderOnTheClassPath() {
        List<Migrations.Script> scripts = Migrations.scripts(getClass().getClassLoader(), "db/sample");
        assertEquals(List.of(1, 2), scripts.stream().map(Migrations.Script::version).toList());
        assertEquals("create items", scripts.get(0).description());
    }

    @Test
    void statementsSplitAtLineEndingSemicolonsAndSkipComments() {
        assertEquals(List.of("CREATE TABLE a (x INT)", "INSERT INTO a VALUES (1)"),
                Migrations.statements("-- comment;\nCREATE TABLE a (x INT);\n\nINSERT INTO a VALUES (1);\n"));
    }

    @Test
    void twoScriptsWithOneVersionAreRefused() throws Exception {
        Path dir = Files.createDirectories(temp.resolve("cp/db/dup"));
        Files.writeString(dir.resolve("V1__a.sql"), "SELECT 1;");
        Files.writeString(dir.resolve("V1__b.sql"), "SELECT 1;");
        try (var loader = new java.net.URLClassLoader(new java.net.URL[] {temp.resolve("cp").toUri().toURL()}, null)) {
            StoreException e = assertThrows(StoreException.class, () -> Migrations.scripts(loader, "db/dup"));
            assertTrue(e.getMessage().contains("version 1"), e.getMessage());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("products")
    void aFailingScriptNamesItselfAndIsNotRecorded(String product) throws Exception {
        Path dir = Files.createDirectories(temp.resolve("cp2/db/bad"));
        Files.writeString(dir.resolve("V1__ok.sql"), "CREATE TABLE bad_ok (x INT);");
        Files.writeString(dir.resolve("V2__broken.sql"), "CREATE TABLE bad_broken (x NOSUCHTYPE);");
        try (var h = TestDatabases.open(product, temp);
                var loader = new java.net.URLClassLoader(new java.net.URL[] {temp.resolve("cp2").toUri().toURL()}, null)) {
            StoreException e = assertThrows(StoreException.class, () -> h.database().migrate("bad", loader, "db/bad"));
            assertTrue(e.getMessage().contains("V2__broken.sql"), e.getMessage());
            Files.writeString(dir.resolve("V2__broken.sql"), "CREATE TABLE bad_broken (x INT);");
            h.database().migrate("bad", loader, "db/bad"); // fixed script: applies now
            assertEquals(Integer.valueOf(2), h.database().inTransaction(c -> {
                try (var rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM schema_history_bad")) {
                    rs.next();
                    return rs.getInt(1);
                }
            }));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("products")
    void concurrentMigrationsOfOneModuleApplyEachScriptOnce(String product) throws Exception {
        try (var h = TestDatabases.open(product, temp)) {
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                Callable<Void> migrate = () -> {
                    h.database().migrate("sample", getClass().getClassLoader(), "db/sample");
                    return null;
                };
                List<Future<Void>> all = pool.invokeAll(List.of(migrate, migrate, migrate, migrate));
                for (Future<Void> f : all) {
                    f.get();
                }
            } finally {
                pool.shutdownNow();
            }
            assertEquals(Integer.valueOf(2), h.database().inTransaction(c -> {
                try (var rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM schema_history_sample")) {
                    rs.next();
                    return rs.getInt(1);
                }
            }));
        }
    }

    /**
     * Two nodes: two connection pools (two {@link JdbcDatabase}s, so no shared Java monitor) migrating one module
     * into one empty PostgreSQL schema at the same time. The test holds a gate that the first script waits on, so
     * the first node stays inside its migration; the second node must then be seen waiting on a database lock (the
     * migration lock) rather than reaching the gate as well. Once the gate opens, both migrations succeed and each
     * script ran exactly once.
     */
    @Test
    void twoNodesOnOneEmptyPostgresqlSchemaContendForTheLockAndApplyEachScriptOnce() throws Exception {
        String base = System.getProperty("cachet.test.pg.url", "");
        org.junit.jupiter.api.Assumptions.assumeFalse(base.isBlank(), "PostgreSQL tests disabled");
        String user = System.getProperty("cachet.test.pg.user", "postgres");
        String id = java.util.UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        String schema = "nodes_" + id;
        String gate = "gate_" + id;
        String module = "contended";
        Path dir = Files.createDirectories(temp.resolve("cp3/db/contended"));
        Files.writeString(dir.resolve("V1__wait_at_the_gate.sql"), "CREATE TABLE contended_item (id INT NOT NULL);\n"
                + "LOCK TABLE " + gate + ".gate IN SHARE MODE;\n");
        Files.writeString(dir.resolve("V2__count_runs.sql"), "INSERT INTO contended_item (id) VALUES (2);\n");
        String sep = base.contains("?") ? "&" : "?";
        try (java.sql.Connection admin = java.sql.DriverManager.getConnection(base, user, "");
                var loader = new java.net.URLClassLoader(new java.net.URL[] {temp.resolve("cp3").toUri().toURL()}, null)) {
            try (var s = admin.createStatement()) {
                s.execute("CREATE SCHEMA " + schema);
                s.execute("CREATE SCHEMA " + gate);
                s.execute("CREATE TABLE " + gate + ".gate (x INT)");
            }
            ExecutorService nodes = Executors.newFixedThreadPool(2);
            try (JdbcDatabase a = new JdbcDatabase(base + sep + "currentSchema=" + schema + "&ApplicationName=a_" + id,
                    user, new char[0], 2);
                    JdbcDatabase b = new JdbcDatabase(base + sep + "currentSchema=" + schema + "&ApplicationName=b_" + id,
                            user, new char[0], 2);
                    java.sql.Connection holder = java.sql.DriverManager.getConnection(base, user, "")) {
                holder.setAutoCommit(false);
                try (var s = holder.createStatement()) {
                    s.execute("LOCK TABLE " + gate + ".gate IN ACCESS EXCLUSIVE MODE");
                }
                Future<?> first = nodes.submit(() -> a.migrate(module, loader, "db/contended"));
                Future<?> second = nodes.submit(() -> b.migrate(module, loader, "db/contended"));
                // both nodes blocked on a lock, and only one of them at the gate
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                int[] seen = {0, 0};
                while (true) {
                    seen = waiting(admin, id, gate);
                    if (seen[0] == 2 || first.isDone() || second.isDone() || System.nanoTime() > deadline) {
                        break;
                    }
                    Thread.sleep(20);
                }
                assertEquals(2, seen[0], "both nodes waiting on a lock; node a: " + state(first) + ", node b: "
                        + state(second));
                assertEquals(1, seen[1], "exactly one node inside the migration, at the gate");
                holder.commit(); // open the gate
                first.get(60, TimeUnit.SECONDS);
                second.get(60, TimeUnit.SECONDS);
                assertEquals(java.util.List.of(1, 2), a.inTransaction(c -> {
                    java.util.List<Integer> versions = new java.util.ArrayList<>();
                    try (var rs = c.createStatement().executeQuery(
                            "SELECT version FROM schema_history_contended ORDER BY version")) {
                        while (rs.next()) {
                            versions.add(rs.getInt(1));
                        }
                    }
                    return versions;
                }));
                assertEquals(Integer.valueOf(1), b.inTransaction(c -> {
                    try (var rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM contended_item")) {
                        rs.next();
                        return rs.getInt(1);
                    }
                }), "V2 ran exactly once");
            } finally {
                nodes.shutdownNow();
                try (var s = admin.createStatement()) {
                    s.execute("DROP SCHEMA " + schema + " CASCADE");
                    s.execute("DROP SCHEMA " + gate + " CASCADE");
                }
            }
        }
    }

    private static String state(Future<?> node) {
        if (!node.isDone()) {
            return "running";
        }
        try {
            node.get();
            return "finished";
        } catch (Exception e) {
            return "failed: " + e.getCause();
        }
    }

    /** Backends of the two nodes waiting on a lock, and those of them waiting for the gate table. */
    private static int[] waiting(java.sql.Connection admin, String id, String gate) throws Exception {
        try (var ps = admin.prepareStatement("SELECT count(*), count(*) FILTER (WHERE EXISTS (SELECT 1 FROM pg_locks l "
                + "WHERE l.pid = a.pid AND NOT l.granted AND l.relation = ?::regclass)) FROM pg_stat_activity a "
                + "WHERE a.application_name IN (?, ?) AND a.wait_event_type = 'Lock'")) {
            ps.setString(1, gate + ".gate");
            ps.setString(2, "a_" + id);
            ps.setString(3, "b_" + id);
            try (var rs = ps.executeQuery()) {
                rs.next();
                return new int[] {rs.getInt(1), rs.getInt(2)};
            }
        }
    }
}
