package io.cachet.itest;

import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.frameworkStartLevel;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.ops4j.pax.exam.Option;

/**
 * Pax Exam options that reproduce the exported distribution: the same bundles (distribution/target/export/cachet),
 * start levels and run properties (read from the launcher.properties inside cachet.jar), on a free port and a
 * fresh data directory. Runs in the test JVM, before the framework exists.
 */
final class CachetRuntime {

    private static final Pattern ATTRS = Pattern.compile("([^;,]+);version=\"[^\"]*\";startlevel=(\\d+)");

    private CachetRuntime() {
    }

    static Option[] options(Path data, Map<String, String> extraProperties) {
        return options(data, extraProperties, java.util.Set.of());
    }

    /**
     * @param leftOut symbolic names of distribution bundles not to install (a test installs one while running, e.g.
     *        IdentityHotSwapIT's vendor adapter)
     */
    static Option[] options(Path data, Map<String, String> extraProperties, java.util.Set<String> leftOut) {
        Path target = Path.of(System.getProperty("cachet.itest.distribution"));
        Properties launcher = launcherProperties(target.resolve("cachet.jar"));
        Map<String, Integer> levels = new HashMap<>();
        Matcher m = ATTRS.matcher(launcher.getProperty("launch.runbundles.attrs", ""));
        while (m.find()) {
            levels.put(m.group(1).trim(), Integer.valueOf(m.group(2)));
        }
        List<Option> options = new ArrayList<>();
        try (Stream<Path> jars = Files.list(target.resolve("export/cachet"))) {
            for (Path jar : jars.sorted().toList()) {
                String bsn = symbolicName(jar);
                if (bsn == null || !levels.containsKey(bsn) || leftOut.contains(bsn)) {
                    continue; // the framework itself, or a leftover of an earlier build
                }
                var option = bundle(jar.toUri().toString()).startLevel(levels.get(bsn));
                // a fragment cannot be started (the REST whiteboard's SSE support is one); a framework
                // extension (SPI Fly) is, as the launcher does
                options.add(fragment(jar) ? option.noStart() : option);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("run 'mvn package' in distribution/ first", e);
        }
        int port = freePort();
        Map<String, String> props = new HashMap<>();
        for (String key : launcher.stringPropertyNames()) {
            if (!key.startsWith("launch.") && !key.startsWith("org.osgi.framework.")) {
                props.put(key, launcher.getProperty(key));
            }
        }
        try {
            props.putAll(io.cachet.launcher.Main.frameworkProperties(io.cachet.launcher.LaunchOptions.parse(
                    "--data", data.toString(), "--port", Integer.toString(port)), System.currentTimeMillis()));
        } catch (io.cachet.launcher.LaunchOptions.BadOption e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        props.remove("launch.storage.dir"); // a bnd launcher setting: Pax Exam keeps its own framework storage
        props.putAll(extraProperties);
        try {
            io.cachet.launcher.Preflight.dataDirectory(data);
            io.cachet.launcher.Preflight.defaultConfigurations(data);
        } catch (io.cachet.launcher.LaunchOptions.BadOption e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        props.forEach((k, v) -> options.add(frameworkProperty(k).value(v)));
        options.add(systemProperty("org.ops4j.pax.logging.DefaultServiceLog.level").value("WARN"));
        options.add(systemProperty("cachet.itest.samples").value(System.getProperty("cachet.itest.samples")));
        int begin = Integer.parseInt(launcher.getProperty("org.osgi.framework.startlevel.beginning", "30"));
        options.add(frameworkStartLevel(begin));
        options.add(junitBundles());
        return options.toArray(Option[]::new);
    }

    private static Properties launcherProperties(Path executable) {
        try (JarFile jar = new JarFile(executable.toFile());
                InputStream in = jar.getInputStream(jar.getEntry("launcher.properties"))) {
            Properties p = new Properties();
            p.load(in);
            return p;
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("cannot read launcher.properties from " + executable
                    + "; build the distribution first", e);
        }
    }

    private static String symbolicName(Path jar) throws IOException {
        try (JarFile j = new JarFile(jar.toFile())) {
            String bsn = j.getManifest() == null ? null
                    : j.getManifest().getMainAttributes().getValue("Bundle-SymbolicName");
            return bsn == null ? null : bsn.split(";")[0].trim();
        }
    }

    /** A fragment that is not a framework extension. */
    private static boolean fragment(Path jar) throws IOException {
        try (JarFile j = new JarFile(jar.toFile())) {
            String host = j.getManifest() == null ? null : j.getManifest().getMainAttributes().getValue("Fragment-Host");
            return host != null && !host.contains("extension:=");
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The options of a runtime on a fresh schema of the PostgreSQL test database ({@code cachet.test.pg.url}),
     * configured as an operator does, in {@code DATA/deploy/io.cachet.store.cfg}.
     *
     * @param prefix the schema's name before its random part, e.g. {@code it_orders_}
     */
    static Option[] onFreshPostgresSchema(String prefix) throws Exception {
        String base = System.getProperty("cachet.test.pg.url");
        String user = System.getProperty("cachet.test.pg.user", "postgres");
        String schema = prefix + java.util.UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(base, user, "");
                java.sql.Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        }
        java.nio.file.Path data = java.nio.file.Files.createTempDirectory("cachet-it-pg-");
        java.nio.file.Files.createDirectories(data.resolve("deploy"));
        java.nio.file.Files.writeString(data.resolve("deploy/io.cachet.store.cfg"),
                "url=" + base + (base.contains("?") ? "&" : "?") + "currentSchema=" + schema + "\nuser=" + user + "\n");
        // SCR's default 5 s lock timeout is shorter than the first start's key ceremony on a loaded 2-core machine
        return options(data, java.util.Map.of("ds.lock.timeout.milliseconds", "60000"));
    }
}
