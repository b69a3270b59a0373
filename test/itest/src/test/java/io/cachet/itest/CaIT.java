package io.cachet.itest;

import static io.cachet.itest.Commands.ok;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
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
import org.osgi.framework.BundleContext;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.cachet.api.audit.AuditLog;
import io.cachet.api.audit.AuditRecord;
import io.cachet.itest.Commands.Result;

/**
 * The CA in the running server on its defaults (key ceremony on the software token at first start), driven over
 * real HTTP the way operators and relying parties use it, and every answer checked with openssl.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class CaIT {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Inject
    BundleContext context;

    @Inject
    AuditLog audit;

    private Probe probe;
    private Path dir;
    private String apiKey;

    /** A PDF made in the test JVM (PDFBox is not visible to the probe inside Felix), for the command line. */
    private static final String PDF_PROPERTY = "cachet.itest.ca.pdf";

    @Configuration
    public Option[] config() throws Exception {
        Path pdf = SamplePdf.write(Files.createTempDirectory("cachet-it-pdf-").resolve("contract.pdf"));
        Option[] cachet = CachetRuntime.options(Files.createTempDirectory("cachet-it-"), Map.of());
        Option[] all = java.util.Arrays.copyOf(cachet, cachet.length + 1);
        all[cachet.length] = org.ops4j.pax.exam.CoreOptions.systemProperty(PDF_PROPERTY).value(pdf.toString());
        return all;
    }

    @Before
    public void ready() throws Exception {
        probe = new Probe(context);
        probe.healthy();
        dir = Files.createTempDirectory("cachet-ca-it-");
        apiKey = probe.adminApiKey();
        HttpResponse<String> chain = probe.get("/pki/chain.pem");
        assertEquals(200, chain.statusCode());
        List<String> pems = new ArrayList<>();
        for (String part : chain.body().split("(?<=-----END CERTIFICATE-----\n)")) {
            if (part.contains("BEGIN CERTIFICATE")) {
                pems.add(part);
            }
        }
        assertEquals("issuing CA then root", 2, pems.size());
        Files.writeString(dir.resolve("issuing.pem"), pems.get(0));
        Files.writeString(dir.resolve("root.pem"), pems.get(1));
        Files.writeString(dir.resolve("chain.pem"), chain.body());
    }

    /**
     * Time-stamping is the bundle io.cachet.tsa: its audit anchor signer ({@code rfc3161}) runs on the key the CA
     * registers, makes time-stamps that it verifies, and is the one the audit log prefers (ranked above the local
     * Ed25519 signer).
     */
    @Test
    public void theAuditAnchorSignerIsTheTsaBundlesOnTheCaKey() throws Exception {
        var keys = context.getServiceReferences(io.cachet.api.ca.TimeStampKey.class, null);
        assertEquals(1, keys.size());
        assertEquals("io.cachet.ca", keys.iterator().next().getBundle().getSymbolicName());
        var refs = context.getServiceReferences(io.cachet.api.audit.AuditAnchorSigner.class,
                "(" + io.cachet.api.audit.AuditAnchorSigner.ID + "=rfc3161)");
        assertEquals(1, refs.size());
        var ref = refs.iterator().next();
        assertEquals("io.cachet.tsa", ref.getBundle().getSymbolicName());
        assertEquals(ref, context.getServiceReference(io.cachet.api.audit.AuditAnchorSigner.class));
        io.cachet.api.audit.AuditAnchorSigner signer = context.getService(ref);
        try {
            byte[] statement = "chain head".getBytes(StandardCharsets.UTF_8);
            byte[] token = signer.sign(statement);
            assertTrue(signer.verify(statement, token));
            assertTrue(!signer.verify("another head".getBytes(StandardCharsets.UTF_8), token));
        } finally {
            context.ungetService(ref);
        }
    }

    /**
     * Revocation status is the bundle io.cachet.ca.status: its {@code /ocsp} servlet signs with the delegated OCSP
     * signer's key that the CA registers (the OCSP answers of the tests below verify with the CA's OCSP signer).
     */
    @Test
    public void theOcspResponderIsTheStatusBundlesOnTheCaKey() throws Exception {
        var keys = context.getServiceReferences(io.cachet.api.ca.OcspKey.class, null);
        assertEquals(1, keys.size());
        assertEquals("io.cachet.ca", keys.iterator().next().getBundle().getSymbolicName());
        var servlets = context.getServiceReferences("jakarta.servlet.Servlet",
                "(osgi.http.whiteboard.servlet.pattern=/ocsp)");
        assertEquals(1, servlets.length);
        assertEquals("io.cachet.ca.status", servlets[0].getBundle().getSymbolicName());
    }

    /**
     * {@code reuseSeconds} of {@code io.cachet.ca.status.ocsp}, set while running: a request without a nonce about one
     * certificate then gets the answer signed a moment before (the same bytes, verified by openssl), a request with a
     * nonce a fresh one; without the setting again, every answer is signed afresh.
     */
    @Test
    public void answersToNonceLessRequestsAreGivenAgainOnlyWhenConfigured() throws Exception {
        HttpResponse<String> issued = issue(csr("reuse", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"), "qscd");
        assertEquals(issued.body(), 201, issued.statusCode());
        Files.writeString(dir.resolve("reuse.pem"), Probe.json(issued).get("certificate").asText());
        ok(openssl("ocsp", "-issuer", "issuing.pem", "-cert", "reuse.pem", "-no_nonce", "-reqout", "plain.der"));
        byte[] plain = Files.readAllBytes(dir.resolve("plain.der"));
        ok(openssl("ocsp", "-issuer", "issuing.pem", "-cert", "reuse.pem", "-reqout", "nonce.der"));
        byte[] withNonce = Files.readAllBytes(dir.resolve("nonce.der"));
        java.util.function.Function<byte[], byte[]> post = body -> {
            HttpResponse<byte[]> r = bytes("POST", "/ocsp", body, "application/ocsp-request");
            return r.statusCode() == 200 ? r.body() : new byte[0];
        };
        java.util.function.BooleanSupplier givenAgain = () -> {
            byte[] first = post.apply(plain);
            byte[] second = post.apply(plain);
            return first.length > 0 && java.util.Arrays.equals(first, second);
        };
        org.osgi.service.cm.ConfigurationAdmin admin = context.getService(
                context.getServiceReference(org.osgi.service.cm.ConfigurationAdmin.class));
        org.osgi.service.cm.Configuration config = admin.getConfiguration("io.cachet.ca.status.ocsp", "?");
        try {
            java.util.Hashtable<String, Object> settings = new java.util.Hashtable<>();
            settings.put("reuseSeconds", 300);
            config.update(settings);
            Probe.await("nonce-less answers given again", givenAgain);
            byte[] kept = post.apply(plain);
            Files.write(dir.resolve("kept.der"), kept);
            String text = openssl("ocsp", "-respin", "kept.der", "-issuer", "issuing.pem", "-cert", "reuse.pem",
                    "-CAfile", "chain.pem", "-no_nonce").out();
            assertTrue(text, text.contains("reuse.pem: good") && text.contains("Response verify OK"));
            // a nonce is echoed in an answer signed for it
            byte[] fresh = post.apply(withNonce);
            Files.write(dir.resolve("fresh.der"), fresh);
            assertEquals(nonce(ok(openssl("ocsp", "-reqin", "nonce.der", "-req_text"))),
                    nonce(ok(openssl("ocsp", "-respin", "fresh.der", "-resp_text", "-noverify"))));
        } finally {
            config.delete();
        }
        // the default again: every answer is a new signature (ECDSA's random k: two signatures of the same
        // ResponseData differ, so equal bytes can only be an answer given again)
        Probe.await("every answer signed afresh", () -> {
            byte[] first = post.apply(plain);
            byte[] second = post.apply(plain);
            return first.length > 0 && second.length > 0 && !java.util.Arrays.equals(first, second);
        });
    }

    @Test
    public void issueCheckRevokeOverHttpAsOpensslSeesIt() throws Exception {
        ok(openssl("verify", "-CAfile", "root.pem", "issuing.pem"));
        HttpResponse<String> issued = issue(csr("leaf", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"), "qscd");
        assertEquals(issued.body(), 201, issued.statusCode());
        JsonNode body = Probe.json(issued);
        String serial = body.get("serial").asText();
        assertEquals("/api/v1/certificates/" + serial, issued.headers().firstValue("Location").orElse(""));
        assertEquals("good", body.get("status").asText());
        Files.writeString(dir.resolve("leaf.pem"), body.get("certificate").asText());

        ok(openssl("verify", "-CAfile", "root.pem", "-untrusted", "issuing.pem", "leaf.pem"));
        String text = ok(openssl("x509", "-in", "leaf.pem", "-noout", "-text"));
        assertTrue(text, text.contains("0.4.0.194112.1.3")); // QCP-l-qscd
        assertTrue(text, text.contains("URI:" + probe.base().replace("127.0.0.1", "localhost") + "/pki/crl"));
        assertTrue(text, text.contains("OCSP - URI:" + probe.base().replace("127.0.0.1", "localhost") + "/ocsp"));
        // seals: nonRepudiation alone by default; AKI by key identifier only; the QcPDS on https
        assertTrue(text, text.contains("X509v3 Key Usage: critical\n                Non Repudiation\n"));
        assertTrue(text, text.contains("X509v3 Authority Key Identifier") && !text.contains("DirName:"));
        ok(openssl("x509", "-in", "leaf.pem", "-outform", "DER", "-out", "leaf.der"));
        assertTrue(text, new String(Files.readAllBytes(dir.resolve("leaf.der")), StandardCharsets.ISO_8859_1)
                .contains("https://localhost/pki/pds")); // the QcPDS location, an IA5String inside qcStatements

        // OCSP over POST (openssl's client) says good
        String ocsp = ok(openssl("ocsp", "-issuer", "issuing.pem", "-cert", "leaf.pem", "-url", probe.base() + "/ocsp",
                "-CAfile", "chain.pem"));
        assertTrue(ocsp, ocsp.contains("leaf.pem: good") && ocsp.contains("Response verify OK")
                && ocsp.contains("Next Update:"));

        JsonNode read = Probe.json(api("GET", "/certificates/" + serial, null));
        assertEquals("good", read.get("status").asText());

        HttpResponse<String> revoked = api("POST", "/certificates/" + serial + "/revocation",
                "{\"reason\":\"keyCompromise\"}");
        assertEquals(revoked.body(), 200, revoked.statusCode());
        assertEquals("revoked", Probe.json(revoked).get("status").asText());
        assertEquals("keyCompromise", Probe.json(revoked).get("revocation").get("reason").asText());

        // OpenSSL 3 exits 1 when a status is not good: the text is what tells
        ocsp = openssl("ocsp", "-issuer", "issuing.pem", "-cert", "leaf.pem", "-url", probe.base() + "/ocsp",
                "-CAfile", "chain.pem").out();
        assertTrue(ocsp, ocsp.contains("Response verify OK") && ocsp.contains("leaf.pem: revoked")
                && ocsp.contains("Reason: keyCompromise"));

        // OCSP over GET (RFC 6960 A.1), with a nonce the response must echo
        ok(openssl("ocsp", "-issuer", "issuing.pem", "-cert", "leaf.pem", "-reqout", "req.der"));
        String encoded = URLEncoder.encode(Base64.getEncoder().encodeToString(Files.readAllBytes(dir.resolve("req.der"))),
                StandardCharsets.US_ASCII);
        HttpResponse<byte[]> get = bytes("GET", "/ocsp/" + encoded, null, null);
        assertEquals(200, get.statusCode());
        assertEquals("application/ocsp-response", get.headers().firstValue("Content-Type").orElse(""));
        Files.write(dir.resolve("resp.der"), get.body());
        // with -cert, openssl builds a request of its own (and a nonce of its own) instead of reading -reqin: check
        // the status and signature with -no_nonce, and that the response carries the nonce of req.der
        String getText = openssl("ocsp", "-respin", "resp.der", "-issuer", "issuing.pem", "-cert", "leaf.pem",
                "-CAfile", "chain.pem", "-no_nonce").out();
        String sentNonce = nonce(ok(openssl("ocsp", "-reqin", "req.der", "-req_text")));
        assertEquals(sentNonce, nonce(ok(openssl("ocsp", "-respin", "resp.der", "-resp_text", "-noverify"))));
        assertTrue(getText, getText.contains("leaf.pem: revoked") && getText.contains("Response verify OK"));

        // the CRL served now lists it
        HttpResponse<byte[]> crl = bytes("GET", "/pki/crl", null, null);
        assertEquals(200, crl.statusCode());
        Files.write(dir.resolve("crl.der"), crl.body());
        String crlText = ok(openssl("crl", "-inform", "DER", "-in", "crl.der", "-CAfile", "chain.pem", "-verify",
                "-noout", "-text"));
        assertTrue(crlText, crlText.contains("verify OK"));
        // compared as numbers: openssl pads to whole bytes (a leading 0), the API does not
        assertTrue(crlText, java.util.regex.Pattern.compile("Serial Number: ([0-9A-F]+)").matcher(crlText).results()
                .map(m -> new java.math.BigInteger(m.group(1), 16)).anyMatch(new java.math.BigInteger(serial, 16)::equals));

        List<String> actions = audit.read(1, 10_000).stream()
                .filter(r -> r.subject().equals("certificate:" + serial)).map(AuditRecord::action).toList();
        assertEquals(List.of("ca.certificate.issued", "ca.certificate.revoked"), actions);
        assertTrue(audit.read(1, 10_000).stream().anyMatch(r -> r.action().equals("ca.ceremony.completed")));
        String actor = audit.read(1, 10_000).stream().filter(r -> r.subject().equals("certificate:" + serial))
                .findFirst().orElseThrow().actor();
        assertEquals("api:" + probe.initialAdmin().get("login"), actor);

        // the audit chain is anchored by the CA's own TSA now
        assertEquals("rfc3161", audit.anchor().orElseThrow().signer());
        assertTrue(audit.verify().toString(), audit.verify().intact());
    }

    /**
     * What a customer does with the shipped cachet-cli.jar and a seal certificate of this CA in a PKCS#12 file made
     * with openssl: a PAdES-LT signature time-stamped by this server's TSA (the default for a Cachet certificate),
     * with its OCSP answers embedded; pdfsig accepts it and {@code verify} says VALID trusting /pki/chain.pem.
     */
    @Test
    public void theCommandLineSealsAPdfWithACertificateOfThisCa() throws Exception {
        HttpResponse<String> issued = issue(csr("cli", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"), "qscd");
        assertEquals(issued.body(), 201, issued.statusCode());
        Files.writeString(dir.resolve("cli.pem"), Probe.json(issued).get("certificate").asText());
        Files.writeString(dir.resolve("p12.pass"), "p12-secret\n");
        ok(openssl("pkcs12", "-export", "-inkey", "cli.key", "-in", "cli.pem", "-certfile", "chain.pem", "-passout",
                "file:p12.pass", "-out", "cli.p12"));
        Path pdf = Path.of(System.getProperty(PDF_PROPERTY));
        Path signed = dir.resolve("contract-signed.pdf");

        Result sign = cli("sign", "--in", pdf.toString(), "--out", signed.toString(), "--key", "cli.p12",
                "--pin-file", "p12.pass", "--level", "LT", "--trust", "chain.pem");
        assertEquals(sign.out(), 0, sign.exit());
        assertTrue(sign.out(), sign.out().contains("time-stamps from " + probe.base().replace("127.0.0.1", "localhost")
                + "/tsa"));
        Result pdfsig = run("pdfsig", "-nocert", "-no-ocsp", signed.toString());
        assertTrue(pdfsig.out(), pdfsig.exit() == 0 && pdfsig.out().contains("Signature is Valid."));

        Result verify = cli("verify", signed.toString(), "--trust", "chain.pem");
        assertEquals(verify.out(), 0, verify.exit());
        assertTrue(verify.out(), verify.out().startsWith("VALID: 1 signature")
                && verify.out().contains("PAdES-BASELINE-LT"));
    }

    /**
     * A relying party that trusts only the root: the issuing CA certificate points at the root's ARL and
     * certificate, and {@code openssl verify -crl_check_all} finds revocation data for every certificate of the
     * chain in ARL + CRL. Then the ARL ceremony through the shipped command line: a wrong root PIN is refused, the
     * PIN written once at the ceremony renews it, both audited.
     */
    @Test
    public void aRelyingPartyTrustingOnlyTheRootGetsTheArlAndItsRenewalNeedsTheRootPin() throws Exception {
        String base = probe.base().replace("127.0.0.1", "localhost");
        String issuingText = ok(openssl("x509", "-in", "issuing.pem", "-noout", "-text"));
        assertTrue(issuingText, issuingText.contains("URI:" + base + "/pki/root.crl"));
        assertTrue(issuingText, issuingText.contains("CA Issuers - URI:" + base + "/pki/root-ca.cer"));
        HttpResponse<byte[]> arl = bytes("GET", "/pki/root.crl", null, null);
        assertEquals(200, arl.statusCode());
        assertEquals("application/pkix-crl", arl.headers().firstValue("Content-Type").orElse(""));
        Files.write(dir.resolve("arl.der"), arl.body());
        String arlText = ok(openssl("crl", "-inform", "DER", "-in", "arl.der", "-CAfile", "root.pem", "-verify",
                "-noout", "-text"));
        assertTrue(arlText, arlText.contains("verify OK") && arlText.contains("Only CA Certificates"));
        java.security.cert.X509CRL parsed = crl(arl.body());
        assertEquals(Duration.ofDays(365), Duration.between(parsed.getThisUpdate().toInstant(),
                parsed.getNextUpdate().toInstant()));

        HttpResponse<String> issued = issue(csr("rp", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"), "qscd");
        assertEquals(issued.body(), 201, issued.statusCode());
        Files.writeString(dir.resolve("rp.pem"), Probe.json(issued).get("certificate").asText());
        Files.write(dir.resolve("crl.der"), bytes("GET", "/pki/crl", null, null).body());
        ok(openssl("crl", "-inform", "DER", "-in", "arl.der", "-out", "arl.pem"));
        ok(openssl("crl", "-inform", "DER", "-in", "crl.der", "-out", "crl.pem"));
        Files.writeString(dir.resolve("crls.pem"), Files.readString(dir.resolve("arl.pem"))
                + Files.readString(dir.resolve("crl.pem")));
        String verified = ok(openssl("verify", "-crl_check_all", "-CAfile", "root.pem", "-untrusted", "issuing.pem",
                "-CRLfile", "crls.pem", "rp.pem"));
        assertTrue(verified, verified.contains("rp.pem: OK"));
        Result withoutArl = openssl("verify", "-crl_check_all", "-CAfile", "root.pem", "-untrusted", "issuing.pem",
                "-CRLfile", "crl.pem", "rp.pem");
        assertTrue(withoutArl.out(), withoutArl.exit() != 0 && withoutArl.out().contains("unable to get certificate CRL"));

        // the operator view of /health says the root PINs are still on disk
        JsonNode ca = probe.healthyReport().path("checks").path("ca");
        assertTrue(ca.toString(), ca.path("healthy").asBoolean() && ca.path("detail").asText().contains("WARNING")
                && ca.path("detail").asText().contains("root-token.pin"));

        // the ceremony: the command line sends the root PIN to the running server, which opens the root token once
        Files.writeString(dir.resolve("api.key"), apiKey + "\n");
        Files.writeString(dir.resolve("wrong.pin"), "not-the-root-pin-1234\n");
        Result refused = cli("ca", "renew-arl", "--url", probe.base(), "--api-key-file", "api.key", "--pin-file",
                "wrong.pin");
        assertEquals(refused.out(), 1, refused.exit());
        assertTrue(refused.out(), refused.out().contains("refused the PIN"));
        Result renewed = cli("ca", "renew-arl", "--url", probe.base(), "--api-key-file", "api.key", "--pin-file",
                probe.data().resolve("secrets/root-token.pin").toString());
        assertEquals(renewed.out(), 0, renewed.exit());
        assertTrue(renewed.out(), renewed.out().contains("ARL 2 renewed"));
        java.security.cert.X509CRL second = crl(bytes("GET", "/pki/root.crl", null, null).body());
        second.verify(rootCertificate().getPublicKey());
        // cRLNumber: OCTET STRING { INTEGER 2 }
        byte[] number = second.getExtensionValue("2.5.29.20");
        assertEquals(java.math.BigInteger.TWO, new java.math.BigInteger(java.util.Arrays.copyOfRange(number, 4,
                4 + number[3])));
        String actor = "api:" + probe.initialAdmin().get("login");
        assertTrue(audit.read(1, 10_000).stream().anyMatch(r -> r.action().equals("ca.arl.refused")
                && r.actor().equals(actor)));
        assertTrue(audit.read(1, 10_000).stream().anyMatch(r -> r.action().equals("ca.arl.published")
                && r.actor().equals(actor) && r.subject().equals("arl:2")));
        // only an admin's key may try: no key, no ceremony
        assertEquals(401, probe.post("/api/v1/ca/arl", "{\"rootPin\":\"x\"}", "Content-Type", "application/json")
                .statusCode());
    }

    /** No file of the data directory, read as a password, opens the CA token: its PIN file is sealed. */
    @Test
    public void noFileInTheDataDirectoryOpensTheCaTokenWithOpenssl() throws Exception {
        Path tokens = probe.data().resolve("tokens");
        Path caToken = null;
        try (java.util.stream.Stream<Path> files = Files.list(tokens)) {
            for (Path p : files.filter(f -> f.toString().endsWith(".properties")).toList()) {
                if (Files.readString(p).contains("label=Cachet CA\n")) {
                    caToken = Path.of(p.toString().replace(".properties", ".p12"));
                }
            }
        }
        assertTrue("the CA token's files in " + tokens, caToken != null && Files.exists(caToken));
        List<Path> candidates;
        try (java.util.stream.Stream<Path> files = Files.walk(probe.data())) {
            candidates = files.filter(Files::isRegularFile).toList();
        }
        assertTrue(candidates.toString(), candidates.contains(probe.data().resolve("secrets/ca-token.pin")));
        for (Path f : candidates) {
            Result r = openssl("pkcs12", "-in", caToken.toString(), "-passin", "file:" + f, "-nokeys", "-noout");
            assertTrue("the CA token opened with " + f + ": " + r.out(), r.exit() != 0);
        }
    }

    private static java.security.cert.X509CRL crl(byte[] der) throws Exception {
        return (java.security.cert.X509CRL) java.security.cert.CertificateFactory.getInstance("X.509")
                .generateCRL(new java.io.ByteArrayInputStream(der));
    }

    private java.security.cert.X509Certificate rootCertificate() throws Exception {
        return (java.security.cert.X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509")
                .generateCertificate(new java.io.ByteArrayInputStream(Files.readAllBytes(dir.resolve("root.pem"))));
    }

    private Result cli(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", Path.of(System.getProperty("cachet.itest.distribution"), "cachet-cli.jar").toString()));
        cmd.addAll(List.of(args));
        return run(cmd.toArray(String[]::new));
    }

    @Test
    public void timeStampsVerifyWithOpenssl() throws Exception {
        Files.writeString(dir.resolve("data.txt"), "a document to time-stamp\n");
        ok(openssl("ts", "-query", "-data", "data.txt", "-sha256", "-cert", "-out", "req.tsq"));
        HttpResponse<byte[]> reply = bytes("POST", "/tsa", Files.readAllBytes(dir.resolve("req.tsq")),
                "application/timestamp-query");
        assertEquals(200, reply.statusCode());
        assertEquals("application/timestamp-reply", reply.headers().firstValue("Content-Type").orElse(""));
        Files.write(dir.resolve("resp.tsr"), reply.body());
        String verify = ok(openssl("ts", "-verify", "-in", "resp.tsr", "-queryfile", "req.tsq", "-CAfile", "chain.pem"));
        assertTrue(verify, verify.contains("Verification: OK"));

        String granted = ok(openssl("ts", "-reply", "-in", "resp.tsr", "-text"));
        assertTrue(granted, granted.contains("Status: Granted") && granted.contains("Policy OID: 1.3.6.1.4.1.32473.1.2"));

        // another policy than the configured one is not granted
        ok(openssl("ts", "-query", "-data", "data.txt", "-sha256", "-tspolicy", "1.2.3.4", "-out", "other.tsq"));
        Files.write(dir.resolve("other.tsr"), bytes("POST", "/tsa", Files.readAllBytes(dir.resolve("other.tsq")),
                "application/timestamp-query").body());
        String other = ok(openssl("ts", "-reply", "-in", "other.tsr", "-text"));
        assertTrue(other, other.contains("Status: Rejected")
                && other.contains("the requested TSA policy is not supported by the TSA") && !other.contains("1.2.3.4"));

        // garbage gets a TSP rejection, not an HTTP error page
        HttpResponse<byte[]> bad = bytes("POST", "/tsa", "not a request".getBytes(StandardCharsets.US_ASCII),
                "application/timestamp-query");
        assertEquals(200, bad.statusCode());
        Files.write(dir.resolve("bad.tsr"), bad.body());
        String badText = ok(openssl("ts", "-reply", "-in", "bad.tsr", "-text"));
        assertTrue(badText, badText.contains("Status: Rejected") && badText.contains("the data submitted has the wrong format"));
        assertEquals(413, bytes("POST", "/tsa", new byte[20_000], "application/timestamp-query").statusCode());
        assertEquals(405, bytes("GET", "/tsa", null, null).statusCode());
    }

    @Test
    public void badRequestsAreRefusedWithJsonAndNothingIsIssued() throws Exception {
        int before = issuedCount();
        assertError(api("POST", "/certificates", "{not json"), 400, "not valid JSON");
        assertError(api("POST", "/certificates", "[]"), 400, "JSON object");
        ObjectNode good = request(csr("ok", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"), "qscd");
        assertError(api("POST", "/certificates", good.deepCopy().put("csr", "garbage").toString()), 400, "CSR");
        assertError(api("POST", "/certificates", good.deepCopy().put("profile", "gold").toString()), 400, "profile");
        assertError(api("POST", "/certificates", good.deepCopy().put("validityYears", 0).toString()), 400,
                "validityYears");
        ObjectNode noOrg = good.deepCopy();
        noOrg.remove("organisation");
        assertError(api("POST", "/certificates", noOrg.toString()), 400, "organisation");
        assertError(issue(csr("weak", "rsa:1024"), "cloud"), 400, "2048");
        assertError(issue(csr("k1", "ec", "-pkeyopt", "ec_paramgen_curve:secp256k1"), "cloud"), 400, "curve");
        // a CSR whose signature does not verify (no proof of possession)
        byte[] der = Base64.getMimeDecoder().decode(good.get("csr").asText()
                .replaceAll("-----[A-Z ]+-----", "").strip());
        der[der.length - 1] ^= 0x01;
        String forged = "-----BEGIN CERTIFICATE REQUEST-----\n" + Base64.getMimeEncoder().encodeToString(der)
                + "\n-----END CERTIFICATE REQUEST-----\n";
        assertError(api("POST", "/certificates", good.deepCopy().put("csr", forged).toString()), 400, "signature");
        assertError(api("POST", "/certificates", "x".repeat(70_000)), 413, "64 KiB");
        // names: plain text only, X.520/ETSI limits, the field named
        assertError(api("POST", "/certificates", good.deepCopy().put("commonName", "seal\u0000").toString()), 400,
                "'commonName'");
        assertError(api("POST", "/certificates", good.deepCopy().put("commonName", "invoice\u202Efdp.exe")
                .toString()), 400, "'commonName'");
        ObjectNode longId = good.deepCopy();
        ((ObjectNode) longId.get("organisation")).put("identifier", "NTRFR-" + "1".repeat(30_000));
        assertError(api("POST", "/certificates", longId.toString()), 400, "'organisation.identifier'");
        ObjectNode newline = good.deepCopy();
        ((ObjectNode) newline.get("organisation")).put("name", "ACME\nEvil");
        assertError(api("POST", "/certificates", newline.toString()), 400, "'organisation.name'");
        ObjectNode country = good.deepCopy();
        ((ObjectNode) country.get("organisation")).put("country", "fr");
        assertError(api("POST", "/certificates", country.toString()), 400, "'organisation.country'");
        assertEquals(before, issuedCount());
        // a leading '#' is text, not hex DER
        HttpResponse<String> hash = api("POST", "/certificates", good.deepCopy().put("commonName", "#zz").toString());
        assertEquals(hash.body(), 201, hash.statusCode());
        Files.writeString(dir.resolve("hash.pem"), Probe.json(hash).get("certificate").asText());
        String subject = ok(openssl("x509", "-in", "hash.pem", "-noout", "-subject", "-nameopt", "multiline,show_type"));
        assertTrue(subject, subject.contains("UTF8STRING:#zz"));

        assertError(api("POST", "/certificates/1234abcd/revocation", "{\"reason\":\"superseded\"}"), 404,
                "not issued by this CA");
        assertError(api("POST", "/certificates/zz/revocation", "{}"), 400, "hexadecimal");
        assertError(api("GET", "/certificates/abcdef", null), 404, "No certificate with serial abcdef");
        HttpResponse<String> issued = issue(csr("twice", "ec", "-pkeyopt", "ec_paramgen_curve:P-384"), "cloud");
        String serial = Probe.json(issued).get("serial").asText();
        assertError(api("POST", "/certificates/" + serial + "/revocation", "{\"reason\":\"nonsense\"}"), 400,
                "keyCompromise");
        assertEquals(200, api("POST", "/certificates/" + serial + "/revocation", "{}").statusCode());
        assertError(api("POST", "/certificates/" + serial + "/revocation", "{}"), 409, "already revoked");

        // no API key, no CA
        HttpResponse<String> anonymous = probe.post("/api/v1/certificates", good.toString(), "Content-Type",
                "application/json");
        assertEquals(401, anonymous.statusCode());

        // OCSP garbage gets malformedRequest
        HttpResponse<byte[]> ocsp = bytes("POST", "/ocsp", new byte[] { 1, 2, 3 }, "application/ocsp-request");
        assertEquals(200, ocsp.statusCode());
        Files.write(dir.resolve("bad.der"), ocsp.body());
        String text = openssl("ocsp", "-respin", "bad.der", "-resp_text", "-noverify").out();
        assertTrue(text, text.contains("Responder Error: malformedrequest (1)"));
        assertEquals(413, bytes("POST", "/ocsp", new byte[20_000], "application/ocsp-request").statusCode());
        // a CA this responder is not: unauthorized, not a signed unknown
        ok(openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout",
                "foreign.key", "-subj", "/CN=Foreign CA", "-days", "1", "-out", "foreign.pem"));
        String foreign = openssl("ocsp", "-issuer", "foreign.pem", "-serial", "0x1234", "-url", probe.base() + "/ocsp",
                "-resp_text", "-noverify").out();
        assertTrue(foreign, foreign.contains("Responder Error: unauthorized (6)"));

        // the OpenAPI description lists the resource
        JsonNode openapi = Probe.json(probe.get("/api/v1/openapi.json"));
        assertTrue(openapi.get("paths").has("/certificates/{serial}/revocation"));
        assertTrue(openapi.get("paths").has("/ca/arl"));
        assertTrue(openapi.get("components").get("schemas").has("CertificateRequest"));
    }

    /** The hex value printed under "OCSP Nonce:" by openssl's -req_text / -resp_text. */
    private static String nonce(String text) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("OCSP Nonce: *\\R\\s*([0-9A-F]+)").matcher(text);
        assertTrue(text, m.find());
        return m.group(1);
    }

    private int issuedCount() {
        return (int) audit.read(1, 10_000).stream().filter(r -> r.action().equals("ca.certificate.issued")).count();
    }

    private static void assertError(HttpResponse<String> r, int status, String fragment) {
        assertEquals(r.body(), status, r.statusCode());
        JsonNode body = Probe.json(r);
        assertTrue(r.body(), body.has("error") && body.get("error_description").asText().contains(fragment));
    }

    private String csr(String name, String newkey, String... options) throws Exception {
        List<String> args = new ArrayList<>(List.of("req", "-new", "-newkey", newkey));
        args.addAll(List.of(options));
        args.addAll(List.of("-nodes", "-keyout", name + ".key", "-subj", "/CN=" + name, "-out", name + ".csr"));
        ok(openssl(args.toArray(String[]::new)));
        return Files.readString(dir.resolve(name + ".csr"));
    }

    private ObjectNode request(String csr, String profile) {
        ObjectNode r = Probe.JSON.createObjectNode();
        r.put("csr", csr).put("commonName", "ACME e-seal").put("profile", profile).put("validityYears", 3);
        r.putObject("organisation").put("name", "ACME SAS").put("identifier", "NTRFR-123456789").put("country", "FR");
        return r;
    }

    private HttpResponse<String> issue(String csr, String profile) {
        return api("POST", "/certificates", request(csr, profile).toString());
    }

    private HttpResponse<String> api(String method, String path, String json) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(probe.base() + "/api/v1" + path))
                .header("Authorization", "Bearer " + apiKey).timeout(Duration.ofSeconds(30));
        b = json == null ? b.method(method, HttpRequest.BodyPublishers.noBody())
                : b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
        try {
            return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private HttpResponse<byte[]> bytes(String method, String path, byte[] body, String type) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(probe.base() + path)).timeout(Duration.ofSeconds(30));
        b = body == null ? b.method(method, HttpRequest.BodyPublishers.noBody())
                : b.header("Content-Type", type).method(method, HttpRequest.BodyPublishers.ofByteArray(body));
        try {
            return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private Result openssl(String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add("openssl");
        cmd.addAll(List.of(args));
        return run(cmd.toArray(String[]::new));
    }

    private Result run(String... command) throws Exception {
        return Commands.run(dir, Duration.ofSeconds(60), command);
    }
}
