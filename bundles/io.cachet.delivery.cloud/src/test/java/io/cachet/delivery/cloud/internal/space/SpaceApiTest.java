package io.cachet.delivery.cloud.internal.space;

import static io.cachet.delivery.cloud.internal.space.SpaceFixture.ANNA;
import static io.cachet.delivery.cloud.internal.space.SpaceFixture.GOOD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.cachet.api.order.Order;
import io.cachet.api.order.OrderState;
import io.cachet.delivery.cloud.internal.HolderAccess;
import io.cachet.delivery.cloud.internal.HolderSession;
import io.cachet.delivery.cloud.internal.factor.SoftAuthenticator;
import io.cachet.web.testing.FakeHttp;

/**
 * The JSON for programs (H2 and PostgreSQL): the password through the link's token, the session (login with a second
 * factor, logout with the csrf header), the WebAuthn options; errors as problem+json saying what to do; and the
 * {@link HolderAccess} service Click&amp;Cert and the CSC API use.
 */
class SpaceApiTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    static java.util.stream.Stream<String> products() {
        return io.cachet.store.testing.TestDatabases.products();
    }

    private static JsonNode body(FakeHttp.Response r) throws Exception {
        return JSON.readTree(r.body());
    }

    private static String login(String email, String password) {
        return "{\"email\":\"" + email + "\",\"password\":\"" + password + "\"}";
    }

    @ParameterizedTest
    @MethodSource("products")
    void aProgramSetsThePasswordLogsInAndOut(String product) throws Exception {
        try (SpaceFixture f = new SpaceFixture(product, dir)) {
            Order o = f.cloudOrder();
            SpaceApiServlet api = new SpaceApiServlet(f.service);
            Http cli = new Http();
            String link = (String) f.notifier.of("cloudspace.password.set").get(0).model().get("link");

            FakeHttp.Response weak = cli.json(api, "POST", "/space/api/password", "{\"token\":\"" + link
                    + "\",\"password\":\"short\"}");
            assertEquals(400, weak.status);
            assertEquals("application/problem+json", weak.headers.get("Content-Type"));
            assertTrue(body(weak).get("detail").asText().contains("at least 12 characters"), weak.body());
            assertEquals(400, cli.json(api, "POST", "/space/api/password", "not json").status);
            assertEquals(400, cli.json(api, "POST", "/space/api/password", "{\"token\":1}").status);
            FakeHttp.Response huge = cli.json(api, "POST", "/space/api/password", "{\"token\":\"" + "x".repeat(40_000)
                    + "\"}");
            assertEquals(400, huge.status);
            assertTrue(body(huge).get("detail").asText().contains("too large"), huge.body());
            assertEquals(404, cli.json(api, "POST", "/space/api/nothing", "{}").status);
            assertEquals(OrderState.DELIVERY, f.order(o.id()).state(), "nothing changed by bad input");
            assertEquals(204, cli.json(api, "POST", "/space/api/password", "{\"token\":\"" + link
                    + "\",\"password\":\"" + GOOD + "\"}").status, "the whole link is accepted");
            assertEquals(OrderState.ACTIVE, f.order(o.id()).state());
            FakeHttp.Response reused = cli.json(api, "POST", "/space/api/password", "{\"token\":\"" + link
                    + "\",\"password\":\"" + GOOD + "\"}");
            assertEquals(410, reused.status);
            assertTrue(body(reused).get("detail").asText().contains("/space/forgot"));

            FakeHttp.Response wrong = cli.json(api, "POST", "/space/api/session", login(ANNA.email(), "nope"));
            assertEquals(401, wrong.status);
            assertEquals("WRONG_PASSWORD", body(wrong).get("code").asText());
            assertEquals("urn:cachet:problem:wrong-password", body(wrong).get("type").asText());

            FakeHttp.Response in = cli.json(api, "POST", "/space/api/session", login(ANNA.email(), GOOD));
            assertEquals(200, in.status, in.body());
            JsonNode session = body(in);
            assertEquals("anna@example.org", session.get("holder").get("email").asText());
            assertEquals(0, session.get("factors").size());
            String csrf = session.get("csrf").asText();
            assertTrue(cli.cookies.containsKey(HolderAccess.SESSION_COOKIE));

            FakeHttp.Response current = cli.json(api, "GET", "/space/api/session", null);
            assertEquals(200, current.status);
            assertEquals(csrf, body(current).get("csrf").asText());
            assertEquals(405, cli.json(api, "GET", "/space/api/password", null).status);
            assertEquals(403, cli.json(api, "DELETE", "/space/api/session", "").status, "without the header");
            cli.headers.put(HolderAccess.CSRF_HEADER, csrf);
            cli.headers.put("Origin", "https://evil.example");
            assertEquals(403, cli.json(api, "DELETE", "/space/api/session", "").status, "from another origin");
            cli.headers.put("Origin", "https://" + Http.HOST);
            assertEquals(204, cli.json(api, "DELETE", "/space/api/session", "").status);
            assertFalse(cli.cookies.containsKey(HolderAccess.SESSION_COOKIE));
            assertEquals(401, cli.json(api, "DELETE", "/space/api/session", "").status);
            assertEquals(401, cli.json(api, "GET", "/space/api/session", null).status);
        }
    }

    @ParameterizedTest
    @MethodSource("products")
    void aProgramLogsInWithASecurityKeyThroughTheOptions(String product) throws Exception {
        try (SpaceFixture f = new SpaceFixture(product, dir)) {
            f.active();
            SoftAuthenticator key = new SoftAuthenticator();
            String origin = SpaceFixture.BASE;
            assertTrue(f.service.registerWebAuthn(f.accountId(), "Key", key.create(f.service.registrationOptions(
                    f.accountId(), "Cachet"), origin), origin));
            SpaceApiServlet api = new SpaceApiServlet(f.service);
            Http cli = new Http();

            FakeHttp.Response asked = cli.json(api, "POST", "/space/api/session", login(ANNA.email(), GOOD));
            assertEquals(401, asked.status);
            JsonNode problem = body(asked);
            assertEquals("FACTOR_REQUIRED", problem.get("code").asText());
            assertEquals("webauthn", problem.get("factors").get(0).asText());
            assertTrue(problem.get("detail").asText().contains("/space/api/webauthn/options"));

            FakeHttp.Response noToken = cli.json(api, "POST", "/space/api/webauthn/options", "{}");
            assertEquals(403, noToken.status);
            cli.headers.put(HolderAccess.CSRF_HEADER, problem.get("csrf").asText());
            FakeHttp.Response options = cli.json(api, "POST", "/space/api/webauthn/options", "{}");
            assertEquals(200, options.status, options.body());
            String assertion = key.get(options.body(), origin);
            FakeHttp.Response in = cli.json(api, "POST", "/space/api/session", JSON.writeValueAsString(java.util.Map.of(
                    "email", ANNA.email(), "password", GOOD, "factorKind", "webauthn", "factorResponse", assertion)));
            assertEquals(200, in.status, in.body());
            assertTrue(body(in).get("secondFactor").asBoolean());
        }
    }

    @ParameterizedTest
    @MethodSource("products")
    void holderAccessGivesTheSessionOfTheCookieAndChecksItsRequests(String product) throws Exception {
        try (SpaceFixture f = new SpaceFixture(product, dir)) {
            Order o = f.active();
            SpaceService.Login l = f.service.login(ANNA.email(), GOOD.toCharArray(), null, null, null, "c");
            Http browser = new Http();
            browser.cookies.put(HolderAccess.SESSION_COOKIE, l.cookie());
            HolderAccess access = new SpaceAccess(f.service);
            java.util.concurrent.atomic.AtomicReference<Optional<HolderSession>> seen =
                    new java.util.concurrent.atomic.AtomicReference<>();
            java.util.concurrent.atomic.AtomicBoolean genuine = new java.util.concurrent.atomic.AtomicBoolean();
            jakarta.servlet.http.HttpServlet probe = new jakarta.servlet.http.HttpServlet() {
                private static final long serialVersionUID = 1L;

                @Override
                protected void doPost(jakarta.servlet.http.HttpServletRequest req,
                        jakarta.servlet.http.HttpServletResponse resp) {
                    seen.set(access.session(req));
                    genuine.set(seen.get().map(s -> access.genuine(s, req)).orElse(false));
                }
            };
            browser.post(probe, "/space/sign", java.util.Map.of("csrf", l.session().csrf()));
            assertEquals(l.session().id(), seen.get().orElseThrow().id());
            assertTrue(genuine.get());
            browser.post(probe, "/space/sign", java.util.Map.of("csrf", "other"));
            assertFalse(genuine.get());
            browser.headers.put("Referer", "https://evil.example/page");
            browser.post(probe, "/space/sign", java.util.Map.of("csrf", l.session().csrf()));
            assertFalse(genuine.get(), "another site's page");
            browser.headers.put("Referer", SpaceFixture.BASE + "/space/sign");
            browser.post(probe, "/space/sign", java.util.Map.of("csrf", l.session().csrf()));
            assertTrue(genuine.get());

            String id = f.accountId();
            assertEquals("anna@example.org", access.holder(id).orElseThrow().email());
            assertEquals(java.util.List.of(o.id()), access.orderIds(id));
            assertTrue(access.login("anna@example.org", GOOD.toCharArray(), "c").ok());
            assertTrue(access.confirm(id, GOOD.toCharArray(), null, null, null, "c").ok());
            assertTrue(access.factors(id).isEmpty());
            assertTrue(access.factorChallenge(id).isEmpty());
            assertTrue(access.holder("nobody").isEmpty());
        }
    }
}
