package io.cachet.console.internal;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Optional;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cachet.api.operator.ApiKeyScope;
import io.cachet.api.store.Database;

/**
 * The first administrator: created on first start, when no operator exists, with a random password that
 * must be changed at the first login, and an API key of scope {@code admin} that works only once that password has
 * been changed (so whoever reads the file before the administrator cannot use it, and the administrator's first act
 * is to take the account over). The key can then be rotated or revoked like any other. The credentials go to
 * {@code <data>/initial-admin.txt} (mode 600), never to a log. Cachet ships no default password.
 */
public final class InitialAdmin {

    public static final String FILE_NAME = "initial-admin.txt";
    static final String LOGIN = "admin";
    static final String INITIAL_KEY_LABEL = "initial key (initial-admin.txt)";
    private static final int PASSWORD_LENGTH = 20;
    private static final char[] ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
    private static final Logger LOG = LoggerFactory.getLogger(InitialAdmin.class);

    private final Database database;
    private final JdbcOperatorDirectory directory;
    private final SecureRandom random = new SecureRandom();

    public InitialAdmin(Database database, JdbcOperatorDirectory directory) {
        this.database = database;
        this.directory = directory;
    }

    /**
     * Creates the administrator when there is no operator yet; does nothing otherwise.
     *
     * @return the credentials file written, or empty when nothing was created
     */
    public Optional<Path> bootstrapIfEmpty(Path dataDir) {
        if (!directory.isEmpty()) {
            return Optional.empty();
        }
        Path file = dataDir.resolve(FILE_NAME).toAbsolutePath();
        try {
            // Create the file first, with its final permissions: an administrator whose password nobody can read
            // would lock everyone out, so when the file cannot be created, no administrator is created either.
            Files.createDirectories(file.getParent());
            Files.deleteIfExists(file);
            if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } else {
                Files.createFile(file);
            }
        } catch (IOException e) {
            LOG.error("No operator exists, but the initial administrator was not created: its credentials file {} "
                    + "cannot be created ({}). Make the data directory writable and restart.", file, e.toString());
            return Optional.empty();
        }
        char[] password = randomPassword();
        try {
            String apiKey = database.inTransaction(c -> {
                if (!directory.isEmpty()) {
                    return null; // another node sharing the database was faster
                }
                directory.createOperator(JdbcOperatorDirectory.SYSTEM, LOGIN, Set.of("admin", "operator"),
                        password.clone(), true);
                return directory.createApiKey(LOGIN, ApiKeyScope.ADMIN, INITIAL_KEY_LABEL, null,
                        JdbcOperatorDirectory.SYSTEM).secret();
            });
            if (apiKey == null) {
                Files.deleteIfExists(file);
                return Optional.empty();
            }
            write(file, password, apiKey);
            LOG.warn("Created the initial administrator '{}'. Its password and API key are in {}: change the password "
                    + "at the first console login, then delete that file.", LOGIN, file);
            return Optional.of(file);
        } catch (IOException e) {
            LOG.error("The initial administrator '{}' was created, but its credentials could not be written to {} ({}). "
                    + "Nobody knows its password: fix the data directory, delete the rows of the tables operator_api_key "
                    + "and operator, and restart to get a new administrator.", LOGIN, file, e.toString());
            return Optional.empty();
        } catch (RuntimeException e) {
            deleteQuietly(file);
            throw e;
        } finally {
            JdbcOperatorDirectory.wipe(password);
        }
    }

    private static void write(Path file, char[] password, String apiKey) throws IOException {
        // a Writer takes the char[] as is, so the password never becomes an immutable String
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            w.write("# Cachet initial administrator: change this password at the first console login (the API key "
                    + "works once you have), then delete this file.\n");
            w.write("login=" + LOGIN + "\n");
            w.write("password=");
            w.write(password);
            w.write("\n");
            w.write("api-key=" + apiKey + "\n");
        }
    }

    private char[] randomPassword() {
        char[] pw = new char[PASSWORD_LENGTH];
        for (int i = 0; i < pw.length; i++) {
            pw[i] = ALPHABET[random.nextInt(ALPHABET.length)];
        }
        return pw;
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.debug("Could not delete {}", file, e);
        }
    }
}
