package io.cachet.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.IterationParams;

import eu.europa.esig.dss.cades.CAdESSignatureParameters;
import eu.europa.esig.dss.cades.signature.CAdESService;
import eu.europa.esig.dss.enumerations.DigestAlgorithm;
import eu.europa.esig.dss.enumerations.SignatureLevel;
import eu.europa.esig.dss.enumerations.SignaturePackaging;
import eu.europa.esig.dss.model.DSSDocument;
import eu.europa.esig.dss.model.FileDocument;
import eu.europa.esig.dss.model.SignatureValue;
import eu.europa.esig.dss.model.ToBeSigned;
import eu.europa.esig.dss.pades.PAdESSignatureParameters;
import eu.europa.esig.dss.pades.signature.PAdESService;
import eu.europa.esig.dss.signature.AbstractSignatureParameters;
import eu.europa.esig.dss.signature.DocumentSignatureService;
import eu.europa.esig.dss.spi.validation.CommonCertificateVerifier;
import eu.europa.esig.dss.token.DSSPrivateKeyEntry;
import eu.europa.esig.dss.xades.XAdESSignatureParameters;
import eu.europa.esig.dss.xades.signature.XAdESService;
import io.cachet.api.token.KeyAlgorithm;
import io.cachet.api.token.SignatureAlgorithm;
import io.cachet.api.token.TokenKey;
import io.cachet.ca.launch.LocalCa;
import io.cachet.api.signature.Packaging;
import io.cachet.api.signature.SignOptions;
import io.cachet.signature.launch.Signatures;
import io.cachet.api.signature.Signer;
import io.cachet.api.signature.SigningKey;
import eu.europa.esig.dss.token.SignatureTokenConnection;
import io.cachet.signature.testing.Pdfs;

/**
 * Signatures per second at level B of a 1 MB PDF (PAdES) and a 1 MiB file (XAdES and CAdES detached), each next to
 * the limit measured in the same run ({@link #rawSign}: SHA-256 of the same input plus one raw signature with the
 * same key on the same token) and to plain DSS sample usage (the three documented DSS steps with default objects,
 * through the same token bridge). Our path ({@link Signer#sign}) includes what the command line does: the input
 * checks, reading the file and writing the signed file through a temporary file.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 2, jvmArgsAppend = { "-Xms2g", "-Xmx2g" })
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 5, time = 5)
public class SignatureBenchmark {

    static final int SIZE = 1 << 20;

    /** The {@code folder} parameter's value for {@code java.io.tmpdir}. */
    static final String DEFAULT_FOLDER = "default";

    /** A seal key on the token, certified by the fixture's CA; the inputs in a temporary folder. */
    @State(Scope.Benchmark)
    public static class Seal {
        @Param({ "soft", "softhsm" })
        public String token;
        @Param({ "EC_P256" })
        public String key;
        /**
         * The folder of the inputs and the signed files: {@code default} is {@code java.io.tmpdir}. A memory file
         * system ({@code -p folder=/dev/shm}) leaves out what the disk's file system charges for each new file,
         * which on these machines' ext4 is ~0.2 ms per file when files are made one after another (BENCHMARKS.md,
         * "Detached signatures and the output file").
         */
        @Param({ DEFAULT_FOLDER })
        public String folder = DEFAULT_FOLDER;

        Fixture fixture;
        final RawLimit rawLimit = new RawLimit();
        SigningKey signingKey;
        SignatureAlgorithm algorithm;
        Path dir;
        Path pdf;
        Path data;
        final Signer signer = Signatures.signer();
        final AtomicInteger outputs = new AtomicInteger();

        @Setup(Level.Trial)
        public void setUp() throws Exception {
            fixture = Fixture.open(token, key);
            KeyAlgorithm algorithmOfKey = KeyAlgorithm.valueOf(key);
            TokenKey seal = fixture.token().generateKeyPair("seal", algorithmOfKey);
            algorithm = algorithmOfKey.family().equals("EC") ? SignatureAlgorithm.ECDSA_SHA256
                    : SignatureAlgorithm.RSA_PKCS1_SHA256;
            String csr = LocalCa.certificationRequest(fixture.token(), "seal", algorithm);
            X509Certificate certificate = fixture.memoryIssuer().issue(Fixture.sealRequest(csr, 3));
            fixture.token().importCertificate("seal", certificate);
            signingKey = new SigningKey(fixture.token(), "seal", List.of(fixture.ca().issuing(), fixture.ca().root()));

            dir = DEFAULT_FOLDER.equals(folder) ? Files.createTempDirectory("cachet-bench-sign-")
                    : Files.createTempDirectory(Path.of(folder), "cachet-bench-sign-");
            pdf = pdfOfAboutOneMegabyte(dir.resolve("in.pdf"));
            byte[] bytes = new byte[SIZE];
            new Random(7).nextBytes(bytes);
            data = Files.write(dir.resolve("in.bin"), bytes);
        }

        /** A PDF of 1 MB (±1 %): one page and an embedded file, the size most customer PDFs are near. */
        static Path pdfOfAboutOneMegabyte(Path file) throws IOException {
            long attachment = SIZE;
            Pdfs.attachment(file, attachment);
            // the attachment is stored compressed, random bytes do not shrink: adjust once for the overhead
            long size = Files.size(file);
            Files.delete(file); // a new document saved over an existing file makes PDFBox print a warning
            return Pdfs.attachment(file, attachment - (size - 1_000_000));
        }

        Path output(String extension) {
            return dir.resolve("out-" + outputs.incrementAndGet() % 64 + extension);
        }

        @TearDown(Level.Trial)
        public void tearDown() throws IOException {
            fixture.close();
            try (var walk = Files.walk(dir)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }


    /** The limit ({@link #rawSign}), measured after each iteration on every benchmark thread ({@link RawLimit}); JMH sums the threads. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Raw {
        /** This thread's raw operations per second in the window after the iteration. */
        public double raw;

        @Setup(Level.Trial)
        public void join(Seal state) {
            state.rawLimit.join();
        }

        @TearDown(Level.Iteration)
        public void measure(Seal state, IterationParams iteration) throws Exception {
            raw = state.rawLimit.rate(iteration, () -> rawSign(state));
        }
    }

    /** The limit: SHA-256 of 1 MiB read from the file, and one raw signature of that digest with the seal key. */
    static byte[] rawSign(Seal s) throws Exception {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(s.data));
        return s.fixture.token().signDigest("seal", s.algorithm, digest);
    }

    @Benchmark
    public Path pades(Seal s, Raw raw) {
        return s.signer.sign(s.pdf, s.output(".pdf"), s.signingKey,
                SignOptions.pades(io.cachet.api.signature.Level.B).withRevocationCheck(false)).output();
    }

    /**
     * The floor of {@link #pades} in the same run: PDFBox load + one incremental save + SHA-256 + one raw signature
     * of the same key ({@link PadesFloor}); the report's reference for the PAdES rows.
     */
    @Benchmark
    public Path padesFloor(Seal s) {
        return PadesFloor.sign(s.pdf, s.output(".pdf"), s.fixture.token(), "seal", s.algorithm);
    }

    @Benchmark
    public Path xades(Seal s, Raw raw) {
        return s.signer.sign(s.data, s.output(".xml"), s.signingKey,
                SignOptions.xades(Packaging.DETACHED, io.cachet.api.signature.Level.B).withRevocationCheck(false)).output();
    }

    @Benchmark
    public Path cades(Seal s, Raw raw) {
        return s.signer.sign(s.data, s.output(".p7s"), s.signingKey,
                SignOptions.cades(Packaging.DETACHED, io.cachet.api.signature.Level.B).withRevocationCheck(false)).output();
    }

    /** Plain DSS: PAdESService with its defaults, the PDF from a file, the signed PDF saved to a file. */
    @Benchmark
    public Path dssPades(Seal s, Raw raw) {
        PAdESSignatureParameters p = new PAdESSignatureParameters();
        p.setSignatureLevel(SignatureLevel.PAdES_BASELINE_B);
        return dss(s, new PAdESService(new CommonCertificateVerifier()), s.pdf, p, ".pdf");
    }

    @Benchmark
    public Path dssXades(Seal s, Raw raw) {
        XAdESSignatureParameters p = new XAdESSignatureParameters();
        p.setSignatureLevel(SignatureLevel.XAdES_BASELINE_B);
        p.setSignaturePackaging(SignaturePackaging.DETACHED);
        return dss(s, new XAdESService(new CommonCertificateVerifier()), s.data, p, ".xml");
    }

    @Benchmark
    public Path dssCades(Seal s, Raw raw) {
        CAdESSignatureParameters p = new CAdESSignatureParameters();
        p.setSignatureLevel(SignatureLevel.CAdES_BASELINE_B);
        p.setSignaturePackaging(SignaturePackaging.DETACHED);
        return dss(s, new CAdESService(new CommonCertificateVerifier()), s.data, p, ".p7s");
    }

    /** DSS's sample: parameters from the key entry, data to sign, sign on the token, signed document, save. */
    static <P extends AbstractSignatureParameters<?>> Path dss(Seal s, DocumentSignatureService<P, ?> service,
            Path input, P parameters, String extension) {
        try (SignatureTokenConnection connection = Signatures.dssConnection(s.signingKey)) {
            DSSPrivateKeyEntry entry = connection.getKeys().get(0);
            parameters.setSigningCertificate(entry.getCertificate());
            parameters.setCertificateChain(entry.getCertificateChain());
            parameters.setDigestAlgorithm(DigestAlgorithm.SHA256);
            DSSDocument document = new FileDocument(input.toFile());
            ToBeSigned toBeSigned = service.getDataToSign(document, parameters);
            SignatureValue value = connection.sign(toBeSigned, DigestAlgorithm.SHA256, entry);
            DSSDocument signed = service.signDocument(document, parameters, value);
            Path out = s.output(extension);
            try (OutputStream o = Files.newOutputStream(out)) {
                signed.writeTo(o);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
