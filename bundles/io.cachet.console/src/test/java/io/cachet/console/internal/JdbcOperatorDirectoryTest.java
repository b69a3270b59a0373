package io.cachet.console.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.cachet.api.operator.ApiKey;
import io.cachet.api.operator.ApiKeyScope;
import io.cachet.api.operator.Authentication;
import io.cachet.api.operator.Authentication.Status;
import io.cachet.api.operator.IssuedApiKey;
import io.cachet.api.operator.Operator;
import io.cachet.api.operator.OperatorException;
import io.cachet.api.store.StoreException;
import io.cachet.store.testing.TestDatabases;
import io.cachet.api.testing.MutableClock;

class JdbcOperatorDirectoryTest {

    static final String PW = "correct horse battery";
    static final String CLIENT = "192.0.2.10";

    @TempDir
    Path temp;

    static Stream<String> products() {
        return TestDatabases.products();
    }

    /** One database with the directory under test. */
    final class Env implements AutoCloseable {
        final TestDatabases.Handle handle;
        final TableAuditLog audit;
        final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
        final JdbcOperatorDirectory directory;

        Env(String product) {
            handle = TestDatabases.open(product, temp);
            audit = new TableAuditLog(handle.database());
            directory = new JdbcOperatorDirectory(handle.database(), audit, clock, JdbcOperatorDirectory.Settings.DEFAULTS);
        }

        void operator(String login, boolean mustChange, String... roles) {
            directory.createOperator("system", login, Set.of(roles), PW.toCharArray(), mustChange);
        }

        Authentication login(String login, String password, String client) {
            return directory.login(login, password.toCharArray(), client);
        }

        Optional<Operator> login(String login, String password) {
            Authentication a = login(login, password, CLIENT);
            return a.granted() ? Optional.of(a.operator()) : Optional.empty();
        }

        IssuedApiKey key(String login, ApiKeyScope scope, Instant expires) {
            return directory.createApiKey(login, scope, "test key", expires, "operator:" + login);
        }

        String column(String sql, String arg) {
            return handle.database().inTransaction(c -> {
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    ps.setString(1, arg);
                    try (ResultSet rs = ps.executeQuery()) {
                        return rs.next() ? rs.getString(1) : null;
                    }
                }
            });
        }

        void sql(String sql, String... args) {
            handle.database().inTransaction(c -> {
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    for (int i = 0; i < args.length; i++) {
                        ps.setString(i + 1, args[i]);
                    }
                    return ps.executeUpdate();
                }
            });
        }

        long count(String action) {
            return audit.actions().stream().filter(action::equals).count();
        }

        @Override
        public void close() {
            handle.close();
        }
    }

    private Env env(String product) {
        return new Env(product);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("products")
    void firstStartCreatesTheAdministratorWhoseKeyWorksOnlyOnceThePasswordIsChanged(String product) throws Exception {
        try (Env e = env(product)) {
            Path data = temp.resolve("data-" + product);
            InitialAdmin initial = new InitialAdmin(e.handle.database(), e.directory);

            Path file = initial.bootstrapIfEmpty(data).orElseThrow();

            assertEquals(data.resolve("initial-admin.txt").toAbsolutePath(), file);
            List<String> lines = Files.readAllLines(file);
            assertEquals(4, lines.size(), lines.toString());
            assertTrue(lines.get(0).startsWith("#") && lines.get(0).contains("change") && lines.get(0).contains("delete"));
            assertEquals("login=admin", lines.get(1));
            assertTrue(lines.get(2).matches("password=[A-Za-z0-9]{20}"), "20 letters and digits");
            assertTrue(lines.get(3).matches("api-key=ck_[a-z2-7]{12}_[A-Za-z0-9_-]{43}"), lines.get(3));
            if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
            }
            String password = lines.get(2).substring("password=".length());
            String apiKey = lines.get(3).substring("api-key=".length());

            Authentication before = e.directory.authenticateApiKey(apiKey, CLIENT);
            assertEquals(Status.PASSWORD_CHANGE_REQUIRED, before.status(), "the initial key waits for the password change");
            assertNull(before.operator());
            assertTrue(before.message().contains("/console/password"), before.message());

            Operator admin = e.login("admin", password).orElseThrow();
            assertEquals(Set.of("admin", "operator"), admin.roles());
            assertTrue(admin.mustChangePassword());
            assertTrue(e.column("SELECT password_hash FROM operator WHERE login = ?", "admin")
                    .matches("pbkdf2-sha256\\$600000\\$[A-Za-z0-9+/=]+\\$[A-Za-z0-9+/=]+"));

            e.directory.changePassword("admin", password.toCharArray(), "my own long passphrase".toCharArray(), CLIENT);
            Authentication after = e.directory.authenticateApiKey(apiKey, CLIENT);
            assertEquals(Status.GRANTED, after.status());
            assertEquals("admin", after.operator().login());
            assertEquals(ApiKeyScope.ADMIN, after.apiKey().scope());
            assertEquals(InitialAdmin.INITIAL_KEY_LABEL, after.apiKey().label());
            assertEquals(List.of("operator.created", "operator.apikey.created", "operator.login.succeeded",
                    "operator.password.changed"), e.audit.actions());
            assertTrue(e.audit.committed().get(0).startsWith("system operator.created operator:admin"));

            // second start: operators exist, nothing changes
            String content = Files.readString(file);
            assertEquals(Optional.empty(), initial.bootstrapIfEmpty(data));
            assertEquals(content, Files.readString(file));
            for (String record : e.audit.committed()) {
                assertFalse(record.contains(password) || record.contains(apiKey.substring(16)), record);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("products")
    void aFailingAuditLogRollsTheAdministratorBack(String product) {
        try (Env e = env(product)) {
            Path data = temp.resolve("rollback-" + product);
            e.audit.failOn("operator.apikey.created");

            assertThrows(StoreException.class, () -> new InitialAdmin(e.handle.database(), e.directory).bootstrapIfEmpty(data));

            assertTrue(e.directory.isEmpty(), "operator insert rolled back with the audit failure");
            assertEquals(List.of(), e.audit.actions(), "the operator.created record went with it");
            assertFalse(Files.exists(data.resolve("initial-admin.txt")));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("products")
    void authenticatesTheRightPasswordOnlyAndAuditsTheFirstFailureOfABurst(String product) {
        try (Env e = env(product)) {
            e.operator("alice", false, "operator");

            assertEquals(new Operator("alice", Set.of("operator"), false), e.login("alice", PW).orElseThrow());
            Authentication wrong = e.login("alice", "wrong password!", CLIENT);
            assertEquals(Status.DENIED, wrong.status());
            assertEquals("Wrong login or password.", wrong.message());
            assertEquals("Wrong login or password.", e.login("bob", PW, CLIENT).message(), "unknown logins look the same");
            assertEquals(Status.DENIED, e.login("alice", "", CLIENT).status());
            assertEquals(Status.DENIED, e.directory.login(null, PW.toCharArray(), CLIENT).status());

            List<String> audit = e.audit.committed();
            assertEquals("operator:alice operator.login.succeeded operator:alice client=" + CLIENT, audit.get(1));
            assertTrue(audit.get(2).startsWith("system operator.login.failed operator:alice client=" + CLIENT
                    + "; wrong password; first failure of a burst"), audit.get(2));
            assertEquals(3, audit.size(), "the unknown login joined the burst: counted, not yet recorded");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("products")
    void failuresBackOffExponentiallyAndTheRightPasswordIsNotEvenCheckedMeanwhile(String product) {
        try (Env e = env(product)) {
            e.operator("alice", false, "operator");
            for (int i = 0; i < 5; i++) {
                assertEquals(Status.DENIED, e.login("alice", "wrong password!", CLIENT).status(), "free attempt " + i);
            }
            // the 5th failure was the last free one; the 6th starts the back-off
            assertEquals(Status.DENIED, e.login("alice", "wrong password!", CLIENT).status());
            Authentication throttled = e.login("alice", PW, CLIENT);
            assertEquals(Status.THROTTLED, throttled.status(), "refused although right");
            assertEquals(Duration.ofSeconds(1), throttled.retryAfter());
            assertEquals("Too many failed attempts from your address or for this account: try again in 1 second.",
                    throttled.message());
            assertEquals(0, e.count("operator.login.succeeded"), "the password was not checked");
            assertEquals(Status.THROTTLED, e.login("alice", PW, "198.51.100.7").status(),
                    "the account waits whatever the address");

            e.clock.advance(Duration.ofSeconds(1));
            assertEquals(Status.DENIED, e.login("alice", "wrong password!", CLIENT).status());
            assertEquals(Duration.ofSeconds(2), e.login("alice", PW, CLIENT).retryAfter(), "doubled");
            e.clock.advance(Duration.ofSeconds(2));
            assertEquals(Status.GRANTED, e.login("alice", PW, CLIENT).status(), "after the wait the owner gets in");
            assertEquals(Status.DENIED, e.login("alice", "wrong password!", CLIENT).status(), "and the count restarts");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("products")
    void anAttackerCannotKeepTheOwnerOutForLong(String product) {
        try (Env e = env(product)) {
            e.operator("alice", false, "admin");
            LoginThrottle.Settings defaults = LoginThrottle.Settings.DEFAULTS;
            // an attacker who fails whenever allowed, from many addresses, for a long time
            for (int i = 0; i < 14; i++) {
                Authentication a = e.login("alice", "wrong password!", "203.0.113." + i);
                if (a.status() == Status.THROTTLED) {
                    e.clock.advance(a.retryAfter());
                    e.login("alice", "wrong password!", "203.0.113." + i);
                }
            }
            Authentication owner = e.login("alice", PW, CLIENT);
            assertEquals(Status.THROTTLED, owner.status());
            assertTrue(owner.retryAfter().compareTo(defaults.maxAccountDelay()) <= 0,
                    "at most the account ceiling: " + owner.retryAfter());
            e.clock.advance(owner.retryAfter());
            assertEquals(Status.GRANTED, e.login("alice", PW, CLIENT).status());
            assertEquals(0, e.count("operator.locked"), "no lock any more");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("products")
    void aClientFailingOnManyAccountsWaitsForAllOfThem(String product) {
        try (Env e = env(product)) {
            for (int i = 0; i < 6; i++) {
                e.login("nobody" + i, "wrong password!", CLIENT);
            }
            Authentication a = e.login("nobody-else", "whatever it is", CLIENT);
            assertEquals(Status.THROTTLED, a.status(), "the client is throttled, whichever login it tries");
            assertEquals(Status.DENIED, e.login("nobody-else", "whatever it is", "198.51.100.7").status(),
                    "another client is not");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("products")
    void aBurstOfFailuresCostsAFewAuditRecordsNotOneEach(String product) {
        try (Env e = env(product)) {
            e.operator("robot", false, "operator");
            String key = e.key("robot", ApiKeyScope.OPERATOR, null).secret();
            String unknown = "ck_aaaaaaaaaaaa" + key.substring(15);
            int before = e.audit.actions().size();
            // 153 attempts in 12 seconds from one client: most are refused unchecked during the back-off
            for (int i = 0; i < 153; i++) {
                e.directory.authenticateApiKey(i % 3 == 0 ? "garbage" : unknown, CLIENT);
                if (i % 13 == 0) {
                    e.clock.advance(Duration.ofSeconds(1));
                }
            }
            List<String> during = e.audit.committed().subList(before, e.audit.committed().size());
            assertEquals(1, during.size(), "only the first failure is recorded at once: " + during);
            assertTrue(during.get(0).startsWith("system operator.apikey.failed  client=" + CLIENT + "; malformed key"),
                    during.get(0));

            e.clock.advance(Duration.ofMinutes(6)); // the burst is over
            e.directory.flushFailureAudit();
            List<String> after = e.audit.committed().subList(before, e.audit.committed().size());
            assertEquals(2, after.size(), after.toString());
            String summary = after.get(1);
            assertTrue(summary.startsWith("system operator.apikey.failures  client=" + CLIENT + "; failures=152"), summary);
            assertTrue(summary.contains("burst total=153") && summary.contains("burst ended"), summary);
            e.directory.flushFailureAudit();
            assertEquals(before + 2, e.audit.actions().size(), "nothing twice");

            // the key itself was never guessed at and keeps working
            assertEquals(Status.GRANTED, e.directory.authenticateApiKey(key, "198.51.100.7").status());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("products")
    void aLongBurstIsSummarisedPeriodicallyAndManyClientsShareBoundedBursts(String product) {
        try (Env e = env(product)) {
            int before = e.audit.actions().size();
            for (int minute = 0; minute < 20; minute++) {
                e.directory.authenticateApiKey("garbage", CLIENT);
                e.clock.advance(Duration.ofMinutes(1));
            }
            // one first record, then one summary per 5 minutes while it goes on
            long summaries = e.count("operator.apikey.failures");
            assertEquals(1, e.count("operator.apikey.failed"));
            assertTrue(summaries >= 3 && summaries <= 4, "summaries: " + summaries);

            for (int i = 0; i < 1000; i++) {
                e.directory.authenticateApiKey("garbage", "10.0." + (i / 250) + "." + (i % 250));
            }
            long firsts = e.count("operator.apikey.failed");
            assertTrue(firsts <= FailureAudit.MAX_BURSTS + 1, "bounded: " + firsts);
            assertTrue(e.audit.actions().size() - before < FailureAudit.MAX_BURSTS + 10,
                    "1,000 clients: " + (e.audit.actions().size() - before) + " records");
            e.directory.flushAllFailureAudit();
            assertTrue(e.audit.committed().stream().anyMatch(r -> r.contains("client=" + FailureAudit.OTHER_CLIENTS)));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("products")
    void changesTakeEffectOnTheNextRequest(String product) {
        try (Env e = env(product)) {
            e.operator("alice", false, "admin", "operator");
            IssuedApiKey key = e.key("alice", ApiKeyScope.ADMIN, null);
            assertTrue(e.login("alice", PW).isPresent());
            assertTrue(e.login("alice", PW).isPresent(), "remembered: no second PBKDF2 run");
            assertEquals(1, e.count("operator.login.succeeded"), "one login, not one per request");

            e.directory.changePassword("alice", PW.toCharArray(), "a brand new passphrase".toCharArray(), CLIENT);
            assertEquals(Status.DENIED, e.login("alice", PW, CLIENT).status(), "the old password is refused at once");
            assertTrue(e.login("alice", "a brand new passphrase").isPresent());

            assertTrue(e.directory.setDisabled("operator:root", "alice", true));
            assertEquals(Status.DENIED, e.login("alice", "a brand new passphrase", CLIENT).status(), "disabled at once");
            assertEquals(Status.DENIED, e.directory.authenticateApiKey(key.secret(), CLIENT).status());
            assertTrue(e.directory.setDisabled("operator:root", "alice", false));
            assertTrue(e.login("alice", "a brand new passphrase").isPresent());
            assertEquals(Status.GRANTED, e.directory.authenticateApiKey(key.secret(), CLIENT).status());
            assertTrue(e.audit.actions().containsAll(List.of("operator.disabled", "operator.enabled")));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("products")
    void aHashOfTheOld210000IterationsLogsInAndIsRewritten(String product) throws Exception {
        try (Env e = env(product)) {
            e.operator("alice", false, "operator");
            byte[] salt = new byte[16];
            new SecureRandom().nextBytes(salt);
            byte[] derived = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                    .generateSecret(new PBEKeySpec(PW.toCharArray(), salt, 210_000, 256)).getEncoded();
            String old = "pbkdf2-sha256$210000$" + Base64.getEncoder().encodeToString(salt) + "$"
                    + Base64.getEncoder().encodeToString(derived);
            e.sql("UPDATE operator SET password_hash = ? WHERE login = ?", old, "alice");

            assertTrue(e.login("alice", PW).isPresent());

            String now = e.column("SELECT password_hash FROM operator WHERE login = ?", "alice");
            assertNotEquals(old, now);
            assertTrue(now.startsWith("pbkdf2-sha256$600000$"), now);
            assertEquals(1, e.count("operator.password.rehashed"));
            assertTrue(e.login("alice", PW).isPresent(), "the new hash verifies");
            assertEquals(Status.DENIED, e.login("alice", "wrong password!", CLIENT).status());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("products")
    void newPasswordsFollowThePolicy(String product) {
        try (Env e = env(product)) {
            e.operator("alice", true, "admin");

            assertEquals("Choose a new password of at least 12 characters.", refused(e, "alice", PW, "short"));
            assertEquals("The new password must not contain your login; choose another one.",
                    refused(e, "alice", PW, "my-Alice-passphrase"));
            assertEquals("The new password must differ from the current one.", refused(e, "alice", PW, PW));
            assertTrue(refused(e, "alice", PW, "aaaaaaaaaaaa").startsWith("The new password repeats too few characters"));
            assertTrue(refused(e, "alice", PW, "123456789012").startsWith("The new password is a sequence"));
            assertTrue(refused(e, "alice", PW, "Password2024!").startsWith("The new password is on the list"));
            int before = e.audit.actions().size();
            assertEquals("The current password is wrong.", refused(e, "alice", "not the password", "a fine new password"));
            assertEquals("operator.login.failed", e.audit.actions().get(before), "a wrong current password counts");
            assertEquals("The current password is wrong.", refused(e, "nobody", "not the password", "a fine new password"));
            assertTrue(e.login("alice", PW).orElseThrow().mustChangePassword(), "nothing changed");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("products")
    void wrongCurrentPasswordsOnChangeAreThrottledToo(String product) {
        try (Env e = env(product)) {
            e.operator("alice", false, "operator");
            for (int i = 0; i < 6; i++) {
                refused(e, "alice", "not the password", "a fine new password");
            }
            assertTrue(refused(e, "alice", PW, "a fine new password").startsWith("Too many failed attempts"));
            assertEquals(Status.THROTTLED, e.login("alice", PW, CLIENT).status());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("products")
    void changingThePasswordClearsTheMustChangeFlag(String product) {
        try (Env e = env(product)) {
            e.operator("alice", true, "admin");
            char[] current = PW.toCharArray();
            char[] next = "a brand new passphrase".toCharArray();

            e.directory.changePassword("alice", current, next, CLIENT);

            assertArrayEquals0(current);
            assertArrayEquals0(next);
            assertFalse(e.login("alice", "a brand new passphrase").orElseThrow().mustChangePassword());
            assertEquals(Optional.empty(), e.login("alice", PW));
            assertTrue(e.audit.committed().contains("operator:alice operator.password.changed operator:alice "));
            for (String record : e.audit.committed()) {
                assertFalse(record.contains("passphrase") || record.contains(PW), record);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("products")
    void apiKeysAreCreatedListedRotatedAndRevokedAndTakeEffectAtOnce(String product) {
        try (Env e = env(product)) {
            e.operator("robot", false, "operator");
            IssuedApiKey issued = e.key("robot", ApiKeyScope.OPERATOR, null);
            String key = issued.secret();
            String keyId = JdbcOperatorDirectory.keyIdOf(key).orElseThrow();
            assertEquals(keyId, issued.key().id());
            String stored = e.column("SELECT secret_hash FROM operator_api_key WHERE key_id = ?", keyId);
            assertFalse(key.contains(stored), "only a digest is stored");
            assertEquals(64, stored.length());

            Authentication ok = e.directory.authenticateApiKey(key, CLIENT);
            assertEquals("robot", ok.operator().login());
            assertEquals(Set.of("operator"), ok.operator().roles());
            String wrongSecret = key.substring(0, key.length() - 1) + (key.endsWith("A") ? "B" : "A");
            assertEquals(Status.DENIED, e.directory.authenticateApiKey(wrongSecret, CLIENT).status());
            for (String malformed : new String[] {null, "", "ck_", "garbage", key + "x", key.substring(1),
                    key.replace("ck_", "CK_"), "ck_AAAAAAAAAAAA" + key.substring(15), key.replace('_', '.'),
                    "ck_" + "é".repeat(12) + key.substring(15)}) {
                assertNotEquals(Status.GRANTED, e.directory.authenticateApiKey(malformed, "198.51.100.9").status(),
                        String.valueOf(malformed));
            }

            List<ApiKey> listed = e.directory.apiKeys("robot");
            assertEquals(1, listed.size());
            assertEquals(new ApiKey(keyId, "robot", "test key", ApiKeyScope.OPERATOR, e.clock.instant(), null, null, null),
                    listed.get(0));

            IssuedApiKey rotated = e.directory.rotateApiKey("robot", keyId, "operator:robot");
            assertEquals(keyId, rotated.key().id());
            assertEquals(Status.DENIED, e.directory.authenticateApiKey(key, "198.51.100.20").status(),
                    "the old secret is refused at once");
            assertEquals(Status.GRANTED, e.directory.authenticateApiKey(rotated.secret(), CLIENT).status());

            e.directory.revokeApiKey("robot", keyId, "operator:robot");
            Authentication revoked = e.directory.authenticateApiKey(rotated.secret(), CLIENT);
            assertEquals(Status.DENIED, revoked.status(), "revoked at once");
            assertTrue(revoked.message().startsWith("This API key was revoked on "), revoked.message());
            OperatorException again = assertThrows(OperatorException.class,
                    () -> e.directory.revokeApiKey("robot", keyId, "operator:robot"));
            assertEquals(OperatorException.Reason.CONFLICT, again.reason());
            assertEquals(OperatorException.Reason.CONFLICT, assertThrows(OperatorException.class,
                    () -> e.directory.rotateApiKey("robot", keyId, "operator:robot")).reason());
            assertEquals(ApiKey.Status.REVOKED, e.directory.apiKeys("robot").get(0).status(e.clock.instant()));

            List<String> actions = e.audit.actions();
            assertTrue(actions.containsAll(List.of("operator.apikey.created", "operator.apikey.rotated",
                    "operator.apikey.revoked", "operator.apikey.failed")), actions.toString());
            for (String record : e.audit.committed()) {
                assertFalse(record.contains(key.substring(16)) || record.contains(rotated.secret().substring(16)),
                        "no secret in the audit log: " + record);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("products")
    void keysExpireHaveScopesWithinTheRolesAndBelongToTheirOwner(String product) {
        try (Env e = env(product)) {
            e.operator("robot", false, "operator");
            e.operator("root", false, "admin", "operator");
            IssuedApiKey shortLived = e.key("robot", ApiKeyScope.READ, e.clock.instant().plus(Duration.ofDays(1)));
            Authentication read = e.directory.authenticateApiKey(shortLived.secret(), CLIENT);
            assertEquals(Set.of(), read.operator().roles(), "a read key carries no role");
            e.clock.advance(Duration.ofDays(1));
            Authentication expired = e.directory.authenticateApiKey(shortLived.secret(), CLIENT);
            assertEquals(Status.DENIED, expired.status(), "expired at once");
            assertTrue(expired.message().startsWith("This API key expired on"), expired.message());

            OperatorException tooWide = assertThrows(OperatorException.class,
                    () -> e.key("robot", ApiKeyScope.ADMIN, null));
            assertTrue(tooWide.getMessage().contains("operator, read"), tooWide.getMessage());
            assertThrows(OperatorException.class, () -> e.key("robot", ApiKeyScope.READ, e.clock.instant()),
                    "an expiry in the past");
            assertThrows(OperatorException.class, () -> e.directory.createApiKey("robot", ApiKeyScope.READ,
                    "bad\u202elabel", null, "x"));

            IssuedApiKey rootKey = e.key("root", ApiKeyScope.ADMIN, null);
            assertEquals(Set.of("admin", "operator"), e.directory.authenticateApiKey(rootKey.secret(), CLIENT)
                    .operator().roles());
            OperatorException notYours = assertThrows(OperatorException.class,
                    () -> e.directory.revokeApiKey("robot", rootKey.key().id(), "operator:robot"));
            assertEquals(OperatorException.Reason.NOT_FOUND, notYours.reason());
            assertEquals(Status.GRANTED, e.directory.authenticateApiKey(rootKey.secret(), CLIENT).status());

            for (int i = 1; i < JdbcOperatorDirectory.MAX_LIVE_KEYS; i++) { // root has one already
                e.key("root", ApiKeyScope.READ, null);
            }
            assertTrue(assertThrows(OperatorException.class, () -> e.key("root", ApiKeyScope.READ, null)).getMessage()
                    .contains("revoke one first"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("products")
    void anApiOnlyAccountCanNeverLogInWithAPasswordButItsKeysWork(String product) {
        try (Env e = env(product)) {
            e.directory.createAccount("rsl-acme", Set.of("reseller"), null, "operator:root");
            assertEquals(JdbcOperatorDirectory.API_ONLY, e.column("SELECT password_hash FROM operator WHERE login = ?",
                    "rsl-acme"), "a marker, not a hash");
            // whatever is typed, even the marker itself, and never a prompt to change a password it does not have
            for (String guess : List.of(JdbcOperatorDirectory.API_ONLY, PW, "")) {
                Authentication a = e.login("rsl-acme", guess, "192.0.2.77");
                assertEquals(Status.DENIED, a.status(), guess);
                e.clock.advance(Duration.ofMinutes(10)); // past any back-off, so each guess is really checked
            }
            assertEquals(Status.DENIED, e.directory.openSession("rsl-acme", PW.toCharArray(), CLIENT).authentication()
                    .status());
            assertThrows(OperatorException.class, () -> e.directory.changePassword("rsl-acme",
                    JdbcOperatorDirectory.API_ONLY.toCharArray(), "a brand new long passphrase".toCharArray(), null));
            assertEquals(JdbcOperatorDirectory.API_ONLY, e.column("SELECT password_hash FROM operator WHERE login = ?",
                    "rsl-acme"), "no password could be set");

            // its keys: operator and read, never admin; the operator key carries the role reseller and works at once
            assertTrue(assertThrows(OperatorException.class, () -> e.key("rsl-acme", ApiKeyScope.ADMIN, null))
                    .getMessage().contains("operator, read"));
            IssuedApiKey key = e.key("rsl-acme", ApiKeyScope.OPERATOR, null);
            Authentication a = e.directory.authenticateApiKey(key.secret(), CLIENT);
            assertEquals(Status.GRANTED, a.status(), a.message());
            assertEquals(Set.of("reseller"), a.operator().roles());
            assertFalse(a.operator().mustChangePassword());
            IssuedApiKey rotated = e.directory.rotateApiKey("rsl-acme", key.key().id(), "api:rsl-acme");
            assertEquals(Status.DENIED, e.directory.authenticateApiKey(key.secret(), CLIENT).status());
            assertEquals(Status.GRANTED, e.directory.authenticateApiKey(rotated.secret(), CLIENT).status());
            e.directory.setDisabled("rsl-acme", true, "operator:root");
            assertEquals(Status.DENIED, e.directory.authenticateApiKey(rotated.secret(), CLIENT).status());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("products")
    void passwordsAreWipedAfterUse(String product) {
        try (Env e = env(product)) {
            e.operator("alice", false, "operator");
            char[] right = PW.toCharArray();
            char[] wrong = "wrong password!".toCharArray();
            assertTrue(e.directory.login("alice", right, CLIENT).granted());
            assertFalse(e.directory.login("alice", wrong, CLIENT).granted());
            assertArrayEquals0(right);
            assertArrayEquals0(wrong);
            char[] tooShort = "short".toCharArray();
            char[] current = PW.toCharArray();
            assertThrows(OperatorException.class, () -> e.directory.changePassword("alice", current, tooShort, CLIENT));
            assertArrayEquals0(tooShort);
            assertArrayEquals0(current);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("products")
    void loginsAreValidatedAndUnique(String product) {
        try (Env e = env(product)) {
            e.operator("alice", false, "operator");
            assertThrows(OperatorException.class, () -> e.operator("alice", false, "operator"));
            assertThrows(OperatorException.class, () -> e.operator("Bad Login", false, "operator"));
            assertThrows(OperatorException.class, () -> e.operator("carol", false, "no,commas"));
            assertEquals(1, e.audit.actions().stream().filter("operator.created"::equals).count());
        }
    }

    private static String refused(Env e, String login, String current, String next) {
        return assertThrows(OperatorException.class,
                () -> e.directory.changePassword(login, current.toCharArray(), next.toCharArray(), CLIENT)).getMessage();
    }

    private static void assertArrayEquals0(char[] wiped) {
        for (char c : wiped) {
            assertEquals('\0', c, "wiped");
        }
    }
}
