package io.cachet.console.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.cachet.api.operator.Operator;
import io.cachet.api.operator.OperatorException;
import io.cachet.api.store.StoreException;
import io.cachet.store.testing.TestDatabases;

class JdbcOperatorDirectoryTest {

    static final String PW = "correct horse battery";

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

        Optional<Operator> login(String login, String password) {
            return directory.authenticate(login, password.toCharArray());
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
    void firstStartCreatesTheAdministratorAndItsFileOnlyOnce(String product) throws Exception {
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

            Operator admin = e.login("admin", password).orElseThrow();
            assertEquals(Set.of("admin", "operator"), admin.roles());
            assertTrue(admin.mustChangePassword());
            assertEquals("admin", e.directory.authenticateApiKey(apiKey).orElseThrow().login());
            assertTrue(e.column("SELECT password_hash FROM operator WHERE login = ?", "admin")
                    .matches("pbkdf2-sha256\\$210000\\$[A-Za-z0-9+/=]+\\$[A-Za-z0-9+/=]+"));
            assertEquals(List.of("operator.created", "operator.apikey.created", "operator.login.succeeded"),
                    e.audit.actions());
            assertTrue(e.audit.committed().get(0).startsWith("system operator.created operator:admin"));

            // second start: operators exist, nothing changes
            String before = Files.readString(file);
            assertEquals(Optional.empty(), initial.bootstrapIfEmpty(data));
            assertEquals(before, Files.readString(file));
            assertEquals(3, e.audit.actions().size());
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
    void authenticatesTheRightPasswordOnlyAndAuditsBoth(String product) {
        try (Env e = env(product)) {
            e.operator("alice", false, "operator");

            assertEquals(new Operator("alice", Set.of("operator"), false), e.login("alice", PW).orElseThrow());
            assertEquals(Optional.empty(), e.login("alice", "wrong password!"));
            assertEquals(Optional.empty(), e.login("bob", PW));
            assertEquals(Optional.empty(), e.login("alice", ""));
            assertEquals(Optional.empty(), e.directory.authenticate(null, PW.toCharArray()));

            List<String> audit = e.audit.committed();
            assertEquals("operator:alice operator.login.succeeded operator:alice ", audit.get(1));
            assertEquals("operator:alice operator.login.failed operator:alice failed_logins=1", audit.get(2));
            assertEquals("system operator.login.failed  unknown login", audit.get(3));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("products")
    void locksAfterFiveFailuresAndUnlocksAfterTheLockTime(String product) {
        try (Env e = env(product)) {
            e.operator("alice", false, "operator");
            for (int i = 0; i < 4; i++) {
                assertEquals(Optional.empty(), e.login("alice", "wrong password!"));
            }
            assertTrue(e.login("alice", PW).isPresent(), "4 failures do not lock, and a success resets the count");
            for (int i = 0; i < 4; i++) {
                assertEquals(Optional.empty(), e.login("alice", "wrong password!"));
            }
            assertTrue(e.login("alice", PW).isPresent());
            for (int i = 0; i < 5; i++) {
                assertEquals(Optional.empty(), e.login("alice", "wrong password!"));
            }
            assertTrue(e.audit.actions().contains("operator.locked"));

            assertEquals(Optional.empty(), e.login("alice", PW), "locked: even the right password is refused");
            e.clock.advance(Duration.ofMinutes(14));
            assertEquals(Optional.empty(), e.login("alice", PW));
            assertThrows(OperatorException.class,
                    () -> e.directory.changePassword("alice", PW.toCharArray(), "another good password".toCharArray()));
            assertEquals("operator.login.refused", last(e.audit.actions()));

            e.clock.advance(Duration.ofMinutes(1));
            assertTrue(e.login("alice", PW).isPresent(), "unlocked after 15 minutes");
            assertEquals("operator.login.succeeded", last(e.audit.actions()));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("products")
    void newPasswordsFollowThePolicy(String product) {
        try (Env e = env(product)) {
            e.operator("alice", true, "admin");

            assertEquals("Choose a new password of at least 12 characters.", refused(e, "alice", PW, "short"));
            e.operator("longlogin-12345", false, "operator");
            assertEquals("The new password must not be your login; choose another one.",
                    refused(e, "longlogin-12345", PW, "LongLogin-12345"));
            assertEquals("The new password must differ from the current one.", refused(e, "alice", PW, PW));
            int before = e.audit.actions().size();
            assertEquals("The current password is wrong.", refused(e, "alice", "not the password", "a fine new password"));
            assertEquals("operator.login.failed", e.audit.actions().get(before), "a wrong current password counts");
            assertEquals("The current password is wrong.", refused(e, "nobody", "not the password", "a fine new password"));
            assertTrue(e.login("alice", PW).orElseThrow().mustChangePassword(), "nothing changed");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("products")
    void wrongCurrentPasswordsOnChangeLockTheAccountToo(String product) {
        try (Env e = env(product)) {
            e.operator("alice", false, "operator");
            for (int i = 0; i < 5; i++) {
                refused(e, "alice", "not the password", "a fine new password");
            }
            assertEquals(Optional.empty(), e.login("alice", PW), "the failures were committed despite the exception");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("products")
    void changingThePasswordClearsTheMustChangeFlag(String product) {
        try (Env e = env(product)) {
            e.operator("alice", true, "admin");
            char[] current = PW.toCharArray();
            char[] next = "a brand new passphrase".toCharArray();

            e.directory.changePassword("alice", current, next);

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
    void apiKeysAuthenticateUntilRevoked(String product) {
        try (Env e = env(product)) {
            e.operator("robot", false, "operator");
            String key = e.directory.createApiKey("system", "robot");
            String keyId = JdbcOperatorDirectory.keyIdOf(key).orElseThrow();
            String stored = e.column("SELECT secret_hash FROM operator_api_key WHERE key_id = ?", keyId);
            assertFalse(key.contains(stored), "only a digest is stored");
            assertEquals(64, stored.length());

            assertEquals("robot", e.directory.authenticateApiKey(key).orElseThrow().login());
            String wrongSecret = key.substring(0, key.length() - 1) + (key.endsWith("A") ? "B" : "A");
            assertEquals(Optional.empty(), e.directory.authenticateApiKey(wrongSecret));
            String unknownId = "ck_aaaaaaaaaaaa" + key.substring(15);
            assertEquals(Optional.empty(), e.directory.authenticateApiKey(unknownId));
            for (String malformed : new String[] {null, "", "ck_", "garbage", key + "x", key.substring(1),
                    key.replace("ck_", "CK_"), "ck_AAAAAAAAAAAA" + key.substring(15), key.replace('_', '.'),
                    "ck_" + "é".repeat(12) + key.substring(15)}) {
                assertEquals(Optional.empty(), e.directory.authenticateApiKey(malformed), String.valueOf(malformed));
            }

            assertTrue(e.directory.revokeApiKey("operator:admin", keyId));
            assertEquals(Optional.empty(), e.directory.authenticateApiKey(key));
            assertFalse(e.directory.revokeApiKey("operator:admin", keyId));
            List<String> actions = e.audit.actions();
            assertTrue(actions.containsAll(List.of("operator.apikey.created", "operator.apikey.failed",
                    "operator.apikey.revoked")), actions.toString());
            for (String record : e.audit.committed()) {
                assertFalse(record.contains(key.substring(16)), "no secret in the audit log: " + record);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("products")
    void passwordsAreWipedAfterUse(String product) {
        try (Env e = env(product)) {
            e.operator("alice", false, "operator");
            char[] right = PW.toCharArray();
            char[] wrong = "wrong password!".toCharArray();
            assertTrue(e.directory.authenticate("alice", right).isPresent());
            assertFalse(e.directory.authenticate("alice", wrong).isPresent());
            assertArrayEquals0(right);
            assertArrayEquals0(wrong);
            char[] tooShort = "short".toCharArray();
            char[] current = PW.toCharArray();
            assertThrows(OperatorException.class, () -> e.directory.changePassword("alice", current, tooShort));
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
                () -> e.directory.changePassword(login, current.toCharArray(), next.toCharArray())).getMessage();
    }

    private static void assertArrayEquals0(char[] wiped) {
        for (char c : wiped) {
            assertEquals('\0', c, "wiped");
        }
    }

    private static String last(List<String> list) {
        return list.get(list.size() - 1);
    }
}
