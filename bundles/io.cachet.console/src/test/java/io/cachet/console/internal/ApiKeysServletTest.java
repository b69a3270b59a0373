package io.cachet.console.internal;

import static io.cachet.web.testing.FakeHttp.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cachet.api.operator.ApiKey;
import io.cachet.api.operator.ApiKeyScope;
import io.cachet.api.operator.Authentication.Status;
import io.cachet.store.testing.TestDatabases;
import io.cachet.web.testing.FakeHttp;
import io.cachet.api.web.Pages;
import io.cachet.web.testing.TestPages;
import io.cachet.api.testing.MutableClock;

import jakarta.servlet.http.HttpServletRequest;

/** The console page of API keys, against a real directory on H2. */
class ApiKeysServletTest {

    static final String PW = "correct horse battery";
    static final Pattern SECRET = Pattern.compile("<code id=\"secret\">(ck_[a-z2-7]{12}_[A-Za-z0-9_-]{43})</code>");

    @TempDir
    Path temp;

    TestDatabases.Handle db;
    TableAuditLog audit;
    MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
    JdbcOperatorDirectory directory;
    ConsolePageAccess access;
    ApiKeysServlet servlet;

    @BeforeEach
    void setUp() {
        db = TestDatabases.open("h2", temp);
        audit = new TableAuditLog(db.database());
        directory = new JdbcOperatorDirectory(db.database(), audit, clock, JdbcOperatorDirectory.Settings.DEFAULTS);
        directory.createOperator("system", "clerk", Set.of("operator"), PW.toCharArray(), false);
        directory.createOperator("system", "newbie", Set.of("admin"), PW.toCharArray(), true);
        Pages pages = TestPages.create(new ConsolePages());
        access = new ConsolePageAccess(directory, pages);
        servlet = new ApiKeysServlet(directory, access, pages, clock);
    }

    @AfterEach
    void tearDown() {
        db.close();
    }

    static Map<String, String> headers(String login, String... more) {
        Map<String, String> h = new LinkedHashMap<>(map("Host", "cachet.example:8080", "Origin", "https://cachet.example:8080",
                "Authorization", "Basic " + Base64.getEncoder().encodeToString((login + ":" + PW)
                        .getBytes(StandardCharsets.UTF_8)), "Accept-Language", "en"));
        h.putAll(map(more));
        return h;
    }

    static HttpServletRequest request(String method, Map<String, String> headers, Map<String, String> params) {
        return FakeHttp.request(method, ApiKeysServlet.PATH).headers(headers).params(params).build();
    }

    FakeHttp.Response call(String method, Map<String, String> headers, Map<String, String> params) throws Exception {
        FakeHttp.Response response = new FakeHttp.Response();
        servlet.service(request(method, headers, params), response.proxy);
        return response;
    }

    FakeHttp.Response post(String login, String... params) throws Exception {
        Map<String, String> p = new LinkedHashMap<>(map("csrf", token(login)));
        p.putAll(map(params));
        return call("POST", headers(login), p);
    }

    static String secret(FakeHttp.Response response) {
        Matcher m = SECRET.matcher(response.body());
        assertTrue(m.find(), "the secret is shown once: " + response.body());
        return m.group(1);
    }

    @Test
    void withoutCredentialsItAsksForThem() throws Exception {
        FakeHttp.Response response = call("GET", map(), map());
        assertEquals(401, response.status);
        assertTrue(response.headers.get("WWW-Authenticate").startsWith("Basic realm=\"Cachet operators\""));
    }

    @Test
    void anOperatorWhoMustChangeThePasswordIsSentToThePasswordPageFirst() throws Exception {
        FakeHttp.Response response = call("GET", headers("newbie"), map());
        assertEquals(303, response.status);
        assertEquals("/console/password", response.headers.get("Location"));
    }

    @Test
    void anyOperatorListsCreatesRotatesAndRevokesTheirOwnKeys() throws Exception {
        FakeHttp.Response page = call("GET", headers("clerk"), map());
        assertEquals(200, page.status);
        assertEquals("no-store", page.headers.get("Cache-Control"));
        assertTrue(page.headers.get("Content-Security-Policy").contains("frame-ancestors 'none'"));
        assertTrue(page.body().contains("<option value=\"operator\">") && page.body().contains("<option value=\"read\">"));
        assertFalse(page.body().contains("<option value=\"admin\">"), "only the scopes the roles allow");
        assertTrue(page.body().contains("name=\"csrf\" value=\"" + token("clerk") + "\""));

        FakeHttp.Response created = post("clerk", "action", "create", "scope", "operator", "label", "<b>ci</b>",
                "days", "30");
        assertEquals(200, created.status, created.body());
        String key = secret(created);
        assertTrue(created.body().contains("&lt;b&gt;ci&lt;/b&gt;"), "the label is escaped");
        assertEquals(Status.GRANTED, directory.authenticateApiKey(key, "192.0.2.10").status());
        ApiKey stored = directory.apiKeys("clerk").get(0);
        assertEquals(ApiKeyScope.OPERATOR, stored.scope());
        assertEquals(clock.instant().plus(Duration.ofDays(30)), stored.expiresAt());

        FakeHttp.Response listed = call("GET", headers("clerk"), map());
        assertFalse(listed.body().contains(key.substring(16)), "a listing never shows a secret");

        FakeHttp.Response rotated = post("clerk", "action", "rotate", "id", stored.id());
        String newKey = secret(rotated);
        assertEquals(Status.DENIED, directory.authenticateApiKey(key, "192.0.2.10").status(), "old secret refused at once");
        assertEquals(Status.GRANTED, directory.authenticateApiKey(newKey, "192.0.2.10").status());

        FakeHttp.Response revoked = post("clerk", "action", "revoke", "id", stored.id());
        assertEquals(200, revoked.status);
        assertTrue(revoked.body().contains("Key " + stored.id() + " is revoked."));
        assertEquals(Status.DENIED, directory.authenticateApiKey(newKey, "192.0.2.10").status(), "revoked at once");
        assertTrue(audit.actions().containsAll(List.of("operator.apikey.created", "operator.apikey.rotated",
                "operator.apikey.revoked")));
        assertTrue(audit.committed().stream().anyMatch(r -> r.startsWith("operator:clerk operator.apikey.revoked")));
    }

    @Test
    void refusalsAreShownOnThePageAndChangeNothing() throws Exception {
        FakeHttp.Response wide = post("clerk", "action", "create", "scope", "admin");
        assertEquals(400, wide.status);
        assertTrue(wide.body().contains("choose a narrower scope"), wide.body());
        FakeHttp.Response badDays = post("clerk", "action", "create", "scope", "read", "days", "-3");
        assertEquals(400, badDays.status);
        assertTrue(badDays.body().contains("Expires after: give a whole number of days"));
        FakeHttp.Response notMine = post("clerk", "action", "revoke", "id", "aaaaaaaaaaaa");
        assertEquals(400, notMine.status);
        assertTrue(notMine.body().contains("You have no API key aaaaaaaaaaaa."));
        assertEquals(List.of(), directory.apiKeys("clerk"));
    }

    @Test
    void forgedFormsAreRefused() throws Exception {
        Map<String, String> create = map("action", "create", "scope", "read");
        FakeHttp.Response noToken = call("POST", headers("clerk"), create);
        assertEquals(403, noToken.status);
        assertTrue(noToken.body().contains("nothing was changed"));

        Map<String, String> otherToken = new LinkedHashMap<>(create);
        otherToken.put("csrf", token("newbie"));
        assertEquals(403, call("POST", headers("clerk"), otherToken).status, "a token is bound to its operator");

        Map<String, String> withToken = new LinkedHashMap<>(create);
        withToken.put("csrf", token("clerk"));
        assertEquals(403, call("POST", headers("clerk", "Origin", "https://evil.example"), withToken).status,
                "cross-site, even with a token");
        Map<String, String> noOrigin = headers("clerk");
        noOrigin.remove("Origin");
        assertEquals(403, call("POST", noOrigin, withToken).status);

        assertEquals(List.of(), directory.apiKeys("clerk"), "the forged forms made nothing");

        assertEquals(200, call("POST", headers("clerk"), withToken).status, "the genuine form works");
        assertEquals(1, directory.apiKeys("clerk").size());
    }

    String token(String login) {
        return access.token(login, ApiKeysServlet.FORM);
    }

    @Test
    void theAccessOfOtherConsolePagesChecksTheRoleAndBindsTokensToTheirForm() throws Exception {
        FakeHttp.Response refused = new FakeHttp.Response();
        assertTrue(access.operator(request("GET", headers("clerk"), map()), refused.proxy, "admin").isEmpty());
        assertEquals(403, refused.status, "clerk has no role admin");
        FakeHttp.Response allowed = new FakeHttp.Response();
        var clerk = access.operator(request("GET", headers("clerk"), map()), allowed.proxy, "operator");
        assertTrue(clerk.isPresent());
        String outbox = access.formToken(clerk.get(), "outbox");
        assertTrue(access.formAllowed(request("POST", headers("clerk"), map("csrf", outbox)), clerk.get(), "outbox"));
        assertFalse(access.formAllowed(request("POST", headers("clerk"), map("csrf", outbox)), clerk.get(),
                ApiKeysServlet.FORM), "a token of one form is refused by another");
        assertFalse(access.formAllowed(request("POST", headers("clerk", "Origin", "https://evil.example"),
                map("csrf", outbox)), clerk.get(), "outbox"), "cross-site");
        assertFalse(access.formAllowed(request("POST", headers("clerk"), map()), clerk.get(), "outbox"));
    }

    @Test
    void thePageIsInFrenchByDefault() throws Exception {
        Map<String, String> french = headers("clerk");
        french.remove("Accept-Language");
        FakeHttp.Response page = call("GET", french, map());
        assertEquals(200, page.status);
        assertTrue(page.body().contains("<html lang=\"fr\">") && page.body().contains("Clés d’API de clerk"), page.body());
    }
}
