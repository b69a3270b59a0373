package io.cachet.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;

import javax.inject.Inject;

import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.ops4j.pax.exam.util.Filter;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.ConfigurationAdmin;

import com.fasterxml.jackson.databind.JsonNode;

import io.cachet.api.audit.AuditLog;
import io.cachet.api.audit.AuditRecord;
import io.cachet.api.ca.CertificateAuthority;
import io.cachet.api.issuance.OrderCertificates;
import io.cachet.api.order.CheckState;
import io.cachet.api.order.CheckStatus;
import io.cachet.api.order.Order;
import io.cachet.api.order.OrderCheck;
import io.cachet.api.order.OrderState;
import io.cachet.api.order.Orders;

/**
 * The ISSUANCE step in the running distribution, over real HTTP: a cloud order that has passed its earlier checks
 * gets its certificate at once (key on the cloud key token, subject frozen from the order, verified by openssl against
 * the published chain) and moves to DELIVERY; with the CA gone (its bundle stopped) the order waits, the attempts are
 * retried, and once the CA is back the certificate is issued once; a token order waits for its token's request, which
 * an operator posts; bad requests are refused with problem+json and change nothing.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class IssuanceIT {

    static final String ORDERS = "/api/v1/orders";

    @Inject
    BundleContext context;

    @Inject
    @Filter(timeout = 120_000)
    Orders orders;

    @Inject
    @Filter(timeout = 120_000)
    OrderCertificates certificates;

    @Inject
    @Filter(timeout = 120_000)
    CertificateAuthority ca;

    @Inject
    ConfigurationAdmin configurations;

    @Inject
    AuditLog audit;

    private Probe probe;
    private String admin;
    private Path dir;

    @Configuration
    public Option[] config() throws Exception {
        Path data = Files.createTempDirectory("cachet-it-");
        return CachetRuntime.options(data, Map.of("ds.lock.timeout.milliseconds", "60000"));
    }

    @Before
    public void ready() throws Exception {
        probe = new Probe(context);
        probe.healthy();
        admin = probe.adminApiKey();
        dir = Files.createTempDirectory("cachet-issuance-it-");
        // retry quickly, so that waiting for the CA to come back takes seconds
        org.osgi.service.cm.Configuration c = configurations.getConfiguration("io.cachet.issuance", "?");
        Hashtable<String, Object> p = new Hashtable<>();
        p.put("initialBackoffSeconds", 1);
        p.put("maxBackoffSeconds", 2);
        p.put("jobSeconds", 1);
        c.update(p);
    }

    private Orders orders() {
        return context.getService(context.getServiceReference(Orders.class));
    }

    private HttpResponse<String> get(String path) {
        return probe.get(path, "Authorization", "Bearer " + admin);
    }

    private HttpResponse<String> post(String path, String body) {
        return probe.post(path, body, "Authorization", "Bearer " + admin, "Content-Type", "application/json");
    }

    /** An order submitted over HTTP, its VERIFICATION and ACCEPTANCE checks passed as their modules would report. */
    private String inIssuance(String organisation, String medium) {
        // until the acceptance module is installed, ACCEPTANCE has no check of its own: one of the test's stands in
        ServiceRegistration<OrderCheck> acceptance = context.registerService(OrderCheck.class,
                new OrdersIT.Check("itest.acceptance", OrderState.ACCEPTANCE, organisation),
                new Hashtable<>(Map.of(OrderCheck.KIND, "itest.acceptance")));
        try {
            return passedToIssuance(organisation, medium);
        } finally {
            acceptance.unregister();
        }
    }

    private String passedToIssuance(String organisation, String medium) {
        HttpResponse<String> made = post(ORDERS, OrdersIT.order(organisation, "552100554", medium));
        assertEquals(made.body(), 201, made.statusCode());
        return passedToIssuance(Probe.json(made).path("id").asText());
    }

    /** The checks of the submitted order {@code id} passed as their modules would report, up to ISSUANCE. */
    private String passedToIssuance(String id) {
        for (OrderState state : List.of(OrderState.VERIFICATION, OrderState.ACCEPTANCE)) {
            Probe.await(id + " in " + state, () -> orders().find(id).orElseThrow().state() == state);
            Order o = orders().find(id).orElseThrow();
            for (CheckState c : o.checks()) {
                if (c.state() == state && c.status() != CheckStatus.PASSED) {
                    orders().report(id, c.kind(), CheckStatus.PASSED, "", "check:" + c.kind());
                }
            }
        }
        Probe.await(id + " past ACCEPTANCE", () -> orders().find(id).orElseThrow().state().ordinal()
                >= OrderState.ISSUANCE.ordinal());
        return id;
    }

    private JsonNode certificate(String id) {
        HttpResponse<String> r = get(ORDERS + "/" + id + "/certificate");
        assertEquals(r.body(), 200, r.statusCode());
        return Probe.json(r);
    }

    private String openssl(String... args) {
        List<String> cmd = new ArrayList<>(List.of("openssl"));
        cmd.addAll(Arrays.asList(args));
        Commands.Result r = Commands.run(dir, Duration.ofSeconds(60), cmd.toArray(String[]::new));
        assertEquals(r.out(), 0, r.exit());
        return r.out();
    }

    private void verifiedByOpenssl(JsonNode cert, String name) throws Exception {
        Files.writeString(dir.resolve(name + ".pem"), cert.path("certificate").asText());
        Files.writeString(dir.resolve("chain.pem"), probe.get("/pki/chain.pem").body());
        assertTrue(openssl("verify", "-CAfile", "chain.pem", name + ".pem").contains(name + ".pem: OK"));
        String text = openssl("x509", "-in", name + ".pem", "-noout", "-subject", "-nameopt", "RFC2253");
        assertTrue(text, text.contains("VATFR-96552100554") && text.contains("C=FR"));
    }

    private long audited(String orderId, String action) {
        return audit.about(List.of("order:" + orderId), 1, 10_000).stream().map(AuditRecord::action)
                .filter(action::equals).count();
    }

    @Test
    public void aCloudOrderGetsItsCertificateAndMovesToDelivery() throws Exception {
        String org = "Cloud " + System.nanoTime() + " SAS";
        assertEquals(404, get(ORDERS + "/ord_nonexistent/certificate").statusCode());
        String id = inIssuance(org, "cloud");
        Probe.await("the certificate of " + id, () -> "ISSUED".equals(certificate(id).path("status").asText()));
        JsonNode cert = certificate(id);
        assertEquals("CLOUD", cert.path("profile").asText());
        assertEquals(org, cert.path("commonName").asText());
        assertEquals("VATFR-96552100554", cert.path("organisation").path("identifier").asText());
        assertNotNull(cert.path("serial").asText(null));
        verifiedByOpenssl(cert, "cloud");
        Probe.await(id + " in DELIVERY", () -> orders().find(id).orElseThrow().state() == OrderState.DELIVERY);
        assertEquals(id, certificates.orderOf(certificates.find(id).orElseThrow().serial()).orElseThrow());
        assertEquals(1, audited(id, "issuance.issued"));
        HttpResponse<String> pem = probe.get(ORDERS + "/" + id + "/certificate", "Authorization", "Bearer " + admin,
                "Accept", "application/pem-certificate-chain");
        assertEquals(pem.body(), 200, pem.statusCode());
        assertTrue(pem.body(), pem.body().startsWith(cert.path("certificate").asText())
                && pem.body().split("BEGIN CERTIFICATE").length == 3);

        // a cloud order takes no request from outside; 401 without a key
        HttpResponse<String> refused = post(ORDERS + "/" + id + "/certificate", "{\"csr\": \"x\"}");
        assertEquals(refused.body(), 409, refused.statusCode());
        assertTrue(refused.headers().firstValue("Content-Type").orElse("").contains("problem+json"));
        assertEquals(401, probe.get(ORDERS + "/" + id + "/certificate").statusCode());
    }

    @Test
    public void theEvidenceFileIsSealedAtLtaAndVerifiesWithPdfsigAndTheCli() throws Exception {
        String org = "Evidence " + System.nanoTime() + " SAS";
        String id = inIssuance(org, "cloud");
        Probe.await(id + " in DELIVERY", () -> orders().find(id).orElseThrow().state() == OrderState.DELIVERY);
        Probe.await("the evidence file of " + id, () -> get(ORDERS + "/" + id + "/evidence/info").statusCode() == 200);
        JsonNode info = Probe.json(get(ORDERS + "/" + id + "/evidence/info"));
        assertEquals(1, info.path("timestamps").asInt());
        List<String> sections = new ArrayList<>();
        info.path("sections").forEach(n -> sections.add(n.asText()));
        // every module of the distribution gave its part: identity, organisation, acceptance
        assertTrue(sections.toString(), sections.containsAll(List.of("order.json", "identity-certificate-manager.json",
                "organisation.json", "acceptance.json", "acceptance-form.pdf", "certificate.pem", "audit.json",
                "manifest.json")));
        assertEquals(info.toString(), 0, info.path("missing").size());
        assertTrue(info.toString(), info.path("timestampValidUntil").isTextual());

        HttpResponse<byte[]> pdf = download(ORDERS + "/" + id + "/evidence");
        assertEquals(200, pdf.statusCode());
        assertEquals("application/pdf", pdf.headers().firstValue("Content-Type").orElse(""));
        Files.write(dir.resolve("evidence.pdf"), pdf.body());
        assertEquals(info.path("size").asLong(), pdf.body().length);
        Files.writeString(dir.resolve("chain.pem"), probe.get("/pki/chain.pem").body());
        Commands.Result attachments = Commands.run(dir, Duration.ofSeconds(60), "pdfdetach", "-list", "evidence.pdf");
        assertEquals(attachments.out(), 0, attachments.exit());
        assertTrue(attachments.out(), attachments.out().contains(sections.size() + " embedded files")
                && attachments.out().contains("acceptance-form.pdf"));
        String sig = pdfsig("evidence.pdf");
        assertTrue(sig, sig.contains("Signature is Valid."));
        Commands.Result verify = cli("verify", dir.resolve("evidence.pdf").toString(), "--trust",
                dir.resolve("chain.pem").toString());
        assertEquals(verify.out(), 0, verify.exit());
        assertTrue(verify.out(), verify.out().startsWith("VALID: 1 signature") && verify.out().contains("PAdES-BASELINE-LTA"));

        // an archive time-stamp on demand: the seal stays valid
        HttpResponse<String> ts = post(ORDERS + "/" + id + "/evidence/timestamp", "");
        assertEquals(ts.body(), 200, ts.statusCode());
        assertEquals(2, Probe.json(ts).path("timestamps").asInt());
        Files.write(dir.resolve("evidence2.pdf"), download(ORDERS + "/" + id + "/evidence").body());
        verify = cli("verify", dir.resolve("evidence2.pdf").toString(), "--trust", dir.resolve("chain.pem").toString());
        assertEquals(verify.out(), 0, verify.exit());
        assertTrue(verify.out(), verify.out().startsWith("VALID: 1 signature"));
        assertEquals(1, audited(id, "evidence.sealed"));
        assertEquals(2, audited(id, "evidence.downloaded"));
        assertEquals(1, audited(id, "evidence.timestamped"));

        assertEquals(404, get(ORDERS + "/ord_nonexistent/evidence/info").statusCode());
        assertEquals(401, probe.get(ORDERS + "/" + id + "/evidence").statusCode());
    }

    private HttpResponse<byte[]> download(String path) throws Exception {
        java.net.http.HttpRequest r = java.net.http.HttpRequest.newBuilder(java.net.URI.create(probe.base() + path))
                .header("Authorization", "Bearer " + admin).GET().build();
        return java.net.http.HttpClient.newHttpClient().send(r, HttpResponse.BodyHandlers.ofByteArray());
    }

    private String pdfsig(String file) {
        Commands.Result r = Commands.run(dir, Duration.ofSeconds(60), "pdfsig", "-nocert", "-no-ocsp", file);
        assertEquals(r.out(), 0, r.exit());
        return r.out();
    }

    private Commands.Result cli(String... args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", Path.of(System.getProperty("cachet.itest.distribution"), "cachet-cli.jar").toString()));
        cmd.addAll(List.of(args));
        return Commands.run(dir, Duration.ofSeconds(120), cmd.toArray(String[]::new));
    }

    @Test
    public void withTheCaGoneTheOrderWaitsThenItsCertificateIsIssuedOnce() throws Exception {
        Bundle caBundle = Arrays.stream(context.getBundles()).filter(b -> "io.cachet.ca".equals(b.getSymbolicName()))
                .findFirst().orElseThrow();
        String org = "Retry " + System.nanoTime() + " SAS";
        caBundle.stop();
        try {
            String id = inIssuance(org, "cloud");
            Probe.await("failed attempts of " + id, () -> certificate(id).path("attempts").asInt() >= 2);
            JsonNode waiting = certificate(id);
            assertEquals("ISSUING", waiting.path("status").asText());
            assertTrue(waiting.toString(), waiting.path("lastError").asText().contains("CA"));
            assertEquals(OrderState.ISSUANCE, orders().find(id).orElseThrow().state());
            caBundle.start();
            Probe.await("the certificate of " + id, () -> "ISSUED".equals(certificate(id).path("status").asText()));
            verifiedByOpenssl(certificate(id), "retried");
            Probe.await(id + " in DELIVERY", () -> orders().find(id).orElseThrow().state() == OrderState.DELIVERY);
            assertEquals(1, audited(id, "issuance.issued"));
            assertTrue(audited(id, "issuance.retry") >= 2);
        } finally {
            if (caBundle.getState() != Bundle.ACTIVE) {
                caBundle.start();
            }
        }
    }

    /**
     * A revocation through the CA's API reaches the order's people (an e-mail in the outbox) and its reseller (a
     * {@code certificate.revoked} webhook delivery), through the CA's RevocationListener services.
     */
    @Test
    public void aRevokedCertificateIsToldToTheOrdersPeopleAndToItsResellersWebhooks() throws Exception {
        // webhooks to this machine allowed, as DATA/deploy/io.cachet.webhook.cfg would
        org.osgi.service.cm.Configuration w = configurations.getConfiguration("io.cachet.webhook", "?");
        w.update(new Hashtable<>(Map.of("allowLocalhost", true)));
        String org = "Revoked " + System.nanoTime() + " SAS";
        HttpResponse<String> created = post("/api/v1/resellers", "{\"name\":\"" + org + "\"}");
        assertEquals(created.body(), 201, created.statusCode());
        String key = Probe.json(created).path("apiKey").asText();
        String[] hook = new String[1];
        Probe.await("the webhook registered once localhost is allowed", () -> {
            HttpResponse<String> r = probe.post("/api/v1/webhooks", "{\"url\":\"http://127.0.0.1:9/hook\"}",
                    "Authorization", "Bearer " + key, "Content-Type", "application/json");
            hook[0] = r.statusCode() == 201 ? Probe.json(r).path("id").asText() : null;
            return hook[0] != null;
        });
        ServiceRegistration<OrderCheck> acceptance = context.registerService(OrderCheck.class,
                new OrdersIT.Check("itest.acceptance", OrderState.ACCEPTANCE, org),
                new Hashtable<>(Map.of(OrderCheck.KIND, "itest.acceptance")));
        String id;
        try {
            HttpResponse<String> made = probe.post(ORDERS, ResellersIT.order(org), "Authorization", "Bearer " + key,
                    "Content-Type", "application/json");
            assertEquals(made.body(), 201, made.statusCode());
            id = passedToIssuance(Probe.json(made).path("id").asText());
        } finally {
            acceptance.unregister();
        }
        Probe.await("the certificate of " + id, () -> "ISSUED".equals(certificate(id).path("status").asText()));
        String serial = certificate(id).path("serial").asText();

        HttpResponse<String> revoked = post("/api/v1/certificates/" + serial + "/revocation",
                "{\"reason\":\"keyCompromise\"}");
        assertEquals(revoked.body(), 200, revoked.statusCode());
        assertTrue(certificate(id).path("revoked").asBoolean());

        // the reseller's webhook has the revocation queued, beside the order's state changes
        JsonNode deliveries = Probe.json(probe.get("/api/v1/webhooks/" + hook[0] + "/deliveries", "Authorization",
                "Bearer " + key)).path("deliveries");
        List<String> types = new ArrayList<>();
        deliveries.forEach(d -> types.add(d.path("type").asText() + ":" + d.path("orderId").asText()));
        assertTrue(types.toString(), types.contains("certificate.revoked:" + id));
        assertTrue(types.toString(), types.contains("order.state_changed:" + id));
        // the certificate manager (here also the legal representative) is e-mailed, once
        List<String> told = new ArrayList<>();
        Probe.await("the revocation e-mailed", () -> {
            told.clear();
            Probe.json(get("/api/v1/outbox?channel=email&limit=500")).path("messages").forEach(m -> {
                if (m.path("template").asText().equals("issuance.revoked")
                        && m.path("body").asText().contains(serial)) {
                    told.add(m.path("to").asText());
                }
            });
            return !told.isEmpty();
        });
        assertEquals(List.of("anna@example.org"), told);
    }

    @Test
    public void aTokenOrderWaitsForItsTokensRequest() throws Exception {
        String org = "Token " + System.nanoTime() + " SAS";
        String id = inIssuance(org, "usb-a");
        Probe.await("the issuance of " + id, () -> get(ORDERS + "/" + id + "/certificate").statusCode() == 200);
        JsonNode waiting = certificate(id);
        assertEquals("AWAITING_REQUEST", waiting.path("status").asText());
        assertEquals("QSCD", waiting.path("profile").asText());

        HttpResponse<String> bad = post(ORDERS + "/" + id + "/certificate", "{\"csr\": \"garbage\"}");
        assertEquals(bad.body(), 400, bad.statusCode());
        assertEquals(400, post(ORDERS + "/" + id + "/certificate", "{}").statusCode());
        assertEquals("AWAITING_REQUEST", certificate(id).path("status").asText());

        openssl("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "t.key",
                "-subj", "/CN=token", "-out", "t.csr");
        String body = Probe.JSON.createObjectNode().put("csr", Files.readString(dir.resolve("t.csr"))).toString();
        HttpResponse<String> issued = post(ORDERS + "/" + id + "/certificate", body);
        assertEquals(issued.body(), 201, issued.statusCode());
        assertEquals("ISSUED", Probe.json(issued).path("status").asText());
        verifiedByOpenssl(Probe.json(issued), "token");
        HttpResponse<String> again = post(ORDERS + "/" + id + "/certificate", body);
        assertEquals(again.body(), 200, again.statusCode());
        assertEquals(Probe.json(issued).path("serial").asText(), Probe.json(again).path("serial").asText());
        // the issuance check passed; the order stays in ISSUANCE until its token is provisioned and its letter
        // prepared (token-provisioning, the token delivery's check)
        Probe.await("the issuance check of " + id + " passed", () -> orders().find(id).orElseThrow().checks().stream()
                .anyMatch(c -> c.kind().equals("issuance") && c.status() == CheckStatus.PASSED));
        Order o = orders().find(id).orElseThrow();
        assertEquals(OrderState.ISSUANCE, o.state());
        assertTrue(o.checks().toString(), o.checks().stream().anyMatch(c -> c.kind().equals("token-provisioning")
                && c.status() == CheckStatus.PENDING));
        assertEquals(1, audited(id, "issuance.issued"));
    }
}
