package io.cachet.store.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.osgi.framework.BundleReference;

import io.cachet.api.security.Digests;
import io.cachet.api.store.StoreException;

/**
 * Applies a module's versioned SQL scripts ({@code V<n>__<description>.sql}) once each, in order, and refuses a
 * script that changed after it was applied.
 *
 * <p>Why not Flyway: Flyway 9 cannot run inside OSGi — its plugin registry loads, through ServiceLoader, classes
 * that need packages its manifest does not import (Gson, Jackson, ...) — and Flyway 10 is not a bundle at all.
 * What Cachet needs is small: forward-only versioned scripts, one history table per module, a checksum, and a
 * lock so that several nodes starting together migrate once.
 *
 * <p>Scripts are split into statements at a {@code ;} that ends a line; {@code --} comment lines are dropped.
 * Procedural SQL (bodies containing {@code ;} at line ends) is not supported.
 */
final class Migrations {

    static final Pattern SCRIPT = Pattern.compile("V(\\d+)__([A-Za-z0-9_]+)\\.sql");

    /** Key of the PostgreSQL advisory lock held while the lock table is created ("cachet" in ASCII). */
    static final long CREATE_LOCK_TABLE = 0x636163686574L;

    private Migrations() {
    }

    record Script(int version, String name, String description, String sql, String checksum) {
    }

    static void migrate(JdbcDatabase db, String module, ClassLoader loader, String location) {
        List<Script> scripts = scripts(loader, location);
        if (scripts.isEmpty()) {
            throw new StoreException("No migration scripts for module '" + module + "' at " + location);
        }
        String history = "schema_history_" + module;
        boolean postgres = "PostgreSQL".equals(db.product());
        // H2 commits every DDL statement at once, which also releases row locks: inside one JVM (the only way
        // H2 is used) this monitor serialises migrations; across PostgreSQL nodes the lock row does.
        synchronized (db) {
            db.inTransaction(c -> {
                if (postgres) {
                    // two nodes creating the table at once: CREATE TABLE IF NOT EXISTS is not atomic in PostgreSQL
                    // (the loser fails on pg_type's unique index); this transaction-scoped lock serialises it
                    try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
                        ps.setLong(1, CREATE_LOCK_TABLE);
                        ps.execute();
                    }
                }
                try (Statement s = c.createStatement()) {
                    s.execute("CREATE TABLE IF NOT EXISTS cachet_schema_lock (module VARCHAR(60) NOT NULL PRIMARY KEY)");
                }
                return null;
            });
            // one transaction per script: the script and its history row commit together, so a failing script
            // leaves the ones before it applied and recorded, and itself neither
            for (Script script : scripts) {
                db.inTransaction(c -> {
                    lock(c, module, postgres);
                    try (Statement s = c.createStatement()) {
                        s.execute("CREATE TABLE IF NOT EXISTS " + history + " (version INTEGER NOT NULL PRIMARY KEY, "
                                + "script VARCHAR(255) NOT NULL, checksum VARCHAR(64) NOT NULL, "
                                + "installed_on TIMESTAMP NOT NULL)");
                    }
                    String[] done = applied(c, history, script.version());
                    if (done == null) {
                        apply(c, module, history, script);
                    } else if (!done[1].equals(script.checksum())) {
                        throw new StoreException("Schema migration of module '" + module + "' failed: script "
                                + done[0] + " was changed after it was applied. Restore it as it was and put the "
                                + "change in a new script V" + (scripts.get(scripts.size() - 1).version() + 1)
                                + "__<description>.sql");
                    }
                    return null;
                });
            }
        }
    }

    private static String[] applied(Connection c, String history, int version) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT script, checksum FROM " + history + " WHERE version = ?")) {
            ps.setInt(1, version);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new String[] {rs.getString(1), rs.getString(2)} : null;
            }
        }
    }

    /**
     * Takes the module's lock row for the rest of the transaction. On PostgreSQL the row is inserted with
     * {@code ON CONFLICT DO NOTHING} first: a node that finds another node's uncommitted row waits for it instead
     * of failing on the primary key once that node commits.
     */
    private static void lock(Connection c, String module, boolean postgres) throws SQLException {
        if (postgres) {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO cachet_schema_lock (module) VALUES (?) ON CONFLICT (module) DO NOTHING")) {
                ps.setString(1, module);
                ps.executeUpdate();
            }
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT module FROM cachet_schema_lock WHERE module = ? FOR UPDATE")) {
            ps.setString(1, module);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    return;
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO cachet_schema_lock (module) VALUES (?)")) {
            ps.setString(1, module);
            ps.executeUpdate();
        }
    }

    private static void apply(Connection c, String module, String history, Script script) throws SQLException {
        for (String statement : statements(script.sql())) {
            try (Statement s = c.createStatement()) {
                s.execute(statement);
            } catch (SQLException e) {
                throw new StoreException("Schema migration of module '" + module + "' failed in " + script.name()
                        + ": " + e.getMessage().lines().findFirst().orElse(""), e);
            }
        }
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO " + history + " (version, script, checksum, installed_on) VALUES (?, ?, ?, ?)")) {
            ps.setInt(1, script.version());
            ps.setString(2, script.name());
            ps.setString(3, script.checksum());
            ps.setTimestamp(4, Timestamp.from(Instant.now()));
            ps.executeUpdate();
        }
    }

    static List<String> statements(String sql) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : sql.split("\\R")) {
            String trimmed = line.strip();
            if (trimmed.startsWith("--") || trimmed.isEmpty()) {
                continue;
            }
            current.append(line).append('\n');
            if (trimmed.endsWith(";")) {
                String s = current.toString().strip();
                out.add(s.substring(0, s.length() - 1));
                current.setLength(0);
            }
        }
        if (!current.toString().isBlank()) {
            out.add(current.toString().strip());
        }
        return out;
    }

    /** The scripts under {@code location}, by version; a duplicate version is an error. */
    static List<Script> scripts(ClassLoader loader, String location) {
        String folder = location.endsWith("/") ? location : location + "/";
        Map<Integer, Script> byVersion = new TreeMap<>();
        for (String name : names(loader, folder)) {
            Matcher m = SCRIPT.matcher(name);
            if (!m.matches()) {
                continue;
            }
            try (InputStream in = loader.getResourceAsStream(folder + name)) {
                byte[] bytes = in.readAllBytes();
                Script s = new Script(Integer.parseInt(m.group(1)), name, m.group(2).replace('_', ' '),
                        new String(bytes, StandardCharsets.UTF_8), Digests.sha256Hex(bytes));
                Script clash = byVersion.put(s.version(), s);
                if (clash != null) {
                    throw new StoreException("Two migration scripts have version " + s.version() + " in " + location
                            + ": " + clash.name() + " and " + name);
                }
            } catch (IOException | NullPointerException e) {
                throw new StoreException("Cannot read migration script " + folder + name + ": " + e, e);
            }
        }
        return new ArrayList<>(byVersion.values());
    }

    /** File names directly in {@code folder}, from a bundle, a directory or a jar. */
    private static List<String> names(ClassLoader loader, String folder) {
        List<String> names = new ArrayList<>();
        if (loader instanceof BundleReference ref) {
            Enumeration<URL> entries = ref.getBundle().findEntries(folder, "*.sql", false);
            while (entries != null && entries.hasMoreElements()) {
                String path = entries.nextElement().getPath();
                names.add(path.substring(path.lastIndexOf('/') + 1));
            }
            return names;
        }
        try {
            Enumeration<URL> roots = loader.getResources(folder);
            while (roots.hasMoreElements()) {
                URL root = roots.nextElement();
                if ("file".equals(root.getProtocol())) {
                    try (Stream<Path> files = Files.list(Path.of(root.toURI()))) {
                        files.forEach(p -> names.add(p.getFileName().toString()));
                    }
                } else if ("jar".equals(root.getProtocol())) {
                    JarURLConnection conn = (JarURLConnection) root.openConnection();
                    conn.setUseCaches(false);
                    try (JarFile jar = conn.getJarFile()) {
                        for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements();) {
                            String n = e.nextElement().getName();
                            if (n.startsWith(folder) && n.indexOf('/', folder.length()) < 0 && n.length() > folder.length()) {
                                names.add(n.substring(folder.length()));
                            }
                        }
                    }
                }
            }
        } catch (IOException | URISyntaxException e) {
            throw new StoreException("Cannot list migration scripts in " + folder + ": " + e.getMessage(), e);
        }
        return names;
    }

}
