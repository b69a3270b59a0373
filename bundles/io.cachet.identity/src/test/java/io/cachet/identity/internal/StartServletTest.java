package io.cachet.identity.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cachet.api.identity.CaseStatus;
import io.cachet.api.identity.IdentityCase;
import io.cachet.api.identity.ProviderResult;
import io.cachet.api.link.PersonalLinks.Outcome;
import io.cachet.api.order.Order;
import io.cachet.api.order.OrderRole;
import io.cachet.api.order.StatusAction;
import io.cachet.api.web.ClientLimiter;
import io.cachet.web.testing.TestPages;

/**
 * {@code /identity/start/<token>} on the real database (H2), links, cases and page framework: a valid link starts
 * the attempt and redirects to the provider (303), again with a fresh flow token; a missing provider is a "try again
 * later" page and changes nothing; a case under review or ended says so; a forged token is a 404 page; an expired
 * link offers a fresh one, sent only on a post carrying this browser's anti-forgery token.
 */
class StartServletTest {

    @TempDir
    Path dir;

    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");

    private static String token(String link) {
        return link.substring(link.lastIndexOf('/') + 1);
    }

    private static FakeHttp.Response get(StartServlet servlet, String token, String language) throws Exception {
        FakeHttp.Response r = new FakeHttp.Response();
        servlet.doGet(FakeHttp.request("GET", "/identity/start/" + token, "/" + token, Map.of(), null, language),
                r.proxy);
        return r;
    }

    @Test
    void aLinkStartsTheAttemptWithItsProviderOrSaysWhyNot() throws Exception {
        try (Fixture f = new Fixture("h2", dir, Map.of())) {
            StartServlet servlet = new StartServlet(TestPages.create(new IdentityPages()), f.links, f.cases,
                    FormGuard.load(f.db.database(), f.vault, new SecureRandom()), new ClientLimiter(5, f.clock));
            Order o = f.submit(null, null, null);
            String token = token((String) f.notifier.of("identity.start").get(0).model().get("link"));

            f.providers.remove("mobile");
            FakeHttp.Response later = get(servlet, token, "en");
            assertEquals(503, later.status);
            assertTrue(later.body().contains("not available right now"), later.body());
            assertTrue(later.body().contains("/identity/documents"));
            assertEquals(CaseStatus.OPEN, f.caseOf(o, OrderRole.CERTIFICATE_MANAGER).status(), "nothing changed");

            f.providers.put("mobile", f.mobile);
            FakeHttp.Response go = get(servlet, token, "fr");
            assertEquals(303, go.status);
            String location = go.headers.get("Location");
            assertTrue(location.startsWith("/test/flow/"), location);
            String flow = location.substring("/test/flow/".length());
            assertEquals(CaseStatus.IN_PROGRESS, f.cases.byFlowToken(flow).orElseThrow().status());

            FakeHttp.Response again = get(servlet, token, "fr");
            assertEquals(303, again.status);
            String flow2 = again.headers.get("Location").substring("/test/flow/".length());
            assertFalse(flow.equals(flow2));
            assertTrue(f.cases.byFlowToken(flow).isEmpty());
            IdentityCase k = f.cases.byFlowToken(flow2).orElseThrow();
            assertEquals(1, k.attempts().size());

            f.cases.providerResult(k.id(), new ProviderResult(ProviderResult.Outcome.VERIFIED, null, null,
                    LocalDate.parse("1974-08-12"), null, null, null, List.of()), "provider:mobile");
            FakeHttp.Response review = get(servlet, token, "en");
            assertEquals(200, review.status);
            assertTrue(review.body().contains("being checked"), review.body());
            FakeHttp.Response reviewFr = get(servlet, token, "fr");
            assertTrue(reviewFr.body().contains("en cours de vérification"), reviewFr.body());

            FakeHttp.Response forged = get(servlet, "x".repeat(43), "en");
            assertEquals(404, forged.status);
            assertTrue(forged.body().contains("does not open anything"));
            assertFalse(forged.body().contains("Eriksson"));
        }
    }

    @Test
    void anExpiredLinkSendsAFreshOneOnlyToAPostWithThisBrowsersToken() throws Exception {
        try (Fixture f = new Fixture("h2", dir, Map.of("linkValidityDays", 7))) {
            StartServlet servlet = new StartServlet(TestPages.create(new IdentityPages()), f.links, f.cases,
                    FormGuard.load(f.db.database(), f.vault, new SecureRandom()), new ClientLimiter(5, f.clock));
            f.submit(null, null, null);
            String token = token((String) f.notifier.of("identity.start").get(0).model().get("link"));
            f.clock.advance(Duration.ofDays(8));
            FakeHttp.Response expired = get(servlet, token, "en");
            assertEquals(410, expired.status);
            assertTrue(expired.body().contains("no longer opens"), expired.body());
            assertFalse(expired.body().contains("Eriksson"));
            String cookieHeader = expired.cookies.get(0);
            assertTrue(cookieHeader.contains("HttpOnly") && cookieHeader.contains("SameSite=Lax"));
            String cookie = cookieHeader.substring(FormGuard.COOKIE.length() + 1, cookieHeader.indexOf(';'));
            Matcher csrf = CSRF.matcher(expired.body());
            assertTrue(csrf.find(), expired.body());

            FakeHttp.Response forged = new FakeHttp.Response();
            servlet.doPost(FakeHttp.request("POST", "/identity/start/t", "/" + token, Map.of("csrf", "guess"), cookie,
                    "en"), forged.proxy);
            assertEquals(403, forged.status);
            assertTrue(f.notifier.of("identity.link").isEmpty(), "nothing sent on a forged post");

            FakeHttp.Response renewed = new FakeHttp.Response();
            servlet.doPost(FakeHttp.request("POST", "/identity/start/t", "/" + token, Map.of("csrf", csrf.group(1)),
                    cookie, "en"), renewed.proxy);
            assertEquals(200, renewed.status);
            assertTrue(renewed.body().contains("a fresh link is on its way"), renewed.body());
            assertEquals(1, f.notifier.of("identity.link").size());
            String fresh = (String) f.notifier.of("identity.link").get(0).model().get("link");
            assertEquals(Outcome.VALID, f.links.open(token(fresh), CaseService.PURPOSE).outcome());

            // an unknown token: the same answer, nothing sent
            FakeHttp.Response unknown = new FakeHttp.Response();
            servlet.doPost(FakeHttp.request("POST", "/identity/start/t", "/" + "y".repeat(43),
                    Map.of("csrf", csrf.group(1)), cookie, "en"), unknown.proxy);
            assertEquals(renewed.body(), unknown.body());
            assertEquals(1, f.notifier.of("identity.link").size());
        }
    }

    @Test
    void theStatusPageOffersTheIdentityOfItsPersonAndItsLinkStartsIt() throws Exception {
        try (Fixture f = new Fixture("h2", dir, Map.of())) {
            StartServlet servlet = new StartServlet(TestPages.create(new IdentityPages()), f.links, f.cases,
                    FormGuard.load(f.db.database(), f.vault, new SecureRandom()), new ClientLimiter(5, f.clock));
            Order o = f.submit(null, null, null);
            String status = token(f.links.issue(o.id(), OrderRole.CERTIFICATE_MANAGER, StatusAction.STATUS_LINK_PURPOSE,
                    "anna@example.org", "/order/status", Duration.ofDays(30), "test").url());
            Order verifying = f.orders.find(o.id()).orElseThrow();

            var offered = IdentityAction.link(f.cases, verifying, OrderRole.CERTIFICATE_MANAGER, status, "en");
            assertEquals("Identify yourself", offered.orElseThrow().label());
            assertEquals(StartServlet.STATUS_PATH + "/" + status, offered.get().url());
            assertTrue(offered.get().hint().contains("From your phone"), offered.get().hint());
            assertEquals("Vous identifier", IdentityAction.link(f.cases, verifying, OrderRole.CERTIFICATE_MANAGER,
                    status, "fr").orElseThrow().label());
            assertTrue(IdentityAction.link(f.cases, verifying, OrderRole.CERTIFICATE_MANAGER, null, "en").isEmpty());

            FakeHttp.Response go = new FakeHttp.Response();
            servlet.doGet(FakeHttp.request("GET", StartServlet.STATUS_PATH + "/" + status, "/" + status, Map.of(),
                    null, "en"), go.proxy);
            assertEquals(303, go.status, go.body());
            String flow = go.headers.get("Location").substring("/test/flow/".length());
            IdentityCase started = f.cases.byFlowToken(flow).orElseThrow();
            assertEquals(o.id(), started.orderId());
            assertEquals(OrderRole.CERTIFICATE_MANAGER, started.role());
            assertEquals(CaseStatus.IN_PROGRESS, started.status());
            assertEquals("Continue your identification", IdentityAction.link(f.cases, verifying,
                    OrderRole.CERTIFICATE_MANAGER, status, "en").orElseThrow().label());

            // the identity link's token is not a status link, nor the other way round
            String identity = token((String) f.notifier.of("identity.start").get(0).model().get("link"));
            FakeHttp.Response crossed = new FakeHttp.Response();
            servlet.doGet(FakeHttp.request("GET", StartServlet.STATUS_PATH + "/" + identity, "/" + identity,
                    Map.of(), null, "en"), crossed.proxy);
            assertEquals(404, crossed.status);
            assertEquals(404, get(servlet, status, "en").status);
            FakeHttp.Response posted = new FakeHttp.Response();
            servlet.doPost(FakeHttp.request("POST", StartServlet.STATUS_PATH + "/" + status, "/" + status, Map.of(),
                    null, "en"), posted.proxy);
            assertEquals(404, posted.status, "nothing to post there");

            f.cases.providerResult(started.id(), new ProviderResult(ProviderResult.Outcome.VERIFIED, null, null,
                    LocalDate.parse("1974-08-12"), null, null, null, List.of()), "provider:mobile");
            assertTrue(IdentityAction.link(f.cases, verifying, OrderRole.CERTIFICATE_MANAGER, status, "en").isEmpty(),
                    "nothing to do while it is checked");
            f.links.revokeAll(o.id(), "test");
            FakeHttp.Response revoked = new FakeHttp.Response();
            servlet.doGet(FakeHttp.request("GET", StartServlet.STATUS_PATH + "/" + status, "/" + status, Map.of(),
                    null, "en"), revoked.proxy);
            assertEquals(404, revoked.status);
            assertFalse(revoked.body().contains("Eriksson"));
        }
    }
}
