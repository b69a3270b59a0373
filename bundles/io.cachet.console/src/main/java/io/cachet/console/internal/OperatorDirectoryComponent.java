package io.cachet.console.internal;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cachet.api.audit.AuditLog;
import io.cachet.api.operator.Operator;
import io.cachet.api.operator.OperatorDirectory;
import io.cachet.api.operator.OperatorException;
import io.cachet.api.store.Database;
import io.cachet.api.store.StoreException;

/**
 * Publishes the {@link OperatorDirectory} once the database and the audit log are there, and creates the
 * initial administrator on first start.
 */
@Component(name = OperatorDirectoryComponent.PID, service = OperatorDirectory.class, immediate = true)
@Designate(ocd = OperatorDirectoryComponent.Config.class)
public class OperatorDirectoryComponent implements OperatorDirectory {

    static final String PID = "io.cachet.console.operators";
    /** Framework property naming the data directory (shared with the store). */
    static final String DATA_PROPERTY = "cachet.data";
    private static final Logger LOG = LoggerFactory.getLogger(OperatorDirectoryComponent.class);

    @ObjectClassDefinition(name = "Cachet operators", description = "Lockout policy for operator logins.")
    public @interface Config {
        @AttributeDefinition(name = "Failed logins before lock", min = "1",
                description = "Consecutive failed logins after which an account is locked")
        int maxFailedLogins() default 5;

        @AttributeDefinition(name = "Lock duration (minutes)", min = "1",
                description = "How long a locked account refuses every login, even with the right password")
        int lockMinutes() default 15;
    }

    private final JdbcOperatorDirectory directory;

    @Activate
    public OperatorDirectoryComponent(@Reference Database database, @Reference AuditLog audit, BundleContext context,
            Config config) {
        JdbcOperatorDirectory.Settings settings;
        try {
            settings = new JdbcOperatorDirectory.Settings(config.maxFailedLogins(), config.lockMinutes());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Configuration " + PID + ": " + e.getMessage(), e);
        }
        this.directory = new JdbcOperatorDirectory(database, audit, Clock.systemUTC(), settings);
        String data = context.getProperty(DATA_PROPERTY);
        Path dataDir = Path.of(data == null || data.isBlank() ? "cachet-data" : data);
        try {
            new InitialAdmin(database, directory).bootstrapIfEmpty(dataDir);
        } catch (StoreException | OperatorException e) {
            // the directory still works for existing operators; a later restart tries again
            LOG.error("Could not create the initial administrator: {}", e.getMessage(), e);
        }
    }

    @Override
    public Optional<Operator> authenticate(String login, char[] password) {
        return directory.authenticate(login, password);
    }

    @Override
    public Optional<Operator> authenticateApiKey(String apiKey) {
        return directory.authenticateApiKey(apiKey);
    }

    @Override
    public void changePassword(String login, char[] currentPassword, char[] newPassword) {
        directory.changePassword(login, currentPassword, newPassword);
    }
}
