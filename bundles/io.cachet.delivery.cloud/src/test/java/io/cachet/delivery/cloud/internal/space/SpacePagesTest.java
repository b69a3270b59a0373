package io.cachet.delivery.cloud.internal.space;

import static io.cachet.delivery.cloud.internal.space.SpaceFixture.ANNA;
import static io.cachet.delivery.cloud.internal.space.SpaceFixture.GOOD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.cachet.api.order.Order;
import io.cachet.api.order.OrderState;
import io.cachet.api.web.ClientLimiter;
import io.cachet.api.web.Pages;
import io.cachet.delivery.cloud.internal.HolderAccess;
import io.cachet.delivery.cloud.internal.factor.Totp;
import io.cachet.web.testing.FakeHttp;
import io.cachet.web.testing.TestPages;

/**
 * The customer space's pages through the real page framework, in French and English: the password link, the login
 * (with its second step), the logout, the forgotten password, the security page; the anti-forgery token on every post
 * (nothing changes without it), the session cookie's attributes, the script policy, never cached.
 */
class SpacePagesTest {

    @TempDir
    Path dir;

    private static SpaceServlet servlet(SpaceFixture f, int resetsPerHour) {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        Pages pages = TestPages.create(new SpacePages());
        return new SpaceServlet(pages, f.service, key, new ClientLimiter(resetsPerHour, f.clock));
    }

    static java.util.stream.Stream<String> products() {
        return io.cachet.store.testing.TestDatabases.products();
    }

    @ParameterizedTest
    @MethodSource("products")
    void theHolderSetsThePasswordOnceThroughTheLinkInEnglishOrFrench(String product) throws Exception {
        try (SpaceFixture f = new SpaceFixture(product, dir)) {
            Order o = f.cloudOrder();
            SpaceServlet s = servlet(f, 5);
            String path = "/space/password/" + f.lastSecret();
            Http anna = new Http();

            FakeHttp.Response page = anna.get(s, path);
            assertEquals(200, page.status);
            assertTrue(page.body().contains("Choose the password of your customer space"), page.body());
            assertTrue(page.body().contains("Your login is anna@example.org"), page.body());
            assertEquals("no-store", page.headers.get("Cache-Control"));
            assertTrue(page.headers.get("Content-Security-Policy").contains("script-src 'self'"));
            assertTrue(page.body().matches("(?s).*<script src=\"[^\"]*password\\.js[^\"]*\"></script>.*"), "asset");
            assertFalse(page.body().matches("(?s).*<script>.*"), "no inline script");
            String csrf = page.field(path, "csrf");

            FakeHttp.Response forged = anna.post(s, path, Map.of("csrf", "forged", "password", GOOD, "confirm", GOOD));
            assertEquals(403, forged.status);
            assertEquals(OrderState.DELIVERY, f.order(o.id()).state(), "nothing changed");

            FakeHttp.Response common = anna.post(s, path, Map.of("csrf", csrf, "password", "Motdepasse2026!",
                    "confirm", "Motdepasse2026!"));
            assertEquals(422, common.status);
            assertTrue(common.body().contains("This password is too common"), common.body());
            FakeHttp.Response mismatch = anna.post(s, path, Map.of("csrf", csrf, "password", GOOD, "confirm",
                    GOOD + "x"));
            assertEquals(422, mismatch.status);
            assertTrue(mismatch.body().contains("The two passwords are not the same"));

            FakeHttp.Response done = anna.post(s, path, Map.of("csrf", csrf, "password", GOOD, "confirm", GOOD));
            assertEquals(200, done.status, done.body());
            assertTrue(done.body().contains("Your password is saved"));
            assertEquals(OrderState.ACTIVE, f.order(o.id()).state());
            assertFalse(done.body().contains(GOOD));

            FakeHttp.Response used = anna.get(s, path);
            assertEquals(410, used.status);
            assertTrue(used.body().contains("This link was already used"), used.body());
            assertTrue(used.body().contains("href=\"/space/forgot\""));
            anna.language = "fr";
            FakeHttp.Response usedFr = anna.get(s, path);
            assertTrue(usedFr.body().contains("Ce lien a déjà servi"), usedFr.body());
            FakeHttp.Response again = anna.post(s, path, Map.of("csrf", csrf, "password", "something else entirely",
                    "confirm", "something else entirely"));
            assertEquals(410, again.status, "a used link sets nothing");
            assertEquals(404, anna.get(s, "/space/password/" + "A".repeat(43)).status);
        }
    }

    @Test
    void anExpiredLinkSaysSoInFrench() throws Exception {
        try (SpaceFixture f = new SpaceFixture("h2", dir)) {
            f.cloudOrder();
            f.clock.advance(Duration.ofHours(73));
            Http anna = new Http();
            anna.language = "fr";
            FakeHttp.Response r = anna.get(servlet(f, 5), "/space/password/" + f.lastSecret());
            assertEquals(410, r.status);
            assertTrue(r.body().contains("Ce lien a expiré"), r.body());
            assertTrue(r.body().contains("Recevoir un nouveau lien"));
        }
    }

    @ParameterizedTest
    @MethodSource("products")
    void loginSessionCookieAndLogoutWithItsToken(String product) throws Exception {
        try (SpaceFixture f = new SpaceFixture(product, dir)) {
            f.active();
            SpaceServlet s = servlet(f, 5);
            Http anna = new Http();
            FakeHttp.Response home = anna.get(s, "/space/");
            assertEquals(303, home.status);
            assertEquals("/space/login", home.headers.get("Location"));

            anna.language = "fr";
            FakeHttp.Response form = anna.get(s, "/space/login");
            assertTrue(form.body().contains("Se connecter"), form.body());
            String csrf = form.field("/space/login", "csrf");
            FakeHttp.Response noToken = anna.post(s, "/space/login", Map.of("email", ANNA.email(), "password", GOOD));
            assertEquals(403, noToken.status);
            assertFalse(anna.cookies.containsKey(HolderAccess.SESSION_COOKIE));
            FakeHttp.Response wrong = anna.post(s, "/space/login", Map.of("csrf", csrf, "email", ANNA.email(),
                    "password", "not it"));
            assertEquals(401, wrong.status);
            assertTrue(wrong.body().contains("Adresse e-mail ou mot de passe incorrect."), wrong.body());

            FakeHttp.Response in = anna.post(s, "/space/login", Map.of("csrf", csrf, "email", ANNA.email(), "password",
                    GOOD));
            assertEquals(303, in.status, in.body());
            assertEquals("/space/sign", in.headers.get("Location"));
            String cookie = in.cookies.stream().filter(c -> c.startsWith(HolderAccess.SESSION_COOKIE + "="))
                    .findFirst().orElseThrow();
            assertTrue(cookie.contains("; Path=/; HttpOnly; SameSite=Strict; Secure"), cookie);
            assertEquals(303, anna.get(s, "/space/").status);
            assertEquals("/space/sign", anna.get(s, "/space/login").headers.get("Location"));

            FakeHttp.Response security = anna.get(s, "/space/security");
            assertEquals(200, security.status, security.body());
            String token = security.field("/space/logout", "csrf");
            FakeHttp.Response forged = anna.post(s, "/space/logout", Map.of("csrf", "forged"));
            assertEquals(403, forged.status);
            assertTrue(f.service.session(anna.cookies.get(HolderAccess.SESSION_COOKIE)).isPresent(), "still in");

            String session = anna.cookies.get(HolderAccess.SESSION_COOKIE);
            FakeHttp.Response out = anna.post(s, "/space/logout", Map.of("csrf", token));
            assertEquals(303, out.status);
            assertEquals("/space/login?out", out.headers.get("Location"));
            assertNull(anna.cookies.get(HolderAccess.SESSION_COOKIE), "cookie cleared");
            assertTrue(f.service.session(session).isEmpty(), "session ended");
            assertTrue(anna.get(s, "/space/login?out").body().contains("Vous êtes déconnecté."));
            assertTrue(f.audit.actions().contains("space.logout"));
        }
    }

    @Test
    void tooManyFailuresSayUntilWhenAndAForgottenPasswordGetsTheSameAnswer() throws Exception {
        try (SpaceFixture f = new SpaceFixture("h2", dir)) {
            f.active();
            SpaceServlet s = servlet(f, 3);
            Http anna = new Http();
            String csrf = anna.get(s, "/space/login").field("/space/login", "csrf");
            for (int i = 0; i < 5; i++) {
                anna.post(s, "/space/login", Map.of("csrf", csrf, "email", ANNA.email(), "password", "nope" + i));
            }
            FakeHttp.Response locked = anna.post(s, "/space/login", Map.of("csrf", csrf, "email", ANNA.email(),
                    "password", GOOD));
            assertEquals(429, locked.status);
            assertTrue(locked.body().contains("logging in is blocked until 2026-12-03 10:01 UTC"), locked.body());

            FakeHttp.Response forgot = anna.get(s, "/space/forgot");
            String token = forgot.field("/space/forgot", "csrf");
            int before = f.notifier.sent.size();
            FakeHttp.Response unknown = anna.post(s, "/space/forgot", Map.of("csrf", token, "email", "x@example.org"));
            FakeHttp.Response known = anna.post(s, "/space/forgot", Map.of("csrf", token, "email", ANNA.email()));
            assertEquals(200, unknown.status);
            assertEquals(200, known.status);
            String sent = "If an account exists for this address, a link to choose a new password is on its way.";
            assertTrue(unknown.body().contains(sent) && known.body().contains(sent), known.body());
            assertEquals(before + 1, f.notifier.sent.size(), "one e-mail, to the account only");
            assertEquals(422, anna.post(s, "/space/forgot", Map.of("csrf", token, "email", "not an address")).status);
            assertEquals(403, anna.post(s, "/space/forgot", Map.of("email", ANNA.email())).status);
            assertEquals(200, anna.post(s, "/space/forgot", Map.of("csrf", token, "email", "y@example.org")).status);
            FakeHttp.Response limited = anna.post(s, "/space/forgot", Map.of("csrf", token, "email", ANNA.email()));
            assertEquals(429, limited.status, "3 an hour per address (refusals of bad input do not count)");
            assertNotNull(limited.headers.get("Retry-After"));
        }
    }

    @ParameterizedTest
    @MethodSource("products")
    void theSecurityPageEnrolsAnAuthenticatorAppAndTheLoginAsksForIt(String product) throws Exception {
        try (SpaceFixture f = new SpaceFixture(product, dir)) {
            f.active();
            SpaceServlet s = servlet(f, 5);
            Http anna = new Http();
            String csrf = anna.get(s, "/space/login").field("/space/login", "csrf");
            anna.post(s, "/space/login", Map.of("csrf", csrf, "email", ANNA.email(), "password", GOOD));
            FakeHttp.Response page = anna.get(s, "/space/security");
            assertTrue(page.body().contains("You have no second factor yet."), page.body());
            assertTrue(page.headers.get("Content-Security-Policy").contains("connect-src 'self'"));
            String token = page.field("/space/security/totp", "csrf");

            anna.headers.put("Origin", "https://evil.example");
            assertEquals(403, anna.post(s, "/space/security/totp", Map.of("csrf", token)).status, "another origin");
            anna.headers.remove("Origin");
            assertEquals(404, anna.get(s, "/space/security/totp.png").status, "no enrolment under way");

            assertEquals(303, anna.post(s, "/space/security/totp", Map.of("csrf", token)).status);
            FakeHttp.Response enrolling = anna.get(s, "/space/security");
            assertTrue(enrolling.body().contains("id=\"totp-qr\""), enrolling.body());
            FakeHttp.Response png = anna.get(s, "/space/security/totp.png");
            assertEquals("image/png", png.headers.get("Content-Type"));
            byte[] image = png.bytes.toByteArray();
            assertEquals((byte) 0x89, image[0]);
            assertEquals('P', image[1]);

            byte[] key = f.service.pendingTotp(f.accountId(), "x").orElseThrow().key();
            FakeHttp.Response wrong = anna.post(s, "/space/security/totp/confirm", Map.of("csrf", token, "code",
                    "000000".equals(Totp.code(key, Totp.step(f.clock.instant()), 6, "HmacSHA1")) ? "111111"
                            : "000000"));
            assertEquals(422, wrong.status);
            FakeHttp.Response ok = anna.post(s, "/space/security/totp/confirm", Map.of("csrf", token, "code",
                    Totp.code(key, Totp.step(f.clock.instant()), 6, "HmacSHA1")));
            assertEquals(303, ok.status);
            FakeHttp.Response listed = anna.get(s, "/space/security?done=totp");
            assertTrue(listed.body().contains("Your authenticator app is added"), listed.body());
            assertTrue(listed.body().contains("data-kind=\"totp\""));

            // the next login asks for a code
            Http other = new Http();
            String c2 = other.get(s, "/space/login").field("/space/login", "csrf");
            FakeHttp.Response step = other.post(s, "/space/login", Map.of("csrf", c2, "email", ANNA.email(), "password",
                    GOOD));
            assertEquals(200, step.status);
            assertTrue(step.body().contains("Now confirm it is you with your second factor"), step.body());
            String pending = step.field("/space/login", "csrf");
            assertTrue(f.service.session(other.cookies.get(HolderAccess.SESSION_COOKIE)).isEmpty());
            assertTrue(other.get(s, "/space/login").body().contains("id=\"totp-form\""), "still the second step");
            FakeHttp.Response wrongFirst = other.post(s, "/space/login", Map.of("csrf", c2, "email", ANNA.email(),
                    "password", "not the password"));
            assertEquals(401, wrongFirst.status);
            assertTrue(wrongFirst.body().contains("id=\"login-form\""), "a wrong password shows the first step");
            Http third = new Http();
            third.cookies.putAll(other.cookies);
            FakeHttp.Response restart = third.get(s, "/space/login?restart");
            assertTrue(restart.body().contains("id=\"login-form\""), restart.body());
            assertFalse(third.cookies.containsKey(HolderAccess.SESSION_COOKIE), "the waiting login's cookie dropped");
            f.clock.advance(Duration.ofSeconds(30));
            FakeHttp.Response in = other.post(s, "/space/login", Map.of("csrf", pending, "step", "factor", "factorKind",
                    "totp", "code", Totp.code(key, Totp.step(f.clock.instant()), 6, "HmacSHA1")));
            assertEquals(303, in.status, in.body());
            assertTrue(f.service.session(other.cookies.get(HolderAccess.SESSION_COOKIE)).orElseThrow().secondFactor());

            // removing it needs the password and a code
            FakeHttp.Response listing = anna.get(s, "/space/security");
            String factorId = f.service.factorList(f.accountId()).get(0).id();
            FakeHttp.Response refused = anna.post(s, "/space/security/remove", Map.of("csrf", token, "factorId",
                    factorId, "password", "wrong password", "factorKind", "totp", "code", "123456"));
            assertEquals(401, refused.status);
            assertTrue(refused.body().contains("Wrong password: nothing was changed."), refused.body());
            assertEquals(1, f.service.factorList(f.accountId()).size());
            f.clock.advance(Duration.ofSeconds(30));
            FakeHttp.Response removed = anna.post(s, "/space/security/remove", Map.of("csrf", token, "factorId",
                    factorId, "password", GOOD, "factorKind", "totp", "code", Totp.code(key, Totp.step(
                            f.clock.instant()), 6, "HmacSHA1")));
            assertEquals(303, removed.status, removed.body());
            assertTrue(f.service.factorList(f.accountId()).isEmpty());
            assertNotNull(listing);
        }
    }

    @Test
    void withoutASessionTheSpaceSendsToTheLogin() throws Exception {
        try (SpaceFixture f = new SpaceFixture("h2", dir)) {
            SpaceServlet s = servlet(f, 5);
            Http nobody = new Http();
            assertEquals("/space/login", nobody.get(s, "/space/security").headers.get("Location"));
            assertEquals("/space/login", nobody.post(s, "/space/security/totp", Map.of()).headers.get("Location"));
            nobody.cookies.put(HolderAccess.SESSION_COOKIE, "A".repeat(43));
            assertEquals(303, nobody.get(s, "/space/").status);
            assertEquals(404, nobody.get(s, "/space/nothing").status);
        }
    }

    @ParameterizedTest
    @MethodSource("products")
    void aSecurityKeyIsAddedOnTheSecurityPageAndUsedAtTheLoginsSecondStep(String product) throws Exception {
        try (SpaceFixture f = new SpaceFixture(product, dir)) {
            f.active();
            SpaceServlet s = servlet(f, 5);
            SpaceApiServlet api = new SpaceApiServlet(f.service);
            io.cachet.delivery.cloud.internal.factor.SoftAuthenticator key =
                    new io.cachet.delivery.cloud.internal.factor.SoftAuthenticator();
            String origin = "https://" + Http.HOST;
            Http anna = new Http();
            String csrf = anna.get(s, "/space/login").field("/space/login", "csrf");
            anna.post(s, "/space/login", Map.of("csrf", csrf, "email", ANNA.email(), "password", GOOD));
            FakeHttp.Response page = anna.get(s, "/space/security");
            assertTrue(page.body().contains("data-webauthn-create=\"/space/api/webauthn/register-options\""),
                    page.body());
            assertTrue(page.body().matches("(?s).*<script src=\"[^\"]*webauthn\\.js[^\"]*\"></script>.*"));
            String token = page.field("/space/security/webauthn", "csrf");

            // what webauthn.js does: the options with the session's token, the authenticator, the form posted
            anna.headers.put(io.cachet.delivery.cloud.internal.HolderAccess.CSRF_HEADER, token);
            anna.headers.put("Origin", origin);
            FakeHttp.Response options = anna.json(api, "POST", "/space/api/webauthn/register-options", "{}");
            assertEquals(200, options.status, options.body());
            anna.headers.remove(io.cachet.delivery.cloud.internal.HolderAccess.CSRF_HEADER);
            FakeHttp.Response bad = anna.post(s, "/space/security/webauthn", Map.of("csrf", token, "name", "Key",
                    "credential", "{\"id\":\"forged\"}"));
            assertEquals(422, bad.status);
            assertTrue(bad.body().contains("could not be added"), bad.body());
            options = anna.json(api, "POST", "/space/api/webauthn/register-options", "{}");
            assertEquals(403, options.status, "without the session's token");
            anna.headers.put(io.cachet.delivery.cloud.internal.HolderAccess.CSRF_HEADER, token);
            options = anna.json(api, "POST", "/space/api/webauthn/register-options", "{}");
            FakeHttp.Response added = anna.post(s, "/space/security/webauthn", Map.of("csrf", token, "name",
                    "Token <b>FIDO2</b>", "credential", key.create(options.body(), origin)));
            assertEquals(303, added.status, added.body());
            FakeHttp.Response listed = anna.get(s, "/space/security?done=webauthn");
            assertTrue(listed.body().contains("Token &lt;b&gt;FIDO2&lt;/b&gt;"), "escaped: " + listed.body());

            Http other = new Http();
            other.headers.put("Origin", origin);
            String c2 = other.get(s, "/space/login").field("/space/login", "csrf");
            FakeHttp.Response step = other.post(s, "/space/login", Map.of("csrf", c2, "email", ANNA.email(), "password",
                    GOOD));
            assertTrue(step.body().contains("data-webauthn-get=\"/space/api/webauthn/options\""), step.body());
            assertTrue(step.headers.get("Content-Security-Policy").contains("script-src 'self'"));
            String pending = step.field("/space/login", "csrf");
            other.headers.put(io.cachet.delivery.cloud.internal.HolderAccess.CSRF_HEADER, pending);
            FakeHttp.Response request = other.json(api, "POST", "/space/api/webauthn/options", "{}");
            assertEquals(200, request.status, request.body());
            other.headers.remove(io.cachet.delivery.cloud.internal.HolderAccess.CSRF_HEADER);
            FakeHttp.Response wrong = other.post(s, "/space/login", Map.of("csrf", pending, "step", "factor",
                    "factorKind", "webauthn", "factorResponse", key.assertion("bm90IHRoZSBjaGFsbGVuZ2U", Http.HOST,
                            origin, 99)));
            assertEquals(401, wrong.status);
            assertTrue(wrong.body().contains("The second factor is wrong"), wrong.body());
            other.headers.put(io.cachet.delivery.cloud.internal.HolderAccess.CSRF_HEADER, pending);
            request = other.json(api, "POST", "/space/api/webauthn/options", "{}");
            other.headers.remove(io.cachet.delivery.cloud.internal.HolderAccess.CSRF_HEADER);
            FakeHttp.Response in = other.post(s, "/space/login", Map.of("csrf", pending, "step", "factor", "factorKind",
                    "webauthn", "factorResponse", key.get(request.body(), origin)));
            assertEquals(303, in.status, in.body());
            assertEquals("/space/sign", in.headers.get("Location"));
            assertTrue(f.service.session(other.cookies.get(io.cachet.delivery.cloud.internal.HolderAccess
                    .SESSION_COOKIE)).orElseThrow().secondFactor());
        }
    }

    @Test
    void everyPageHasItsTextsInFrenchAndEnglish() throws Exception {
        try (SpaceFixture f = new SpaceFixture("h2", dir)) {
            f.cloudOrder();
            SpaceServlet s = servlet(f, 50);
            String link = "/space/password/" + f.lastSecret();
            for (String language : java.util.List.of("fr", "en")) {
                Http b = new Http();
                b.language = language;
                java.util.List<FakeHttp.Response> shown = new java.util.ArrayList<>();
                shown.add(b.get(s, link));
                shown.add(b.get(s, "/space/login"));
                shown.add(b.get(s, "/space/forgot"));
                shown.add(b.get(s, "/space/password/" + "B".repeat(43)));
                shown.add(b.get(s, "/space/nothing"));
                for (FakeHttp.Response r : shown) {
                    assertFalse(r.body().contains("??"), language + ": a message is missing in " + r.body());
                    assertTrue(r.body().contains("<html lang=\"" + language + "\""), r.body());
                }
            }
            assertTrue(f.service.setPassword(f.lastSecret(), GOOD.toCharArray(), "c").ok());
            byte[] key = f.service.startTotp(f.accountId(), "x").key();
            for (String language : java.util.List.of("fr", "en")) {
                Http b = new Http();
                b.language = language;
                String csrf = b.get(s, "/space/login").field("/space/login", "csrf");
                b.post(s, "/space/login", Map.of("csrf", csrf, "email", ANNA.email(), "password", GOOD));
                FakeHttp.Response security = b.get(s, "/space/security");
                assertTrue(security.body().contains("id=\"totp-qr\""));
                assertFalse(security.body().contains("??"), language + ": " + security.body());
            }
            assertTrue(f.service.confirmTotp(f.accountId(), Totp.code(key, Totp.step(f.clock.instant()), 6,
                    "HmacSHA1")));
            for (String language : java.util.List.of("fr", "en")) {
                Http b = new Http();
                b.language = language;
                String csrf = b.get(s, "/space/login").field("/space/login", "csrf");
                FakeHttp.Response step = b.post(s, "/space/login", Map.of("csrf", csrf, "email", ANNA.email(),
                        "password", GOOD));
                assertTrue(step.body().contains("id=\"totp-form\""));
                assertFalse(step.body().contains("??"), language + ": " + step.body());
            }
        }
    }
}
