package io.cachet.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.logging.FileHandler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The data directory holds password hashes, the audit log, certificates and keys: no other local user reads it. */
class DataPermissionsTest {

    @TempDir
    Path temp;

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p, java.nio.file.LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void aNewDataDirectoryIsTheOwnersOnly() throws Exception {
        Path data = temp.resolve("parent/data");
        Preflight.dataDirectory(data);
        Preflight.defaultConfigurations(data);
        assertEquals("rwx------", mode(data));
        for (String sub : List.of("logs", "deploy", "config")) {
            assertEquals("rwx------", mode(data.resolve(sub)), sub);
        }
        assertEquals("rw-------", mode(data.resolve("deploy/io.cachet.store.cfg")));
    }

    @Test
    void whatAnEarlierStartLeftOpenIsClosed() throws Exception {
        Path data = Files.createDirectories(temp.resolve("data"));
        Path db = Files.createDirectories(data.resolve("db"));
        Path mv = Files.writeString(db.resolve("cachet.mv.db"), "x");
        Path log = Files.writeString(Files.createDirectories(data.resolve("logs")).resolve("cachet.0.log"), "x");
        Path script = Files.writeString(data.resolve("tool.sh"), "x");
        Path outside = Files.writeString(temp.resolve("outside.txt"), "x");
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(db, PosixFilePermissions.fromString("rwxrwxrwx"));
        Files.setPosixFilePermissions(mv, PosixFilePermissions.fromString("rw-r--r--"));
        Files.setPosixFilePermissions(log, PosixFilePermissions.fromString("rw-rw-rw-"));
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-x---"));
        Files.setPosixFilePermissions(outside, PosixFilePermissions.fromString("rw-r--r--"));
        Files.createSymbolicLink(data.resolve("link"), outside);

        Preflight.dataDirectory(data);

        assertEquals("rwxr-x---", mode(data)); // the group's read is the operator's choice; others are out
        assertEquals("rwxr-x---", mode(db));
        assertEquals("rw-r-----", mode(mv));
        assertEquals("rw-r-----", mode(log));
        assertEquals("rwxr-----", mode(script));
        assertEquals("rw-r--r--", mode(outside), "a link out of DATA is not followed");
        try (Stream<Path> all = Files.walk(data)) {
            for (Path p : all.filter(p -> !Files.isSymbolicLink(p)).toList()) {
                String m = mode(p);
                assertTrue(m.endsWith("---") && m.charAt(4) == '-', p + " " + m);
            }
        }
    }

    @Test
    void logFilesAreTheOwnersOnlyAlsoAfterRotation() throws Exception {
        Path logs = Files.createDirectories(temp.resolve("logs"));
        FileHandler handler = LogSetup.fileHandler(logs, 2_000, 3);
        try {
            handler.setFormatter(new LogSetup.OneLineFormatter());
            for (int i = 0; i < 100; i++) {
                handler.publish(new LogRecord(Level.INFO, "line " + i + " " + "x".repeat(80)));
            }
            handler.flush();
        } finally {
            handler.close();
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(logs)) {
            files = s.filter(p -> p.getFileName().toString().endsWith(".log")).toList();
        }
        assertEquals(3, files.size(), "rotated: " + files);
        for (Path f : files) {
            assertEquals("rw-------", mode(f), f.toString());
        }
    }
}
