package io.cachet.console.internal;

import static io.cachet.web.testing.FakeHttp.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cachet.api.operator.OperatorDirectory;
import io.cachet.api.operator.OperatorException;
import io.cachet.store.testing.TestDatabases;
import io.cachet.web.testing.FakeHttp;
import io.cachet.web.testing.TestPages;
import io.cachet.api.testing.MutableClock;

class PasswordChangeServletTest {

    static final String PW = "correct horse battery";
    static final String NEW = "a brand new passphrase";
    static final Map<String, String> SAME_ORIGIN = map("Host", "cachet.example:8080", "Origin", "https://cachet.example:8080",
            "Accept-Language", "en");

    @TempDir
    Path temp;

    TestDatabases.Handle db;
    JdbcOperatorDirectory directory;

    @BeforeEach
    void setUp() {
        db = TestDatabases.open("h2", temp);
        directory = new JdbcOperatorDirectory(db.database(), new TableAuditLog(db.database()),
                new MutableClock(Instant.parse("2026-03-01T10:00:00Z")), JdbcOperatorDirectory.Settings.DEFAULTS);
        directory.createOperator("system", "admin", Set.of("admin"), PW.toCharArray(), true);
    }

    @AfterEach
    void tearDown() {
        db.close();
    }

    private static FakeHttp.Response call(OperatorDirectory directory, String method, Map<String, String> headers,
            Map<String, String> params) throws Exception {
        FakeHttp.Response response = new FakeHttp.Response();
        new PasswordChangeServlet(directory, TestPages.create(new ConsolePages())).service(FakeHttp.request(method,
                PasswordChangeServlet.PATH).headers(headers).params(params).build(), response.proxy);
        return response;
    }

    private FakeHttp.Response post(Map<String, String> headers, String current, String next, String confirm)
            throws Exception {
        return call(directory, "POST", headers, map("login", "admin", "current", current, "new", next, "confirm", confirm));
    }

    private static void assertSafePage(FakeHttp.Response response) {
        assertEquals("no-store", response.headers.get("Cache-Control"));
        assertEquals("text/html;charset=UTF-8", response.headers.get("Content-Type"));
        assertTrue(response.headers.get("Content-Security-Policy").contains("frame-ancestors 'none'"));
        assertFalse(response.body().contains("Exception"), "no stack trace");
        assertFalse(response.body().contains("<script") || response.body().contains("style="), "no inline script or style");
        assertTrue(response.headers.get("Content-Security-Policy").contains("default-src 'none'"));
    }

    @Test
    void getShowsTheForm() throws Exception {
        FakeHttp.Response response = call(directory, "GET", map(), map());
        assertEquals(200, response.status);
        assertSafePage(response);
        String html = response.body();
        for (String field : new String[] {"name=\"login\"", "name=\"current\" type=\"password\"",
                "name=\"new\" type=\"password\"", "name=\"confirm\" type=\"password\"", "<form method=\"post\">"}) {
            assertTrue(html.contains(field), field);
        }
    }

    @Test
    void echoedValuesAreEscaped() throws Exception {
        String evil = "\"><script>alert('x')</script>";
        FakeHttp.Response response = call(directory, "GET", map(), map("login", evil));
        assertFalse(response.body().contains(evil));
        assertTrue(response.body().contains("value=\"&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;\""));

        OperatorDirectory refusing = new UnsupportedDirectory() {
            @Override
            public void changePassword(String login, char[] currentPassword, char[] newPassword, String client) {
                throw new OperatorException("No <b>bold</b> & no tricks");
            }
        };
        FakeHttp.Response refused = call(refusing, "POST", SAME_ORIGIN,
                map("login", evil, "current", "x", "new", NEW, "confirm", NEW));
        assertEquals(400, refused.status);
        assertTrue(refused.body().contains("No &lt;b&gt;bold&lt;/b&gt; &amp; no tricks"));
        assertFalse(refused.body().contains(evil));
    }

    @Test
    void aMismatchingConfirmationReshowsTheFormWithTheReason() throws Exception {
        FakeHttp.Response response = post(SAME_ORIGIN, PW, NEW, NEW + "!");
        assertEquals(400, response.status);
        assertSafePage(response);
        assertTrue(response.body().contains("The new password and its confirmation differ; type them again."));
        assertTrue(response.body().contains("value=\"admin\""), "the login is kept");
        assertTrue(directory.authenticate("admin", PW.toCharArray()).orElseThrow().mustChangePassword(), "unchanged");
    }

    @Test
    void directoryRefusalsAreShownOnTheForm() throws Exception {
        FakeHttp.Response wrong = post(SAME_ORIGIN, "not the password", NEW, NEW);
        assertEquals(400, wrong.status);
        assertTrue(wrong.body().contains("The current password is wrong."));
        FakeHttp.Response tooShort = post(SAME_ORIGIN, PW, "short", "short");
        assertTrue(tooShort.body().contains("Choose a new password of at least 12 characters."));
        FakeHttp.Response empty = post(SAME_ORIGIN, PW, "", "");
        assertTrue(empty.body().contains("Fill in every field."));
        FakeHttp.Response common = post(SAME_ORIGIN, PW, "123456789012", "123456789012");
        assertEquals(400, common.status);
        assertTrue(common.body().contains("The new password is a sequence of characters"), "the rule is named");
    }

    @Test
    void aSuccessfulChangeRedirectsToTheConsole() throws Exception {
        FakeHttp.Response response = post(map("Host", "localhost:8080", "Referer", "http://localhost:8080/console/password"),
                PW, NEW, NEW);
        assertEquals(303, response.status);
        assertEquals("/console", response.headers.get("Location"));
        assertEquals("no-store", response.headers.get("Cache-Control"));
        assertFalse(directory.authenticate("admin", NEW.toCharArray()).orElseThrow().mustChangePassword());
    }

    @Test
    void crossSitePostsAreRefused() throws Exception {
        for (Map<String, String> headers : new Map[] {
                map("Host", "cachet.example:8080", "Origin", "https://evil.example"),
                map("Host", "cachet.example:8080", "Origin", "https://cachet.example:8080.evil.example"),
                map("Host", "cachet.example:8080", "Origin", "null"),
                map("Host", "cachet.example:8080", "Origin", "https://evil.example",
                        "Referer", "https://cachet.example:8080/console/password"),
                map("Host", "cachet.example:8080", "Referer", "https://evil.example/cachet.example:8080"),
                map("Host", "cachet.example:8080"),
                map("Origin", "https://cachet.example:8080")}) {
            FakeHttp.Response response = post(headers, PW, NEW, NEW);
            assertEquals(403, response.status, headers.toString());
            assertEquals("no-store", response.headers.get("Cache-Control"));
        }
        assertTrue(directory.authenticate("admin", PW.toCharArray()).isPresent(), "password unchanged");
    }
}
