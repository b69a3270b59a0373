package io.cachet.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LaunchOptionsTest {

    @TempDir
    Path temp;

    @Test
    void defaultsAreCachetDataAnd8080() throws Exception {
        LaunchOptions o = LaunchOptions.parse();
        assertEquals(Path.of("cachet-data").toAbsolutePath().normalize(), o.dataDir());
        assertEquals(8080, o.port());
    }

    @Test
    void readsBothSpellings() throws Exception {
        assertEquals(9000, LaunchOptions.parse("--port", "9000").port());
        assertEquals(9001, LaunchOptions.parse("--port=9001").port());
        assertEquals(temp.toAbsolutePath(), LaunchOptions.parse("--data", temp.toString()).dataDir());
    }

    @Test
    void badOptionsGiveOneLineSayingWhatToDo() {
        var unknown = assertThrows(LaunchOptions.BadOption.class, () -> LaunchOptions.parse("--prot", "1"));
        assertTrue(unknown.getMessage().contains("--help"), unknown.getMessage());
        var port = assertThrows(LaunchOptions.BadOption.class, () -> LaunchOptions.parse("--port", "70000"));
        assertTrue(port.getMessage().contains("1 to 65535"), port.getMessage());
        var missing = assertThrows(LaunchOptions.BadOption.class, () -> LaunchOptions.parse("--data"));
        assertTrue(missing.getMessage().contains("needs a value"), missing.getMessage());
    }

    @Test
    void aPortInUseIsReported() throws IOException {
        try (ServerSocket taken = new ServerSocket(0)) {
            var e = assertThrows(LaunchOptions.BadOption.class, () -> Preflight.portFree(taken.getLocalPort()));
            assertTrue(e.getMessage().contains("already in use") && e.getMessage().contains("--port"), e.getMessage());
        }
    }

    @Test
    void dataDirectoryIsCreatedWithItsFolders() throws Exception {
        Path data = temp.resolve("new/data");
        Preflight.dataDirectory(data);
        assertTrue(Files.isDirectory(data.resolve("logs")));
        assertTrue(Files.isDirectory(data.resolve("deploy")));
    }

    @Test
    void defaultStoreConfigurationIsWrittenOnceAndNeverOverwritten() throws Exception {
        Preflight.dataDirectory(temp);
        Preflight.defaultConfigurations(temp);
        Path cfg = temp.resolve("deploy/io.cachet.store.cfg");
        assertTrue(Files.readString(cfg).contains("\nurl=\n"));
        Files.writeString(cfg, "url=jdbc:postgresql://db/cachet\n");
        Preflight.defaultConfigurations(temp);
        assertEquals("url=jdbc:postgresql://db/cachet\n", Files.readString(cfg));
    }

    @Test
    void aDataDirectoryThatIsAFileIsRefused() throws Exception {
        Path file = Files.createFile(temp.resolve("plain-file"));
        var e = assertThrows(LaunchOptions.BadOption.class, () -> Preflight.dataDirectory(file));
        assertTrue(e.getMessage().startsWith("Cannot use the data directory"), e.getMessage());
    }

    @Test
    void frameworkPropertiesFollowTheCommandLine() throws Exception {
        var p = Main.frameworkProperties(LaunchOptions.parse("--data", temp.toString(), "--port", "8181"), 42L);
        assertEquals(temp.toString(), p.get(Main.DATA));
        assertEquals("8181", p.get("org.osgi.service.http.port"));
        assertEquals(temp.resolve("deploy").toString(), p.get("felix.fileinstall.dir"));
        assertEquals("--nointeractive", p.get("gosh.args"), "no shell unless asked for");
        var console = Main.frameworkProperties(LaunchOptions.parse("--data", temp.toString(), "--console"), 42L);
        assertEquals("", console.get("gosh.args"));
    }
}
