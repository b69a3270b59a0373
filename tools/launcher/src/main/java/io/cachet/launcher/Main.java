package io.cachet.launcher;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;

/**
 * Main class of {@code cachet.jar}. The jar is exported by bnd from {@code distribution/cachet.bndrun};
 * bnd's embedded launcher installs and starts the bundles. This class runs first: it turns the command line
 * into the framework properties that the bndrun declares (the bnd launcher lets a system property override a
 * run property of the same name) and refuses a bad command line with one line and exit code 2.
 */
public final class Main {

    /** Framework property: absolute path of the data directory. */
    public static final String DATA = "cachet.data";
    /** Framework property: start time of the process in epoch milliseconds, for the "ready in" line. */
    public static final String STARTED = "cachet.started";

    private static final String BND_LAUNCHER = "aQute.launcher.pre.EmbeddedLauncher";

    private Main() {
    }

    public static void main(String[] args) throws Throwable {
        long started = System.currentTimeMillis();
        // before anything logs: the log manager is chosen once, when java.util.logging is first used
        if (System.getProperty("java.util.logging.manager") == null) {
            System.setProperty("java.util.logging.manager", LogsUntilExit.class.getName());
        }
        // first: C2 starts compiling within a second of the JVM's start
        StartCompilation.applyInBackground();
        LaunchOptions options;
        Map<String, String> tls;
        try {
            options = LaunchOptions.parse(args);
            if (options.help()) {
                System.out.println(LaunchOptions.USAGE);
                return;
            }
            Preflight.dataDirectory(options.dataDir());
            Preflight.defaultConfigurations(options.dataDir());
            Preflight.portFree(options.port());
            List<String> warnings = new ArrayList<>();
            tls = Tls.frameworkProperties(options, System::getenv, warnings);
            warnings.forEach(w -> System.err.println("cachet: warning: " + w));
            LogSetup.install(options.dataDir().resolve("logs"), Level.INFO);
            keepOrEmptyBundleCache(options.dataDir());
        } catch (LaunchOptions.BadOption e) {
            System.err.println("cachet: " + e.getMessage());
            System.exit(2);
            return;
        }
        IdleMemory.apply(IdleMemory.DEFAULT_INTERVAL);
        frameworkProperties(options, started).forEach(System::setProperty);
        tls.forEach(System::setProperty);
        String[] noArgs = new String[0];
        MethodHandles.publicLookup()
                .findStatic(Class.forName(BND_LAUNCHER), "main", MethodType.methodType(void.class, String[].class))
                .invokeExact(noArgs);
    }

    /**
     * Keeps the bundle cache of the last start when this same {@code cachet.jar} filled it, empties it otherwise
     * (see {@link BundleCache}). Run from classes rather than a jar, nothing identifies the bundles: always empty.
     */
    private static void keepOrEmptyBundleCache(Path data) throws LaunchOptions.BadOption {
        Path cache = data.resolve("cache");
        try {
            Path jar = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            String stamp = Files.isRegularFile(jar) ? BundleCache.stamp(jar) : "not a jar " + System.nanoTime();
            BundleCache.prepare(data, cache, stamp);
        } catch (IOException | URISyntaxException | RuntimeException e) {
            throw new LaunchOptions.BadOption("Cannot prepare the bundle cache " + cache + " (" + e.getMessage()
                    + "). Delete it and start again.");
        }
    }

    /**
     * The run properties of the bndrun that depend on the command line. The integration tests start their
     * framework with these too, so that they run what {@code cachet.jar} runs.
     */
    public static Map<String, String> frameworkProperties(LaunchOptions options, long started) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put(DATA, options.dataDir().toString());
        p.put(STARTED, Long.toString(started));
        p.put("org.osgi.service.http.port", Integer.toString(options.port()));
        p.put("org.apache.felix.http.host", options.host());
        p.put("felix.fileinstall.dir", options.dataDir().resolve("deploy").toString());
        p.put("felix.cm.dir", options.dataDir().resolve("config").toString());
        p.put("launch.storage.dir", options.dataDir().resolve("cache").toString());
        // the shell is local only: on this terminal when asked for, otherwise not at all
        p.put("gosh.args", options.console() ? "" : "--nointeractive");
        return p;
    }
}
