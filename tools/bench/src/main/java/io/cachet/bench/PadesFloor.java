package io.cachet.bench;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.UnaryOperator;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.interactive.digitalsignature.ExternalSigningSupport;
import org.apache.pdfbox.pdmodel.interactive.digitalsignature.PDSignature;
import org.apache.pdfbox.pdmodel.interactive.digitalsignature.SignatureOptions;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

import io.cachet.api.token.SignatureAlgorithm;
import io.cachet.api.token.Token;

/**
 * The floor of a PAdES signature of a PDF file, next to which the JMH benchmarks put Cachet's PAdES path (same
 * token, same run) and {@code tools/bench/cli-sign.sh} puts {@code cachet-cli sign}: the least any signer does per
 * file. Read the file, parse it once with PDFBox, add a signature dictionary and save incrementally with a
 * placeholder (PDFBox's external signing support), SHA-256 of the signed byte ranges (the JDK's), one raw signature
 * of that digest (the token's key in JMH; from the command line a P-256 key with BouncyCastle), written into
 * the placeholder, the file written. No CMS structure, no certificate or revocation check, no validation: a limit,
 * not a signer (its outputs are not valid signatures).
 *
 * <p>{@code java -cp cachet-bench.jar io.cachet.bench.PadesFloor THREADS OUT_DIR FILE...} signs the files on
 * THREADS threads into OUT_DIR, once to warm up (at most 50 files) and once measured, and prints
 * {@code floor THREADS threads: N files in S s = R files/s, C ms CPU per file} (the process's CPU time over the
 * measured pass, divided by the files).
 */
public final class PadesFloor {

    private static final BouncyCastleProvider BC = new BouncyCastleProvider();

    private PadesFloor() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: PadesFloor THREADS OUT_DIR FILE...");
            System.exit(2);
        }
        int threads = Integer.parseInt(args[0]);
        Path out = Files.createDirectories(Path.of(args[1]));
        List<Path> files = new ArrayList<>();
        for (int i = 2; i < args.length; i++) {
            files.add(Path.of(args[i]));
        }
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair key = g.generateKeyPair();

        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            run(pool, files.subList(0, Math.min(50, files.size())), out, key);
            long cpu = cpuNanos();
            long start = System.nanoTime();
            run(pool, files, out, key);
            double seconds = (System.nanoTime() - start) / 1e9;
            double cpuMillis = (cpuNanos() - cpu) / 1e6 / files.size();
            System.out.println(String.format(Locale.ROOT,
                    "floor %d threads: %d files in %.2f s = %.1f files/s, %.1f ms CPU per file", threads,
                    files.size(), seconds, files.size() / seconds, cpuMillis));
        } finally {
            pool.shutdownNow();
        }
    }

    /** CPU time of the whole process (every thread, the JIT and GC too): on a busy machine, steadier than wall time. */
    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static void run(ExecutorService pool, List<Path> files, Path out, KeyPair key) throws Exception {
        List<Future<?>> done = new ArrayList<>();
        for (Path f : files) {
            done.add(pool.submit(() -> {
                sign(f, out.resolve(f.getFileName()), key);
                return null;
            }));
        }
        for (Future<?> d : done) {
            d.get();
        }
    }

    /** The floor with a key of this process (the command line's measurement). */
    static Path sign(Path in, Path out, KeyPair key) {
        return sign(in, out, digest -> signDigest(digest, key));
    }

    /** The floor with a key on a token (the JMH benchmarks, beside Cachet's signer on the same token). */
    static Path sign(Path in, Path out, Token token, String alias, SignatureAlgorithm algorithm) {
        return sign(in, out, digest -> token.signDigest(alias, algorithm, digest));
    }

    private static Path sign(Path in, Path out, UnaryOperator<byte[]> signDigest) {
        try (PDDocument pdf = Loader.loadPDF(in.toFile());
                OutputStream file = new BufferedOutputStream(Files.newOutputStream(out), 1 << 16);
                SignatureOptions options = new SignatureOptions()) {
            PDSignature signature = new PDSignature();
            signature.setFilter(PDSignature.FILTER_ADOBE_PPKLITE);
            signature.setSubFilter(PDSignature.SUBFILTER_ETSI_CADES_DETACHED);
            signature.setSignDate(Calendar.getInstance());
            options.setPreferredSignatureSize(8192);
            pdf.addSignature(signature, options);
            ExternalSigningSupport external = pdf.saveIncrementalForExternalSigning(file);
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            try (InputStream content = external.getContent()) {
                for (int n = content.read(buffer); n >= 0; n = content.read(buffer)) {
                    sha256.update(buffer, 0, n);
                }
            }
            external.setSignature(signDigest.apply(sha256.digest()));
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] signDigest(byte[] digest, KeyPair key) {
        try {
            Signature s = Signature.getInstance("NONEwithECDSA", BC);
            s.initSign(key.getPrivate());
            s.update(digest);
            return s.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
