package io.cachet.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

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

import com.fasterxml.jackson.databind.JsonNode;

import io.cachet.api.operator.ApiKeyScope;
import io.cachet.api.operator.OperatorDirectory;

/**
 * The whole journey over HTTP, played by the shipped {@code cachet-cli demo} against the running distribution: an
 * order, both persons' phone identification with the sample evidence the demo makes, the operators' identity
 * decisions over REST, the organisation's extract and its approval, both persons' acceptance with SMS codes read from
 * the outbox, the issuance; then the files it downloaded are checked with tools that share no code with Cachet's
 * signing (pdfsig, the JDK's X.509 parser) and the server's own answers. A cloud order ends delivered with a
 * certificate; a USB token order stops at ISSUANCE waiting for its provisioning.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class JourneyIT {

    private static String officerKey;
    private static String secondKey;

    @Inject
    BundleContext context;

    Probe probe;
    String admin;

    @Configuration
    public Option[] config() throws Exception {
        return CachetRuntime.options(Files.createTempDirectory("cachet-it-journey-"),
                Map.of("ds.lock.timeout.milliseconds", "60000"));
    }

    @Before
    public void ready() throws Exception {
        probe = new Probe(context);
        probe.healthy();
        admin = probe.adminApiKey();
        if (officerKey == null) {
            OperatorDirectory directory = service(OperatorDirectory.class);
            officerKey = officer(directory, "demo-olga", Set.of("operator", "ra-officer"));
            secondKey = officer(directory, "demo-rita", Set.of("ra-officer"));
        }
    }

    /** An account with these roles, its first password replaced, and an API key of scope operator. */
    private String officer(OperatorDirectory directory, String login, Set<String> roles) {
        directory.createAccount(login, roles, "first-journey-passphrase-3".toCharArray(), "operator:itest");
        probe.changePassword(login, "first-journey-passphrase-3", "granite-journey-passphrase-" + login.length());
        return directory.createApiKey(login, ApiKeyScope.OPERATOR, "demo", null, "operator:itest").secret();
    }

    /** Approvals each identity needs on this server (the configuration's default: one). */
    int approvals() {
        return 1;
    }

    <T> T service(Class<T> type) {
        Probe.await("the service " + type.getSimpleName(), () -> context.getServiceReference(type) != null);
        return context.getService(context.getServiceReference(type));
    }

    /** Runs the shipped command line's demo against this server; its output and summary. */
    Demo demo(String medium, Path out) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", Path.of(System.getProperty("cachet.itest.distribution"), "cachet-cli.jar").toString(), "demo",
                "--server", probe.base(), "--api-key", officerKey, "--second-reviewer-key", secondKey, "--medium",
                medium, "--out", out.toString(), "--timeout", "180"));
        Commands.Result r = Commands.run(out.getParent(), Duration.ofMinutes(12), cmd.toArray(String[]::new));
        JsonNode summary = Probe.JSON.readTree(Files.readString(out.resolve("summary.json")));
        return new Demo(r, summary);
    }

    record Demo(Commands.Result result, JsonNode summary) {
    }

    private JsonNode api(String path) {
        HttpResponse<String> r = probe.get(path, "Authorization", "Bearer " + admin);
        assertEquals(r.body(), 200, r.statusCode());
        return Probe.json(r);
    }

    static int validSignatures(String pdfsig) {
        return pdfsig.split("Signature is Valid\\.", -1).length - 1;
    }

    @Test
    public void aCloudOrderGoesThroughEveryStepToActiveWithItsFiles() throws Exception {
        Path out = Files.createTempDirectory("cachet-journey-").resolve("cloud");
        Demo d = demo("cloud", out);
        String output = d.result().out();
        assertEquals(output, 0, d.result().exit());
        JsonNode s = d.summary();
        assertTrue(output, s.path("complete").asBoolean());
        String order = s.path("orderId").asText();
        assertTrue(output, order.startsWith("ord_"));
        assertEquals(output, "ACTIVE", s.path("state").asText());
        for (String step : List.of("] order ", "] identity ", "] organisation ", "] acceptance ", "] space ",
                "] sign ", "] csc ", "] certificate ", "] evidence ", "] done ")) {
            assertTrue(step + " in " + output, output.contains(step));
        }
        assertEquals(output, 0, s.path("missing").size());
        assertFalse(output, output.contains("Exception"));

        // the order as the server tells it: active (the manager set the space's password), every check passed
        JsonNode o = api("/api/v1/orders/" + order);
        assertEquals("ACTIVE", o.path("state").asText());
        assertEquals("ACTIVE", api("/api/v1/orders/" + order + "/cloud-space").path("state").asText());
        for (JsonNode c : o.path("checks")) {
            assertEquals(c.toString(), "PASSED", c.path("status").asText());
        }
        JsonNode cases = api("/api/v1/identity/cases?order=" + order).path("cases");
        assertEquals(2, cases.size());
        for (JsonNode c : cases) {
            assertEquals("APPROVED", c.path("status").asText());
            assertEquals(c.toString(), approvals(), c.path("decisions").size());
            assertEquals("demo-olga", c.path("decisions").path(0).path("operator").asText());
            if (approvals() == 2) {
                assertEquals("demo-rita", c.path("decisions").path(1).path("operator").asText());
            }
        }

        // the certificate: the organisation's seal, as the order named it
        X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(
                new ByteArrayInputStream(Files.readAllBytes(out.resolve(s.path("certificate").asText()))));
        String subject = cert.getSubjectX500Principal().getName(javax.security.auth.x500.X500Principal.RFC2253,
                Map.of("2.5.4.97", "organizationIdentifier"));
        String vat = Probe.JSON.readTree(Files.readString(out.resolve("order.json"))).path("organisation")
                .path("vat").asText();
        assertTrue(subject, subject.contains("VATFR-" + vat.substring(2)));

        // the acceptance form: both persons' signatures, valid for poppler
        Path form = out.resolve(s.path("acceptance").path(0).asText());
        String formSig = Commands.ok(Commands.run(out, Duration.ofSeconds(60), "pdfsig", "-nocert", "-no-ocsp",
                form.toString()));
        assertEquals(formSig, 2, validSignatures(formSig));

        // the evidence file: sealed, valid for poppler and for cachet-cli verify trusting the server's chain
        Path evidence = out.resolve(s.path("evidence").asText());
        String evidenceSig = Commands.ok(Commands.run(out, Duration.ofSeconds(60), "pdfsig", "-nocert", "-no-ocsp",
                evidence.toString()));
        assertTrue(evidenceSig, validSignatures(evidenceSig) >= 1);
        Files.writeString(out.resolve("chain.pem"), probe.get("/pki/chain.pem").body());
        Commands.Result verify = Commands.run(out, Duration.ofMinutes(2), Path.of(System.getProperty("java.home"),
                "bin", "java").toString(), "-jar", Path.of(System.getProperty("cachet.itest.distribution"),
                        "cachet-cli.jar").toString(), "verify", evidence.toString(), "--trust", "chain.pem");
        assertEquals(verify.out(), 0, verify.exit());
        assertTrue(verify.out(), verify.out().startsWith("VALID"));

        // Click&Cert's sealed PDF: valid for poppler, signed by the order's certificate, and for cachet-cli verify
        Path sealed = out.resolve(s.path("signedDocument").asText());
        String sealedSig = Commands.ok(Commands.run(out, Duration.ofSeconds(60), "pdfsig", "-nocert", "-no-ocsp",
                sealed.toString()));
        assertEquals(sealedSig, 1, validSignatures(sealedSig));
        assertTrue(sealedSig, sealedSig.contains(cert.getSubjectX500Principal().getName().contains("CN=")
                ? rdn(cert, "CN") : ""));
        Commands.Result sealedVerify = Commands.run(out, Duration.ofMinutes(2), Path.of(System.getProperty(
                "java.home"), "bin", "java").toString(), "-jar", Path.of(System.getProperty(
                        "cachet.itest.distribution"), "cachet-cli.jar").toString(), "verify", sealed.toString(),
                "--trust", "chain.pem");
        assertEquals(sealedVerify.out(), 0, sealedVerify.exit());
        assertTrue(sealedVerify.out(), sealedVerify.out().startsWith("VALID"));

        // the CSC signature: OpenSSL verifies it over the signed text with the certificate's public key
        JsonNode csc = Probe.JSON.readTree(Files.readString(out.resolve(s.path("cscSignature").asText())));
        Files.writeString(out.resolve("csc-data.txt"), csc.path("data").asText());
        Files.write(out.resolve("csc-signature.bin"), java.util.Base64.getDecoder().decode(csc.path("signature")
                .asText()));
        Files.writeString(out.resolve("csc-cert.pem"), "-----BEGIN CERTIFICATE-----\n" + csc.path("certificate")
                .asText() + "\n-----END CERTIFICATE-----\n");
        assertEquals(cert, CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(
                java.util.Base64.getDecoder().decode(csc.path("certificate").asText()))));
        Commands.ok(Commands.run(out, Duration.ofSeconds(30), "openssl", "x509", "-in", "csc-cert.pem", "-pubkey",
                "-noout", "-out", "csc-pub.pem"));
        String dgst = Commands.ok(Commands.run(out, Duration.ofSeconds(30), "openssl", "dgst", "-sha256", "-verify",
                "csc-pub.pem", "-signature", "csc-signature.bin", "csc-data.txt"));
        assertTrue(dgst, dgst.contains("Verified OK"));

        // the audit log holds the space's opening, the password set, the seal and the CSC signature
        io.cachet.api.audit.AuditLog log = service(io.cachet.api.audit.AuditLog.class);
        java.util.Set<String> actions = new java.util.HashSet<>();
        for (long next = 1;;) {
            List<io.cachet.api.audit.AuditRecord> page = log.read(next, 500);
            if (page.isEmpty()) {
                break;
            }
            page.forEach(r -> actions.add(r.action()));
            next = page.get(page.size() - 1).sequence() + 1;
        }
        for (String action : List.of("space.opened", "space.password-set", "clickcert.signed", "csc.signed")) {
            assertTrue(action + " in " + actions, actions.contains(action));
        }
    }

    private static String rdn(X509Certificate c, String type) {
        for (String part : c.getSubjectX500Principal().getName().split(",")) {
            if (part.startsWith(type + "=")) {
                return part.substring(type.length() + 1);
            }
        }
        return "";
    }

    @Test
    public void aTokenOrderStopsAtIssuanceWaitingForItsProvisioning() throws Exception {
        Path out = Files.createTempDirectory("cachet-journey-").resolve("usb-a");
        Demo d = demo("usb-a", out);
        String output = d.result().out();
        assertEquals(output, 0, d.result().exit());
        JsonNode s = d.summary();
        assertTrue(output, s.path("complete").asBoolean());
        assertEquals(output, "ISSUANCE", s.path("state").asText());
        assertTrue(output, s.path("certificate").isNull());
        assertTrue(output, output.contains("waits at ISSUANCE for the token's provisioning"));
        assertEquals("ISSUANCE", api("/api/v1/orders/" + s.path("orderId").asText()).path("state").asText());
        String formSig = Commands.ok(Commands.run(out, Duration.ofSeconds(60), "pdfsig", "-nocert", "-no-ocsp",
                out.resolve(s.path("acceptance").path(0).asText()).toString()));
        assertEquals(formSig, 2, validSignatures(formSig));
        assertFalse(output, output.contains("Exception"));
        assertNotNull(s.path("steps"));
    }

    /** The identity REST's roles and refusals over HTTP: problem+json, nothing decided. */
    @Test
    public void theIdentityApiChecksRolesAndFieldsOverHttp() throws Exception {
        HttpResponse<String> reasons = probe.get("/api/v1/identity/rejection-reasons", "Authorization",
                "Bearer " + officerKey);
        assertEquals(reasons.body(), 200, reasons.statusCode());
        assertTrue(reasons.body(), Probe.json(reasons).path("reasons").toString().contains("selfie-mismatch"));
        // the administrator is no registration officer: no queue, no decision
        HttpResponse<String> queue = probe.get("/api/v1/identity/queue", "Authorization", "Bearer " + admin);
        assertEquals(queue.body(), 403, queue.statusCode());
        HttpResponse<String> decide = probe.post("/api/v1/identity/cases/idc_none/decision", "{\"decision\":\"approve\"}",
                "Authorization", "Bearer " + admin, "Content-Type", "application/json");
        assertEquals(decide.body(), 403, decide.statusCode());
        assertTrue(decide.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));
        // an officer: a bad field is named, an unknown case is a 404
        HttpResponse<String> bad = probe.post("/api/v1/identity/cases/idc_none/decision", "{\"decision\":\"maybe\"}",
                "Authorization", "Bearer " + officerKey, "Content-Type", "application/json");
        assertEquals(bad.body(), 400, bad.statusCode());
        assertTrue(bad.body(), Probe.json(bad).path("detail").asText().contains("'decision'"));
        HttpResponse<String> unknown = probe.post("/api/v1/identity/cases/idc_none/decision",
                "{\"decision\":\"approve\"}", "Authorization", "Bearer " + officerKey, "Content-Type",
                "application/json");
        assertEquals(unknown.body(), 404, unknown.statusCode());
        HttpResponse<String> noOrder = probe.get("/api/v1/identity/cases", "Authorization", "Bearer " + officerKey);
        assertEquals(noOrder.body(), 400, noOrder.statusCode());
        assertTrue(probe.get("/api/v1/openapi.json").body().contains("/identity/cases/{id}/decision"));
    }
}
