package io.cachet.console.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.cachet.api.audit.AuditEvent;
import io.cachet.api.audit.AuditLog;
import io.cachet.api.operator.Operator;
import io.cachet.api.operator.OperatorDirectory;
import io.cachet.api.operator.OperatorException;
import io.cachet.api.store.Database;

/**
 * {@link OperatorDirectory} over the {@code operator} tables. Plain Java: the OSGi component only feeds it
 * its services and configuration. Every state change and its audit records share one transaction, so
 * neither is kept without the other.
 */
public final class JdbcOperatorDirectory implements OperatorDirectory {

    /** Lockout policy. */
    public record Settings(int maxFailedLogins, int lockMinutes) {
        public static final Settings DEFAULTS = new Settings(5, 15);

        public Settings {
            if (maxFailedLogins < 1) {
                throw new IllegalArgumentException("maxFailedLogins must be 1 or more, got " + maxFailedLogins);
            }
            if (lockMinutes < 1) {
                throw new IllegalArgumentException("lockMinutes must be 1 or more, got " + lockMinutes);
            }
        }
    }

    static final int MIN_PASSWORD_LENGTH = 12;
    static final String SYSTEM = "system";
    static final String API_KEY_PREFIX = "ck_";

    private static final Pattern LOGIN = Pattern.compile("[a-z][a-z0-9._-]{1,63}");
    private static final Pattern ROLE = Pattern.compile("[a-z][a-z0-9_]{0,30}");
    /** Key ids are base32 (no '_'), so the '_' separators stay unambiguous; the secret is base64url. */
    private static final Pattern API_KEY = Pattern.compile("ck_([a-z2-7]{12})_([A-Za-z0-9_-]{43})");
    private static final int API_KEY_LENGTH = 3 + 12 + 1 + 43;
    private static final char[] BASE32 = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();

    private final Database database;
    private final AuditLog audit;
    private final Clock clock;
    private final Settings settings;
    private final SecureRandom random = new SecureRandom();
    private final PasswordHasher hasher = new PasswordHasher(random);

    /** Applies the module's migrations, so the tables exist once this returns. */
    public JdbcOperatorDirectory(Database database, AuditLog audit, Clock clock, Settings settings) {
        this.database = Objects.requireNonNull(database, "database");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.settings = Objects.requireNonNull(settings, "settings");
        database.migrate("console", JdbcOperatorDirectory.class.getClassLoader(), "db/console");
    }

    private record Row(String login, String passwordHash, Set<String> roles, boolean mustChange, int failedLogins,
            Instant lockedUntil) {
        boolean lockedAt(Instant now) {
            return lockedUntil != null && now.isBefore(lockedUntil);
        }

        Operator operator() {
            return new Operator(login, roles, mustChange);
        }
    }

    private enum Outcome { CHANGED, WRONG_PASSWORD, LOCKED }

    @Override
    public Optional<Operator> authenticate(String login, char[] password) {
        try {
            if (login == null || login.isEmpty() || password == null) {
                return Optional.empty();
            }
            Instant now = clock.instant();
            return database.inTransaction(c -> {
                Optional<Row> found = lockRow(c, login);
                if (found.isEmpty()) {
                    hasher.verifyDummy(password);
                    // the typed login may be a misplaced password: it stays out of the audit subject
                    audit.append(AuditEvent.of(SYSTEM, "operator.login.failed", "", "unknown login"));
                    return Optional.empty();
                }
                Row row = found.get();
                if (row.lockedAt(now)) {
                    audit(row.login(), "operator.login.refused", "locked until " + row.lockedUntil());
                    return Optional.empty();
                }
                if (!hasher.verify(password, row.passwordHash())) {
                    recordFailure(c, row, now);
                    return Optional.empty();
                }
                if (row.failedLogins() != 0 || row.lockedUntil() != null) {
                    update(c, "UPDATE operator SET failed_logins = 0, locked_until = NULL, updated_at = ? WHERE login = ?",
                            now, row.login());
                }
                audit(row.login(), "operator.login.succeeded", "");
                return Optional.of(row.operator());
            });
        } finally {
            wipe(password);
        }
    }

    @Override
    public void changePassword(String login, char[] currentPassword, char[] newPassword) {
        try {
            if (login == null || login.isBlank() || currentPassword == null || newPassword == null) {
                throw new OperatorException("Enter your login, your current password and a new password.");
            }
            checkPolicy(login, currentPassword, newPassword);
            Instant now = clock.instant();
            // the failure count must be committed even though the caller gets an exception: decide inside the
            // transaction, throw after it
            Outcome outcome = database.inTransaction(c -> {
                Optional<Row> found = lockRow(c, login);
                if (found.isEmpty()) {
                    hasher.verifyDummy(currentPassword);
                    audit.append(AuditEvent.of(SYSTEM, "operator.login.failed", "", "unknown login"));
                    return Outcome.WRONG_PASSWORD;
                }
                Row row = found.get();
                if (row.lockedAt(now)) {
                    audit(row.login(), "operator.login.refused", "locked until " + row.lockedUntil());
                    return Outcome.LOCKED;
                }
                if (!hasher.verify(currentPassword, row.passwordHash())) {
                    recordFailure(c, row, now);
                    return Outcome.WRONG_PASSWORD;
                }
                update(c, "UPDATE operator SET password_hash = ?, must_change_password = FALSE, failed_logins = 0, "
                        + "locked_until = NULL, updated_at = ? WHERE login = ?", hasher.hash(newPassword), now, row.login());
                audit(row.login(), "operator.password.changed", "");
                return Outcome.CHANGED;
            });
            switch (outcome) {
                case WRONG_PASSWORD -> throw new OperatorException("The current password is wrong.");
                case LOCKED -> throw new OperatorException("This account is locked after too many failed logins; "
                        + "try again in " + settings.lockMinutes() + " minutes.");
                case CHANGED -> { }
            }
        } finally {
            wipe(currentPassword);
            wipe(newPassword);
        }
    }

    @Override
    public Optional<Operator> authenticateApiKey(String apiKey) {
        if (apiKey == null || apiKey.length() != API_KEY_LENGTH) {
            return Optional.empty();
        }
        Matcher m = API_KEY.matcher(apiKey);
        if (!m.matches()) {
            return Optional.empty();
        }
        String keyId = m.group(1);
        byte[] presented = sha256(m.group(2));
        // successes are not audited: integrations call with their key on every request, and what they change
        // is audited by the service they call
        return database.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT k.secret_hash, k.revoked_at, o.login, o.roles, "
                    + "o.must_change_password FROM operator_api_key k JOIN operator o ON o.login = k.login "
                    + "WHERE k.key_id = ?")) {
                ps.setString(1, keyId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        audit.append(AuditEvent.of(SYSTEM, "operator.apikey.failed", "apikey:" + keyId, "unknown key"));
                        return Optional.empty();
                    }
                    String login = rs.getString(3);
                    boolean revoked = rs.getObject(2, OffsetDateTime.class) != null;
                    if (!MessageDigest.isEqual(presented, HexFormat.of().parseHex(rs.getString(1))) || revoked) {
                        audit.append(AuditEvent.of("operator:" + login, "operator.apikey.failed", "apikey:" + keyId,
                                revoked ? "revoked" : "wrong secret"));
                        return Optional.empty();
                    }
                    return Optional.of(new Operator(login, roles(rs.getString(4)), rs.getBoolean(5)));
                }
            }
        });
    }

    /** Whether no operator exists yet (joins the caller's transaction). */
    public boolean isEmpty() {
        return database.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM operator");
                    ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1) == 0;
            }
        });
    }

    /**
     * Creates an operator (joins the caller's transaction). The password is checked against the policy and
     * wiped.
     *
     * @param actor who does it, for the audit log
     * @throws OperatorException when the login is taken or invalid or the password breaks the policy
     */
    public void createOperator(String actor, String login, Set<String> roles, char[] password, boolean mustChange) {
        try {
            if (login == null || !LOGIN.matcher(login).matches()) {
                throw new OperatorException("A login has 2 to 64 characters: lower-case letters, digits, '.', '_', '-', "
                        + "starting with a letter.");
            }
            for (String role : roles) {
                if (!ROLE.matcher(role).matches()) {
                    throw new OperatorException("Invalid role name: " + role);
                }
            }
            checkPolicy(login, null, password);
            String hash = hasher.hash(password);
            String roleList = String.join(",", new TreeSet<>(roles));
            Instant now = clock.instant();
            database.inTransaction(c -> {
                if (lockRow(c, login).isPresent()) {
                    throw new OperatorException("The login " + login + " is taken.");
                }
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO operator (login, password_hash, roles, "
                        + "must_change_password, failed_logins, locked_until, created_at, updated_at) "
                        + "VALUES (?, ?, ?, ?, 0, NULL, ?, ?)")) {
                    ps.setString(1, login);
                    ps.setString(2, hash);
                    ps.setString(3, roleList);
                    ps.setBoolean(4, mustChange);
                    ps.setObject(5, utc(now));
                    ps.setObject(6, utc(now));
                    ps.executeUpdate();
                }
                audit.append(AuditEvent.of(actor, "operator.created", "operator:" + login,
                        "roles=" + roleList + " mustChangePassword=" + mustChange));
                return null;
            });
        } finally {
            wipe(password);
        }
    }

    /**
     * Creates an API key for {@code login} (joins the caller's transaction).
     *
     * @return the key, {@code ck_<keyId>_<secret>}: shown once, only its secret's digest is stored
     */
    public String createApiKey(String actor, String login) {
        char[] id = new char[12];
        for (int i = 0; i < id.length; i++) {
            id[i] = BASE32[random.nextInt(BASE32.length)];
        }
        String keyId = new String(id);
        byte[] secretBytes = new byte[32];
        random.nextBytes(secretBytes);
        String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(secretBytes);
        Arrays.fill(secretBytes, (byte) 0);
        Instant now = clock.instant();
        database.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO operator_api_key (key_id, login, secret_hash, "
                    + "created_at, revoked_at) VALUES (?, ?, ?, ?, NULL)")) {
                ps.setString(1, keyId);
                ps.setString(2, login);
                ps.setString(3, HexFormat.of().formatHex(sha256(secret)));
                ps.setObject(4, utc(now));
                ps.executeUpdate();
            }
            audit.append(AuditEvent.of(actor, "operator.apikey.created", "apikey:" + keyId, "login=" + login));
            return null;
        });
        return API_KEY_PREFIX + keyId + "_" + secret;
    }

    /** Revokes a key by its id (joins the caller's transaction). @return false when there was no such live key */
    public boolean revokeApiKey(String actor, String keyId) {
        Instant now = clock.instant();
        return database.inTransaction(c -> {
            int n = update(c, "UPDATE operator_api_key SET revoked_at = ? WHERE key_id = ? AND revoked_at IS NULL",
                    now, keyId);
            if (n > 0) {
                audit.append(AuditEvent.of(actor, "operator.apikey.revoked", "apikey:" + keyId, ""));
            }
            return n > 0;
        });
    }

    /** The key id part of an API key, for revoking it; empty when malformed. */
    static Optional<String> keyIdOf(String apiKey) {
        Matcher m = apiKey == null ? null : API_KEY.matcher(apiKey);
        return m != null && m.matches() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /** The policy every new password must meet; the messages tell the operator what to do. */
    static void checkPolicy(String login, char[] currentPassword, char[] newPassword) {
        if (newPassword == null || newPassword.length < MIN_PASSWORD_LENGTH) {
            throw new OperatorException("Choose a new password of at least " + MIN_PASSWORD_LENGTH + " characters.");
        }
        if (equalsIgnoreCase(newPassword, login)) {
            throw new OperatorException("The new password must not be your login; choose another one.");
        }
        if (currentPassword != null && Arrays.equals(newPassword, currentPassword)) {
            throw new OperatorException("The new password must differ from the current one.");
        }
    }

    private void recordFailure(Connection c, Row row, Instant now) throws SQLException {
        int failures = row.failedLogins() + 1;
        if (failures >= settings.maxFailedLogins()) {
            // the counter restarts so that after the lock the operator has the full number of attempts again
            Instant until = now.plus(Duration.ofMinutes(settings.lockMinutes()));
            update(c, "UPDATE operator SET failed_logins = 0, locked_until = ?, updated_at = ? WHERE login = ?",
                    until, now, row.login());
            audit(row.login(), "operator.login.failed", "failed_logins=" + failures);
            audit(row.login(), "operator.locked", "until " + until);
        } else {
            update(c, "UPDATE operator SET failed_logins = ?, updated_at = ? WHERE login = ?", failures, now, row.login());
            audit(row.login(), "operator.login.failed", "failed_logins=" + failures);
        }
    }

    private void audit(String login, String action, String details) {
        audit.append(AuditEvent.of("operator:" + login, action, "operator:" + login, details));
    }

    /** Reads and row-locks an operator, so concurrent logins count failures one after the other. */
    private static Optional<Row> lockRow(Connection c, String login) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT login, password_hash, roles, must_change_password, "
                + "failed_logins, locked_until FROM operator WHERE login = ? FOR UPDATE")) {
            ps.setString(1, login);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                OffsetDateTime locked = rs.getObject(6, OffsetDateTime.class);
                return Optional.of(new Row(rs.getString(1), rs.getString(2), roles(rs.getString(3)), rs.getBoolean(4),
                        rs.getInt(5), locked == null ? null : locked.toInstant()));
            }
        }
    }

    private static int update(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i] instanceof Instant t ? utc(t) : args[i]);
            }
            return ps.executeUpdate();
        }
    }

    private static Set<String> roles(String csv) {
        Set<String> roles = new LinkedHashSet<>();
        for (String r : csv.split(",")) {
            if (!r.isBlank()) {
                roles.add(r.trim());
            }
        }
        return roles;
    }

    private static OffsetDateTime utc(Instant t) {
        return OffsetDateTime.ofInstant(t, ZoneOffset.UTC);
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("This Java runtime lacks SHA-256", e);
        }
    }

    private static boolean equalsIgnoreCase(char[] a, String b) {
        if (b == null || a.length != b.length()) {
            return false;
        }
        for (int i = 0; i < a.length; i++) {
            if (Character.toLowerCase(a[i]) != Character.toLowerCase(b.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    static void wipe(char[] secret) {
        if (secret != null) {
            Arrays.fill(secret, '\0');
        }
    }
}
