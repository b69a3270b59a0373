package io.cachet.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import eu.europa.esig.dss.enumerations.SignatureLevel;
import eu.europa.esig.dss.pades.PAdESSignatureParameters;
import eu.europa.esig.dss.pades.signature.PAdESService;
import eu.europa.esig.dss.spi.validation.CommonCertificateVerifier;
import io.cachet.api.signature.SignOptions;

/**
 * PAdES-B over a corpus of real PDFs (tools/bench/corpus.sh fetches them from Debian documentation packages into
 * tools/bench/target/corpus, or the folder named by CACHET_CORPUS): each operation signs the next file of the
 * corpus, in turn, so a score is files per second over the corpus's mix. {@link #padesFloor} (PDFBox load +
 * incremental save + SHA-256 + one raw signature, {@link PadesFloor}) cycles through the same files in the same run
 * and is the reference of the report's ratio; {@link #dssPades} is plain DSS 6 as shipped, for comparison.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 2, jvmArgsAppend = { "-Xms2g", "-Xmx2g" })
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 5, time = 5)
public class CorpusBenchmark {

    /** The corpus's PDFs, sorted by name. */
    @State(Scope.Benchmark)
    public static class Corpus {
        List<Path> files;
        final AtomicInteger next = new AtomicInteger();

        @Setup(Level.Trial)
        public void setUp() throws IOException {
            files = files(folder());
        }

        static Path folder() {
            String configured = System.getenv("CACHET_CORPUS");
            if (configured != null) {
                return Path.of(configured);
            }
            // from the repository's root, or from tools/bench
            Path fromRoot = Path.of("tools/bench/target/corpus");
            return Files.isDirectory(fromRoot) ? fromRoot : Path.of("target/corpus");
        }

        static List<Path> files(Path folder) throws IOException {
            if (!Files.isDirectory(folder)) {
                throw new IllegalStateException("no PDF corpus in " + folder.toAbsolutePath()
                        + ": fetch it with tools/bench/corpus.sh (or name another folder in CACHET_CORPUS)");
            }
            try (Stream<Path> list = Files.list(folder)) {
                List<Path> pdfs = list.filter(p -> p.getFileName().toString().endsWith(".pdf")).sorted().toList();
                if (pdfs.isEmpty()) {
                    throw new IllegalStateException("the corpus folder " + folder + " has no PDF");
                }
                return pdfs;
            }
        }

        Path next() {
            return files.get(Math.floorMod(next.getAndIncrement(), files.size()));
        }
    }

    @Benchmark
    public Path pades(SignatureBenchmark.Seal s, Corpus c) {
        return s.signer.sign(c.next(), s.output(".pdf"), s.signingKey,
                SignOptions.pades(io.cachet.api.signature.Level.B).withRevocationCheck(false)).output();
    }

    @Benchmark
    public Path padesFloor(SignatureBenchmark.Seal s, Corpus c) {
        return PadesFloor.sign(c.next(), s.output(".pdf"), s.fixture.token(), "seal", s.algorithm);
    }

    @Benchmark
    public Path dssPades(SignatureBenchmark.Seal s, Corpus c) {
        PAdESSignatureParameters p = new PAdESSignatureParameters();
        p.setSignatureLevel(SignatureLevel.PAdES_BASELINE_B);
        return SignatureBenchmark.dss(s, new PAdESService(new CommonCertificateVerifier()), c.next(), p, ".pdf");
    }
}
