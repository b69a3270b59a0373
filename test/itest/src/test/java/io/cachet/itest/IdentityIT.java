package io.cachet.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.LocalDate;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.inject.Inject;

import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

import io.cachet.api.audit.AuditLog;
import io.cachet.api.identity.CaseStatus;
import io.cachet.api.identity.IdentityCase;
import io.cachet.api.identity.IdentityCases;
import io.cachet.api.identity.IdentityProvider;
import io.cachet.api.identity.ProviderResult;
import io.cachet.api.notify.Channel;
import io.cachet.api.notify.NotificationRecord;
import io.cachet.api.notify.Outbox;
import io.cachet.api.order.CheckStatus;
import io.cachet.api.order.Order;
import io.cachet.api.order.OrderRole;
import io.cachet.api.order.OrderState;
import io.cachet.api.order.Orders;
import io.cachet.api.order.Submission;

/**
 * Identity proofing in the distribution: an order entering VERIFICATION opens one case per person, each e-mailed a
 * personal identity link (outbox); opening the link while the case's provider is missing shows "try again later"
 * and changes nothing; with a provider installed (a small one registered by this test, under the id {@code mobile})
 * it redirects (303) to the provider's URL with a flow token that resolves to the case; the provider's result and an
 * operator's approval of both cases pass the order's identity checks and the order moves on. Unknown links are a
 * 404, a case under review says so.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class IdentityIT {

    private static final Pattern LINK = Pattern.compile("http://localhost:\\d+(/identity/start/[A-Za-z0-9_-]{43})");

    @Inject
    BundleContext context;

    Orders orders;

    /** Services got once the server is up (a first start on a loaded machine can outlast Pax Exam's 10 s wait). */
    IdentityCases cases;

    Outbox outbox;

    AuditLog audit;

    @Configuration
    public Option[] config() throws Exception {
        return CachetRuntime.options(Files.createTempDirectory("cachet-it-identity-"),
                Map.of("ds.lock.timeout.milliseconds", "60000"));
    }

    @Before
    public void ready() {
        new Probe(context).healthy();
        cases = service(IdentityCases.class);
        orders = service(Orders.class);
        outbox = service(Outbox.class);
        audit = service(AuditLog.class);
    }

    private <T> T service(Class<T> type) {
        Probe.await("the service " + type.getSimpleName(), () -> context.getServiceReference(type) != null);
        return context.getService(context.getServiceReference(type));
    }

    /** Sends the person to {@code /it-flow/<token>}. */
    static final class ItProvider implements IdentityProvider {
        final List<String> tokens = new CopyOnWriteArrayList<>();
        final String id;

        ItProvider() {
            this("mobile");
        }

        ItProvider(String id) {
            this.id = id;
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public Start start(IdentityCase identityCase, String flowToken, String language) {
            tokens.add(flowToken);
            return new Start("/it-flow/" + flowToken, null);
        }
    }

    private List<NotificationRecord> mail(String to, String template) {
        return outbox.list(Channel.EMAIL, 0, 500).stream()
                .filter(m -> m.recipient().equals(to) && m.template().equals(template)).toList();
    }

    private String link(String to) {
        Probe.await("the identity e-mail to " + to + " in the outbox", () -> !mail(to, "identity.start").isEmpty());
        NotificationRecord m = mail(to, "identity.start").get(0);
        Matcher found = LINK.matcher(m.body());
        assertTrue(m.body(), found.find());
        assertTrue(m.body(), m.body().contains("/identity/documents"));
        return found.group(1);
    }

    private static CheckStatus check(Order o, String kind) {
        return o.checks().stream().filter(c -> c.kind().equals(kind) && c.state() == OrderState.VERIFICATION)
                .map(c -> c.status()).findFirst().orElse(null);
    }

    @Test
    public void eachPersonsLinkStartsTheirCaseWithTheProviderAndApprovalsPassTheOrdersChecks() {
        Probe probe = new Probe(context);
        Order order = orders.submit(PortalIT.request("Identity IT SAS", "anna.id@example.org", "bob.id@example.org"),
                new Submission("customer", null, null, "en", null));
        assertEquals(OrderState.VERIFICATION, order.state());
        assertEquals(CheckStatus.PENDING, check(order, "identity.certificate-manager"));
        assertEquals(CheckStatus.PENDING, check(order, "identity.legal-representative"));
        List<IdentityCase> opened = cases.forOrder(order.id());
        assertEquals(2, opened.size());
        assertTrue(opened.stream().allMatch(k -> k.status() == CaseStatus.OPEN));
        String anna = link("anna.id@example.org");
        String bob = link("bob.id@example.org");
        assertTrue(mail("anna.id@example.org", "identity.start").get(0).subject().contains(order.id()));

        // no provider "mobile" installed yet (the phone flow is its own bundle): come back later, nothing changes
        boolean mobileInstalled = java.util.Arrays.stream(getRefs()).anyMatch(r -> "mobile".equals(r.getProperty(IdentityProvider.ID)));
        if (!mobileInstalled) {
            HttpResponse<String> later = probe.get(anna, "Accept-Language", "en");
            assertEquals(later.body(), 503, later.statusCode());
            assertTrue(later.body(), later.body().contains("not available right now"));
            assertEquals(CaseStatus.OPEN, caseOf(order, OrderRole.CERTIFICATE_MANAGER).status());
            String health = probe.healthyReport().toString();
            assertTrue(health, health.contains("configured but missing: mobile"));
        }

        ItProvider provider = new ItProvider();
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(IdentityProvider.ID, "mobile");
        props.put(org.osgi.framework.Constants.SERVICE_RANKING, 100);
        ServiceRegistration<IdentityProvider> reg = context.registerService(IdentityProvider.class, provider, props);
        try {
            Probe.await("the test provider bound", () -> {
                HttpResponse<String> r = probe.get(bob, "Accept-Language", "en");
                return r.statusCode() == 303 && r.headers().firstValue("Location").orElse("").startsWith("/it-flow/");
            });
            String health = probe.healthyReport().toString();
            assertTrue(health, health.contains("providers installed: mobile"));
            HttpResponse<String> go = probe.get(anna, "Accept-Language", "fr");
            assertEquals(go.body(), 303, go.statusCode());
            String location = go.headers().firstValue("Location").orElseThrow();
            assertTrue(location, location.startsWith("/it-flow/"));
            String annaToken = location.substring("/it-flow/".length());
            IdentityCase annaCase = cases.byFlowToken(annaToken).orElseThrow();
            assertEquals(OrderRole.CERTIFICATE_MANAGER, annaCase.role());
            assertEquals(CaseStatus.IN_PROGRESS, annaCase.status());
            assertEquals("mobile", annaCase.currentAttempt().provider());

            IdentityCase bobCase = caseOf(order, OrderRole.LEGAL_REPRESENTATIVE);
            ProviderResult ok = new ProviderResult(ProviderResult.Outcome.VERIFIED, null, null, null, null, null, null,
                    List.of());
            for (IdentityCase k : List.of(annaCase, bobCase)) {
                IdentityCase review = cases.providerResult(k.id(), ok, "provider:mobile");
                assertEquals(CaseStatus.REVIEW, review.status());
            }
            HttpResponse<String> underReview = probe.get(anna, "Accept-Language", "en");
            assertEquals(200, underReview.statusCode());
            assertTrue(underReview.body(), underReview.body().contains("being checked"));
            assertTrue("no token works once submitted", cases.byFlowToken(annaToken).isEmpty());

            cases.review(annaCase.id(), "it-operator");
            cases.decide(annaCase.id(), true, null, "", false, "it-operator");
            Order half = orders.find(order.id()).orElseThrow();
            assertEquals(CheckStatus.PASSED, check(half, "identity.certificate-manager"));
            assertEquals(OrderState.VERIFICATION, half.state());
            cases.decide(bobCase.id(), true, null, "", false, "it-operator");
            Order after = orders.find(order.id()).orElseThrow();
            assertEquals(CheckStatus.PASSED, check(after, "identity.legal-representative"));
            assertTrue(audit.read(1, 100_000).stream().anyMatch(r -> r.action().equals("identity.case.approved")
                    && r.subject().equals("identity-case:" + bobCase.id())));
            assertTrue(audit.read(1, 100_000).stream().anyMatch(r -> r.action().equals("identity.case.viewed")
                    && r.subject().equals("identity-case:" + annaCase.id())));
            Probe.await("the approval e-mail", () -> mail("bob.id@example.org", "identity.approved").size() == 1);
        } finally {
            reg.unregister();
        }
    }

    @Test
    public void anUnknownLinkIsA404AndACancelledOrdersLinkSaysSo() {
        Probe probe = new Probe(context);
        HttpResponse<String> forged = probe.get("/identity/start/" + "x".repeat(43), "Accept-Language", "en");
        assertEquals(404, forged.statusCode());
        assertTrue(forged.body(), forged.body().contains("does not open anything"));
        assertEquals(404, probe.get("/identity/start/").statusCode());

        Order order = orders.submit(PortalIT.request("Identity Cancel IT SAS", "carla.id@example.org", null),
                new Submission("customer", null, null, "en", null));
        String carla = link("carla.id@example.org");
        assertEquals(1, cases.forOrder(order.id()).size());
        orders.cancel(order.id(), "operator:it", "asked by phone", false);
        assertEquals(CaseStatus.CANCELLED, cases.forOrder(order.id()).get(0).status());
        HttpResponse<String> page = probe.get(carla, "Accept-Language", "en");
        // the portal revokes an ended order's links: the page of a revoked link offers nothing new for an ended case
        assertEquals(page.body(), 410, page.statusCode());
        assertFalse(page.body(), page.body().contains("Eriksson"));
    }

    @Test
    public void aProviderChosenByConfigurationWhileRunningStartsTheCasesNotStartedYet() throws Exception {
        Probe probe = new Probe(context);
        org.osgi.service.cm.ConfigurationAdmin admin = service(org.osgi.service.cm.ConfigurationAdmin.class);
        org.osgi.service.cm.Configuration config = admin.getConfiguration("io.cachet.identity", "?");
        ItProvider other = new ItProvider("it-other");
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(IdentityProvider.ID, "it-other");
        ServiceRegistration<IdentityProvider> reg = context.registerService(IdentityProvider.class, other, props);
        try {
            Order order = orders.submit(PortalIT.request("Identity Config IT SAS", "dora.id@example.org", null),
                    new Submission("customer", null, null, "en", null));
            String dora = link("dora.id@example.org");
            Hashtable<String, Object> settings = new Hashtable<>();
            settings.put("defaultProvider", "it-other");
            // a rule naming a provider nobody installs makes the change visible on /health once applied
            settings.put("providerRules", new String[] { "brand:it-never=it-missing" });
            config.update(settings);
            Probe.await("the configuration applied", () -> probe.healthReport().body()
                    .contains("configured but missing: it-missing"));
            Probe.await("the new default provider used", () -> {
                HttpResponse<String> r = probe.get(dora, "Accept-Language", "en");
                return r.statusCode() == 303 && !other.tokens.isEmpty();
            });
            IdentityCase k = cases.forOrder(order.id()).get(0);
            assertEquals("it-other", k.currentAttempt().provider());
            assertEquals("it-other", k.provider());
            // back to the default: the started case keeps its provider
            config.delete();
            Probe.await("the default configuration applied", () -> !probe.healthReport().body()
                    .contains("it-missing"));
            Probe.await("the started case resumed", () -> {
                HttpResponse<String> r = probe.get(dora, "Accept-Language", "en");
                return r.statusCode() == 303 && other.tokens.size() >= 2;
            });
            assertEquals("it-other", cases.forOrder(order.id()).get(0).currentAttempt().provider());
        } finally {
            reg.unregister();
            if (admin.listConfigurations("(service.pid=io.cachet.identity)") != null) {
                config.delete();
            }
        }
    }

    @Test
    public void thePublicPageListsTheAcceptedDocuments() {
        // needs the evidence work's catalogue (DocumentCatalogue.defaults) merged
        Probe probe = new Probe(context);
        HttpResponse<String> page = probe.get("/identity/documents", "Accept-Language", "fr");
        assertEquals(page.body(), 200, page.statusCode());
        assertTrue(page.body(), page.body().contains("<h1>Pièces d&#39;identité acceptées</h1>"));
        for (String id : List.of("passport", "fr-cni-2021", "fr-cni-1994", "fr-titre-sejour", "eu-id-card")) {
            assertTrue(id, page.body().contains("<li id=\"doc-" + id + "\">"));
        }
        assertTrue(page.body(), page.body().contains("Photographiez les deux faces"));
        assertTrue(page.headers().firstValue("Cache-Control").orElse("").contains("max-age"));
    }

    private org.osgi.framework.ServiceReference<?>[] getRefs() {
        try {
            org.osgi.framework.ServiceReference<?>[] r = context.getServiceReferences(IdentityProvider.class.getName(),
                    null);
            return r == null ? new org.osgi.framework.ServiceReference<?>[0] : r;
        } catch (org.osgi.framework.InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private IdentityCase caseOf(Order order, OrderRole role) {
        return cases.forOrder(order.id()).stream().filter(k -> k.role() == role).findFirst().orElseThrow();
    }
}
