package io.cachet.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.LocalDate;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.inject.Inject;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;

import com.fasterxml.jackson.databind.JsonNode;

import io.cachet.api.audit.AuditLog;
import io.cachet.api.audit.AuditRecord;
import io.cachet.api.identity.CaseStatus;
import io.cachet.api.identity.CheckResult;
import io.cachet.api.identity.IdentityCase;
import io.cachet.api.identity.IdentityCases;
import io.cachet.api.identity.IdentityProvider;
import io.cachet.api.notify.Channel;
import io.cachet.api.notify.NotificationRecord;
import io.cachet.api.notify.Outbox;
import io.cachet.api.order.CheckStatus;
import io.cachet.api.order.Order;
import io.cachet.api.order.OrderState;
import io.cachet.api.order.Orders;
import io.cachet.api.order.Submission;
import io.cachet.identity.vendor.testing.FakeVendor;

/**
 * The vendor adapter of the distribution against a local fake vendor, end to end over real HTTP: the person's identity
 * link redirects to the vendor's page; the vendor's webhook with a bad signature, a stale timestamp, an unknown
 * session or a malformed body is refused with its 4xx and changes nothing; the valid one puts the case in REVIEW
 * with the vendor's checks; the same event again is a 409 and changes nothing; the operator approves and the
 * order's identity check passes. On H2 here, on PostgreSQL in {@link IdentityVendorPostgresIT}.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class IdentityVendorIT {

    static final String API_KEY = "vk_itest_2b8e41";
    static final String SECRET = "whsec_itest_9d0f3e";
    static final String WEBHOOK = "/api/v1/identity/vendor/webhook";
    private static final Pattern LINK = Pattern.compile("http://localhost:\\d+(/identity/start/[A-Za-z0-9_-]{43})");

    @Inject
    BundleContext context;

    AuditLog audit;

    ConfigurationAdmin configurations;

    Probe probe;
    FakeVendor vendor;
    IdentityCases cases;
    Orders orders;
    Outbox outbox;

    @Configuration
    public Option[] config() throws Exception {
        return CachetRuntime.options(Files.createTempDirectory("cachet-it-idvendor-"),
                Map.of("ds.lock.timeout.milliseconds", "60000"));
    }

    @Before
    public void ready() throws Exception {
        probe = new Probe(context);
        probe.healthy();
        cases = service(context, IdentityCases.class);
        orders = service(context, Orders.class);
        outbox = service(context, Outbox.class);
        audit = service(context, AuditLog.class);
        configurations = service(context, ConfigurationAdmin.class);
        vendor = new FakeVendor(API_KEY);
    }

    @After
    public void stop() {
        if (vendor != null) {
            vendor.close();
        }
    }

    /**
     * Configures the vendor (Configuration Admin, as the Web Console does), makes it the default provider and waits
     * until its webhook is served.
     */
    void useVendor(ConfigurationAdmin configurations, FakeVendor vendor, String secret) throws Exception {
        Dictionary<String, Object> v = new Hashtable<>();
        v.put("baseUrl", vendor.baseUrl());
        v.put("allowLocalhost", Boolean.TRUE);
        v.put("apiKey", API_KEY);
        v.put("webhookSecret", secret);
        configurations.getConfiguration("io.cachet.identity.vendor", "?").update(v);
        awaitService(context(configurations), IdentityProvider.class, "(&(" + IdentityProvider.ID + "=vendor)(baseUrl="
                + vendor.baseUrl() + "))");
        defaultProvider(configurations, "vendor");
        // the webhook resource joins the REST application after the provider's service appears (the whiteboard
        // rebuilds the application meanwhile): until then /api/v1 answers as for any path, 401 without an API key
        Probe.await("the vendor webhook is served", () -> probe.post(WEBHOOK, "{}", "Content-Type",
                "application/json").body().contains("signature.missing"));
    }

    private static BundleContext context(ConfigurationAdmin configurations) {
        return org.osgi.framework.FrameworkUtil.getBundle(IdentityVendorIT.class).getBundleContext();
    }

    /** Switches io.cachet.identity's default provider and waits until the identity service has applied it. */
    static void defaultProvider(ConfigurationAdmin configurations, String provider) throws Exception {
        org.osgi.service.cm.Configuration c = configurations.getConfiguration("io.cachet.identity", "?");
        Dictionary<String, Object> p = c.getProperties() == null ? new Hashtable<>() : c.getProperties();
        p.put("defaultProvider", provider);
        c.update(p);
        awaitService(context(configurations), IdentityCases.class, "(defaultProvider=" + provider + ")");
    }

    /** Waits for a service matching {@code filter} (a configured component publishes its configuration's values). */
    static void awaitService(BundleContext context, Class<?> type, String filter) {
        Probe.await(type.getSimpleName() + " " + filter, () -> {
            try {
                return !context.getServiceReferences(type, filter).isEmpty();
            } catch (org.osgi.framework.InvalidSyntaxException e) {
                throw new IllegalArgumentException(e);
            }
        });
    }

    static List<NotificationRecord> mail(Outbox outbox, String to) {
        return outbox.list(Channel.EMAIL, 0, 500).stream()
                .filter(m -> m.recipient().equals(to) && m.template().equals("identity.start")).toList();
    }

    static <T> T service(BundleContext context, Class<T> type) {
        Probe.await("the service " + type.getSimpleName(), () -> context.getServiceReference(type) != null);
        return context.getService(context.getServiceReference(type));
    }

    /** The identity link e-mailed to {@code to}, as a path. */
    static String link(Outbox outbox, String to) {
        try {
            Probe.await("the identity e-mail to " + to, () -> !mail(outbox, to).isEmpty());
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; e-mails in the outbox: " + outbox.list(Channel.EMAIL, 0, 500)
                    .stream().map(m -> m.recipient() + " " + m.template()).toList(), e);
        }
        Matcher found = LINK.matcher(mail(outbox, to).get(0).body());
        assertTrue(found.find());
        return found.group(1);
    }

    static CheckStatus check(Order o, String kind) {
        return o.checks().stream().filter(c -> c.kind().equals(kind) && c.state() == OrderState.VERIFICATION)
                .map(c -> c.status()).findFirst().orElse(null);
    }

    static String result(String event, String session, String status) {
        return FakeVendor.resultBody(event, session, status, "ERIKSSON", "Anna", "1974-08-12", "passport",
                "18FR12345", LocalDate.now().plusYears(5).toString());
    }

    URI webhook() {
        return URI.create(probe.base() + WEBHOOK);
    }

    static long now() {
        return System.currentTimeMillis() / 1000;
    }

    static HttpResponse<String> fetch(String url) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The refusal carries its status and code as problem+json; the case is exactly as it was. */
    void refused(FakeVendor.Answer answer, int status, String code, IdentityCase before) {
        assertEquals(answer.body(), status, answer.status());
        JsonNode problem;
        try {
            problem = Probe.JSON.readTree(answer.body());
        } catch (java.io.IOException e) {
            throw new AssertionError(answer.body(), e);
        }
        assertEquals(answer.body(), code, problem.path("code").asText());
        assertEquals(status, problem.path("status").asInt());
        assertFalse(answer.body().contains(SECRET));
        IdentityCase after = cases.find(before.id()).orElseThrow();
        assertEquals("no state change", before, after);
    }

    @Test
    public void theVendorsWebhookIsCheckedAndOnlyTheValidResultReachesTheOperator() throws Exception {
        useVendor(configurations, vendor, SECRET);
        Order order = orders.submit(PortalIT.request("Vendor IT SAS", "anna.vendor@example.org", null),
                new Submission("customer", null, null, "en", null));
        String link = link(outbox, "anna.vendor@example.org");

        // the person's link sends them to the vendor's page (once the configuration has been applied)
        String[] location = new String[1];
        Probe.await("the link redirects to the vendor", () -> {
            HttpResponse<String> r = probe.get(link, "Accept-Language", "en");
            location[0] = r.headers().firstValue("Location").orElse("");
            return r.statusCode() == 303 && location[0].startsWith(vendor.baseUrl() + "/verify/");
        });
        HttpResponse<String> page = fetch(location[0]);
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("Fake Vendor verification"));
        IdentityCase started = cases.forOrder(order.id()).get(0);
        assertEquals(CaseStatus.IN_PROGRESS, started.status());
        assertEquals("vendor", started.currentAttempt().provider());
        String session = started.currentAttempt().reference();
        assertEquals(location[0], vendor.baseUrl() + "/verify/" + session);
        assertEquals(started.id(), vendor.sessions().get(session).reference());
        assertEquals("en", vendor.sessions().get(session).language());
        long refusedBefore = count("identity.vendor.webhook.refused");

        byte[] valid = result("evt_valid_1", session, "approved").getBytes(StandardCharsets.UTF_8);
        // refused, each a 4xx and nothing changed
        refused(vendor.sendResult(webhook(), valid, "whsec_not_the_secret", now(), null), 401, "signature.mismatch",
                started);
        byte[] tampered = result("evt_valid_1", session, "approved").replace("ERIKSSON", "ERIKSON")
                .getBytes(StandardCharsets.UTF_8);
        refused(vendor.sendResult(webhook(), tampered, SECRET, now(), FakeVendor.signature(SECRET, now(), valid)),
                401, "signature.mismatch", started);
        refused(vendor.sendResult(webhook(), valid, SECRET, now() - 600, null), 401, "timestamp.stale", started);
        refused(vendor.sendResult(webhook(), valid, SECRET, now() + 600, null), 401, "timestamp.stale", started);
        refused(vendor.sendResult(webhook(), result("evt_unknown", "ses_nobody", "approved")
                .getBytes(StandardCharsets.UTF_8), SECRET, now(), null), 404, "session.unknown", started);
        refused(vendor.sendResult(webhook(), "{\"event_id\":".getBytes(StandardCharsets.UTF_8), SECRET, now(), null),
                400, "body.malformed", started);
        HttpResponse<String> unsigned = probe.post(WEBHOOK, new String(valid, StandardCharsets.UTF_8),
                "Content-Type", "application/json");
        assertEquals(401, unsigned.statusCode());
        assertEquals(started, cases.find(started.id()).orElseThrow());
        Probe.await("every refusal audited", () -> count("identity.vendor.webhook.refused") == refusedBefore + 7);

        // the valid result: to the operator's queue with the vendor's checks
        FakeVendor.Answer ok = vendor.sendResult(webhook(), valid, SECRET, now(), null);
        assertEquals(ok.body(), 200, ok.status());
        IdentityCase review = cases.find(started.id()).orElseThrow();
        assertEquals(CaseStatus.REVIEW, review.status());
        List<CheckResult> checks = review.currentAttempt().checks();
        assertTrue(checks.toString(), checks.stream().anyMatch(c -> c.name().equals("vendor.result") && c.passed()));
        assertTrue(checks.toString(), checks.stream().anyMatch(c -> c.name().equals("vendor.liveness") && c.passed()));
        assertTrue(cases.queue(100).stream().anyMatch(k -> k.id().equals(started.id())));

        // the same event again (replayed as captured, or re-signed now) and a late second result: nothing changes
        refused(vendor.sendResult(webhook(), valid, SECRET, now(), null), 409, "event.replayed", review);
        refused(vendor.sendResult(webhook(), result("evt_valid_2", session, "declined")
                .getBytes(StandardCharsets.UTF_8), SECRET, now(), null), 409, "case.not-open", review);
        assertEquals(CheckStatus.PENDING, check(orders.find(order.id()).orElseThrow(), "identity.certificate-manager"));

        // the operator still decides
        cases.review(started.id(), "it-operator");
        IdentityCase approved = cases.decide(started.id(), true, null, "", false, "it-operator");
        assertEquals(CaseStatus.APPROVED, approved.status());
        assertEquals(CheckStatus.PASSED, check(orders.find(order.id()).orElseThrow(), "identity.certificate-manager"));
        List<AuditRecord> records = audit.read(1, 100_000);
        assertTrue(records.stream().anyMatch(r -> r.action().equals("identity.vendor.webhook.accepted")
                && r.subject().equals("identity-case:" + started.id())));
        assertTrue(audit.verify().intact());
    }

    @Test
    public void aVendorThatIsDownLeavesTheCaseAsItWasAndThePersonIsToldToComeBackLater() throws Exception {
        useVendor(configurations, vendor, SECRET);
        vendor.failWith(503);
        Order order = orders.submit(PortalIT.request("Vendor Down IT SAS", "dora.vendor@example.org", null),
                new Submission("customer", null, null, "en", null));
        String link = link(outbox, "dora.vendor@example.org");
        IdentityCase before = cases.forOrder(order.id()).get(0);
        HttpResponse<String> later = probe.get(link, "Accept-Language", "en");
        assertEquals(later.body(), 503, later.statusCode());
        assertTrue(later.body(), later.body().contains("not available right now"));
        assertFalse(later.body().contains(API_KEY));
        IdentityCase after = cases.forOrder(order.id()).get(0);
        assertEquals(CaseStatus.OPEN, after.status());
        assertTrue(after.attempts().isEmpty());
        assertEquals(before, after);
        assertTrue(vendor.sessions().values().stream().noneMatch(s -> s.reference().equals(before.id())));

        vendor.failWith(0);
        HttpResponse<String> go = probe.get(link, "Accept-Language", "en");
        assertEquals(go.body(), 303, go.statusCode());
        assertNotNull(vendor.sessionFor(before.id()));
    }

    long count(String action) {
        return audit.read(1, 100_000).stream().filter(r -> r.action().equals(action)).count();
    }
}
