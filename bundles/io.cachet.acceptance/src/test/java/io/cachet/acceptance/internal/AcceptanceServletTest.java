package io.cachet.acceptance.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cachet.api.order.Order;
import io.cachet.api.order.OrderRole;
import io.cachet.api.order.StatusAction;
import io.cachet.api.web.ClientLimiter;
import io.cachet.web.testing.FakeHttp;
import io.cachet.web.testing.TestPages;

/**
 * The acceptance page through the real page framework: what a person sees in each state, the anti-forgery token on
 * every post, the refusals in the person's words, an unknown or expired link without any order data.
 */
class AcceptanceServletTest {

    @TempDir
    Path dir;

    private static String token(String link) {
        return link.substring(link.lastIndexOf('/') + 1);
    }

    private static final class Browser {
        final AcceptanceServlet servlet;
        final String token;
        String cookie;
        String page;

        Browser(AcceptanceServlet servlet, String token) {
            this.servlet = servlet;
            this.token = token;
        }

        FakeHttp.Response get(String language) throws Exception {
            FakeHttp.Response r = new FakeHttp.Response();
            servlet.doGet(FakeHttp.request("GET", "/acceptance/" + token, "/" + token, Map.of(),
                    AcceptanceServlet.COOKIE, cookie, language), r.proxy);
            keep(r);
            return r;
        }

        FakeHttp.Response post(String action, Map<String, String> params) throws Exception {
            FakeHttp.Response r = new FakeHttp.Response();
            servlet.doPost(FakeHttp.request("POST", "/acceptance/" + token + "/" + action, "/" + token + "/" + action,
                    params, AcceptanceServlet.COOKIE, cookie, "en"), r.proxy);
            keep(r);
            return r;
        }

        private void keep(FakeHttp.Response r) {
            for (String c : r.cookies) {
                if (c.startsWith(AcceptanceServlet.COOKIE + "=")) {
                    cookie = c.substring(AcceptanceServlet.COOKIE.length() + 1, c.indexOf(';'));
                }
            }
            page = r.body();
        }

        String csrf(String action) {
            Matcher m = Pattern.compile("action=\"/acceptance/" + token + "/" + action
                    + "\"[^>]*>\\s*<input type=\"hidden\" name=\"csrf\" value=\"([^\"]+)\"").matcher(page);
            assertTrue(m.find(), "form " + action + " on " + page);
            return m.group(1);
        }
    }

    private static AcceptanceServlet servlet(Fixture f) {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return new AcceptanceServlet(TestPages.create(new AcceptancePages()), f.links, f.service, key, () -> 72,
                new ClientLimiter(100, f.clock));
    }

    @Test
    void thePageShowsTheFormAsImagesSendsACodeAndAcceptsOnlyPostsWithThisBrowsersToken() throws Exception {
        try (Fixture f = new Fixture("h2", dir).sealing()) {
            Order o = f.inAcceptance(Fixture.JEAN, "en");
            AcceptanceServlet servlet = servlet(f);
            Browser anna = new Browser(servlet, token(f.link("anna@example.org")));
            FakeHttp.Response page = anna.get("en");
            assertEquals(200, page.status);
            assertTrue(page.body().contains("Hello Anna Maria Eriksson,"), page.body());
            assertTrue(page.body().contains("as the Certificate Manager"));
            assertTrue(page.body().contains("Jean Dupont has not accepted yet."));
            assertTrue(page.body().contains("<img src=\"/acceptance/" + anna.token + "/page/1\""), page.body());
            assertTrue(page.body().contains("Send me a code by SMS to +33 6 •• •• •• 78"));
            assertFalse(page.body().contains("+33612345678"), "never the whole mobile");
            assertFalse(page.body().contains("id=\"code\""), "no code field before a code was sent");
            assertFalse(page.body().contains("<script"), "no script needed");

            FakeHttp.Response forged = anna.post("code", Map.of("csrf", "forged"));
            assertEquals(403, forged.status);
            assertTrue(f.notifier.of("acceptance.code").isEmpty(), "nothing sent");

            anna.get("en");
            FakeHttp.Response sent = anna.post("code", Map.of("csrf", anna.csrf("code")));
            assertEquals(200, sent.status);
            assertTrue(sent.body().contains("A code has been sent to your mobile."));
            assertTrue(sent.body().contains("id=\"code\""));
            String code = f.lastCode("+33612345678");
            String accept = anna.csrf("accept");

            Map<String, String> wrong = new HashMap<>(Map.of("csrf", accept, "code",
                    String.format("%06d", (Integer.parseInt(code) + 1) % 1_000_000)));
            FakeHttp.Response refused = anna.post("accept", wrong);
            assertEquals(422, refused.status);
            assertTrue(refused.body().contains("This code is wrong. Tries left: 4."), refused.body());
            assertTrue(refused.body().contains("aria-invalid=\"true\""));

            FakeHttp.Response ok = anna.post("accept", Map.of("csrf", accept, "code", code));
            assertEquals(200, ok.status);
            assertTrue(ok.body().contains("Thank you: your acceptance is recorded and the form is sealed."));
            assertTrue(ok.body().contains("You accepted on 2026-12-02 10:00:00 UTC."), ok.body());
            assertFalse(ok.body().contains("id=\"send-code\""), "nothing more to do");

            FakeHttp.Response again = anna.post("accept", Map.of("csrf", accept, "code", code));
            assertEquals(409, again.status);
            assertTrue(again.body().contains("You have already accepted this form."));

            Browser jean = new Browser(servlet, token(f.link("jean@example.org")));
            FakeHttp.Response fr = jean.get("fr");
            assertTrue(fr.body().contains("Anna Maria Eriksson a accepté."), fr.body());
            assertTrue(fr.body().contains("en tant que représentant légal"));
            assertEquals(1, f.service.record(o.id()).orElseThrow().persons().stream().filter(p -> p.accepted()).count());
        }
    }

    @Test
    void anUnknownOrExpiredLinkShowsNoOrderDataAndAClosedOrderCannotBeAccepted() throws Exception {
        try (Fixture f = new Fixture("h2", dir)) {
            Order o = f.inAcceptance(null, "en");
            AcceptanceServlet servlet = servlet(f);
            FakeHttp.Response unknown = new Browser(servlet, "x".repeat(43)).get("en");
            assertEquals(404, unknown.status);
            assertTrue(unknown.body().contains("Unknown link"));
            assertFalse(unknown.body().contains("Eriksson"));

            Browser anna = new Browser(servlet, token(f.link("anna@example.org")));
            f.orders.cancel(o.id(), "api:test", "changed our mind", false);
            FakeHttp.Response closed = anna.get("en");
            // the portal revokes an ended order's links; here the link store is alone, so the page says it
            if (closed.status == 200) {
                assertTrue(closed.body().contains("This order cannot be accepted now"), closed.body());
                assertFalse(closed.body().contains("id=\"send-code\""));
            } else {
                assertEquals(410, closed.status);
                assertFalse(closed.body().contains("Eriksson"));
            }
            f.clock.advance(java.time.Duration.ofDays(31));
            FakeHttp.Response expired = anna.get("en");
            assertEquals(410, expired.status);
            assertTrue(expired.body().contains("This link has expired"));
            assertFalse(expired.body().contains("Eriksson"));
        }
    }
    @Test
    void anExpiredLinkSendsAFreshOneOnlyToAPostWithThisBrowsersToken() throws Exception {
        try (Fixture f = new Fixture("h2", dir)) {
            Order o = f.inAcceptance(Fixture.JEAN, "en");
            AcceptanceServlet servlet = servlet(f);
            String old = f.link("jean@example.org");
            Browser jean = new Browser(servlet, token(old));
            f.clock.advance(java.time.Duration.ofDays(31));
            FakeHttp.Response expired = jean.get("en");
            assertEquals(410, expired.status);
            assertTrue(expired.body().contains("Send me a fresh link"), expired.body());
            assertFalse(expired.body().contains("Dupont"), "no order data");

            FakeHttp.Response forged = jean.post("renew", Map.of("csrf", "forged"));
            assertEquals(403, forged.status);
            assertEquals(2, f.notifier.of("acceptance.link").size(), "nothing sent");

            jean.get("en");
            Matcher m = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(jean.page);
            assertTrue(m.find());
            FakeHttp.Response renewed = jean.post("renew", Map.of("csrf", m.group(1)));
            assertEquals(200, renewed.status);
            assertTrue(renewed.body().contains("a fresh link is on its way"), renewed.body());
            String fresh = f.link("jean@example.org");
            assertFalse(fresh.equals(old));
            assertEquals(200, new Browser(servlet, token(fresh)).get("en").status);
            assertTrue(f.actions(o.id()).contains("acceptance.link.renewed"));
        }
    }

    @Test
    void theStatusPageOffersTheFormAndThePersonsStatusLinkSignsItLikeTheAcceptanceLink() throws Exception {
        try (Fixture f = new Fixture("h2", dir).sealing()) {
            Order o = f.inAcceptance(Fixture.JEAN, "en");
            AcceptanceServlet servlet = servlet(f);
            String status = token(f.links.issue(o.id(), OrderRole.LEGAL_REPRESENTATIVE,
                    StatusAction.STATUS_LINK_PURPOSE, "jean@example.org", "/order/status",
                    java.time.Duration.ofDays(30), "test").url());
            Order waiting = f.orders.find(o.id()).orElseThrow();

            var offered = StatusAcceptance.link(f.service.record(o.id()), waiting, OrderRole.LEGAL_REPRESENTATIVE,
                    status, "en");
            assertEquals("Sign the acceptance form", offered.orElseThrow().label());
            assertEquals("/acceptance/" + status, offered.get().url());
            assertEquals("Signer le formulaire d'acceptation", StatusAcceptance.link(f.service.record(o.id()), waiting,
                    OrderRole.LEGAL_REPRESENTATIVE, status, "fr").orElseThrow().label(), "the apostrophe kept");

            Browser jean = new Browser(servlet, status);
            FakeHttp.Response page = jean.get("en");
            assertEquals(200, page.status, page.body());
            assertTrue(page.body().contains("Hello Jean Dupont,"), page.body());
            assertTrue(page.body().contains("<img src=\"/acceptance/" + status + "/page/1\""), "its pages too");
            jean.post("code", Map.of("csrf", jean.csrf("code")));
            String code = f.lastCode("+33698765412");
            FakeHttp.Response ok = jean.post("accept", Map.of("csrf", jean.csrf("accept"), "code", code));
            assertEquals(200, ok.status, ok.body());
            assertTrue(ok.body().contains("Thank you: your acceptance is recorded"), ok.body());
            assertTrue(f.service.record(o.id()).orElseThrow().persons().stream()
                    .filter(p -> p.roles().contains(OrderRole.LEGAL_REPRESENTATIVE)).findFirst().orElseThrow()
                    .accepted());
            assertTrue(StatusAcceptance.link(f.service.record(o.id()), waiting, OrderRole.LEGAL_REPRESENTATIVE, status,
                    "en").isEmpty(), "nothing more to sign");
            assertTrue(StatusAcceptance.link(f.service.record(o.id()), waiting, OrderRole.CERTIFICATE_MANAGER, null,
                    "en").isEmpty(), "no link without a status token");

            f.links.revokeAll(o.id(), "test");
            FakeHttp.Response revoked = new Browser(servlet, status).get("en");
            assertEquals(404, revoked.status, "a revoked status link is not renewed here");
            assertFalse(revoked.body().contains("Dupont"));
        }
    }
}
