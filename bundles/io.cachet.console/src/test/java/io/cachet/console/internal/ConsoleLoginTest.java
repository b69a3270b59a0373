package io.cachet.console.internal;

import static io.cachet.web.testing.FakeHttp.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cachet.api.operator.Operator;
import io.cachet.store.testing.TestDatabases;
import io.cachet.web.testing.FakeHttp;
import io.cachet.web.testing.TestPages;
import io.cachet.api.testing.MutableClock;

/** The Web Console's session login: the form, the cookie, and how a session ends. Real directory on H2. */
class ConsoleLoginTest {

    static final String PW = "correct horse battery";
    /** A page of the Web Console, which the gate guards. */
    static final String BUNDLES = "/system/console/bundles";
    static final Map<String, String> SAME_ORIGIN = map("Host", "cachet.example:8080", "Origin", "https://cachet.example:8080",
            "Accept-Language", "en");

    @TempDir
    Path temp;

    TestDatabases.Handle db;
    MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
    JdbcOperatorDirectory directory;
    ConsoleSecurityProvider provider;
    ConsoleLoginServlet login;

    @BeforeEach
    void setUp() {
        db = TestDatabases.open("h2", temp);
        directory = new JdbcOperatorDirectory(db.database(), new TableAuditLog(db.database()), clock,
                JdbcOperatorDirectory.Settings.DEFAULTS);
        directory.createOperator("system", "root", Set.of("admin", "operator"), PW.toCharArray(), false);
        directory.createOperator("system", "newbie", Set.of("admin"), PW.toCharArray(), true);
        directory.createOperator("system", "clerk", Set.of("operator"), PW.toCharArray(), false);
        provider = new ConsoleSecurityProvider(directory);
        login = new ConsoleLoginServlet(directory, TestPages.create(new ConsolePages()));
    }

    @AfterEach
    void tearDown() {
        db.close();
    }

    FakeHttp.Response post(Map<String, String> headers, String user, String password, String next) throws Exception {
        FakeHttp.Response response = new FakeHttp.Response();
        Map<String, String> params = new LinkedHashMap<>(map("login", user, "password", password));
        if (next != null) {
            params.put("next", next);
        }
        login.service(FakeHttp.request("POST", ConsoleLoginServlet.PATH).headers(headers).params(params).build(),
                response.proxy);
        return response;
    }

    /** Logs in on the form and returns the session cookie's value. */
    String session(String user) throws Exception {
        FakeHttp.Response r = post(SAME_ORIGIN, user, PW, "/system/console/configMgr");
        assertEquals(303, r.status, r.body());
        String cookie = r.headers.get("Set-Cookie");
        assertTrue(cookie.startsWith(ConsoleSecurityProvider.COOKIE + "="), cookie);
        return cookie.substring(cookie.indexOf('=') + 1, cookie.indexOf(';'));
    }

    Object console(String token, FakeHttp.Response response) {
        return provider.authenticate(FakeHttp.request("GET", BUNDLES).header("Cookie", "theme=dark; "
                + ConsoleSecurityProvider.COOKIE + "=" + token).header("Accept", "text/html").build(), response.proxy);
    }

    @Test
    void aBrowserIsSentToTheLoginFormNeverAskedForBasicCredentials() {
        FakeHttp.Response response = new FakeHttp.Response();
        assertNull(provider.authenticate(FakeHttp.request("GET", BUNDLES).header("Accept",
                "text/html,application/xhtml+xml").build(), response.proxy));
        assertEquals(303, response.status);
        assertEquals("/console/login?next=%2Fsystem%2Fconsole%2Fbundles", response.headers.get("Location"));
        assertNull(response.headers.get("WWW-Authenticate"), "no Basic challenge a browser would remember");
    }

    @Test
    void theFormOpensASessionWhoseCookieTheConsoleAccepts() throws Exception {
        FakeHttp.Response r = post(SAME_ORIGIN, "root", PW, "/system/console/configMgr");
        assertEquals(303, r.status);
        assertEquals("/system/console/configMgr", r.headers.get("Location"));
        String cookie = r.headers.get("Set-Cookie");
        assertTrue(cookie.matches(ConsoleSecurityProvider.COOKIE + "=[A-Za-z0-9_-]{43}; Path=/; HttpOnly; SameSite=Strict"),
                cookie);
        String token = cookie.substring(cookie.indexOf('=') + 1, cookie.indexOf(';'));

        FakeHttp.Response page = new FakeHttp.Response();
        assertEquals(new Operator("root", Set.of("admin", "operator"), false), console(token, page));
        assertEquals(200, page.status, "nothing sent: the console serves the page");
        assertNull(console("A".repeat(43), new FakeHttp.Response()), "a made-up token is nothing");
    }

    @Test
    void aSessionEndsAtOnceWithAPasswordChangeADisabledAccountALogoutOrIdleness() throws Exception {
        String first = session("root");
        directory.changePassword("root", PW.toCharArray(), "a brand new passphrase".toCharArray(), "192.0.2.10");
        FakeHttp.Response after = new FakeHttp.Response();
        assertNull(console(first, after), "the password changed: the session is over");
        assertEquals(303, after.status);
        assertTrue(after.headers.get("Location").startsWith("/console/login"));

        directory.createOperator("system", "alice", Set.of("admin"), PW.toCharArray(), false);
        String second = session("alice");
        directory.setDisabled("operator:root", "alice", true);
        assertNull(console(second, new FakeHttp.Response()), "disabled at once");
        directory.setDisabled("operator:root", "alice", false);
        assertNull(console(second, new FakeHttp.Response()), "and the session stays over");

        String third = session("alice");
        FakeHttp.Response out = new FakeHttp.Response();
        provider.logout(FakeHttp.request("GET", BUNDLES).header("Cookie", ConsoleSecurityProvider.COOKIE + "=" + third)
                .build(), out.proxy);
        assertEquals(303, out.status);
        assertTrue(out.headers.get("Set-Cookie").contains("Max-Age=0"));
        assertNull(console(third, new FakeHttp.Response()), "logged out");

        String fourth = session("alice");
        clock.advance(JdbcOperatorDirectory.SESSION_IDLE.minusSeconds(1));
        assertTrue(console(fourth, new FakeHttp.Response()) instanceof Operator);
        clock.advance(JdbcOperatorDirectory.SESSION_IDLE);
        assertNull(console(fourth, new FakeHttp.Response()), "idle for too long");
    }

    @Test
    void refusalsAndWhereTheyLead() throws Exception {
        FakeHttp.Response wrong = post(SAME_ORIGIN, "root", "wrong password!", null);
        assertEquals(401, wrong.status);
        assertTrue(wrong.body().contains("Wrong login or password."));
        assertNull(wrong.headers.get("Set-Cookie"));

        FakeHttp.Response crossSite = post(map("Host", "cachet.example:8080", "Origin", "https://evil.example"),
                "root", PW, null);
        assertEquals(403, crossSite.status);
        assertNull(crossSite.headers.get("Set-Cookie"));

        FakeHttp.Response mustChange = post(SAME_ORIGIN, "newbie", PW, null);
        assertEquals(303, mustChange.status);
        assertEquals("/console/password", mustChange.headers.get("Location"));
        assertNull(mustChange.headers.get("Set-Cookie"), "no session before the password is the operator's own");

        FakeHttp.Response clerk = new FakeHttp.Response();
        assertNull(console(session("clerk"), clerk));
        assertEquals(403, clerk.status, "an operator without the role admin has no console");

        for (int i = 0; i < 6; i++) {
            post(SAME_ORIGIN, "root", "wrong password " + i, null);
        }
        FakeHttp.Response throttled = post(SAME_ORIGIN, "root", PW, null);
        assertEquals(429, throttled.status);
        assertEquals("1", throttled.headers.get("Retry-After"));
        clock.advance(Duration.ofSeconds(1));
        assertEquals(303, post(SAME_ORIGIN, "root", PW, null).status);
    }

    @Test
    void theLoginLeadsBackIntoTheConsoleOnly() {
        assertEquals("/system/console/configMgr", ConsoleLoginServlet.next("/system/console/configMgr"));
        assertEquals("/console/api-keys", ConsoleLoginServlet.next("/console/api-keys"));
        assertEquals("/console", ConsoleLoginServlet.next("/console"), "the console's home");
        assertEquals("/console/outbox", ConsoleLoginServlet.next("/console/outbox"), "other bundles' console pages too");
        for (String evil : new String[] {null, "", "https://evil.example/", "//evil.example/system/console",
                "/system/console//evil.example", "/system/console/\\evil", "/system/console\r\nSet-Cookie: x=y",
                "/elsewhere", "/console/login", "/console/login?next=/console/login", "/console//evil.example"}) {
            assertEquals("/console", ConsoleLoginServlet.next(evil), String.valueOf(evil));
        }
    }

    @Test
    void theFormIsSafe() throws Exception {
        FakeHttp.Response form = new FakeHttp.Response();
        login.service(FakeHttp.request("GET", ConsoleLoginServlet.PATH).param("next", "\"><script>x</script>").build(),
                form.proxy);
        assertEquals(200, form.status);
        assertEquals("no-store", form.headers.get("Cache-Control"));
        assertTrue(form.headers.get("Content-Security-Policy").contains("frame-ancestors 'none'"));
        assertFalse(form.body().contains("<script"));
        assertTrue(form.body().contains("name=\"password\" type=\"password\""));
        assertTrue(form.body().contains("<html lang=\"fr\">") && form.body().contains("<label for=\"login\">Identifiant</label>"),
                "French unless the browser asks otherwise");
    }

    @Test
    void theFormSpeaksTheBrowsersLanguageAndItsRefusalsToo() throws Exception {
        FakeHttp.Response en = new FakeHttp.Response();
        login.service(FakeHttp.request("GET", ConsoleLoginServlet.PATH).header("Accept-Language", "en-GB,en;q=0.8").build(),
                en.proxy);
        assertTrue(en.body().contains("<html lang=\"en\">") && en.body().contains("<title>Log in - Cachet</title>"), en.body());
        assertTrue(en.body().contains("<label for=\"password\">Password</label>"), en.body());

        FakeHttp.Response fr = post(map("Host", "cachet.example:8080", "Origin", "https://cachet.example:8080"), "root", "",
                null);
        assertEquals(400, fr.status);
        assertTrue(fr.body().contains("Saisissez votre identifiant et votre mot de passe."), fr.body());
    }

    @Test
    void refusalsOfTheLoginAreInFrenchOnAFrenchPage() throws Exception {
        Map<String, String> french = new LinkedHashMap<>(SAME_ORIGIN);
        french.put("Accept-Language", "fr");
        FakeHttp.Response wrong = post(french, "root", "not the password", null);
        assertEquals(401, wrong.status);
        assertTrue(wrong.body().contains("Identifiant ou mot de passe incorrect."), wrong.body());
        directory.setDisabled("root", "clerk", true);
        FakeHttp.Response disabled = post(french, "clerk", PW, null);
        assertEquals(401, disabled.status);
        assertTrue(disabled.body().contains("Ce compte d’opérateur est désactivé"), disabled.body());
        FakeHttp.Response last = wrong;
        for (int i = 0; i < 50 && last.status != 429; i++) {
            last = post(french, "root", "not the password " + i, null);
        }
        assertEquals(429, last.status, "the back-off starts after a few failures");
        assertTrue(last.body().contains("Trop d’essais manqués") && last.body().contains("réessayez dans "
                + last.headers.get("Retry-After") + " s."), last.body());
        assertFalse(last.body().contains("Too many"), last.body());
    }
}
