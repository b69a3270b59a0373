package io.cachet.portal.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.cachet.api.order.CheckStatus;
import io.cachet.api.order.FieldError;
import io.cachet.api.order.Order;
import io.cachet.api.order.OrderEvent;
import io.cachet.api.order.OrderPage;
import io.cachet.api.order.OrderQuery;
import io.cachet.api.order.OrderRequest;
import io.cachet.api.order.OrderState;
import io.cachet.api.order.Orders;
import io.cachet.api.order.Product;
import io.cachet.api.order.Submission;
import io.cachet.api.web.ClientLimiter;
import io.cachet.api.web.Pages;
import io.cachet.web.testing.TestPages;

/**
 * The order page through the real page framework: the form, an error next to its field, the summary with its
 * idempotency key, the confirmation; refused without the browser's token; bounded per client. The order service is
 * stood in for by one that knows a single valid SIREN (the real one is used by PortalIT and the browser tests).
 */
class OrderServletTest {

    /** Stands in for the order service: the catalogue, one rule (the SIREN), and submissions kept in a list. */
    static class StandIn implements Orders {
        final List<Submission> submissions = new ArrayList<>();
        final List<OrderRequest> requests = new ArrayList<>();

        @Override
        public List<Product> catalogue() {
            return List.of(Orders4Test.PRODUCT);
        }

        @Override
        public List<FieldError> validate(OrderRequest r) {
            List<FieldError> e = new ArrayList<>();
            if (r.organisation() == null || !"552100554".equals(r.organisation().identifier())) {
                e.add(new FieldError("organisation.identifier", "luhn", "This SIREN's check digit is wrong."));
            }
            if (r.certificateManager().email() == null) {
                e.add(new FieldError("certificateManager.email", "required", "certificateManager.email is required."));
            }
            return e;
        }

        @Override
        public Order submit(OrderRequest request, Submission submission) {
            submissions.add(submission);
            requests.add(request);
            Instant t = Instant.parse("2026-12-02T10:00:00Z");
            return new Order("ord_" + submissions.size(), OrderState.VERIFICATION, request, null, "default",
                    submission.language(), t, t, t, null, List.of(), 1);
        }

        @Override
        public Optional<Order> find(String id) {
            throw new UnsupportedOperationException();
        }

        @Override
        public OrderPage list(OrderQuery query) {
            throw new UnsupportedOperationException();
        }

        @Override
        public OrderPage expiring(java.time.Instant before, String after, int limit) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<OrderEvent> events(String id) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Order cancel(String id, String actor, String reason, boolean byCustomer) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Order reject(String id, String actor, String reason) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Order report(String id, String kind, CheckStatus status, String detail, String actor) {
            throw new UnsupportedOperationException();
        }
    }

    private final Pages pages = TestPages.create(new PortalPages());
    private final StandIn orders = new StandIn();
    private final FormTokens tokens = new FormTokens(new byte[32], new SecureRandom());
    private final OrderServlet servlet = new OrderServlet(pages, orders, tokens, new ClientLimiter(2, Clock.systemUTC()));

    private static final Pattern TOKEN = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");
    private static final Pattern KEY = Pattern.compile("name=\"submission\" value=\"([^\"]+)\"");

    private String cookie;
    private String token;

    private FakeHttp.Response get(String language) throws Exception {
        FakeHttp.Response r = new FakeHttp.Response();
        servlet.doGet(FakeHttp.request("GET", "/order", null, Map.of(), cookie, language), r.proxy);
        remember(r);
        return r;
    }

    private FakeHttp.Response post(Map<String, String> params, String language) throws Exception {
        FakeHttp.Response r = new FakeHttp.Response();
        servlet.doPost(FakeHttp.request("POST", "/order", null, params, cookie, language), r.proxy);
        remember(r);
        return r;
    }

    private void remember(FakeHttp.Response r) {
        for (String c : r.cookies) {
            if (c.startsWith(FormTokens.COOKIE + "=")) {
                cookie = c.substring(FormTokens.COOKIE.length() + 1, c.indexOf(';'));
            }
        }
        Matcher m = TOKEN.matcher(r.body());
        if (m.find()) {
            token = m.group(1);
        }
    }

    private Map<String, String> form(String step) {
        Map<String, String> p = new HashMap<>(OrderFormTest.filled());
        p.put("step", step);
        p.put("csrf", token);
        return p;
    }

    @Test
    void theFormIsShownInFrenchWithItsLabelsAndACookieBoundToken() throws Exception {
        FakeHttp.Response r = get(null);
        assertEquals(200, r.status);
        String html = r.body();
        assertTrue(html.contains("Commander un cachet électronique qualifié"), html);
        assertTrue(html.contains("<label for=\"f-organisation-identifier\">"), "every input has its label");
        assertTrue(html.contains("id=\"f-medium-cloud\""));
        assertTrue(html.contains("290,00"), "the price, in French");
        assertFalse(html.contains("<script") || html.contains("style="), "no inline script or style");
        assertNotNull(cookie);
        assertTrue(r.cookies.get(0).contains("HttpOnly") && r.cookies.get(0).contains("SameSite=Lax"));
        assertTrue(tokens.valid(FakeHttp.request("POST", "/order", null, Map.of("csrf", token), cookie, null),
                OrderServlet.FORM));
        assertFalse(tokens.valid(FakeHttp.request("POST", "/order", null, Map.of("csrf", token), "x".repeat(43), null),
                OrderServlet.FORM), "another browser's cookie");
    }

    @Test
    void anErrorIsShownNextToItsFieldAndTheValuesAreKept() throws Exception {
        get("en");
        Map<String, String> p = form("review");
        p.put("organisation.identifier", "552100555");
        FakeHttp.Response r = post(p, "en");
        assertEquals(400, r.status);
        String html = r.body();
        assertTrue(html.contains("<p class=\"field-error\" id=\"f-organisation-identifier-error\">This number is not a"
                + " valid SIREN or SIRET"), html);
        assertTrue(html.contains("aria-invalid=\"true\" aria-describedby=\"f-organisation-identifier-error"
                + " f-organisation-identifier-hint\""), html);
        assertTrue(html.contains("<a href=\"#f-organisation-identifier\">"), "listed at the top with a link");
        assertTrue(html.contains("value=\"552100555\""), "the value is kept");
        assertTrue(html.contains("value=\"Anna Maria\""));
        assertTrue(orders.submissions.isEmpty());
    }

    @Test
    void theSummaryIsConfirmedOnceAndTheConfirmationNamesTheAddresses() throws Exception {
        get("en");
        FakeHttp.Response summary = post(form("review"), "en");
        assertEquals(200, summary.status);
        assertTrue(summary.body().contains("Check your order"), summary.body());
        assertTrue(summary.body().contains("552100554"));
        Matcher key = KEY.matcher(summary.body());
        assertTrue(key.find());
        assertTrue(orders.submissions.isEmpty(), "nothing ordered before confirming");

        Map<String, String> confirm = form("confirm");
        confirm.put("submission", key.group(1));
        FakeHttp.Response done = post(confirm, "en");
        assertEquals(200, done.status);
        assertTrue(done.body().contains("Thank you: your order is recorded"), done.body());
        assertTrue(done.body().contains("ord_1"));
        assertTrue(done.body().contains("anna@example.org"));
        Submission s = orders.submissions.get(0);
        assertEquals("customer", s.actor());
        assertEquals(null, s.reseller());
        assertEquals(null, s.brand(), "the active brand");
        assertEquals("en", s.language());
        assertEquals("portal:" + key.group(1), s.idempotencyKey());
        assertEquals("Anna Maria", orders.requests.get(0).certificateManager().givenNames());
    }

    @Test
    void aPostWithoutTheBrowsersTokenChangesNothingAndSubmissionsAreBounded() throws Exception {
        get("en");
        Map<String, String> forged = form("confirm");
        forged.put("csrf", "guessed");
        FakeHttp.Response r = post(forged, "en");
        assertEquals(403, r.status);
        assertTrue(r.body().contains("This form has expired or did not come from this page"));
        assertTrue(orders.submissions.isEmpty());

        get("en");
        assertEquals(200, post(form("confirm"), "en").status);
        assertEquals(200, post(form("confirm"), "en").status);
        FakeHttp.Response third = post(form("confirm"), "en");
        assertEquals(429, third.status);
        assertNotNull(third.headers.get("Retry-After"));
        assertEquals(2, orders.submissions.size());
    }
}
