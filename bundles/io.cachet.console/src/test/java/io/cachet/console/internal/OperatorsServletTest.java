package io.cachet.console.internal;

import static io.cachet.web.testing.FakeHttp.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cachet.api.operator.Authentication.Status;
import io.cachet.api.web.ConsolePage;
import io.cachet.api.web.Pages;
import io.cachet.store.testing.TestDatabases;
import io.cachet.web.testing.FakeHttp;
import io.cachet.web.testing.TestPages;
import io.cachet.api.testing.MutableClock;

import jakarta.servlet.http.HttpServletRequest;

/** The operator accounts page on the real directory (H2) and the real page framework. */
class OperatorsServletTest {

    static final String PW = "quiet maple engine 48";
    static final String FIRST = "plum orchard lantern 31";

    @TempDir
    Path temp;
    TestDatabases.Handle db;
    TableAuditLog audit;
    JdbcOperatorDirectory directory;
    ConsolePageAccess access;
    OperatorsServlet servlet;

    @BeforeEach
    void setUp() {
        db = TestDatabases.open("h2", temp);
        audit = new TableAuditLog(db.database());
        directory = new JdbcOperatorDirectory(db.database(), audit, new MutableClock(Instant.parse("2026-03-01T10:00:00Z")),
                JdbcOperatorDirectory.Settings.DEFAULTS);
        directory.createOperator("system", "root", Set.of("admin"), PW.toCharArray(), false);
        directory.createOperator("system", "helpdesk", Set.of("support"), PW.toCharArray(), false);
        Pages pages = TestPages.create(new ConsolePages());
        access = new ConsolePageAccess(directory, pages);
        access.addPage(new ConsoleEntries.Home());
        access.addPage(new ConsoleEntries.Operators());
        access.addPage(new ConsoleEntries.ApiKeys());
        servlet = new OperatorsServlet(directory, access, pages);
    }

    @AfterEach
    void tearDown() {
        db.close();
    }

    static Map<String, String> headers(String login) {
        return new LinkedHashMap<>(map("Host", "cachet.example:8080", "Origin", "https://cachet.example:8080",
                "Authorization", "Basic " + Base64.getEncoder().encodeToString((login + ":" + PW)
                        .getBytes(StandardCharsets.UTF_8)), "Accept-Language", "en"));
    }

    /** A request to the page; several values of one parameter travel as lines of one value. */
    static HttpServletRequest request(String method, Map<String, String> headers, Map<String, String> params) {
        FakeHttp.Request r = FakeHttp.request(method, OperatorsServlet.PATH).headers(headers);
        params.forEach((name, value) -> r.param(name, value.split("\n")));
        return r.build();
    }

    FakeHttp.Response call(String method, String login, Map<String, String> params) throws Exception {
        FakeHttp.Response response = new FakeHttp.Response();
        servlet.service(request(method, headers(login), params), response.proxy);
        return response;
    }

    FakeHttp.Response post(String login, String... params) throws Exception {
        Map<String, String> p = new LinkedHashMap<>(map("csrf", access.token(login, OperatorsServlet.FORM)));
        p.putAll(map(params));
        return call("POST", login, p);
    }

    @Test
    void anAdministratorSeesTheAccountsInTheShellWithTheirEntryCurrent() throws Exception {
        FakeHttp.Response page = call("GET", "root", map());
        assertEquals(200, page.status, page.body());
        String body = page.body();
        assertTrue(body.contains("<code>helpdesk</code>") && body.contains("<code>root</code>"));
        assertTrue(body.contains("<a href=\"/console/operators\" aria-current=\"page\">Operators</a>"), body);
        assertTrue(body.contains("<a href=\"/console/api-keys\">API keys</a>"));
        assertTrue(body.contains("Logged in as root"));
        assertTrue(body.contains("action=\"/console/logout\""));
        assertFalse(body.contains("name=\"login\" value=\"root\""), "no button to disable oneself");
        assertFalse(body.contains("<script") || body.contains("style="), "no inline script or style");
    }

    @Test
    void aPageForSeveralRolesRefusesOthersInTheConsolesFrameNamingTheRoles() throws Exception {
        FakeHttp.Response refused = new FakeHttp.Response();
        assertTrue(access.operatorWith(request("GET", headers("helpdesk"), map()), refused.proxy,
                Set.of("auditor", "admin")).isEmpty());
        assertEquals(403, refused.status);
        String body = refused.body();
        assertTrue(body.contains("This page needs one of the roles admin, auditor."), body);
        assertTrue(body.contains("Your account holds support."), body);
        assertTrue(body.contains("Logged in as helpdesk"), "in the console's frame");

        FakeHttp.Response let = new FakeHttp.Response();
        assertEquals("root", access.operatorWith(request("GET", headers("root"), map()), let.proxy,
                Set.of("auditor", "admin")).orElseThrow().login());
        assertEquals("", let.body(), "nothing sent for an operator who may");
    }

    @Test
    void onlyAdministratorsOpenIt() throws Exception {
        assertEquals(403, call("GET", "helpdesk", map()).status);
        assertEquals(403, post("helpdesk", "action", "disable", "login", "root").status);
        assertEquals(Status.GRANTED, directory.login("root", PW.toCharArray(), "192.0.2.1").status());
    }

    @Test
    void aNewAccountMustReplaceItsFirstPassword() throws Exception {
        FakeHttp.Response created = post("root", "action", "create", "login", "rita", "role", "ra-officer\nauditor",
                "password", FIRST);
        assertEquals(200, created.status, created.body());
        assertTrue(created.body().contains("Account rita created."));
        var rita = directory.accounts().stream().filter(o -> o.login().equals("rita")).findFirst().orElseThrow();
        assertEquals(Set.of("ra-officer", "auditor"), rita.roles());
        assertTrue(rita.mustChangePassword());
        var login = directory.login("rita", FIRST.toCharArray(), "192.0.2.1");
        assertEquals(Status.GRANTED, login.status());
        assertTrue(login.operator().mustChangePassword());
        assertTrue(audit.committed().stream().anyMatch(r -> r.startsWith("operator:root ") && r.contains("rita")),
                String.valueOf(audit.committed()));
    }

    @Test
    void badInputIsRefusedNamingTheFieldAndChangesNothing() throws Exception {
        int before = directory.accounts().size();
        FakeHttp.Response noRole = post("root", "action", "create", "login", "sam", "password", FIRST);
        assertEquals(400, noRole.status);
        assertTrue(noRole.body().contains("Roles: tick at least one role."));
        assertTrue(noRole.body().contains("value=\"sam\""), "what was typed is kept");
        FakeHttp.Response weak = post("root", "action", "create", "login", "sam", "role", "support",
                "password", "123456789012");
        assertEquals(400, weak.status);
        assertTrue(weak.body().contains("role=\"alert\""));
        assertEquals(400, post("root", "action", "create", "login", "sam", "role", "superuser", "password", FIRST).status);
        assertEquals(400, post("root", "action", "create", "login", "Bad Login", "role", "support",
                "password", FIRST).status);
        assertEquals(before, directory.accounts().size());
        FakeHttp.Response forged = call("POST", "root", map("csrf", access.token("root", "api-keys"), "action",
                "create", "login", "sam", "role", "support", "password", FIRST));
        assertEquals(403, forged.status);
        assertEquals(before, directory.accounts().size());
    }

    @Test
    void theDirectorysRefusalsAreWordedInThePagesLanguage() throws Exception {
        Map<String, String> french = headers("root");
        french.put("Accept-Language", "fr-FR,fr;q=0.9");
        java.util.function.Function<Map<String, String>, FakeHttp.Response> post = params -> {
            Map<String, String> p = new LinkedHashMap<>(map("csrf", access.token("root", OperatorsServlet.FORM)));
            p.putAll(params);
            FakeHttp.Response response = new FakeHttp.Response();
            try {
                servlet.service(request("POST", french, p), response.proxy);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
            return response;
        };
        FakeHttp.Response sequence = post.apply(map("action", "create", "login", "sam", "role", "support",
                "password", "123456789012"));
        assertEquals(400, sequence.status);
        assertTrue(sequence.body().contains("Le nouveau mot de passe est une suite de caractères"), sequence.body());
        FakeHttp.Response taken = post.apply(map("action", "create", "login", "helpdesk", "role", "support",
                "password", FIRST));
        assertEquals(400, taken.status);
        assertTrue(taken.body().contains("L’identifiant helpdesk est déjà pris."), taken.body());
        FakeHttp.Response role = post.apply(map("action", "create", "login", "sam", "role", "superuser",
                "password", FIRST));
        assertTrue(role.body().contains("Rôle inconnu : superuser"), role.body());
        FakeHttp.Response format = post.apply(map("action", "create", "login", "Bad Login", "role", "support",
                "password", FIRST));
        assertTrue(format.body().contains("Un identifiant compte de 2 à 64 caractères"), format.body());
        FakeHttp.Response nobody = post.apply(map("action", "disable", "login", "nobody"));
        assertEquals(404, nobody.status);
        assertTrue(nobody.body().contains("Il n’y a pas d’opérateur nobody."), nobody.body());
        for (FakeHttp.Response r : List.of(sequence, taken, role, format, nobody)) {
            assertFalse(r.body().contains("The login") || r.body().contains("There is no") || r.body().contains("Unknown role"),
                    "no English refusal on a French page: " + r.body());
        }
        // English pages keep their words
        FakeHttp.Response english = post("root", "action", "create", "login", "helpdesk", "role", "support",
                "password", FIRST);
        assertTrue(english.body().contains("The login helpdesk is taken."), english.body());
    }

    @Test
    void anAdministratorDisablesAndEnablesAnotherAccountButNotTheirOwn() throws Exception {
        FakeHttp.Response disabled = post("root", "action", "disable", "login", "helpdesk");
        assertEquals(200, disabled.status, disabled.body());
        assertEquals(Set.of("helpdesk"), directory.disabledAccounts());
        assertEquals(Status.DENIED, directory.login("helpdesk", PW.toCharArray(), "192.0.2.1").status());
        assertTrue(disabled.body().contains(">disabled<"));
        assertEquals(200, post("root", "action", "enable", "login", "helpdesk").status);
        assertEquals(Set.of(), directory.disabledAccounts());
        assertEquals(400, post("root", "action", "disable", "login", "root").status);
        assertEquals(404, post("root", "action", "disable", "login", "nobody").status);
        assertTrue(audit.actions().containsAll(List.of("operator.disabled", "operator.enabled")));
    }

    @Test
    void theShellListsOnlyTheEntriesTheRolesAllow() {
        ConsolePage auditOnly = NavigationTest.page("/console/audit", "console.nav.home", 5, "auditor");
        access.addPage(auditOnly);
        var support = new io.cachet.api.operator.Operator("helpdesk", Set.of("support"), false);
        var shell = access.shell(FakeHttp.request("GET", ApiKeysServlet.PATH).build(), support);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> nav = (List<Map<String, Object>>) shell.get("nav");
        assertEquals(List.of("/console", "/console/api-keys"), nav.stream().map(e -> e.get("href")).toList());
        assertEquals(List.of(false, true), nav.stream().map(e -> e.get("current")).toList());
    }
}
