package io.cachet.store.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import io.cachet.api.store.CommitFlush;
import io.cachet.api.store.Database;
import io.cachet.api.store.StoreException;
import io.cachet.api.store.StoreStatus;
import io.cachet.api.store.TransactionWork;
import io.cachet.store.launch.LocalDatabase;

/**
 * {@link Database} over a Hikari pool. Plain Java: the OSGi component only feeds it its configuration.
 * A transaction is bound to the thread, so nested {@link #inTransaction} calls join it.
 */
public final class JdbcDatabase implements LocalDatabase {

    private static final Pattern MODULE = Pattern.compile("[a-z][a-z0-9_]{0,40}");

    private final HikariDataSource pool;
    private final String product;
    private final String safeUrl;
    private final ThreadLocal<Connection> current = new ThreadLocal<>();
    /** What the thread's transaction (or its turn in a shared one) deferred to the commit; unset while flushing. */
    private final ThreadLocal<Deferrals> deferred = new ThreadLocal<>();
    private final GroupCommit shared;
    /** H2 only: what its background thread would do if commits were not written at once; null otherwise. */
    private final H2Housekeeping housekeeping;
    /** H2 file only, unless turned off: forces the file to disk after each commit; null otherwise. */
    private final H2CommitSync commitSync;
    /** Why an acknowledged change may be lost to a power cut here (h2SyncCommits off on an H2 file), or null. */
    private final String durabilityWarning;

    /** How often H2's chunks are looked at for compaction by default (ms). */
    public static final int H2_HOUSEKEEPING_MILLIS = 250;

    /**
     * Opens the pool and checks that the database answers.
     *
     * @throws StoreException with a one-line explanation when it does not
     */
    public JdbcDatabase(String url, String user, char[] password, int poolSize) {
        this(url, user, password, poolSize, H2_HOUSEKEEPING_MILLIS);
    }

    /**
     * Opens the pool and checks that the database answers; on an H2 file, compacts its chunks every
     * {@code h2HousekeepingMillis} (0: never, the file then grows with every commit until an orderly close).
     *
     * @throws StoreException with a one-line explanation when it does not
     */
    public JdbcDatabase(String url, String user, char[] password, int poolSize, int h2HousekeepingMillis) {
        this(url, user, password, poolSize, h2HousekeepingMillis, true);
    }

    /**
     * Opens the pool and checks that the database answers; on an H2 file, compacts its chunks every
     * {@code h2HousekeepingMillis} (0: never) and, with {@code h2SyncCommits}, forces the file to disk after each
     * commit before the commit is answered for (without it a commit survives a crash of the process, not a power cut).
     *
     * @throws StoreException with a one-line explanation when it does not, or when H2's file cannot be forced
     */
    public JdbcDatabase(String url, String user, char[] password, int poolSize, int h2HousekeepingMillis,
            boolean h2SyncCommits) {
        this.safeUrl = withoutCredentials(url);
        this.product = url.startsWith("jdbc:postgresql:") ? "PostgreSQL" : url.startsWith("jdbc:h2:") ? "H2" : null;
        if (product == null) {
            throw new StoreException("Unsupported database URL '" + safeUrl
                    + "': use jdbc:h2:file:... (embedded) or jdbc:postgresql://host:port/db");
        }
        HikariConfig config = new HikariConfig();
        config.setPoolName("cachet");
        config.setJdbcUrl(url);
        // Hikari finds drivers through DriverManager, which cannot see bundle class loaders: name the class.
        config.setDataSource(product.equals("H2") ? h2(url, user, password) : postgres(url, user, password));
        config.setMaximumPoolSize(Math.max(2, poolSize));
        config.setMinimumIdle(1);
        config.setConnectionTimeout(5_000);
        config.setValidationTimeout(2_000);
        config.setInitializationFailTimeout(1);
        try {
            this.pool = new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new StoreException("Database unreachable at " + safeUrl + ": " + rootMessage(e), e);
        } finally {
            if (password != null) {
                java.util.Arrays.fill(password, '\0');
            }
        }
        try {
            if (product.equals("PostgreSQL")) {
                requireDurableCommits();
            }
            this.commitSync = product.equals("H2") && h2SyncCommits ? H2CommitSync.start(pool) : null;
        } catch (StoreException e) {
            pool.close();
            throw e;
        }
        this.durabilityWarning = product.equals("H2") && !h2SyncCommits && !url.startsWith("jdbc:h2:mem:")
                ? "h2SyncCommits is false: H2's file is not forced to disk after a commit, so a power cut or a crash of"
                        + " the system can lose changes already answered for (about the last 30 s); set h2SyncCommits"
                        + " to true in configuration PID io.cachet.store"
                : null;
        this.shared = new GroupCommit(pool, current, deferred, this::committed);
        this.housekeeping = product.equals("H2") ? H2Housekeeping.start(pool, h2HousekeepingMillis) : null;
    }

    /** Why an acknowledged change may be lost to a power cut with this configuration, or null when it may not. */
    String durabilityWarning() {
        return durabilityWarning;
    }

    /**
     * Cachet answers a request once its transaction committed: PostgreSQL must have the commit in its WAL on disk
     * by then. {@code synchronous_commit=off} (for the server, database, role or in the URL's {@code options})
     * would let a server crash undo work a client was told is saved: refused.
     */
    private void requireDurableCommits() {
        try (Connection c = pool.getConnection(); Statement s = c.createStatement();
                java.sql.ResultSet rs = s.executeQuery("SHOW synchronous_commit")) {
            rs.next();
            String value = rs.getString(1);
            if ("off".equalsIgnoreCase(value)) {
                throw new StoreException("PostgreSQL at " + safeUrl + " runs with synchronous_commit=off: a commit Cachet"
                        + " has answered for could be lost in a crash. Set it to on (postgresql.conf, ALTER DATABASE or"
                        + " ALTER ROLE ... SET synchronous_commit = on, or the URL's options)");
            }
        } catch (SQLException e) {
            throw new StoreException(describe(e), e);
        }
    }

    private static DataSource h2(String url, String user, char[] password) {
        org.h2.jdbcx.JdbcDataSource ds = new org.h2.jdbcx.JdbcDataSource();
        ds.setURL(url);
        ds.setUser(user == null ? "" : user);
        ds.setPassword(password == null ? "" : new String(password));
        return ds;
    }

    private static DataSource postgres(String url, String user, char[] password) {
        org.postgresql.ds.PGSimpleDataSource ds = new org.postgresql.ds.PGSimpleDataSource();
        ds.setURL(url);
        if (user != null && !user.isEmpty()) {
            ds.setUser(user);
        }
        if (password != null && password.length > 0) {
            ds.setPassword(new String(password));
        }
        ds.setConnectTimeout(5);
        ds.setSocketTimeout(60);
        return ds;
    }

    @Override
    public void migrate(String module, ClassLoader loader, String location) {
        if (module == null || !MODULE.matcher(module).matches()) {
            throw new IllegalArgumentException("module name must be lower-case letters, digits, '_': " + module);
        }
        Migrations.migrate(this, module, loader, location);
    }

    @Override
    public <T> T inTransaction(TransactionWork<T> work) {
        Connection joined = current.get();
        if (joined != null) {
            try {
                return work.run(joined);
            } catch (SQLException e) {
                throw new StoreException(describe(e), e);
            }
        }
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            current.set(c);
            Deferrals deferrals = new Deferrals();
            deferred.set(deferrals);
            try {
                T result = work.run(c);
                deferred.remove();
                deferrals.flush(c);
                c.commit();
                committed();
                return result;
            } catch (SQLException | RuntimeException | Error e) {
                rollbackQuietly(c, e);
                if (e instanceof SQLException sql) {
                    throw new StoreException(describe(sql), sql);
                }
                throw e;
            } finally {
                deferred.remove();
                current.remove();
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new StoreException(describe(e), e);
        }
    }

    @Override
    public <T> T inSharedTransaction(TransactionWork<T> work) {
        if (current.get() != null) {
            return inTransaction(work); // joins the thread's transaction
        }
        return shared.run(work);
    }

    @Override
    public <E> void deferToCommit(CommitFlush<E> flush, E item) {
        java.util.Objects.requireNonNull(flush, "flush");
        Deferrals deferrals = deferred.get();
        if (deferrals != null) {
            deferrals.add(flush, item);
            return;
        }
        // no transaction, or a flush deferring more while its transaction ends: at once (joining, if any)
        LocalDatabase.super.deferToCommit(flush, item);
    }

    @Override
    public <T> T read(TransactionWork<T> work) {
        if (current.get() != null) {
            return inTransaction(work); // joins the thread's transaction
        }
        // the pool hands out auto-commit connections (inTransaction restores it): no BEGIN, no COMMIT
        try (Connection c = pool.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw new StoreException(describe(e), e);
        }
    }

    @Override
    public boolean inTransactionNow() {
        return current.get() != null;
    }

    /** After each commit, before it is answered for: on H2, the file forced to disk (when configured). */
    private void committed() {
        if (commitSync != null) {
            commitSync.afterCommit();
        }
    }

    private static void rollbackQuietly(Connection c, Throwable cause) {
        try {
            c.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    @Override
    public StoreStatus status() {
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            s.setQueryTimeout(2);
            s.execute("SELECT 1");
            return new StoreStatus(true, product, (durabilityWarning == null ? "" : "WARNING: " + durabilityWarning
                    + "; ") + product + " at " + safeUrl);
        } catch (SQLException | RuntimeException e) {
            return new StoreStatus(false, product, "Database unreachable at " + safeUrl + ": " + rootMessage(e));
        }
    }

    @Override
    public DataSource dataSource() {
        return pool;
    }

    @Override
    public String product() {
        return product;
    }

    /** The URL as it may be shown: without a password parameter. */
    public String url() {
        return safeUrl;
    }

    /** What forces this database's H2 file to disk after each commit, if anything. */
    H2CommitSync commitSync() {
        return commitSync;
    }

    /** The H2 housekeeping of this database, if any. */
    H2Housekeeping housekeeping() {
        return housekeeping;
    }

    @Override
    public void close() {
        if (housekeeping != null) {
            housekeeping.close();
        }
        pool.close();
    }

    static String withoutCredentials(String url) {
        return url == null ? "" : url.replaceAll("(?i)(password|pwd)=[^;&]*", "$1=***");
    }

    static String describe(SQLException e) {
        return "Database error (SQLState " + e.getSQLState() + "): " + e.getMessage();
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage();
        return m == null ? t.getClass().getSimpleName() : m.lines().findFirst().orElse(m);
    }
}
