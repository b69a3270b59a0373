package io.cachet.itest;

import static io.cachet.itest.Commands.ok;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
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
import org.osgi.util.tracker.ServiceTracker;

import io.cachet.api.ca.CertificateAuthority;
import io.cachet.api.ca.PlatformSealKey;
import io.cachet.api.signature.Level;
import io.cachet.api.signature.SignOptions;
import io.cachet.api.signature.Signer;
import io.cachet.api.signature.ValidationOptions;
import io.cachet.api.signature.ValidationResult;
import io.cachet.api.signature.Validator;
import io.cachet.api.signature.Verdict;
import io.cachet.api.signature.VisibleSignature;

/**
 * The running server's own seal: the CA made it at its first start ({@code ca-seal} on the CA token, certified by the
 * issuing CA it publishes, in its register, in /health), and a PDF sealed with it at PAdES-B-LT with a visible text
 * box, a second seal added incrementally, then extended to LTA, is accepted by pdfsig and by the Validator trusting
 * only the seal's {@code trustAnchors()}.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class PlatformSealIT {

    @Inject
    BundleContext context;

    // looked up once the server is healthy, not injected: the key ceremony of the first start can outlast the
    // injection's wait on a busy machine
    private PlatformSealKey seal;
    private CertificateAuthority ca;
    private final List<ServiceTracker<?, ?>> trackers = new java.util.ArrayList<>();

    @Inject
    Signer signer;

    @Inject
    Validator validator;

    private Probe probe;
    private Path dir;

    private static final String PDF_PROPERTY = "cachet.itest.platformseal.pdf";

    /** The sample PDF is made here, outside the framework (PDFBox is not on the probe's class path). */
    @Configuration
    public Option[] config() throws Exception {
        Path pdf = SamplePdf.write(Files.createTempDirectory("cachet-it-seal-pdf-").resolve("form.pdf"));
        Option[] cachet = CachetRuntime.options(Files.createTempDirectory("cachet-it-platform-seal-"), Map.of());
        Option[] all = java.util.Arrays.copyOf(cachet, cachet.length + 1);
        all[cachet.length] = org.ops4j.pax.exam.CoreOptions.systemProperty(PDF_PROPERTY).value(pdf.toString());
        return all;
    }

    @Before
    public void healthy() throws Exception {
        probe = new Probe(context);
        probe.healthy();
        seal = service(PlatformSealKey.class);
        ca = service(CertificateAuthority.class);
        dir = Files.createTempDirectory("cachet-platform-seal-it-");
    }

    @After
    public void close() {
        trackers.forEach(ServiceTracker::close);
    }

    private <T> T service(Class<T> type) throws InterruptedException {
        ServiceTracker<T, T> tracker = new ServiceTracker<>(context, type, null);
        tracker.open();
        trackers.add(tracker);
        T found = tracker.waitForService(Duration.ofMinutes(2).toMillis());
        if (found == null) {
            throw new AssertionError("no " + type.getSimpleName() + " service although /health is 200: "
                    + probe.healthReport().body());
        }
        return found;
    }

    @Test
    public void theServerHasASealCertifiedByItsPublishedCa() throws Exception {
        HttpResponse<String> published = probe.get("/pki/chain.pem");
        assertEquals(200, published.statusCode());
        List<X509Certificate> chain = CertificateFactory.getInstance("X.509")
                .generateCertificates(new ByteArrayInputStream(published.body().getBytes(StandardCharsets.US_ASCII)))
                .stream().map(c -> (X509Certificate) c).toList();
        assertEquals(chain, seal.chain().subList(1, 3));
        assertEquals(chain, seal.trustAnchors());
        seal.certificate().verify(chain.get(0).getPublicKey());
        assertTrue(seal.certificate().getSubjectX500Principal().getName(),
                seal.certificate().getSubjectX500Principal().getName().contains("CN=Cachet Platform Seal"));
        // in the CA's register: its revocation status is answered (OCSP, CRL)
        assertTrue(ca.status(seal.certificate().getSerialNumber()).orElseThrow().revocation().isEmpty());
        String report = probe.healthReport().body();
        assertTrue(report, report.contains("platform seal serial " + seal.certificate().getSerialNumber().toString(16)));
        assertTrue(seal.timeStampAuthority().toString(), seal.timeStampAuthority().getPath().equals("/tsa"));
        // the signing key sees the seal key alone on the CA token
        assertEquals(List.of("ca-seal"), seal.signingKey().token().keys().stream().map(k -> k.alias()).toList());
    }

    @Test
    public void aPdfSealedAtLtTwiceThenExtendedToLtaValidatesWithTheTrustAnchors() throws Exception {
        Path document = Path.of(System.getProperty(PDF_PROPERTY));
        Path once = dir.resolve("once.pdf");
        Path twice = dir.resolve("twice.pdf");
        Path archived = dir.resolve("archived.pdf");
        SignOptions lt = SignOptions.pades(Level.LT).withTsa(seal.timeStampAuthority())
                .withTrustAnchors(seal.trustAnchors());

        signer.sign(document, once, seal.signingKey(), lt.withVisibleSignature(VisibleSignature.defaults()
                .withSize(260, 60).withText(List.of("Jeanne Martin", "accepted by SMS code to +33 6 •• •• •• 12",
                        "2026-12-03 02:30 UTC"))));
        assertEquals(1, pdfsigValid(once));
        assertValid(once, 1, "PAdES-BASELINE-LT");

        signer.sign(once, twice, seal.signingKey(), lt.withVisibleSignature(VisibleSignature.defaults()
                .at(1, 300, 36).withSize(260, 60).withText(List.of("Paul Durand", "accepted by SMS code to"
                        + " +33 7 •• •• •• 34", "2026-12-03 02:41 UTC"))));
        assertEquals(2, pdfsigValid(twice));
        assertValid(twice, 2, "PAdES-BASELINE-LT");
        byte[] first = Files.readAllBytes(once);
        byte[] second = Files.readAllBytes(twice);
        assertArrayEquals("the first signed revision is kept", first, java.util.Arrays.copyOf(second, first.length));

        signer.extend(twice, archived, SignOptions.pades(Level.LTA).withTsa(seal.timeStampAuthority())
                .withTrustAnchors(seal.trustAnchors()));
        assertEquals(2, pdfsigValid(archived));
        assertValid(archived, 2, "PAdES-BASELINE-LTA");
    }

    private void assertValid(Path pdf, int signatures, String level) {
        ValidationResult result = validator.validate(pdf, List.of(), ValidationOptions.trusting(seal.trustAnchors()));
        assertEquals(result.summary() + "\n" + result.signatures(), Verdict.VALID, result.verdict());
        assertEquals(signatures, result.signatures().size());
        result.signatures().forEach(s -> {
            assertEquals(s.toString(), "TOTAL_PASSED", s.indication());
            assertEquals(s.toString(), level, s.format());
        });
    }

    /** pdfsig (poppler, no code shared with DSS): every CMS signature valid; returns how many. */
    private int pdfsigValid(Path pdf) throws Exception {
        String out = ok(Commands.run(dir, Duration.ofSeconds(120), "pdfsig", "-nocert", "-no-ocsp", pdf.toString()));
        Matcher valid = Pattern.compile("Signature Validation: Signature is Valid\\.").matcher(out);
        int count = 0;
        while (valid.find()) {
            count++;
        }
        assertTrue(out, !out.contains("Signature is Invalid") && count > 0);
        return count;
    }
}
