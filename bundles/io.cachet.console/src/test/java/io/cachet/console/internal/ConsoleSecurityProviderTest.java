package io.cachet.console.internal;

import static io.cachet.web.testing.FakeHttp.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cachet.api.operator.Operator;
import io.cachet.api.operator.OperatorDirectory;
import io.cachet.store.testing.TestDatabases;
import io.cachet.web.testing.FakeHttp;
import io.cachet.api.testing.MutableClock;

/** The Web Console's gate, against a real directory on H2. */
class ConsoleSecurityProviderTest {

    static final String PW = "correct horse battery";
    /** A page of the Web Console, which the gate guards. */
    static final String BUNDLES = "/system/console/bundles";

    @TempDir
    Path temp;

    TestDatabases.Handle db;
    TableAuditLog audit;
    MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
    JdbcOperatorDirectory directory;
    ConsoleSecurityProvider provider;

    @BeforeEach
    void setUp() {
        db = TestDatabases.open("h2", temp);
        audit = new TableAuditLog(db.database());
        directory = new JdbcOperatorDirectory(db.database(), audit, clock, JdbcOperatorDirectory.Settings.DEFAULTS);
        directory.createOperator("system", "root", Set.of("admin", "operator"), PW.toCharArray(), false);
        directory.createOperator("fresh", "newbie", Set.of("admin"), PW.toCharArray(), true);
        directory.createOperator("system", "clerk", Set.of("operator"), PW.toCharArray(), false);
        provider = new ConsoleSecurityProvider(directory);
    }

    @AfterEach
    void tearDown() {
        db.close();
    }

    static Map<String, String> basic(String login, String password) {
        return map("Authorization", "Basic " + Base64.getEncoder()
                .encodeToString((login + ":" + password).getBytes(StandardCharsets.UTF_8)));
    }

    private Object authenticate(Map<String, String> headers, FakeHttp.Response response) {
        return provider.authenticate(FakeHttp.request("GET", BUNDLES).headers(headers).build(), response.proxy);
    }

    private static void assertChallenged(FakeHttp.Response response) {
        assertEquals(401, response.status);
        assertEquals("Basic realm=\"Cachet operators\", charset=\"UTF-8\"", response.headers.get("WWW-Authenticate"));
        assertTrue(response.committed);
    }

    @Test
    void withoutCredentialsItAsksForThem() {
        FakeHttp.Response response = new FakeHttp.Response();
        assertNull(authenticate(map(), response));
        assertChallenged(response);
    }

    @Test
    void theStockAdminAdminNeverWorks() {
        directory.createOperator("system", "admin", Set.of("admin"), PW.toCharArray(), false);
        for (Map<String, String> headers : new Map[] {basic("admin", "admin"), basic("admin", ""),
                basic("root", "wrong password!"), basic("nobody", PW), map("Authorization", "Basic !!!"),
                map("Authorization", "Basic " + Base64.getEncoder().encodeToString("nocolon".getBytes())),
                map("Authorization", "Bearer abc"), map("Authorization", "Basic")}) {
            FakeHttp.Response response = new FakeHttp.Response();
            assertNull(authenticate(headers, response), headers.toString());
            assertChallenged(response);
        }
    }

    @Test
    void anAdministratorGetsInAndMayDoEverything() {
        FakeHttp.Response response = new FakeHttp.Response();
        var request = FakeHttp.request("GET", BUNDLES).headers(basic("root", PW)).build();
        Object user = provider.authenticate(request, response.proxy);

        assertEquals(new Operator("root", Set.of("admin", "operator"), false), user);
        assertEquals(200, response.status, "nothing sent: the console serves the page");
        assertEquals("root", request.getAttribute("org.osgi.service.http.authentication.remote.user"));
        assertTrue(provider.authorize(user, "bundles"));
        assertTrue(provider.authorize(user, "configMgr"));
    }

    @Test
    void anOperatorWhoMustChangeThePasswordIsSentToThePasswordPage() {
        FakeHttp.Response response = new FakeHttp.Response();
        assertNull(authenticate(basic("newbie", PW), response));
        assertEquals(303, response.status);
        assertEquals("/console/password", response.headers.get("Location"));

        directory.changePassword("newbie", PW.toCharArray(), "a brand new passphrase".toCharArray());
        FakeHttp.Response after = new FakeHttp.Response();
        assertEquals("newbie", ((Operator) authenticate(basic("newbie", "a brand new passphrase"), after)).login());
    }

    @Test
    void operatorsWithoutTheAdminRoleAreKeptOut() {
        FakeHttp.Response response = new FakeHttp.Response();
        assertNull(authenticate(basic("clerk", PW), response));
        assertEquals(403, response.status);
        assertFalse(provider.authorize(new Operator("clerk", Set.of("operator", "auditor"), false), "bundles"));
        assertFalse(provider.authorize("root", "bundles"), "only our own user objects count");
    }

    @Test
    void aPasswordChangeTakesEffectOnTheNextRequest() {
        for (int i = 0; i < 5; i++) {
            assertSame(Operator.class, authenticate(basic("root", PW), new FakeHttp.Response()).getClass());
        }
        assertEquals(1, audit.actions().stream().filter("operator.login.succeeded"::equals).count(),
                "a page's dozen requests make one login, not one each");

        directory.changePassword("root", PW.toCharArray(), "a brand new passphrase".toCharArray(), "192.0.2.10");
        FakeHttp.Response old = new FakeHttp.Response();
        assertNull(authenticate(basic("root", PW), old), "the old password is refused at once, not after a minute");
        assertChallenged(old);
        assertEquals("root", ((Operator) authenticate(basic("root", "a brand new passphrase"), new FakeHttp.Response())).login());

        directory.setDisabled("operator:admin", "root", true);
        FakeHttp.Response disabled = new FakeHttp.Response();
        assertNull(authenticate(basic("root", "a brand new passphrase"), disabled), "disabled at once");
        assertChallenged(disabled);
    }

    @Test
    void repeatedFailuresAreAnswered429WithRetryAfterAndTheRightPasswordWaitsToo() {
        for (int i = 0; i < 6; i++) {
            FakeHttp.Response wrong = new FakeHttp.Response();
            assertNull(authenticate(basic("root", "wrong password!"), wrong));
            assertChallenged(wrong);
        }
        FakeHttp.Response throttled = new FakeHttp.Response();
        assertNull(authenticate(basic("root", PW), throttled));
        assertEquals(429, throttled.status);
        assertEquals("1", throttled.headers.get("Retry-After"));
        assertTrue(throttled.body().startsWith("Too many failed attempts from your address or for this account"),
                throttled.body());
        assertTrue(throttled.committed);

        clock.advance(java.time.Duration.ofSeconds(1));
        assertEquals("root", ((Operator) authenticate(basic("root", PW), new FakeHttp.Response())).login());
    }

    @Test
    void logoutMakesTheBrowserForgetTheCredentials() {
        authenticate(basic("root", PW), new FakeHttp.Response());
        FakeHttp.Response response = new FakeHttp.Response();
        provider.logout(FakeHttp.request("GET", BUNDLES).headers(basic("root", PW)).build(), response.proxy);
        assertChallenged(response);
    }

    @Test
    void anUnavailableDirectoryMeans503NotAnError() {
        OperatorDirectory broken = new UnsupportedDirectory() {
            @Override
            public io.cachet.api.operator.Authentication login(String login, char[] password, String client) {
                throw new io.cachet.api.store.StoreException("Database unreachable");
            }
        };
        FakeHttp.Response response = new FakeHttp.Response();
        assertNull(new ConsoleSecurityProvider(broken, directory)
                .authenticate(FakeHttp.request("GET", BUNDLES).headers(basic("root", PW)).build(), response.proxy));
        assertEquals(503, response.status);
        assertFalse(response.body().contains("Exception"));
    }
}
