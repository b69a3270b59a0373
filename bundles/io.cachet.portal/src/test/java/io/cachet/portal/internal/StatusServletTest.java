package io.cachet.portal.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cachet.api.brand.Brand;
import io.cachet.api.link.IssuedLink;
import io.cachet.api.order.Order;
import io.cachet.api.order.OrderEvent;
import io.cachet.api.order.OrderRole;
import io.cachet.api.order.OrderState;
import io.cachet.audit.launch.AuditLogs;
import io.cachet.store.testing.TestDatabases;
import io.cachet.web.testing.RecordingNotifier;
import io.cachet.web.testing.TestPages;

/**
 * The status page on the real link store (H2) and page framework: the person's own order, nothing of another; a
 * forged token is a 404 page; a revoked link shows no order data and a fresh one goes to the same address (the
 * answer the same when nothing is sent). The pages of an order's link are in the order's brand.
 */
class StatusServletTest {

    @TempDir
    Path dir;

    static final class Known extends OrderServletTest.StandIn {
        final Map<String, Order> orders = new ConcurrentHashMap<>();

        @Override
        public Optional<Order> find(String id) {
            return Optional.ofNullable(orders.get(id));
        }

        @Override
        public List<OrderEvent> events(String id) {
            return StatusViewTest.events(id);
        }
    }

    private static final Pattern TOKEN = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");

    @Test
    void eachLinkOpensItsOwnOrderAndARevokedOneIsRenewedToTheSameAddress() throws Exception {
        try (TestDatabases.Handle db = TestDatabases.open("h2", dir)) {
            LinkStore.migrate(db.database());
            Known orders = new Known();
            LinkStore links = new LinkStore(db.database(), AuditLogs.open(db.database(), List.of()), Clock.systemUTC(),
                    new SecureRandom(), "http://localhost:8080", id -> orders.find(id).map(o -> o.state().ended())
                            .orElse(true));
            RecordingNotifier notifier = new RecordingNotifier();
            FormTokens tokens = new FormTokens(new byte[32], new SecureRandom());
            StatusServlet servlet = new StatusServlet(TestPages.create(new PortalPages()), orders, links,
                    db.database(), notifier, tokens, new PortalSettings("http://localhost:8080", Duration.ofDays(30), 5),
                    Clock.systemUTC());
            orders.orders.put("ord_s1", Orders4Test.order("ord_s1", OrderState.VERIFICATION, false,
                    StatusViewTest.VERIFICATION, null));
            Order other = Orders4Test.order("ord_s2", OrderState.VERIFICATION, true, List.of(), null);
            orders.orders.put("ord_s2", new Order("ord_s2", other.state(), new io.cachet.api.order.OrderRequest(
                    "enterprise-plus", 1, io.cachet.api.order.Medium.CLOUD, Orders4Test.BOB, null,
                    new io.cachet.api.order.Organisation("Other Corp", "FR", "552100554", null,
                            Orders4Test.ACME.address()), null), null, "default", "fr", other.createdAt(),
                    other.updatedAt(), other.expiresAt(), null, List.of(), 1));
            IssuedLink anna = links.issue("ord_s1", OrderRole.CERTIFICATE_MANAGER, "status", "anna@example.org",
                    "/order/status", Duration.ofDays(30), "customer");
            links.issue("ord_s2", OrderRole.CERTIFICATE_MANAGER, "status", "bob@example.org", "/order/status",
                    Duration.ofDays(30), "customer");

            // modules' actions (StatusAction whiteboard): given the viewer's token and language; a failing one is left out
            servlet.actions = List.of((order, role, token, language) -> {
                throw new IllegalStateException("broken module");
            }, (order, role, token, language) -> java.util.Optional.of(new io.cachet.api.order.StatusAction.Link(
                    "Upload <the> extract " + language, "/test/upload/" + token, "hint of " + role.id())));

            FakeHttp.Response page = new FakeHttp.Response();
            servlet.doGet(FakeHttp.request("GET", "/order/status/" + anna.token(), "/" + anna.token(), Map.of(), null,
                    "en"), page.proxy);
            assertEquals(200, page.status);
            String html = page.body();
            assertTrue(html.contains("href=\"/test/upload/" + anna.token() + "\""), html);
            assertTrue(html.contains("Upload &lt;the&gt; extract en"), "the label escaped, in the page's language");
            assertTrue(html.contains("hint of certificate-manager"), html);
            assertTrue(html.contains("ord_s1") && html.contains("ACME SAS"), html);
            assertTrue(html.contains("Identify yourself"), html);
            assertTrue(html.contains("Waiting for Bob Martin: Identity check"), html);
            assertFalse(html.contains("Other Corp") || html.contains("ord_s2"), "never another order");
            assertFalse(html.contains("bob@example.org") || html.contains("1968-02-03"), "of the other, the name only");

            FakeHttp.Response forged = new FakeHttp.Response();
            servlet.doGet(FakeHttp.request("GET", "/order/status/x", "/" + "x".repeat(43), Map.of(), null, "en"),
                    forged.proxy);
            assertEquals(404, forged.status);
            assertTrue(forged.body().contains("This link is not recognised"));

            links.issue("ord_s1", OrderRole.CERTIFICATE_MANAGER, "status", "anna@example.org", "/order/status",
                    Duration.ofDays(30), "customer"); // revokes anna's first link
            FakeHttp.Response revoked = new FakeHttp.Response();
            servlet.doGet(FakeHttp.request("GET", "/order/status/t", "/" + anna.token(), Map.of(), null, "en"),
                    revoked.proxy);
            assertEquals(410, revoked.status);
            assertFalse(revoked.body().contains("ACME") || revoked.body().contains("Anna"), "no order data");
            String cookie = revoked.cookies.get(0).substring(FormTokens.COOKIE.length() + 1,
                    revoked.cookies.get(0).indexOf(';'));
            Matcher token = TOKEN.matcher(revoked.body());
            assertTrue(token.find());
            assertTrue(revoked.body().contains("action=\"/order/status/" + anna.token() + "\""));

            FakeHttp.Response renewed = new FakeHttp.Response();
            servlet.doPost(FakeHttp.request("POST", "/order/status/t", "/" + anna.token(),
                    Map.of("csrf", token.group(1)), cookie, "en"), renewed.proxy);
            assertEquals(200, renewed.status);
            assertTrue(renewed.body().contains("If this link may be renewed"), renewed.body());
            assertEquals(1, notifier.sent.size());
            assertEquals("anna@example.org", notifier.sent.get(0).recipient());
            assertEquals("portal.order.link", notifier.sent.get(0).template());
            assertEquals("en", notifier.sent.get(0).language());
            String fresh = (String) notifier.sent.get(0).model().get("link");
            assertEquals(io.cachet.api.link.PersonalLinks.Outcome.VALID, links.open(fresh.substring(fresh.lastIndexOf('/') + 1), "status")
                    .outcome());

            // an unknown token, or an ended order: the same answer, nothing sent
            FakeHttp.Response unknown = new FakeHttp.Response();
            servlet.doPost(FakeHttp.request("POST", "/order/status/t", "/" + "y".repeat(43),
                    Map.of("csrf", token.group(1)), cookie, "en"), unknown.proxy);
            assertEquals(renewed.body(), unknown.body());
            orders.orders.put("ord_s1", Orders4Test.order("ord_s1", OrderState.CANCELLED, false, List.of(), "x"));
            FakeHttp.Response ended = new FakeHttp.Response();
            servlet.doPost(FakeHttp.request("POST", "/order/status/t", "/" + anna.token(),
                    Map.of("csrf", token.group(1)), cookie, "en"), ended.proxy);
            assertEquals(renewed.body(), ended.body());
            assertEquals(1, notifier.sent.size());

            FakeHttp.Response forgedPost = new FakeHttp.Response();
            servlet.doPost(FakeHttp.request("POST", "/order/status/t", "/" + anna.token(), Map.of("csrf", "guess"),
                    cookie, "en"), forgedPost.proxy);
            assertEquals(403, forgedPost.status);
        }
    }

    /**
     * The example reseller brand (examples/brand-example, a test dependency) as its bundle registers it; its files
     * (brand/messages_*.properties, brand/logo.svg) are read from that jar by {@link Brand}'s default methods.
     */
    static final Brand EXAMPLE = new Brand() {
        @Override
        public String id() {
            return "example";
        }

        @Override
        public String displayName() {
            return "Example Trust Services";
        }

        @Override
        public String primaryColour() {
            return "#7a1f5c";
        }

        @Override
        public String supportEmail() {
            return "support@example-trust.example";
        }
    };

    @Test
    void theLinkOfAnOrderOfAResellersBrandShowsThatBrandWhileTheOrderFormKeepsTheActiveOne() throws Exception {
        try (TestDatabases.Handle db = TestDatabases.open("h2", dir)) {
            LinkStore.migrate(db.database());
            Known orders = new Known();
            LinkStore links = new LinkStore(db.database(), AuditLogs.open(db.database(), List.of()), Clock.systemUTC(),
                    new SecureRandom(), "http://localhost:8080", id -> orders.find(id).map(o -> o.state().ended())
                            .orElse(true));
            io.cachet.api.web.Pages pages = TestPages.create(TestPages.DEFAULT_BRAND, List.of(EXAMPLE),
                    new PortalPages());
            RecordingNotifier notifier = new RecordingNotifier();
            FormTokens tokens = new FormTokens(new byte[32], new SecureRandom());
            StatusServlet servlet = new StatusServlet(pages, orders, links, db.database(), notifier, tokens,
                    new PortalSettings("http://localhost:8080", Duration.ofDays(30), 5), Clock.systemUTC());
            Order plain = Orders4Test.order("ord_e1", OrderState.VERIFICATION, false, StatusViewTest.VERIFICATION,
                    null);
            orders.orders.put("ord_e1", new Order("ord_e1", plain.state(), plain.request(), "res_example", "example",
                    "en", plain.createdAt(), plain.updatedAt(), plain.expiresAt(), null, plain.checks(), 1));
            IssuedLink anna = links.issue("ord_e1", OrderRole.CERTIFICATE_MANAGER, "status", "anna@example.org",
                    "/order/status", Duration.ofDays(30), "customer");

            // modules' actions (StatusAction whiteboard): given the viewer's token and language; a failing one is left out
            servlet.actions = List.of((order, role, token, language) -> {
                throw new IllegalStateException("broken module");
            }, (order, role, token, language) -> java.util.Optional.of(new io.cachet.api.order.StatusAction.Link(
                    "Upload <the> extract " + language, "/test/upload/" + token, "hint of " + role.id())));

            FakeHttp.Response page = new FakeHttp.Response();
            servlet.doGet(FakeHttp.request("GET", "/order/status/" + anna.token(), "/" + anna.token(), Map.of(), null,
                    "en"), page.proxy);
            assertEquals(200, page.status);
            String html = page.body();
            assertTrue(html.contains("href=\"/test/upload/" + anna.token() + "\""), html);
            assertTrue(html.contains("Upload &lt;the&gt; extract en"), "the label escaped, in the page's language");
            assertTrue(html.contains("hint of certificate-manager"), html);
            assertTrue(html.contains("ord_e1") && html.contains("Identify yourself"), html);
            assertTrue(html.contains("<span class=\"brand-name\">Example Trust Services</span>"), html);
            assertTrue(html.contains("Example Trust Services — trust services, a Cachet partner"),
                    "the example brand's own footer message: " + html);
            assertTrue(html.contains("/assets/brand/example/"), "its logo and colours: " + html);
            assertFalse(html.contains("<span class=\"brand-name\">Cachet</span>"), html);

            links.issue("ord_e1", OrderRole.CERTIFICATE_MANAGER, "status", "anna@example.org", "/order/status",
                    Duration.ofDays(30), "customer"); // revokes anna's first link
            FakeHttp.Response revoked = new FakeHttp.Response();
            servlet.doGet(FakeHttp.request("GET", "/order/status/t", "/" + anna.token(), Map.of(), null, "en"),
                    revoked.proxy);
            assertEquals(410, revoked.status);
            assertTrue(revoked.body().contains("<span class=\"brand-name\">Example Trust Services</span>"),
                    revoked.body());
            assertFalse(revoked.body().contains("ACME") || revoked.body().contains("ord_e1"), "still no order data");
            String cookie = revoked.cookies.get(0).substring(FormTokens.COOKIE.length() + 1,
                    revoked.cookies.get(0).indexOf(';'));
            Matcher token = TOKEN.matcher(revoked.body());
            assertTrue(token.find());
            FakeHttp.Response renewed = new FakeHttp.Response();
            servlet.doPost(FakeHttp.request("POST", "/order/status/t", "/" + anna.token(),
                    Map.of("csrf", token.group(1)), cookie, "en"), renewed.proxy);
            assertEquals(200, renewed.status);
            assertTrue(renewed.body().contains("If this link may be renewed"), renewed.body());
            assertTrue(renewed.body().contains("<span class=\"brand-name\">Example Trust Services</span>"),
                    renewed.body());

            // a link nobody knows concerns no order: the active brand
            FakeHttp.Response unknown = new FakeHttp.Response();
            servlet.doGet(FakeHttp.request("GET", "/order/status/x", "/" + "x".repeat(43), Map.of(), null, "en"),
                    unknown.proxy);
            assertEquals(404, unknown.status);
            assertTrue(unknown.body().contains("<span class=\"brand-name\">Cachet</span>"), unknown.body());
        }
    }
}
