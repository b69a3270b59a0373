package io.cachet.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

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
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceRegistration;

import io.cachet.api.audit.AuditEvent;
import io.cachet.api.audit.AuditLog;
import io.cachet.api.audit.AuditRecord;
import io.cachet.api.identity.Attempt;
import io.cachet.api.identity.CaseStatus;
import io.cachet.api.identity.IdentityCase;
import io.cachet.api.identity.IdentityException;
import io.cachet.api.identity.IdentityCases;
import io.cachet.api.identity.IdentityProvider;
import io.cachet.api.notify.Outbox;
import io.cachet.api.order.CheckStatus;
import io.cachet.api.order.Order;
import io.cachet.api.order.OrderRole;
import io.cachet.api.order.Orders;
import io.cachet.api.order.Submission;
import io.cachet.identity.vendor.testing.FakeVendor;

/**
 * The identity provider SPI swapped while running: the vendor adapter (io.cachet.identity.vendor) is not part of
 * this runtime at first; it is dropped into DATA/deploy, stays inert until its configuration file arrives, then
 * serves as provider {@code vendor} against a local fake vendor; removed, it is gone without a restart.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class IdentityHotSwapIT {

    static final String VENDOR_BSN = "io.cachet.identity.vendor";
    static final String API_KEY = "vk_itest_7f3a9c";
    static final String SECRET = "whsec_itest_current_51c2";

    @Inject
    BundleContext context;

    @Inject
    AuditLog audit;

    private Probe probe;
    private FakeVendor vendor;

    @Configuration
    public Option[] config() throws Exception {
        return CachetRuntime.options(Files.createTempDirectory("cachet-it-idswap-"),
                Map.of("ds.lock.timeout.milliseconds", "60000"), Set.of(VENDOR_BSN));
    }

    @Before
    public void ready() throws Exception {
        probe = new Probe(context);
        probe.healthy();
        vendor = new FakeVendor(API_KEY);
    }

    @After
    public void stop() {
        if (vendor != null) {
            vendor.close();
        }
    }

    Bundle bundle(String bsn) {
        return Arrays.stream(context.getBundles()).filter(b -> bsn.equals(b.getSymbolicName())).findFirst().orElse(null);
    }

    IdentityProvider provider(String id) {
        try {
            var refs = context.getServiceReferences(IdentityProvider.class, "(" + IdentityProvider.ID + "=" + id + ")");
            return refs.isEmpty() ? null : context.getService(refs.iterator().next());
        } catch (InvalidSyntaxException e) {
            throw new IllegalArgumentException(e);
        }
    }

    Path deploy() {
        return probe.data().resolve("deploy");
    }

    /** Installs the vendor adapter as an operator does: its jar dropped into DATA/deploy. */
    Path installVendorBundle() throws Exception {
        Path jar = deploy().resolve("io.cachet.identity.vendor.jar");
        Files.copy(Path.of(System.getProperty("cachet.itest.samples"), "io.cachet.identity.vendor.jar"), jar,
                StandardCopyOption.REPLACE_EXISTING);
        Probe.await("vendor bundle active", () -> {
            Bundle b = bundle(VENDOR_BSN);
            return b != null && b.getState() == Bundle.ACTIVE;
        });
        return jar;
    }

    /** Its configuration, as an operator writes it: secrets in files of their own, referenced. */
    Path configureVendor() throws Exception {
        Path secrets = Files.createDirectories(probe.data().resolve("itest-secrets"));
        Files.writeString(secrets.resolve("vendor-api-key"), API_KEY + "\n");
        Files.writeString(secrets.resolve("vendor-webhook-secret"), SECRET + "\n");
        Path cfg = deploy().resolve("io.cachet.identity.vendor.cfg");
        Files.writeString(cfg, "baseUrl=" + vendor.baseUrl() + "\nallowLocalhost=true\n"
                + "apiKey=file:" + secrets.resolve("vendor-api-key") + "\n"
                + "webhookSecret=file:" + secrets.resolve("vendor-webhook-secret") + "\n"
                + "callbackUrl=" + probe.base().replace("http://127.0.0.1", "http://localhost")
                + "/api/v1/identity/vendor/webhook\n");
        Probe.await("provider vendor registered", () -> provider("vendor") != null);
        return cfg;
    }

    static IdentityCase fabricated(String id) {
        Instant t = Instant.now();
        return new IdentityCase(id, "ord_fabricated", OrderRole.CERTIFICATE_MANAGER, "ERIKSSON", "Anna Maria",
                LocalDate.of(1974, 8, 12), "anna@example.org", CaseStatus.IN_PROGRESS, "vendor",
                List.of(new Attempt(1, "vendor", null, null, List.of(), null, List.of(), t, null)), 3, List.of(),
                "0.4.0.19461.1.1", t, t, null);
    }

    @Test
    public void theVendorAdapterIsInertUntilConfiguredThenStartsSessionsAndGoesAwayCleanly() throws Exception {
        AuditRecord before = audit.append(AuditEvent.of("system", "itest.marker", "identity-swap", "before"));
        assertEquals(null, bundle(VENDOR_BSN));
        Path jar = installVendorBundle();

        // inert: no provider, no webhook, no vendor called
        assertEquals(null, provider("vendor"));
        HttpResponse<String> absent = probe.post("/api/v1/identity/vendor/webhook", "{}", "Content-Type",
                "application/json");
        HttpResponse<String> nothing = probe.post("/api/v1/identity/vendor/no-such-thing", "{}", "Content-Type",
                "application/json");
        assertEquals("answered as a path that does not exist: " + absent.body(), nothing.statusCode(),
                absent.statusCode());
        assertEquals(nothing.body(), absent.body());
        assertTrue(vendor.sessions().isEmpty());

        Path cfg = configureVendor();
        IdentityProvider p = provider("vendor");
        assertEquals("vendor", p.id());
        IdentityProvider.Start start = p.start(fabricated("idc_itest_1"), "unused-flow-token", "en");
        FakeVendor.Session session = vendor.sessionFor("idc_itest_1");
        assertNotNull("the vendor got the session", session);
        assertEquals(session.id(), start.reference());
        assertTrue(start.url(), start.url().startsWith(vendor.baseUrl() + "/verify/"));
        assertTrue(session.body(), session.body().contains("/api/v1/identity/vendor/webhook"));
        HttpResponse<String> page = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(URI.create(start.url())).build(),
                HttpResponse.BodyHandlers.ofString());
        assertTrue(page.body().contains("Fake Vendor verification"));

        // the vendor down: try again later, nothing else
        vendor.failWith(503);
        IdentityException down = org.junit.Assert.assertThrows(IdentityException.class,
                () -> provider("vendor").start(fabricated("idc_itest_2"), "t", "fr"));
        assertEquals(IdentityException.Reason.UNAVAILABLE, down.reason());
        assertFalse(down.getMessage().contains(API_KEY));
        vendor.failWith(0);

        Files.delete(cfg);
        Probe.await("provider vendor gone with its configuration", () -> provider("vendor") == null);
        Files.delete(jar);
        Probe.await("vendor bundle uninstalled", () -> bundle(VENDOR_BSN) == null);
        assertEquals("UP", probe.healthy().path("status").asText());
        Probe.await("the swap is in the audit log", () -> {
            List<String> actions = audit.read(before.sequence() + 1, 1000).stream()
                    .map(r -> r.action() + " " + r.subject()).toList();
            return actions.stream().anyMatch(a -> a.startsWith("bundle.installed bundle:" + VENDOR_BSN + "@"))
                    && actions.contains("configuration.updated pid:io.cachet.identity.vendor")
                    && actions.stream().anyMatch(a -> a.startsWith("bundle.uninstalled bundle:" + VENDOR_BSN + "@"));
        });
        assertTrue(audit.verify().intact());
    }

    /** The built-in phone flow's stand-in under its id {@code mobile}: it sends the person to {@code /it-flow/}. */
    static final class BuiltIn implements IdentityProvider {
        final List<String> started = new CopyOnWriteArrayList<>();

        @Override
        public String id() {
            return "mobile";
        }

        @Override
        public Start start(IdentityCase identityCase, String flowToken, String language) {
            started.add(identityCase.id());
            return new Start("/it-flow/" + flowToken, null);
        }
    }

    /** Where the person's identity link sends them now: the Location of a 303, else the status and page. */
    String follow(String link) {
        HttpResponse<String> r = probe.get(link, "Accept-Language", "en");
        return r.statusCode() == 303 ? r.headers().firstValue("Location").orElse("")
                : r.statusCode() + " " + r.body();
    }

    Order submit(Orders orders, String organisation, String email) {
        return orders.submit(PortalIT.request(organisation, email, null), new Submission("customer", null, null, "en",
                null));
    }

    /** Writes {@code DATA/deploy/io.cachet.identity.cfg} and waits until the identity service applied it. */
    void identityDefault(String provider) throws Exception {
        Files.writeString(deploy().resolve("io.cachet.identity.cfg"), "defaultProvider=" + provider + "\n");
        IdentityVendorIT.awaitService(context, IdentityCases.class, "(defaultProvider=" + provider + ")");
    }

    @Test
    public void aCaseIsCompletedWithAVendorInstalledAndSelectedWhileRunningThenTheVendorIsRemoved() throws Exception {
        long frameworkStart = context.getBundle(0).getLastModified();
        Probe.await("the identity service", () -> context.getServiceReference(IdentityCases.class) != null);
        IdentityCases cases = IdentityVendorIT.service(context, IdentityCases.class);
        Orders orders = IdentityVendorIT.service(context, Orders.class);
        Outbox outbox = IdentityVendorIT.service(context, Outbox.class);
        BuiltIn builtIn = new BuiltIn();
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(IdentityProvider.ID, "mobile");
        props.put(org.osgi.framework.Constants.SERVICE_RANKING, 100);
        ServiceRegistration<IdentityProvider> reg = context.registerService(IdentityProvider.class, builtIn, props);
        try {
            identityDefault("mobile");
            assertEquals(null, bundle(VENDOR_BSN));

            // A: started with the built-in provider before any vendor exists
            Order a = submit(orders, "Swap A SAS", "a.swap@example.org");
            assertEquals("a case opened for A: " + cases.forOrder(a.id()), 1, cases.forOrder(a.id()).size());
            String linkA = IdentityVendorIT.link(outbox, "a.swap@example.org");
            assertTrue(follow(linkA).startsWith("/it-flow/"));
            IdentityCase caseA = cases.forOrder(a.id()).get(0);
            assertEquals("mobile", caseA.currentAttempt().provider());

            // the vendor installed, configured and selected while running
            Path jar = installVendorBundle();
            Path vendorCfg = configureVendor();
            identityDefault("vendor");

            // B: the link goes to the vendor's page; the vendor's signed result puts the case in review
            Order b = submit(orders, "Swap B SAS", "b.swap@example.org");
            String linkB = IdentityVendorIT.link(outbox, "b.swap@example.org");
            String toVendor = follow(linkB);
            assertTrue(toVendor, toVendor.startsWith(vendor.baseUrl() + "/verify/"));
            HttpResponse<String> page = IdentityVendorIT.fetch(toVendor);
            assertTrue(page.body().contains("Fake Vendor verification"));
            IdentityCase caseB = cases.forOrder(b.id()).get(0);
            assertEquals("vendor", caseB.currentAttempt().provider());
            String session = caseB.currentAttempt().reference();
            assertEquals(caseB.id(), vendor.sessions().get(session).reference());
            // A, started before the switch, goes on with the provider that started it
            assertTrue(follow(linkA).startsWith("/it-flow/"));
            assertEquals("mobile", cases.find(caseA.id()).orElseThrow().currentAttempt().provider());

            URI webhook = URI.create(probe.base() + IdentityVendorIT.WEBHOOK);
            byte[] body = IdentityVendorIT.result("evt_swap_b", session, "approved")
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8);
            FakeVendor.Answer answer = vendor.sendResult(webhook, body, SECRET, System.currentTimeMillis() / 1000,
                    null);
            assertEquals(answer.body(), 200, answer.status());
            assertEquals(CaseStatus.REVIEW, cases.find(caseB.id()).orElseThrow().status());

            // the operator approves: the order's identity check passes
            cases.review(caseB.id(), "it-operator");
            assertEquals(CaseStatus.APPROVED,
                    cases.decide(caseB.id(), true, null, "", false, "it-operator").status());
            assertEquals(CheckStatus.PASSED, IdentityVendorIT.check(orders.find(b.id()).orElseThrow(),
                    "identity.certificate-manager"));

            // C: started with the vendor, then the vendor is removed (configuration and jar)
            Order c = submit(orders, "Swap C SAS", "c.swap@example.org");
            String linkC = IdentityVendorIT.link(outbox, "c.swap@example.org");
            assertTrue(follow(linkC).startsWith(vendor.baseUrl() + "/verify/"));
            IdentityCase caseC = cases.forOrder(c.id()).get(0);
            assertEquals("vendor", caseC.currentAttempt().provider());
            Files.delete(vendorCfg);
            Files.delete(jar);
            Probe.await("vendor bundle uninstalled", () -> bundle(VENDOR_BSN) == null);
            assertEquals(null, provider("vendor"));

            // C keeps its provider: come back later, nothing changes
            String later = follow(linkC);
            assertTrue(later, later.startsWith("503 ") && later.contains("not available right now"));
            IdentityCase stillC = cases.find(caseC.id()).orElseThrow();
            assertEquals(CaseStatus.IN_PROGRESS, stillC.status());
            assertEquals(caseC.currentAttempt(), stillC.currentAttempt());
            // its vendor's webhook is gone with it
            HttpResponse<String> gone = probe.post(IdentityVendorIT.WEBHOOK, "{}", "Content-Type", "application/json");
            assertEquals(probe.post("/api/v1/identity/vendor/no-such-thing", "{}", "Content-Type",
                    "application/json").statusCode(), gone.statusCode());

            // D, opened while the configuration still names the missing vendor: come back later too; once the
            // operator selects the built-in provider again, D (not started) uses it, while C still waits for its vendor
            Order d = submit(orders, "Swap D SAS", "d.swap@example.org");
            String linkD = IdentityVendorIT.link(outbox, "d.swap@example.org");
            assertTrue(follow(linkD).startsWith("503 "));
            assertEquals(CaseStatus.OPEN, cases.forOrder(d.id()).get(0).status());
            identityDefault("mobile");
            assertTrue(follow(linkD).startsWith("/it-flow/"));
            assertEquals("mobile", cases.forOrder(d.id()).get(0).currentAttempt().provider());
            assertTrue(follow(linkC).startsWith("503 "));

            assertEquals("framework never restarted", frameworkStart, context.getBundle(0).getLastModified());
            assertEquals("UP", probe.healthy().path("status").asText());
            assertTrue(audit.verify().intact());
        } finally {
            reg.unregister();
            Files.deleteIfExists(deploy().resolve("io.cachet.identity.cfg"));
        }
    }
}
