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
import java.util.List;
import java.util.Map;
import java.util.Set;

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
import org.osgi.framework.ServiceReference;

import io.cachet.api.audit.AuditEvent;
import io.cachet.api.audit.AuditLog;
import io.cachet.api.audit.AuditRecord;
import io.cachet.api.identity.Attempt;
import io.cachet.api.identity.CaseStatus;
import io.cachet.api.identity.IdentityCase;
import io.cachet.api.identity.IdentityException;
import io.cachet.api.identity.IdentityProvider;
import io.cachet.api.order.OrderRole;
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
}
