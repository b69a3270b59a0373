package io.cachet.itest;

import static io.cachet.itest.Commands.ok;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.StringWriter;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import javax.inject.Inject;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.DefaultSignatureAlgorithmIdentifierFinder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
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
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceReference;

import io.cachet.api.ca.CertificateAuthority;
import io.cachet.api.ca.IssuedCertificate;
import io.cachet.api.ca.SealCertificateRequest;
import io.cachet.api.token.KeyAlgorithm;
import io.cachet.api.token.PinPolicy;
import io.cachet.api.token.SignatureAlgorithm;
import io.cachet.api.token.Token;
import io.cachet.api.token.TokenDriver;
import io.cachet.api.token.TokenInfo;
import io.cachet.api.signature.Level;
import io.cachet.api.signature.Packaging;
import io.cachet.api.signature.SignOptions;
import io.cachet.api.signature.SignResult;
import io.cachet.api.signature.Signer;
import io.cachet.api.signature.SigningKey;
import io.cachet.api.signature.ValidationOptions;
import io.cachet.api.signature.ValidationResult;
import io.cachet.api.signature.Verdict;
import io.cachet.itest.Commands.Result;

/**
 * Signatures inside the running server: the Signer and Validator services of io.cachet.signature (EU DSS embedded
 * in the bundle), a seal key made on the software token and certified by the server's own CA, a PDF sealed at
 * levels B, T and LT (time-stamped by the server's own {@code /tsa}, with its OCSP answers embedded) and a file sealed as detached CAdES. Every result
 * is checked by tools that share no code with DSS (poppler's pdfsig, openssl cms) and by the Validator service,
 * trusting the chain the server publishes at {@code /pki/chain.pem}.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class SignatureIT {

    private static final String PDF_PROPERTY = "cachet.itest.signature.pdf";
    private static final char[] USER_PIN = "user-pin-1234".toCharArray();

    @Inject
    BundleContext context;

    @Inject
    Signer signer;

    @Inject
    io.cachet.api.signature.Validator validator;

    private Probe probe;
    private Path dir;
    private ServiceReference<TokenDriver> driverRef;
    private ServiceReference<CertificateAuthority> caRef;
    private Token token;
    private SigningKey seal;
    private List<X509Certificate> chain;

    @Configuration
    public Option[] config() throws Exception {
        Path pdf = SamplePdf.write(Files.createTempDirectory("cachet-it-pdf-").resolve("document.pdf"));
        Option[] cachet = CachetRuntime.options(Files.createTempDirectory("cachet-it-signature-"), Map.of());
        Option[] all = Arrays.copyOf(cachet, cachet.length + 1);
        all[cachet.length] = systemProperty(PDF_PROPERTY).value(pdf.toString());
        return all;
    }

    @Before
    public void sealKeyCertifiedByTheRunningCa() throws Exception {
        probe = new Probe(context);
        probe.healthy();
        dir = Files.createTempDirectory("cachet-signature-it-");

        // the CA is looked up once the server is healthy: it makes its keys at the first start
        caRef = context.getServiceReference(CertificateAuthority.class);
        CertificateAuthority ca = context.getService(caRef);

        HttpResponse<String> published = probe.get("/pki/chain.pem");
        assertEquals(200, published.statusCode());
        Files.writeString(dir.resolve("chain.pem"), published.body());
        // the CA's own answer, as a relying party reads it: the services' contract is all this test wires to
        chain = java.security.cert.CertificateFactory.getInstance("X.509")
                .generateCertificates(new java.io.ByteArrayInputStream(
                        published.body().getBytes(java.nio.charset.StandardCharsets.US_ASCII)))
                .stream().map(c -> (X509Certificate) c).toList();
        assertEquals("issuing CA then root", 2, chain.size());

        driverRef = context.getServiceReferences(TokenDriver.class, "(token.driver=soft)").iterator().next();
        TokenDriver driver = context.getService(driverRef);
        TokenInfo blank = driver.tokens().stream().filter(t -> !t.has(TokenInfo.Flag.INITIALIZED)).findFirst()
                .orElseThrow(() -> new AssertionError("the software token driver offers no blank token"));
        TokenInfo info = driver.initialize(blank.slotId(), "so-pin-1234".toCharArray(), USER_PIN.clone(),
                "itest-signature-" + System.nanoTime(), PinPolicy.TOKEN_DEFAULT);
        token = driver.login(info.serial(), USER_PIN.clone());
        var key = token.generateKeyPair("seal", KeyAlgorithm.EC_P256);
        String csr = pem(new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=ignored"), key.publicKey())
                .build(new TokenContentSigner(token, "seal", SignatureAlgorithm.ECDSA_SHA256)));
        IssuedCertificate issued = ca.issue(new SealCertificateRequest(csr, SealCertificateRequest.Profile.QSCD,
                "ACME e-seal", new SealCertificateRequest.Organisation("ACME SAS", "NTRFR-123456789", "FR"), 1),
                "itest");
        token.importCertificate("seal", issued.certificate());
        seal = new SigningKey(token, "seal", chain);
    }

    @After
    public void closeToken() {
        if (token != null) {
            token.close();
        }
        if (driverRef != null) {
            context.ungetService(driverRef);
        }
        if (caRef != null) {
            context.ungetService(caRef);
        }
    }

    @Test
    public void theServicesComeFromTheSignatureBundle() {
        Bundle bundle = FrameworkUtil.getBundle(signer.getClass());
        assertNotNull(bundle);
        assertEquals("io.cachet.signature", bundle.getSymbolicName());
        assertEquals(bundle, FrameworkUtil.getBundle(validator.getClass()));
        assertEquals(Bundle.ACTIVE, bundle.getState());
        // DSS is embedded, not spread over the framework: only the plain-Java launcher package is exported; the
        // contracts come from io.cachet.api, so a consumer of the services never wires to this 15 MB bundle
        assertEquals("io.cachet.signature.launch;version=\"1.0.0\";uses:=\"io.cachet.api.signature\"",
                bundle.getHeaders().get("Export-Package"));
        assertEquals("io.cachet.api", FrameworkUtil.getBundle(Signer.class).getSymbolicName());
        assertEquals("io.cachet.api",
                FrameworkUtil.getBundle(io.cachet.api.signature.Validator.class).getSymbolicName());
        assertTrue(bundle.getHeaders().get("Bundle-ClassPath").contains("lib/dss-pades-pdfbox-"));
    }

    @Test
    public void pdfSealedAtLevelsBToLtPassesPdfsigAndTheValidator() throws Exception {
        Path document = Path.of(System.getProperty(PDF_PROPERTY));
        // no TSA named: from level T on, the signer service uses the server's own /tsa (configuration tsaUrl empty)
        for (Level level : List.of(Level.B, Level.T, Level.LT)) {
            Path signed = dir.resolve("sealed-" + level + ".pdf");
            SignOptions options = SignOptions.pades(level).withTrustAnchors(chain);
            SignResult result = signer.sign(document, signed, seal, options);
            assertEquals(level, result.level());
            assertEquals(seal.certificate(), result.signingCertificate());

            String pdfsig = ok(run("pdfsig", "-nocert", "-no-ocsp", signed.toString()));
            assertTrue(pdfsig, pdfsig.contains("Signature Validation: Signature is Valid."));
            assertTrue(pdfsig, pdfsig.contains("ETSI.CAdES.detached"));

            ValidationResult validation = validator.validate(signed, List.of(), ValidationOptions.trusting(chain));
            assertEquals(validation.summary() + "\n" + validation.signatures(), Verdict.VALID, validation.verdict());
            assertEquals(1, validation.signatures().size());
            assertEquals(validation.signatures().toString(), "PAdES-BASELINE-" + level,
                    validation.signatures().get(0).format());
        }
    }

    @Test
    public void fileSealedAsDetachedCadesPassesOpensslCms() throws Exception {
        Path content = dir.resolve("invoice.txt");
        Files.writeString(content, "Invoice 2026-0042: 1 200,00 EUR\n", StandardCharsets.UTF_8);
        Path p7s = dir.resolve("invoice.txt.p7s");
        signer.sign(content, p7s, seal, SignOptions.cades(Packaging.DETACHED, Level.B).withTrustAnchors(chain));

        String openssl = ok(run("openssl", "cms", "-verify", "-binary", "-inform", "DER", "-in", p7s.toString(),
                "-content", content.toString(), "-CAfile", dir.resolve("chain.pem").toString(), "-purpose", "any",
                "-out", "/dev/null"));
        assertTrue(openssl, openssl.contains("Verification successful"));

        ValidationResult validation = validator.validate(p7s, List.of(content), ValidationOptions.trusting(chain));
        assertEquals(validation.summary(), Verdict.VALID, validation.verdict());

        // one byte changed in the content: openssl and the Validator both refuse it
        Files.writeString(content, "Invoice 2026-0042: 9 200,00 EUR\n", StandardCharsets.UTF_8);
        assertTrue(run("openssl", "cms", "-verify", "-binary", "-inform", "DER", "-in", p7s.toString(), "-content",
                content.toString(), "-CAfile", dir.resolve("chain.pem").toString(), "-purpose", "any", "-out",
                "/dev/null").exit() != 0);
        assertTrue(validator.validate(p7s, List.of(content), ValidationOptions.trusting(chain)).verdict()
                != Verdict.VALID);
    }

    /** Signs the CSR with the key on the token: the private key never leaves it. */
    private static final class TokenContentSigner implements ContentSigner {
        private final Token token;
        private final String alias;
        private final SignatureAlgorithm algorithm;
        private final ByteArrayOutputStream data = new ByteArrayOutputStream();

        TokenContentSigner(Token token, String alias, SignatureAlgorithm algorithm) {
            this.token = token;
            this.alias = alias;
            this.algorithm = algorithm;
        }

        @Override
        public AlgorithmIdentifier getAlgorithmIdentifier() {
            return new DefaultSignatureAlgorithmIdentifierFinder().find(algorithm.jcaName());
        }

        @Override
        public OutputStream getOutputStream() {
            return data;
        }

        @Override
        public byte[] getSignature() {
            return token.sign(alias, algorithm, data.toByteArray());
        }
    }

    private static String pem(Object o) throws Exception {
        StringWriter w = new StringWriter();
        try (JcaPEMWriter p = new JcaPEMWriter(w)) {
            p.writeObject(o);
        }
        return w.toString();
    }

    private Result run(String... command) throws Exception {
        return Commands.run(dir, Duration.ofSeconds(120), command);
    }
}
