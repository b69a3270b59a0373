package io.cachet.console.internal;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cachet.api.audit.AuditLog;
import io.cachet.api.operator.ApiKey;
import io.cachet.api.operator.ApiKeyScope;
import io.cachet.api.operator.Authentication;
import io.cachet.api.operator.IssuedApiKey;
import io.cachet.api.operator.OperatorDirectory;
import io.cachet.api.operator.OperatorException;
import io.cachet.api.store.Database;
import io.cachet.api.store.StoreException;

/**
 * Publishes the {@link OperatorDirectory} once the database and the audit log are there, creates the
 * initial administrator on first start, and records the summaries of failed-login bursts as they end.
 */
@Component(name = OperatorDirectoryComponent.PID, service = {OperatorDirectory.class, ConsoleSessions.class},
        immediate = true)
@Designate(ocd = OperatorDirectoryComponent.Config.class)
public class OperatorDirectoryComponent implements OperatorDirectory, ConsoleSessions {

    static final String PID = "io.cachet.console.operators";
    /** Framework property naming the data directory (shared with the store). */
    static final String DATA_PROPERTY = "cachet.data";
    private static final Logger LOG = LoggerFactory.getLogger(OperatorDirectoryComponent.class);

    @ObjectClassDefinition(name = "Cachet operators", description = "Throttling of failed operator logins and "
            + "API keys (exponential back-off per client address and per account), and how failures are audited.")
    public @interface Config {
        @AttributeDefinition(name = "Failures before back-off", min = "1",
                description = "Failed attempts in a row (per client address, per account, per API key) allowed "
                        + "before each further failure makes the next attempt wait")
        int backoffFreeAttempts() default 5;

        @AttributeDefinition(name = "First back-off (seconds)", min = "1",
                description = "The first wait; each further failure doubles it, up to the ceilings below")
        int backoffInitialSeconds() default 1;

        @AttributeDefinition(name = "Back-off ceiling per client address (seconds)", min = "1",
                description = "Longest wait imposed on a client address that keeps failing")
        int clientBackoffMaxSeconds() default 900;

        @AttributeDefinition(name = "Back-off ceiling per account (seconds)", min = "1",
                description = "Longest wait imposed on an account (or API key) that keeps failing from any address; "
                        + "kept short so that nobody can keep the owner out for long")
        int accountBackoffMaxSeconds() default 60;

        @AttributeDefinition(name = "Throttle memory (entries)", min = "100",
                description = "Most client addresses, accounts and keys remembered at once; the least recently seen "
                        + "go first")
        int throttleMaxEntries() default 10_000;

        @AttributeDefinition(name = "Failure summary interval (minutes)", min = "1",
                description = "The first failure of a burst is audited at once; the rest are counted and audited as "
                        + "one summary when nothing failed for this long, and at least this often while it goes on")
        int auditSummaryMinutes() default 5;
    }

    private final JdbcOperatorDirectory directory;
    private final ScheduledExecutorService flusher;

    @Activate
    public OperatorDirectoryComponent(@Reference Database database, @Reference AuditLog audit, BundleContext context,
            Config config) {
        this.directory = new JdbcOperatorDirectory(database, audit, Clock.systemUTC(), settings(config));
        String data = context.getProperty(DATA_PROPERTY);
        Path dataDir = Path.of(data == null || data.isBlank() ? "cachet-data" : data);
        try {
            new InitialAdmin(database, directory).bootstrapIfEmpty(dataDir);
        } catch (StoreException | OperatorException e) {
            // the directory still works for existing operators; a later restart tries again
            LOG.error("Could not create the initial administrator: {}", e.getMessage(), e);
        }
        flusher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "cachet-login-failure-audit");
            t.setDaemon(true);
            return t;
        });
        flusher.scheduleWithFixedDelay(directory::flushFailureAudit, 30, 30, TimeUnit.SECONDS);
    }

    static JdbcOperatorDirectory.Settings settings(Config config) {
        try {
            return new JdbcOperatorDirectory.Settings(new LoginThrottle.Settings(config.backoffFreeAttempts(),
                    Duration.ofSeconds(config.backoffInitialSeconds()), Duration.ofSeconds(config.clientBackoffMaxSeconds()),
                    Duration.ofSeconds(config.accountBackoffMaxSeconds()), config.throttleMaxEntries()),
                    Duration.ofMinutes(config.auditSummaryMinutes()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Configuration " + PID + ": " + e.getMessage(), e);
        }
    }

    @Deactivate
    void deactivate() {
        flusher.shutdownNow();
        try {
            directory.flushAllFailureAudit();
        } catch (RuntimeException e) {
            LOG.warn("Could not audit the last failed-login counts: {}", e.getMessage());
        }
    }

    @Override
    public Authentication login(String login, char[] password, String client) {
        return directory.login(login, password, client);
    }

    @Override
    public Authentication authenticateApiKey(String apiKey, String client) {
        return directory.authenticateApiKey(apiKey, client);
    }

    @Override
    public void changePassword(String login, char[] currentPassword, char[] newPassword, String client) {
        directory.changePassword(login, currentPassword, newPassword, client);
    }

    @Override
    public List<ApiKey> apiKeys(String login) {
        return directory.apiKeys(login);
    }

    @Override
    public IssuedApiKey createApiKey(String login, ApiKeyScope scope, String label, Instant expiresAt, String actor) {
        return directory.createApiKey(login, scope, label, expiresAt, actor);
    }

    @Override
    public IssuedApiKey rotateApiKey(String login, String keyId, String actor) {
        return directory.rotateApiKey(login, keyId, actor);
    }

    @Override
    public void revokeApiKey(String login, String keyId, String actor) {
        directory.revokeApiKey(login, keyId, actor);
    }

    @Override
    public void createAccount(String login, java.util.Set<String> roles, char[] password, String actor) {
        directory.createAccount(login, roles, password, actor);
    }

    @Override
    public void setDisabled(String login, boolean disabled, String actor) {
        directory.setDisabled(login, disabled, actor);
    }

    @Override
    public List<io.cachet.api.operator.Operator> accounts() {
        return directory.accounts();
    }

    @Override
    public java.util.Set<String> disabledAccounts() {
        return directory.disabledAccounts();
    }

    @Override
    public Opened openSession(String login, char[] password, String client) {
        return directory.openSession(login, password, client);
    }

    @Override
    public java.util.Optional<io.cachet.api.operator.Operator> session(String token) {
        return directory.session(token);
    }

    @Override
    public void closeSession(String token) {
        directory.closeSession(token);
    }
}
