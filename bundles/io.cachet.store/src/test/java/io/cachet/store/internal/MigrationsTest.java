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
}
