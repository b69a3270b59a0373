package io.cachet.console.internal;

import static io.cachet.api.store.Columns.instant;
import static io.cachet.api.store.Columns.time;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.cachet.api.audit.AuditEvent;
import io.cachet.api.audit.AuditLog;
import io.cachet.api.operator.ApiKey;
import io.cachet.api.operator.ApiKeyScope;
import io.cachet.api.operator.Authentication;
import io.cachet.api.operator.IssuedApiKey;
import io.cachet.api.operator.Operator;
import io.cachet.api.operator.OperatorDirectory;
import io.cachet.api.operator.OperatorException;
import io.cachet.api.security.Digests;
import io.cachet.api.security.RandomTokens;
import io.cachet.api.security.SecretHash;
import io.cachet.api.store.Database;

/**
 * {@link OperatorDirectory} over the {@code operator} tables. Plain Java: the OSGi component only feeds it
 * its services and configuration. Every state change and its audit record share one transaction, so
 * neither is kept without the other.
 *
 * <p>Every check reads the operator's row, so a password change, a disabled account or a revoked or expired key
 * takes effect on the very next request. What is remembered between requests is only that a given password
 * matched a given stored hash (an HMAC under a key that never leaves this object), which spares the PBKDF2 run
 * for the dozen requests a console page makes; a new hash makes it worthless at once.
 */
public final class JdbcOperatorDirectory implements OperatorDirectory, ConsoleSessions {

    /** Throttling and audit of failures. */
    public record Settings(LoginThrottle.Settings throttle, Duration auditSummary) {
        public static final Settings DEFAULTS = new Settings(LoginThrottle.Settings.DEFAULTS, Duration.ofMinutes(5));

        public Settings {
            Objects.requireNonNull(throttle, "throttle");
            if (auditSummary.compareTo(Duration.ofMinutes(1)) < 0) {
                throw new IllegalArgumentException("auditSummaryMinutes must be 1 or more, got " + auditSummary.toMinutes());
            }
        }
    }

    static final int MIN_PASSWORD_LENGTH = PasswordPolicy.MIN_LENGTH;
    static final String SYSTEM = "system";
    static final String API_KEY_PREFIX = "ck_";
    /** Live (neither revoked nor expired) keys an operator may have at once. */
    static final int MAX_LIVE_KEYS = 20;
    static final int MAX_LABEL = 100;
    /** How long a verified password is remembered without use. */
    static final Duration REMEMBER_VERIFIED = Duration.ofMinutes(15);
    private static final int MAX_REMEMBERED = 1_000;
    /** A console session ends after this long without a request, and after {@link #SESSION_MAX} in any case. */
    static final Duration SESSION_IDLE = Duration.ofMinutes(30);
    static final Duration SESSION_MAX = Duration.ofHours(12);
    static final int MAX_SESSIONS = 1_000;

    /** Stored instead of a password hash for accounts that only use API keys; no password verifies against it. */
    static final String API_ONLY = "!api-only";
    private static final Pattern LOGIN = Pattern.compile("[a-z][a-z0-9._-]{1,63}");
    private static final Pattern ROLE = Pattern.compile("[a-z][a-z0-9_-]{0,30}");
    /** Key ids are base32 (no '_'), so the '_' separators stay unambiguous; the secret is base64url. */
    private static final Pattern API_KEY = Pattern.compile("ck_([a-z2-7]{12})_([A-Za-z0-9_-]{43})");
    private static final Pattern KEY_ID = Pattern.compile("[a-z2-7]{12}");
    private static final int API_KEY_LENGTH = 3 + 12 + 1 + 43;
    private static final char[] BASE32 = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();
    private static final String KEY_COLUMNS = "key_id, login, label, scope, created_at, expires_at, rotated_at, revoked_at";

    private final Database database;
    private final AuditLog audit;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final PasswordHasher hasher = new PasswordHasher(random);
    private final LoginThrottle throttle;
    private final FailureAudit failures;
    private final byte[] rememberKey = new byte[32];
    /** HMAC of (login, stored hash, password) → when the memory lapses; access order, bounded. */
    private final LinkedHashMap<String, Instant> verified = new LinkedHashMap<>(64, 0.75f, true);
    /** Console sessions by the SHA-256 of their token; access order, bounded. */
    private final LinkedHashMap<String, Session> sessions = new LinkedHashMap<>(64, 0.75f, true);

    /** A console session: whose, bound to the password hash it was opened with. */
    private record Session(String login, String hashStamp, Instant created, Instant lastSeen) {
    }

    /** Applies the module's migrations, so the tables exist once this returns. */
    public JdbcOperatorDirectory(Database database, AuditLog audit, Clock clock, Settings settings) {
        this.database = Objects.requireNonNull(database, "database");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.clock = Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(settings, "settings");
        this.throttle = new LoginThrottle(settings.throttle());
        this.failures = new FailureAudit(database, audit, clock, settings.auditSummary());
        random.nextBytes(rememberKey);
        database.migrate("console", JdbcOperatorDirectory.class.getClassLoader(), "db/console");
    }

    private record Row(String login, String passwordHash, Set<String> roles, boolean mustChange, boolean disabled) {
        Operator operator() {
            return new Operator(login, roles, mustChange);
        }
    }

    // ---------------------------------------------------------------- passwords

    @Override
    public Authentication login(String login, char[] password, String client) {
        try {
            if (login == null || login.isEmpty() || password == null || password.length == 0) {
                return Authentication.denied("login.missing", "Enter your login and password.");
            }
            Instant now = clock.instant();
            String[] keys = {client == null ? null : LoginThrottle.CLIENT + client, accountKey(login)};
            Duration wait = throttle.waitFor(now, keys);
            if (!wait.isZero()) {
                failures.failure(FailureAudit.Kind.LOGIN, client, "", "login refused", true);
                return Authentication.throttled(wait);
            }
            Optional<Row> found = database.inTransaction(c -> row(c, login, false));
            if (found.isEmpty()) {
                hasher.verifyDummy(password);
                throttle.failure(now, keys);
                // the typed login may be a misplaced password: it stays out of the audit subject
                failures.failure(FailureAudit.Kind.LOGIN, client, "", "unknown login", false);
                return Authentication.denied("login.wrong", "Wrong login or password.");
            }
            Row row = found.get();
            if (row.passwordHash().equals(API_ONLY)) {
                // an account that only uses API keys (a reseller's): no password can open it
                hasher.verifyDummy(password);
                throttle.failure(now, keys);
                failures.failure(FailureAudit.Kind.LOGIN, client, "operator:" + row.login(), "API-only account", false);
                return Authentication.denied("login.wrong", "Wrong login or password.");
            }
            String remembered = rememberKey(row.login(), row.passwordHash(), password);
            boolean fromMemory = recall(remembered, now);
            if (!fromMemory && !hasher.verify(password, row.passwordHash())) {
                throttle.failure(now, keys);
                failures.failure(FailureAudit.Kind.LOGIN, client, "operator:" + row.login(), "wrong password", false);
                return Authentication.denied("login.wrong", "Wrong login or password.");
            }
            if (row.disabled()) {
                // the password was right: no guess, so no back-off, but refused and audited all the same
                failures.failure(FailureAudit.Kind.LOGIN, client, "operator:" + row.login(), "account disabled", false);
                return Authentication.denied("account.disabled", "This operator account is disabled; ask an administrator.");
            }
            throttle.success(keys);
            if (!fromMemory) {
                String hash = row.passwordHash();
                boolean upgrade = SecretHash.needsRehash(hash);
                String newHash = upgrade ? hasher.hash(password) : hash;
                database.inTransaction(c -> {
                    if (upgrade && update(c, "UPDATE operator SET password_hash = ?, updated_at = ? WHERE login = ? "
                            + "AND password_hash = ?", newHash, now, row.login(), hash) == 1) {
                        audit(row.login(), "operator.password.rehashed", "iterations=" + SecretHash.ITERATIONS);
                    }
                    audit(row.login(), "operator.login.succeeded", "client=" + (client == null ? "(unknown)" : client));
                    return null;
                });
                remember(rememberKey(row.login(), newHash, password), now);
            }
            return Authentication.granted(row.operator(), null);
        } finally {
            wipe(password);
        }
    }

    @Override
    public void changePassword(String login, char[] currentPassword, char[] newPassword, String client) {
        try {
            if (login == null || login.isBlank() || currentPassword == null || newPassword == null) {
                throw new OperatorException(OperatorException.Reason.INVALID, "password.fields-missing",
                        "Enter your login, your current password and a new password.");
            }
            Instant now = clock.instant();
            String[] keys = {client == null ? null : LoginThrottle.CLIENT + client, accountKey(login)};
            Duration wait = throttle.waitFor(now, keys);
            if (!wait.isZero()) {
                failures.failure(FailureAudit.Kind.LOGIN, client, "", "password change refused", true);
                Authentication throttled = Authentication.throttled(wait);
                throw new OperatorException(OperatorException.Reason.INVALID, "throttled", throttled.message(),
                        Long.toString(throttled.retryAfter().toSeconds()));
            }
            PasswordPolicy.check(login, currentPassword, newPassword);
            Optional<Row> found = database.inTransaction(c -> row(c, login, false));
            if (found.isEmpty()) {
                hasher.verifyDummy(currentPassword);
                throttle.failure(now, keys);
                failures.failure(FailureAudit.Kind.LOGIN, client, "", "unknown login (password change)", false);
                throw new OperatorException(OperatorException.Reason.INVALID, "password.current-wrong",
                        "The current password is wrong.");
            }
            Row row = found.get();
            if (!hasher.verify(currentPassword, row.passwordHash())) {
                throttle.failure(now, keys);
                failures.failure(FailureAudit.Kind.LOGIN, client, "operator:" + row.login(),
                        "wrong current password (password change)", false);
                throw new OperatorException(OperatorException.Reason.INVALID, "password.current-wrong",
                        "The current password is wrong.");
            }
            if (row.disabled()) {
                throw new OperatorException(OperatorException.Reason.INVALID, "account.disabled",
                        "This operator account is disabled; ask an administrator.");
            }
            String hash = hasher.hash(newPassword);
            database.inTransaction(c -> {
                update(c, "UPDATE operator SET password_hash = ?, must_change_password = FALSE, updated_at = ? "
                        + "WHERE login = ?", hash, now, row.login());
                audit(row.login(), "operator.password.changed", "");
                return null;
            });
            throttle.success(keys);
        } finally {
            wipe(currentPassword);
            wipe(newPassword);
        }
    }

    /**
     * Disables or enables an operator (joins the caller's transaction). A disabled operator's password and keys are
     * refused from the next request on.
     *
     * @return false when there is no such operator
     */
    public boolean setDisabled(String actor, String login, boolean disabled) {
        Instant now = clock.instant();
        return database.inTransaction(c -> {
            int n = update(c, "UPDATE operator SET disabled_at = ?, updated_at = ? WHERE login = ?",
                    disabled ? now : null, now, login);
            if (n > 0) {
                audit.append(AuditEvent.of(actor, disabled ? "operator.disabled" : "operator.enabled",
                        "operator:" + login, ""));
            }
            return n > 0;
        });
    }

    // ---------------------------------------------------------------- console sessions

    @Override
    public Opened openSession(String login, char[] password, String client) {
        Authentication a = login(login, password, client);
        if (!a.granted() || a.operator().mustChangePassword()) {
            return new Opened(a, null);
        }
        Optional<Row> row = database.inTransaction(c -> row(c, a.operator().login(), false));
        if (row.isEmpty()) {
            return new Opened(Authentication.denied("login.wrong", "Wrong login or password."), null);
        }
        String token = RandomTokens.urlSafe(random, 32);
        Instant now = clock.instant();
        synchronized (sessions) {
            if (sessions.size() >= MAX_SESSIONS) {
                sessions.values().removeIf(x -> expired(x, now));
                var eldest = sessions.keySet().iterator();
                while (sessions.size() >= MAX_SESSIONS && eldest.hasNext()) {
                    eldest.next();
                    eldest.remove();
                }
            }
            sessions.put(Digests.sha256Hex((token)),
                    new Session(row.get().login(), stamp(row.get().passwordHash()), now, now));
        }
        return new Opened(a, token);
    }

    @Override
    public Optional<Operator> session(String token) {
        if (token == null || token.length() != 43) {
            return Optional.empty();
        }
        String id = Digests.sha256Hex((token));
        Instant now = clock.instant();
        Session s;
        synchronized (sessions) {
            s = sessions.get(id);
            if (s == null || expired(s, now)) {
                sessions.remove(id);
                return Optional.empty();
            }
        }
        Optional<Row> row = database.inTransaction(c -> row(c, s.login(), false));
        if (row.isEmpty() || row.get().disabled() || row.get().mustChange()
                || !MessageDigest.isEqual(stamp(row.get().passwordHash()).getBytes(StandardCharsets.US_ASCII),
                        s.hashStamp().getBytes(StandardCharsets.US_ASCII))) {
            // a new password (even the same one rehashed elsewhere) or a disabled account ends every session
            synchronized (sessions) {
                sessions.remove(id);
            }
            return Optional.empty();
        }
        synchronized (sessions) {
            sessions.computeIfPresent(id, (k, v) -> new Session(v.login(), v.hashStamp(), v.created(), now));
        }
        return Optional.of(row.get().operator());
    }

    @Override
    public void closeSession(String token) {
        if (token != null && token.length() == 43) {
            synchronized (sessions) {
                sessions.remove(Digests.sha256Hex((token)));
            }
        }
    }

    int sessionCount() {
        synchronized (sessions) {
            return sessions.size();
        }
    }

    private static boolean expired(Session s, Instant now) {
        return !now.isBefore(s.lastSeen().plus(SESSION_IDLE)) || !now.isBefore(s.created().plus(SESSION_MAX));
    }

    /** A fingerprint of a stored password hash, so that a session ends when the password changes. */
    private String stamp(String passwordHash) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(rememberKey, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(("session\0" + passwordHash).getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("This Java runtime lacks HmacSHA256", e);
        }
    }

    // ---------------------------------------------------------------- API keys

    @Override
    public Authentication authenticateApiKey(String apiKey, String client) {
        Instant now = clock.instant();
        String clientKey = client == null ? null : LoginThrottle.CLIENT + client;
        Matcher m = apiKey == null || apiKey.length() != API_KEY_LENGTH ? null : API_KEY.matcher(apiKey);
        String keyId = m != null && m.matches() ? m.group(1) : null;
        String idKey = keyId == null ? null : LoginThrottle.API_KEY + keyId;
        Duration wait = throttle.waitFor(now, clientKey, idKey);
        if (!wait.isZero()) {
            failures.failure(FailureAudit.Kind.API_KEY, client, keyId == null ? "" : "apikey:" + keyId,
                    "key refused", true);
            return Authentication.throttled(wait);
        }
        String unusable = "The API key is not valid (unknown, revoked, expired or malformed).";
        if (keyId == null) {
            throttle.failure(now, clientKey);
            failures.failure(FailureAudit.Kind.API_KEY, client, "", "malformed key", false);
            return Authentication.denied(unusable);
        }
        byte[] presented = Digests.sha256(m.group(2));
        record Found(ApiKey key, String secretHash, Set<String> roles, boolean mustChange, boolean disabled) {
        }
        // one statement at every API request: read without a transaction (one round trip to PostgreSQL, not two)
        Optional<Found> found = database.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT k.key_id, k.login, k.label, k.scope, k.created_at, "
                    + "k.expires_at, k.rotated_at, k.revoked_at, k.secret_hash, o.roles, o.must_change_password, "
                    + "o.disabled_at FROM operator_api_key k JOIN operator o ON o.login = k.login WHERE k.key_id = ?")) {
                ps.setString(1, keyId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(new Found(key(rs), rs.getString(9), roles(rs.getString(10)),
                            rs.getBoolean(11), rs.getObject(12, OffsetDateTime.class) != null)) : Optional.empty();
                }
            }
        });
        if (found.isEmpty()) {
            throttle.failure(now, clientKey);
            failures.failure(FailureAudit.Kind.API_KEY, client, "", "unknown key", false);
            return Authentication.denied(unusable);
        }
        Found f = found.get();
        if (!MessageDigest.isEqual(presented, HexFormat.of().parseHex(f.secretHash()))) {
            throttle.failure(now, clientKey, idKey);
            failures.failure(FailureAudit.Kind.API_KEY, client, "apikey:" + keyId, "wrong secret", false);
            return Authentication.denied(unusable);
        }
        // the secret was right from here on: no guess, so no back-off; still refused and audited in bursts
        switch (f.key().status(now)) {
            case REVOKED -> {
                failures.failure(FailureAudit.Kind.API_KEY, client, "apikey:" + keyId, "revoked key", false);
                return Authentication.denied("This API key was revoked on " + f.key().revokedAt()
                        + "; use another key or create one.");
            }
            case EXPIRED -> {
                failures.failure(FailureAudit.Kind.API_KEY, client, "apikey:" + keyId, "expired key", false);
                return Authentication.denied("This API key expired on " + f.key().expiresAt()
                        + "; use another key or create one.");
            }
            case ACTIVE -> { }
        }
        if (f.disabled()) {
            failures.failure(FailureAudit.Kind.API_KEY, client, "apikey:" + keyId, "account disabled", false);
            return Authentication.denied("The operator account of this API key is disabled; ask an administrator.");
        }
        if (f.mustChange()) {
            return new Authentication(Authentication.Status.PASSWORD_CHANGE_REQUIRED, null, f.key(), Duration.ZERO,
                    "The API keys of '" + f.key().login() + "' work once the password someone else chose for this "
                            + "account is replaced: log in at /system/console or go to /console/password.");
        }
        throttle.success(idKey);
        // successes are not audited: integrations call with their key on every request, and what they change
        // is audited by the service they call
        return Authentication.granted(new Operator(f.key().login(), f.key().scope().limit(f.roles()), false), f.key());
    }

    @Override
    public List<ApiKey> apiKeys(String login) {
        return database.inTransaction(c -> {
            List<ApiKey> keys = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT " + KEY_COLUMNS + " FROM operator_api_key "
                    + "WHERE login = ? ORDER BY created_at DESC, key_id")) {
                ps.setString(1, login);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        keys.add(key(rs));
                    }
                }
            }
            return keys;
        });
    }

    @Override
    public IssuedApiKey createApiKey(String login, ApiKeyScope scope, String label, Instant expiresAt, String actor) {
        Objects.requireNonNull(scope, "scope");
        Instant now = clock.instant();
        String cleanLabel = label(label);
        if (expiresAt != null && !expiresAt.isAfter(now)) {
            throw new OperatorException(OperatorException.Reason.INVALID, "apikey.expiry-past",
                    "The expiry " + expiresAt + " is not in the future; give a later date or none.", expiresAt.toString());
        }
        char[] id = new char[12];
        for (int i = 0; i < id.length; i++) {
            id[i] = BASE32[random.nextInt(BASE32.length)];
        }
        String keyId = new String(id);
        String secret = newSecret();
        database.inTransaction(c -> {
            Row row = row(c, login, true).orElseThrow(() -> new OperatorException(OperatorException.Reason.NOT_FOUND,
                    "operator.not-found", "There is no operator " + login + ".", login));
            if (!scope.allowedFor(row.roles())) {
                throw new OperatorException(OperatorException.Reason.INVALID, "apikey.scope-not-allowed", "A key of scope '"
                        + scope.id() + "' needs a role this operator does not have; choose a narrower scope ("
                        + allowedScopes(row.roles()) + ").", scope.id(), allowedScopes(row.roles()));
            }
            int live = 0;
            for (ApiKey k : apiKeys(login)) {
                live += k.status(now) == ApiKey.Status.ACTIVE ? 1 : 0;
            }
            if (live >= MAX_LIVE_KEYS) {
                throw new OperatorException(OperatorException.Reason.INVALID, "apikey.too-many", "This operator already has "
                        + live + " live API keys, the most allowed; revoke one first.", Integer.toString(live));
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO operator_api_key (key_id, login, secret_hash, "
                    + "label, scope, created_at, expires_at, rotated_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?, ?, NULL, NULL)")) {
                ps.setString(1, keyId);
                ps.setString(2, login);
                ps.setString(3, Digests.sha256Hex((secret)));
                ps.setString(4, cleanLabel);
                ps.setString(5, scope.id());
                ps.setObject(6, time(now));
                ps.setObject(7, expiresAt == null ? null : time(expiresAt));
                ps.executeUpdate();
            }
            audit.append(AuditEvent.of(actor, "operator.apikey.created", "apikey:" + keyId, "login=" + login
                    + " scope=" + scope.id() + " expires=" + (expiresAt == null ? "never" : expiresAt)));
            return null;
        });
        return new IssuedApiKey(new ApiKey(keyId, login, cleanLabel, scope, now, expiresAt, null, null),
                API_KEY_PREFIX + keyId + "_" + secret);
    }

    @Override
    public IssuedApiKey rotateApiKey(String login, String keyId, String actor) {
        Instant now = clock.instant();
        String secret = newSecret();
        ApiKey rotated = database.inTransaction(c -> {
            ApiKey key = ownKey(c, login, keyId);
            if (key.status(now) != ApiKey.Status.ACTIVE) {
                String status = key.status(now).name().toLowerCase(Locale.ROOT);
                throw new OperatorException(OperatorException.Reason.CONFLICT, "apikey.rotate-" + status, "The API key "
                        + keyId + " is " + status + ": it cannot be rotated; create a new one.", keyId);
            }
            update(c, "UPDATE operator_api_key SET secret_hash = ?, rotated_at = ? WHERE key_id = ? AND revoked_at IS NULL",
                    Digests.sha256Hex((secret)), now, keyId);
            audit.append(AuditEvent.of(actor, "operator.apikey.rotated", "apikey:" + keyId, "login=" + login));
            return new ApiKey(key.id(), key.login(), key.label(), key.scope(), key.createdAt(), key.expiresAt(), now, null);
        });
        return new IssuedApiKey(rotated, API_KEY_PREFIX + keyId + "_" + secret);
    }

    @Override
    public void revokeApiKey(String login, String keyId, String actor) {
        Instant now = clock.instant();
        database.inTransaction(c -> {
            ApiKey key = ownKey(c, login, keyId);
            if (key.revokedAt() != null) {
                throw new OperatorException(OperatorException.Reason.CONFLICT, "apikey.already-revoked", "The API key "
                        + keyId + " was already revoked on " + key.revokedAt() + ".", keyId, key.revokedAt().toString());
            }
            update(c, "UPDATE operator_api_key SET revoked_at = ? WHERE key_id = ? AND revoked_at IS NULL", now, keyId);
            audit.append(AuditEvent.of(actor, "operator.apikey.revoked", "apikey:" + keyId, "login=" + login));
            return null;
        });
    }

    /** Revokes a key by its id whoever owns it (joins the caller's transaction). @return false when there was no such live key */
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

    // ---------------------------------------------------------------- operators

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
        if (password == null) {
            throw new OperatorException(OperatorException.Reason.INVALID, "password.required", "A password is required.");
        }
        insertAccount(actor, login, roles, password, mustChange);
    }

    @Override
    public void createAccount(String login, Set<String> roles, char[] password, String actor) {
        insertAccount(actor, login, roles, password, password != null);
    }

    @Override
    public void setDisabled(String login, boolean disabled, String actor) {
        if (!setDisabled(actor, login, disabled)) {
            throw new OperatorException(OperatorException.Reason.NOT_FOUND, "operator.not-found",
                    "There is no operator " + login + ".", login);
        }
    }

    @Override
    public List<Operator> accounts() {
        return database.inTransaction(c -> {
            List<Operator> all = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT login, roles, must_change_password FROM operator "
                    + "ORDER BY login"); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    all.add(new Operator(rs.getString(1), roles(rs.getString(2)), rs.getBoolean(3)));
                }
            }
            return all;
        });
    }

    @Override
    public Set<String> disabledAccounts() {
        return database.inTransaction(c -> {
            Set<String> disabled = new TreeSet<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT login FROM operator WHERE disabled_at IS NOT NULL");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    disabled.add(rs.getString(1));
                }
            }
            return disabled;
        });
    }

    /** @param password null for an account that only uses API keys */
    private void insertAccount(String actor, String login, Set<String> roles, char[] password, boolean mustChange) {
        try {
            if (login == null || !LOGIN.matcher(login).matches()) {
                throw new OperatorException(OperatorException.Reason.INVALID, "login.format", "A login has 2 to 64 characters: "
                        + "lower-case letters, digits, '.', '_', '-', starting with a letter.");
            }
            for (String role : roles) {
                if (!ROLE.matcher(role).matches()) {
                    throw new OperatorException(OperatorException.Reason.INVALID, "role.invalid", "Invalid role name: " + role, role);
                }
            }
            String hash;
            if (password == null) {
                hash = API_ONLY;
            } else {
                PasswordPolicy.check(login, null, password);
                hash = hasher.hash(password);
            }
            String roleList = String.join(",", new TreeSet<>(roles));
            Instant now = clock.instant();
            database.inTransaction(c -> {
                if (row(c, login, true).isPresent()) {
                    throw new OperatorException(OperatorException.Reason.CONFLICT, "login.taken", "The login " + login + " is taken.",
                            login);
                }
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO operator (login, password_hash, roles, "
                        + "must_change_password, disabled_at, created_at, updated_at) VALUES (?, ?, ?, ?, NULL, ?, ?)")) {
                    ps.setString(1, login);
                    ps.setString(2, hash);
                    ps.setString(3, roleList);
                    ps.setBoolean(4, mustChange);
                    ps.setObject(5, time(now));
                    ps.setObject(6, time(now));
                    ps.executeUpdate();
                }
                audit.append(AuditEvent.of(actor, "operator.created", "operator:" + login,
                        "roles=" + roleList + " mustChangePassword=" + mustChange));
                return null;
            });
        } finally {
            if (password != null) {
                wipe(password);
            }
        }
    }

    /** Records the counts of failure bursts that ended or are due a summary; the component runs it periodically. */
    public void flushFailureAudit() {
        failures.flush();
    }

    /** Records every pending failure count; at deactivation. */
    public void flushAllFailureAudit() {
        failures.flushAll();
    }

    int throttleEntries() {
        return throttle.size();
    }

    // ---------------------------------------------------------------- helpers

    private static String accountKey(String login) {
        return LoginThrottle.ACCOUNT + login.toLowerCase(Locale.ROOT);
    }

    private String newSecret() {
        return RandomTokens.urlSafe(random, 32);
    }

    private ApiKey ownKey(Connection c, String login, String keyId) throws SQLException {
        if (keyId == null || !KEY_ID.matcher(keyId).matches()) {
            throw new OperatorException(OperatorException.Reason.INVALID, "apikey.id-format",
                    "'" + shorten(keyId) + "' is not an API key id (12 characters a-z, 2-7).", shorten(keyId));
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT " + KEY_COLUMNS + " FROM operator_api_key "
                + "WHERE key_id = ? AND login = ? FOR UPDATE")) {
            ps.setString(1, keyId);
            ps.setString(2, login);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new OperatorException(OperatorException.Reason.NOT_FOUND, "apikey.not-found",
                            "You have no API key " + keyId + ".", keyId);
                }
                return key(rs);
            }
        }
    }

    private static String shorten(String s) {
        return s == null ? "" : s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }

    private static String label(String label) {
        String l = label == null ? "" : label.strip();
        if (l.length() > MAX_LABEL) {
            throw new OperatorException(OperatorException.Reason.INVALID, "apikey.label-too-long",
                    "A key label has at most " + MAX_LABEL + " characters.", Integer.toString(MAX_LABEL));
        }
        for (int i = 0; i < l.length(); i++) {
            char ch = l.charAt(i);
            if (Character.isISOControl(ch) || Character.getType(ch) == Character.FORMAT) {
                throw new OperatorException(OperatorException.Reason.INVALID, "apikey.label-characters",
                        "A key label may not contain control or formatting characters.");
            }
        }
        return l;
    }

    private static String allowedScopes(Set<String> roles) {
        List<String> ids = new ArrayList<>();
        for (ApiKeyScope s : ApiKeyScope.values()) {
            if (s.allowedFor(roles)) {
                ids.add(s.id());
            }
        }
        return String.join(", ", ids);
    }

    private static ApiKey key(ResultSet rs) throws SQLException {
        return new ApiKey(rs.getString(1), rs.getString(2), rs.getString(3),
                ApiKeyScope.parse(rs.getString(4)).orElse(ApiKeyScope.READ), instant(rs, 5), instant(rs, 6),
                instant(rs, 7), instant(rs, 8));
    }

    private boolean recall(String key, Instant now) {
        synchronized (verified) {
            Instant until = verified.get(key);
            if (until != null && now.isBefore(until)) {
                verified.put(key, now.plus(REMEMBER_VERIFIED));
                return true;
            }
            verified.remove(key);
            return false;
        }
    }

    private void remember(String key, Instant now) {
        synchronized (verified) {
            if (verified.size() >= MAX_REMEMBERED) {
                verified.values().removeIf(until -> !now.isBefore(until));
                var eldest = verified.keySet().iterator();
                while (verified.size() >= MAX_REMEMBERED && eldest.hasNext()) {
                    eldest.next();
                    eldest.remove();
                }
            }
            verified.put(key, now.plus(REMEMBER_VERIFIED));
        }
    }

    /** HMAC-SHA256 under this object's random key of the login, the stored hash and the password. */
    private String rememberKey(String login, String storedHash, char[] password) {
        ByteBuffer pw = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
        byte[] bytes = new byte[pw.remaining()];
        pw.get(bytes);
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(rememberKey, "HmacSHA256"));
            mac.update(login.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
            mac.update(storedHash.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
            mac.update(bytes);
            return HexFormat.of().formatHex(mac.doFinal());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("This Java runtime lacks HmacSHA256", e);
        } finally {
            Arrays.fill(bytes, (byte) 0);
            if (pw.hasArray()) {
                Arrays.fill(pw.array(), (byte) 0);
            }
        }
    }

    private void audit(String login, String action, String details) {
        audit.append(AuditEvent.of("operator:" + login, action, "operator:" + login, details));
    }

    private static Optional<Row> row(Connection c, String login, boolean forUpdate) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT login, password_hash, roles, must_change_password, "
                + "disabled_at FROM operator WHERE login = ?" + (forUpdate ? " FOR UPDATE" : ""))) {
            ps.setString(1, login);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Row(rs.getString(1), rs.getString(2), roles(rs.getString(3)), rs.getBoolean(4),
                        rs.getObject(5, OffsetDateTime.class) != null));
            }
        }
    }

    private static int update(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                if (args[i] == null) {
                    ps.setObject(i + 1, null, java.sql.Types.TIMESTAMP_WITH_TIMEZONE);
                } else {
                    ps.setObject(i + 1, args[i] instanceof Instant t ? time(t) : args[i]);
                }
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


    static void wipe(char[] secret) {
        if (secret != null) {
            Arrays.fill(secret, '\0');
        }
    }
}
