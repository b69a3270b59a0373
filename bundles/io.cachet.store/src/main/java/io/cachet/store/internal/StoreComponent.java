package io.cachet.store.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.osgi.annotation.bundle.Capability;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cachet.api.health.HealthIndicator;
import io.cachet.api.store.Database;
import io.cachet.api.store.StoreException;

/**
 * Opens the configured database and registers it as the {@link Database} service once it answers. Until
 * then (or when the configuration is wrong) it reports the reason through {@code /health} and tries again,
 * so components that need the database simply wait for it instead of failing half-started.
 *
 * <p>The configuration is required (the launcher writes the embedded default, {@code DATA/deploy/io.cachet.store.cfg}
 * with an empty URL, at first start) so that Cachet never opens a database other than the one configured.
 */
// Database is registered by hand (only once the database answers), so bnd cannot see it: declare it.
@Capability(namespace = "osgi.service", attribute = "objectClass:List<String>=io.cachet.api.store.Database")
@Component(name = "io.cachet.store", configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true,
        service = HealthIndicator.class)
@Designate(ocd = StoreConfiguration.class)
public class StoreComponent implements HealthIndicator {

    /** Framework property naming the data directory. */
    public static final String DATA_PROPERTY = "cachet.data";

    private static final Logger LOG = LoggerFactory.getLogger(StoreComponent.class);

    private final BundleContext context;
    private final StoreConfiguration config;
    private final ScheduledExecutorService retry = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "cachet-store-connect");
        t.setDaemon(true);
        return t;
    });
    private volatile JdbcDatabase database;
    private volatile ServiceRegistration<Database> registration;
    private volatile String lastError = "connecting";

    @Activate
    public StoreComponent(BundleContext context, StoreConfiguration config) {
        this.context = context;
        this.config = config;
        retry.execute(this::connect);
    }

    /**
     * H2 keeps a commit in memory for up to WRITE_DELAY ms (500 by default) before it writes it: a process killed
     * in that window loses transactions it has already answered for. With 0, H2 writes every commit to the file
     * before the commit returns (MVStore commits at the end of each transaction), so what Cachet acknowledged
     * survives {@code kill -9} of the process. A power cut also needs the file forced to disk, which H2 never does
     * at a commit: {@link H2CommitSync} (configuration {@code h2SyncCommits}).
     */
    static final String H2_DURABLE = "WRITE_DELAY=0";

    private static final java.util.regex.Pattern WRITE_DELAY =
            java.util.regex.Pattern.compile("(?i);\\s*WRITE_DELAY\\s*=\\s*([^;]*)");

    /**
     * The URL to use: the configured one, or the embedded H2 file in the data directory; an H2 file URL always
     * with {@link #H2_DURABLE}.
     *
     * @throws IllegalStateException when a configured H2 URL asks for a write delay
     */
    public static String effectiveUrl(String configured, String dataDir) {
        if (configured != null && !configured.isBlank()) {
            String url = configured.trim();
            if (!url.regionMatches(true, 0, "jdbc:h2:file:", 0, "jdbc:h2:file:".length())) {
                return url;
            }
            java.util.regex.Matcher delay = WRITE_DELAY.matcher(url);
            if (!delay.find()) {
                return url + ";" + H2_DURABLE;
            }
            if (!delay.group(1).trim().equals("0")) {
                throw new IllegalStateException("The H2 URL sets WRITE_DELAY=" + delay.group(1).trim()
                        + ": certificates and audit records answered as saved would be lost if the process is killed."
                        + " Remove WRITE_DELAY from the URL");
            }
            return url;
        }
        Path db = Path.of(dataDir == null || dataDir.isBlank() ? "cachet-data" : dataDir, "db", "cachet")
                .toAbsolutePath();
        // Writing each commit at once leaves many small chunks that H2's background housekeeping (stopped by
        // WRITE_DELAY=0) would otherwise merge: the file grows with the number of commits. H2 compacts it when the
        // database closes, for up to MAX_COMPACT_TIME ms (200 by default: too short to matter).
        return "jdbc:h2:file:" + db + ";DB_CLOSE_ON_EXIT=FALSE;LOCK_TIMEOUT=10000;MAX_COMPACT_TIME=5000;" + H2_DURABLE;
    }

    private void connect() {
        try {
            String url = effectiveUrl(config.url(), context.getProperty(DATA_PROPERTY));
            Path h2File = url.startsWith("jdbc:h2:file:")
                    ? Path.of(url.substring("jdbc:h2:file:".length()).split(";")[0]) : null;
            if (h2File != null) {
                Files.createDirectories(h2File.getParent());
            }
            JdbcDatabase db = new JdbcDatabase(url, config.user(), config.password().toCharArray(), config.poolSize(),
                    Math.max(0, config.h2HousekeepingMillis()), config.h2SyncCommits());
            if (h2File != null) {
                ownerOnly(h2File);
            }
            database = db;
            Dictionary<String, Object> props = new Hashtable<>();
            props.put("database.product", db.product());
            registration = context.registerService(Database.class, db, props);
            lastError = null;
            LOG.info("Database ready: {} at {}", db.product(), db.url());
            if (db.durabilityWarning() != null) {
                LOG.warn("{}", db.durabilityWarning());
            }
        } catch (StoreException | java.io.IOException | IllegalStateException e) {
            String message = e.getMessage() + " — check 'url', 'user' and 'password' of configuration PID "
                    + "io.cachet.store (empty url = embedded H2). Retrying every " + config.retrySeconds() + " s.";
            if (!message.equals(lastError)) {
                LOG.error(message);
            }
            lastError = message;
            if (!retry.isShutdown()) {
                retry.schedule(this::connect, Math.max(1, config.retrySeconds()), TimeUnit.SECONDS);
            }
        }
    }

    /**
     * The embedded database holds operators' password hashes, the audit log and every certificate: its files are
     * the owner's only (H2 creates them with the process's umask). The launcher keeps the data directory 0700.
     */
    static void ownerOnly(Path h2File) {
        Path dir = h2File.toAbsolutePath().getParent();
        if (!dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return;
        }
        try (var files = Files.newDirectoryStream(dir, h2File.getFileName() + ".*")) {
            for (Path f : files) {
                if (Files.isRegularFile(f, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    Files.setPosixFilePermissions(f, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
                }
            }
        } catch (java.io.IOException e) {
            LOG.warn("Could not make the database files in {} readable by their owner only: {}", dir, e.toString());
        }
    }

    @Override
    public String name() {
        return "database";
    }

    @Override
    public Health check() {
        JdbcDatabase db = database;
        if (db == null) {
            String error = lastError;
            return new Health(false, error == null ? "connecting" : error);
        }
        var status = db.status();
        return new Health(status.reachable(), status.detail());
    }

    @Deactivate
    void deactivate() {
        retry.shutdownNow();
        ServiceRegistration<Database> reg = registration;
        if (reg != null) {
            try {
                reg.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the framework unregisters services of a stopping bundle itself
            }
        }
        JdbcDatabase db = database;
        if (db != null) {
            db.close();
        }
    }
}
