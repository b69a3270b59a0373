package io.cachet.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import io.cachet.store.launch.Databases;
import io.cachet.store.launch.LocalDatabase;

/** Opens the database of a Cachet data directory the way the server does (DATA/deploy/io.cachet.store.cfg). */
final class DataDirectory {

    private DataDirectory() {
    }

    static LocalDatabase open(Path data) {
        if (!Files.isDirectory(data)) {
            throw new IllegalArgumentException("No Cachet data directory at " + data + "; give it with --data DIR.");
        }
        Properties cfg = new Properties();
        Path file = data.resolve("deploy").resolve("io.cachet.store.cfg");
        if (Files.exists(file)) {
            try (Reader r = Files.newBufferedReader(file)) {
                cfg.load(r);
            } catch (IOException e) {
                throw new IllegalArgumentException("Cannot read " + file + ": " + e.getMessage());
            }
        }
        String url = cfg.getProperty("url", "").trim();
        if (url.isEmpty()) {
            Path db = data.resolve("db").resolve("cachet");
            if (!Files.exists(data.resolve("db").resolve("cachet.mv.db"))) {
                throw new IllegalArgumentException("No database in " + data + " (db/cachet.mv.db is missing).");
            }
            // IFEXISTS: never create an empty database by mistake; the server holds an exclusive file lock
            url = "jdbc:h2:file:" + db.toAbsolutePath() + ";IFEXISTS=TRUE";
        }
        try {
            return Databases.open(url, cfg.getProperty("user", ""), cfg.getProperty("password", "").toCharArray(), 2);
        } catch (RuntimeException e) {
            String m = e.getMessage() == null ? e.toString() : e.getMessage();
            if (m.contains("already in use") || m.contains("Locked by another process")) {
                throw new IllegalStateException("The database in " + data + " is in use by a running Cachet server; "
                        + "stop it first (the embedded H2 database allows one process at a time).");
            }
            throw e;
        }
    }
}
