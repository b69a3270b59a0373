package io.cachet.store.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Connection;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.cachet.api.store.StoreException;
import io.cachet.store.testing.TestDatabases;

class JdbcDatabaseTest {

    @TempDir
    Path temp;

    static java.util.stream.Stream<String> products() {
        return TestDatabases.products();
    }

    private static int count(Connection c, String table) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM " + table); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /** An H2 setting (or, named {@code info.*}, a figure of its store) as the database reports it; null if unknown. */
    static String h2Setting(JdbcDatabase db, String name) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = ?")) {
                ps.setString(1, name);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getString(1) : null;
                }
            }
        });
    }

    static void insert(Connection c, long id, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO sample_item(id, name) VALUES (?, ?)")) {
            ps.setLong(1, id);
            ps.setString(2, name);
            ps.executeUpdate();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("products")
    void migrationsApplyOnceAndModulesKeepSeparateHistories(String product) {
        try (var h = TestDatabases.open(product, temp)) {
            var db = h.database();
            ClassLoader cl = getClass().getClassLoader();
            db.migrate("sample", cl, "db/sample");
            db.migrate("sample", cl, "db/sample"); // idempotent
            db.migrate("other", cl, "db/other");   // second module in the same, now non-empty, schema
            int versions = db.inTransaction(c -> count(c, "schema_history_sample"));
            assertTrue(versions >= 2, "both sample scripts recorded, got " + versions);
            db.inTransaction(c -> {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO sample_item(id, name, note) VALUES (1, 'a', 'n')")) {
                    return ps.executeUpdate();
                }
            });
            assertEquals(Integer.valueOf(0), db.inTransaction(c -> count(c, "other_thing")));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("products")
    void commitsOnReturnRollsBackOnThrowAndNestedCallsJoin(String product) {
        try (var h = TestDatabases.open(product, temp)) {
            var db = h.database();
            db.migrate("sample", getClass().getClassLoader(), "db/sample");
            db.inTransaction(c -> {
                insert(c, 1, "kept");
                return null;
            });
            RuntimeException boom = new IllegalStateException("boom");
            RuntimeException thrown = assertThrows(IllegalStateException.class, () -> db.inTransaction(outer -> {
                insert(outer, 2, "lost-outer");
                db.inTransaction(inner -> {
                    assertSame(outer, inner, "nested call joins the outer transaction");
                    insert(inner, 3, "lost-inner");
                    return null;
                });
                throw boom;
            }));
            assertSame(boom, thrown);
            assertEquals(Integer.valueOf(1), db.inTransaction(c -> count(c, "sample_item")), "only the committed row is left");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("products")
    void aReadRunsWithoutATransactionAndJoinsTheThreadsOne(String product) {
        try (var h = TestDatabases.open(product, temp)) {
            var db = h.database();
            db.migrate("sample", getClass().getClassLoader(), "db/sample");
            db.inTransaction(c -> {
                insert(c, 1, "committed");
                return null;
            });
            assertEquals(Integer.valueOf(1), db.read(c -> {
                assertTrue(c.getAutoCommit(), "a read runs in auto-commit: no BEGIN and COMMIT around it");
                return count(c, "sample_item");
            }));
            assertThrows(IllegalStateException.class, () -> db.inTransaction(outer -> {
                insert(outer, 2, "not yet committed");
                assertEquals(Integer.valueOf(2), db.read(inner -> {
                    assertSame(outer, inner, "a read inside a transaction joins it");
                    return count(inner, "sample_item");
                }), "the joined read sees the transaction's own row");
                throw new IllegalStateException("roll back");
            }));
            assertEquals(Integer.valueOf(1), db.read(c -> count(c, "sample_item")), "the rolled-back row is gone");
            StoreException e = assertThrows(StoreException.class, () -> db.read(c -> count(c, "no_such_table")));
            assertTrue(e.getMessage().startsWith("Database error (SQLState 42"), e.getMessage());
            assertEquals(Integer.valueOf(1), db.inTransaction(c -> {
                assertFalse(c.getAutoCommit(), "the failed read gave the pool back a usable connection");
                return count(c, "sample_item");
            }));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("products")
    void sqlErrorsBecomeStoreExceptionsAndLeaveNothingHalfDone(String product) {
        try (var h = TestDatabases.open(product, temp)) {
            var db = h.database();
            db.migrate("sample", getClass().getClassLoader(), "db/sample");
            StoreException e = assertThrows(StoreException.class, () -> db.inTransaction(c -> {
                insert(c, 1, "dup");
                insert(c, 2, "dup"); // unique violation
                return null;
            }));
            assertTrue(e.getMessage().startsWith("Database error (SQLState 23"), e.getMessage());
            assertEquals(Integer.valueOf(0), db.inTransaction(c -> count(c, "sample_item")));
            assertTrue(db.status().reachable());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("products")
    void aChangedScriptIsRefusedWithTheModuleNamed(String product) {
        try (var h = TestDatabases.open(product, temp)) {
            var db = h.database();
            db.migrate("sample", getClass().getClassLoader(), "db/sample");
            db.inTransaction(c -> {
                try (PreparedStatement ps = c.prepareStatement(
                        "UPDATE schema_history_sample SET checksum = 'tampered' WHERE version = 1")) {
                    return ps.executeUpdate();
                }
            });
            StoreException e = assertThrows(StoreException.class,
                    () -> db.migrate("sample", getClass().getClassLoader(), "db/sample"));
            assertTrue(e.getMessage().contains("module 'sample'") && e.getMessage().contains("V1__create_items.sql"),
                    e.getMessage());
        }
    }

    @Test
    void unreachablePostgresGivesOneLineNamingTheUrlWithoutPassword() {
        StoreException e = assertThrows(StoreException.class, () -> new JdbcDatabase(
                "jdbc:postgresql://127.0.0.1:1/nowhere?password=secret", "x", "secret".toCharArray(), 2));
        assertTrue(e.getMessage().startsWith("Database unreachable at jdbc:postgresql://127.0.0.1:1/nowhere"),
                e.getMessage());
        assertFalse(e.getMessage().contains("secret"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line");
    }

    @Test
    void unsupportedUrlIsRefused() {
        StoreException e = assertThrows(StoreException.class,
                () -> new JdbcDatabase("jdbc:mysql://localhost/x", "", new char[0], 2));
        assertTrue(e.getMessage().contains("jdbc:postgresql://"), e.getMessage());
    }

    @Test
    void invalidModuleNamesAreRefused() {
        try (var h = TestDatabases.open("h2", temp)) {
            assertThrows(IllegalArgumentException.class,
                    () -> h.database().migrate("Bad-Name", getClass().getClassLoader(), "db/sample"));
        }
    }

    @Test
    void embeddedDefaultIsAnH2FileInTheDataDirectory() {
        String url = StoreComponent.effectiveUrl("", "/srv/data");
        assertTrue(url.startsWith("jdbc:h2:file:/srv/data/db/cachet;"), url);
        assertEquals("jdbc:postgresql://db/x", StoreComponent.effectiveUrl(" jdbc:postgresql://db/x ", "/srv/data"));
    }

    /** CrashIT proves it with kill -9 of the real server; this shows which setting does it, on a real H2. */
    @Test
    void everyH2UrlWritesEachCommitBeforeItReturns() throws Exception {
        String embedded = StoreComponent.effectiveUrl("", temp.toString());
        String configured = StoreComponent.effectiveUrl("jdbc:h2:file:" + temp.resolve("other") + ";LOCK_TIMEOUT=1000",
                temp.toString());
        assertTrue(configured.endsWith(";WRITE_DELAY=0"), configured);
        for (String url : new String[] {embedded, configured}) {
            try (JdbcDatabase db = new JdbcDatabase(url, "", new char[0], 2)) {
                assertEquals("0", h2Setting(db, "WRITE_DELAY"), url);
            }
        }
        IllegalStateException delayed = assertThrows(IllegalStateException.class,
                () -> StoreComponent.effectiveUrl("jdbc:h2:file:/x/db;write_delay=500", "/srv"));
        assertTrue(delayed.getMessage().contains("WRITE_DELAY=500") && delayed.getMessage().contains("Remove"),
                delayed.getMessage());
        assertTrue(StoreComponent.effectiveUrl("jdbc:h2:file:/x/db;WRITE_DELAY=0", "/srv").endsWith("WRITE_DELAY=0"));
    }

    @Test
    void theEmbeddedDatabaseFilesAreTheOwnersOnly() throws Exception {
        String url = StoreComponent.effectiveUrl("", temp.toString());
        Path file = temp.resolve("db/cachet");
        java.nio.file.Files.createDirectories(file.getParent());
        try (JdbcDatabase db = new JdbcDatabase(url, "", new char[0], 2)) {
            Path mv = temp.resolve("db/cachet.mv.db");
            // what H2 creates under the usual umask 022
            java.nio.file.Files.setPosixFilePermissions(mv, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
            StoreComponent.ownerOnly(file);
            assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                    java.nio.file.Files.getPosixFilePermissions(mv)));
        }
    }

    @Test
    void postgresqlWithoutSynchronousCommitIsRefused() {
        String base = System.getProperty("cachet.test.pg.url", "");
        org.junit.jupiter.api.Assumptions.assumeFalse(base.isBlank(), "PostgreSQL tests disabled");
        String user = System.getProperty("cachet.test.pg.user", "postgres");
        String url = base + (base.contains("?") ? "&" : "?") + "options=-c%20synchronous_commit%3Doff";
        StoreException e = assertThrows(StoreException.class, () -> new JdbcDatabase(url, user, new char[0], 2));
        assertTrue(e.getMessage().contains("synchronous_commit=off"), e.getMessage());
        new JdbcDatabase(base, user, new char[0], 2).close(); // the default (on) is accepted
    }
}
