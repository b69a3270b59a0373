package io.cachet.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;
import org.openjdk.jmh.runner.options.TimeValue;

import io.cachet.token.pkcs11.testing.SoftHsmFixture;

/**
 * Calls every benchmark method once on every token and key, outside JMH, and checks what it returns: proves the
 * benchmarks measure working operations. Measures nothing.
 */
class BenchmarkSmokeTest {

    /** A warm-up iteration's parameters: the raw window of 200 ms. */
    private static final IterationParams WARMUP = new IterationParams(IterationType.WARMUP, 1, TimeValue.seconds(1), 1);

    @BeforeAll
    static void softHsm() {
        SoftHsmFixture.library(); // writes target/softhsm2.conf, which Surefire names in SOFTHSM2_CONF
    }

    @ParameterizedTest
    @CsvSource({ "soft,EC_P256", "soft,RSA_3072", "softhsm,EC_P256", "softhsm,RSA_3072" })
    void issuance(String token, String key) throws Exception {
        IssuanceBenchmark.Ca ca = new IssuanceBenchmark.Ca();
        ca.token = token;
        ca.key = key;
        ca.setUp();
        try {
            IssuanceBenchmark b = new IssuanceBenchmark();
            IssuanceBenchmark.Raw raw = new IssuanceBenchmark.Raw();
            X509Certificate issuing = ca.fixture.ca().issuing();
            assertTrue(verifies(issuing, ca.fixture.algorithm().jcaName(), ca.tbs, IssuanceBenchmark.rawSign(ca)));
            certificate(b.buildSign(ca, raw)).verify(issuing.getPublicKey());
            X509Certificate cert = b.issue(ca, raw);
            cert.verify(issuing.getPublicKey());
            assertEquals(ca.tbs.length, cert.getTBSCertificate().length, "raw limit signs a TBS of the issued size");
            IssuanceBenchmark.Durable durable = new IssuanceBenchmark.Durable();
            durable.setUp(ca);
            b.issueH2(durable, ca, raw).verify(issuing.getPublicKey());
            raw.join(ca);
            raw.measure(ca, WARMUP);
            assertTrue(raw.raw > 0, "the raw window signed: " + raw.raw);
        } finally {
            ca.tearDown();
        }
    }

    @ParameterizedTest
    @CsvSource({ "soft,EC_P256", "softhsm,RSA_3072" })
    void ocsp(String token, String key) throws Exception {
        OcspBenchmark.Ca ca = new OcspBenchmark.Ca();
        ca.token = token;
        ca.key = key;
        ca.setUp();
        try {
            OcspBenchmark b = new OcspBenchmark();
            OcspBenchmark.Raw raw = new OcspBenchmark.Raw();
            assertTrue(verifies(ca.fixture.ca().ocspSigner(), ca.fixture.algorithm().jcaName(), ca.tbs,
                    OcspBenchmark.rawSign(ca)));
            assertEquals(ca.tbs.length, OcspBenchmark.responseData(b.respond(ca, raw)).length);
            OcspBenchmark.Durable durable = new OcspBenchmark.Durable();
            durable.setUp(ca);
            OcspBenchmark.responseData(b.respondH2(durable, ca, raw));
            raw.join(ca);
            raw.measure(ca, WARMUP);
            assertTrue(raw.raw > 0, "the raw window signed: " + raw.raw);
        } finally {
            ca.tearDown();
        }
    }

    @ParameterizedTest
    @CsvSource({ "softhsm,EC_P256", "soft,RSA_3072" })
    void timeStamps(String token, String key) throws Exception {
        TsaBenchmark.Ca ca = new TsaBenchmark.Ca();
        ca.token = token;
        ca.key = key;
        ca.setUp();
        try {
            TsaBenchmark b = new TsaBenchmark();
            TsaBenchmark.Raw raw = new TsaBenchmark.Raw();
            assertTrue(verifies(ca.fixture.ca().timeStampUnit(), ca.fixture.algorithm().jcaName(), ca.signedAttributes,
                    TsaBenchmark.rawSign(ca)));
            assertEquals(ca.signedAttributes.length, TsaBenchmark.signedAttributes(b.respond(ca, raw)).length);
            raw.join(ca);
            raw.measure(ca, WARMUP);
            assertTrue(raw.raw > 0, "the raw window signed: " + raw.raw);
        } finally {
            ca.tearDown();
        }
    }

    /** Every signature the benchmark makes must verify with a tool we did not write. */
    @ParameterizedTest
    @CsvSource({ "soft,EC_P256,false", "softhsm,EC_P256,false", "soft,EC_P256,true" })
    void signatures(String token, String key, boolean ownFolder, @TempDir Path dir) throws Exception {
        SignatureBenchmark.Seal seal = new SignatureBenchmark.Seal();
        seal.token = token;
        seal.key = key;
        Path own = Files.createDirectories(dir.resolve("own"));
        if (ownFolder) {
            seal.folder = own.toString();
        }
        seal.setUp();
        try {
            assertEquals(ownFolder, seal.dir.getParent().equals(own), "the inputs and outputs in " + seal.dir);
            long pdfSize = Files.size(seal.pdf);
            assertTrue(pdfSize > 990_000 && pdfSize < 1_010_000, "a 1 MB PDF: " + pdfSize);
            SignatureBenchmark b = new SignatureBenchmark();
            SignatureBenchmark.Raw r = new SignatureBenchmark.Raw();
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(seal.data));
            Signature raw = Signature.getInstance("NONEwithECDSA");
            raw.initVerify(seal.signingKey.certificate().getPublicKey());
            raw.update(digest);
            assertTrue(raw.verify(SignatureBenchmark.rawSign(seal)), "the limit signs the input's digest");

            Path ca = dir.resolve("chain.pem");
            Files.writeString(ca, io.cachet.signature.testing.TestPki.pem(seal.fixture.ca().issuing(),
                    seal.fixture.ca().root()));
            for (Path pdf : List.of(b.pades(seal, r), b.dssPades(seal, r))) {
                io.cachet.signature.testing.Tools.pdfsigValid(pdf, 1);
            }
            floorSignsTheByteRanges(b.padesFloor(seal), seal);

            // the corpus benchmark on two PDFs of other shapes than the 1 MB one, each signed in turn
            CorpusBenchmark corpus = new CorpusBenchmark();
            CorpusBenchmark.Corpus c = new CorpusBenchmark.Corpus();
            Path folder = Files.createDirectories(dir.resolve("corpus"));
            io.cachet.signature.testing.Pdfs.pages(folder.resolve("a.pdf"), 30);
            io.cachet.signature.testing.Pdfs.form(folder.resolve("b.pdf"));
            Files.writeString(folder.resolve("notes.txt"), "not a PDF");
            c.files = CorpusBenchmark.Corpus.files(folder);
            assertEquals(2, c.files.size(), c.files.toString());
            for (int i = 0; i < 2; i++) {
                io.cachet.signature.testing.Tools.pdfsigValid(corpus.pades(seal, c), 1);
                io.cachet.signature.testing.Tools.pdfsigValid(corpus.dssPades(seal, c), 1);
                floorSignsTheByteRanges(corpus.padesFloor(seal, c), seal);
            }
            assertEquals(seal.dir, b.cades(seal, r).getParent(), "the signed file beside the inputs");
            for (Path p7s : List.of(b.cades(seal, r), b.dssCades(seal, r))) {
                io.cachet.signature.testing.Tools.opensslCmsDetached(p7s, seal.data, ca);
            }
            // no OCSP or CRL answers for this CA (its URLs are example.fr), so DSS cannot say VALID: but the
            // signature value and the reference to the data must verify (INDETERMINATE, never INVALID)
            for (Path xml : List.of(b.xades(seal, r), b.dssXades(seal, r))) {
                var result = io.cachet.signature.launch.Signatures.validator().validate(xml, List.of(seal.data),
                        io.cachet.api.signature.ValidationOptions.trusting(List.of(seal.fixture.ca().root())).offline());
                assertEquals(1, result.signatures().size(), result.summary());
                assertEquals(io.cachet.api.signature.Verdict.INDETERMINATE, result.verdict(), result.summary());
                assertTrue(result.signatures().get(0).format().startsWith("XAdES-BASELINE-B"), result.summary());
            }
            r.join(seal);
            r.measure(seal, WARMUP);
            assertTrue(r.raw > 0, "the raw window signed: " + r.raw);
        } finally {
            seal.tearDown();
        }
    }

    @Test
    void parts() throws Exception {
        PartsBenchmark b = new PartsBenchmark();
        b.setUp();
        assertTrue(b.csrCheckAsCa());
        assertTrue(b.csrCheckVerifyOnce());
        for (byte[] signature : List.of(b.ecSignSunEc(), b.ecSignBc())) {
            Signature s = Signature.getInstance("NONEwithECDSA");
            s.initVerify(b.caKey.getPublic());
            s.update(b.digest);
            assertTrue(s.verify(signature));
        }
        assertEquals(b.certificate.getSerialNumber(), b.x509Convert().getSerialNumber());
        assertTrue(b.passwordCheck());
        assertFalse(io.cachet.api.security.SecretHash.verify("another password".toCharArray(), b.storedPassword));
    }

    @Test
    void reportGivesMedianAndRangeOfTheIterationsAndTheRatioIterationByIteration(@TempDir Path dir) throws Exception {
        // two forks of three iterations; the raw limit measured after each iteration (secondary result "raw")
        String table = report(dir, """
                [ { "benchmark": "io.cachet.bench.IssuanceBenchmark.issue", "mode": "thrpt", "threads": 2,
                    "forks": 2, "params": { "key": "RSA_3072", "token": "soft" },
                    "primaryMetric": { "score": 403.3, "scoreError": 99.0,
                      "rawData": [ [ 400.0, 300.0, 500.0 ], [ 450.0, 350.0, 420.0 ] ] },
                    "secondaryMetrics": { "raw": { "score": 5240.0,
                      "rawData": [ [ 800.0, 1000.0, 1000.0 ], [ 900.0, 700.0, 840.0 ] ] } } },
                  { "benchmark": "io.cachet.bench.PartsBenchmark.x509Convert", "mode": "thrpt", "threads": 1,
                    "forks": 2, "primaryMetric": { "score": 5.0, "rawData": [ [ 5.0, 7.0 ], [ 1.0 ] ] },
                    "secondaryMetrics": {} } ]
                """);
        // ours 300..500, median of six (400+420)/2; raw 700..1,000, median (840+900)/2; ratios 0.5 but one 0.3
        assertTrue(table.contains("| seal certificate, recorded in H2 in memory | soft | RSA_3072 | 2 | 410 (300–500) | "
                + "870 (700–1,000) | 50 % (30–50) | 2 × 3 |"), table);
        assertTrue(table.contains("| x509Convert | 1 | 5 (1–7) | 2+1 |"), table);
    }

    @Test
    void reportKeepsRunsInAnotherFolderApart(@TempDir Path dir) throws Exception {
        String table = report(dir, """
                [ { "benchmark": "io.cachet.bench.SignatureBenchmark.cades", "mode": "thrpt", "threads": 1,
                    "params": { "key": "EC_P256", "token": "soft" },
                    "primaryMetric": { "rawData": [ [ 800.0 ] ] },
                    "secondaryMetrics": { "raw": { "rawData": [ [ 1000.0 ] ] } } },
                  { "benchmark": "io.cachet.bench.SignatureBenchmark.cades", "mode": "thrpt", "threads": 1,
                    "params": { "key": "EC_P256", "token": "soft", "folder": "/dev/shm" },
                    "primaryMetric": { "rawData": [ [ 900.0 ] ] },
                    "secondaryMetrics": { "raw": { "rawData": [ [ 1000.0 ] ] } } } ]
                """);
        assertTrue(table.contains("| CAdES-B detached, 1 MiB | soft | EC_P256 | 1 | 800 (800–800) | 1,000 (1,000–1,000)"
                + " | 80 % (80–80) | 1 × 1 |"), table);
        assertTrue(table.contains("| CAdES-B detached, 1 MiB, files in /dev/shm | soft | EC_P256 | 1 | 900 (900–900) |"
                + " 1,000 (1,000–1,000) | 90 % (90–90) | 1 × 1 |"), table);
    }

    /** The table {@link Report} prints for JMH's JSON {@code results}. */
    private static String report(Path dir, String results) throws IOException {
        Path json = Files.writeString(dir.resolve("r.json"), results);
        return Report.table(Report.read(json));
    }

    @Test
    void spreadOfAnOddCountIsTheMiddleValue() {
        Report.Spread s = Report.Spread.of(new double[] { 9, 1, 5 });
        assertEquals(5, s.median());
        assertEquals(1, s.min());
        assertEquals(9, s.max());
    }

    /** The floor's output: one signature field whose /Contents holds a raw signature of the byte ranges' hash. */
    private static void floorSignsTheByteRanges(Path pdf, SignatureBenchmark.Seal seal) throws Exception {
        try (var doc = org.apache.pdfbox.Loader.loadPDF(pdf.toFile())) {
            var signature = doc.getLastSignatureDictionary();
            byte[] all = Files.readAllBytes(pdf);
            byte[] signed = signature.getSignedContent(all);
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(signed);
            byte[] contents = signature.getContents();
            // DER ECDSA-Sig-Value: a SEQUENCE of its length, then the zero padding of the reserved room
            int length = (contents[1] & 0xff) + 2;
            Signature raw = Signature.getInstance("NONEwithECDSA");
            raw.initVerify(seal.signingKey.certificate().getPublicKey());
            raw.update(digest);
            assertTrue(raw.verify(java.util.Arrays.copyOf(contents, length)), "the floor signs the byte ranges");
        }
    }

    @Test
    void reportPairsPadesWithItsFloorOfTheSameRun(@TempDir Path dir) throws Exception {
        String table = report(dir, """
                [ { "benchmark": "io.cachet.bench.CorpusBenchmark.pades", "mode": "thrpt", "threads": 2,
                    "params": { "key": "EC_P256", "token": "soft" },
                    "primaryMetric": { "rawData": [ [ 28.0, 30.0, 32.0 ], [ 29.0, 31.0, 40.0 ] ] }, "secondaryMetrics": {} },
                  { "benchmark": "io.cachet.bench.CorpusBenchmark.padesFloor", "mode": "thrpt", "threads": 2,
                    "params": { "key": "EC_P256", "token": "soft" },
                    "primaryMetric": { "rawData": [ [ 39.0, 40.0, 41.0 ], [ 40.0, 38.0, 42.0 ] ] }, "secondaryMetrics": {} },
                  { "benchmark": "io.cachet.bench.CorpusBenchmark.padesFloor", "mode": "thrpt", "threads": 1,
                    "params": { "key": "EC_P256", "token": "soft" },
                    "primaryMetric": { "rawData": [ [ 20.0 ] ] }, "secondaryMetrics": {} } ]
                """);
        // medians: ours (30+31)/2 = 30.5, the floor with the same threads (40+40)/2 = 40: 76 %
        assertTrue(table.contains("| PAdES-B, real-world corpus (files/s) | soft | EC_P256 | 2 | 31 | 40 | 76 % |"),
                table);
    }

    private static boolean verifies(X509Certificate signer, String algorithm, byte[] data, byte[] signature)
            throws Exception {
        Signature s = Signature.getInstance(algorithm);
        s.initVerify(signer.getPublicKey());
        s.update(data);
        return s.verify(signature);
    }

    private static X509Certificate certificate(byte[] der) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(der));
    }
}
