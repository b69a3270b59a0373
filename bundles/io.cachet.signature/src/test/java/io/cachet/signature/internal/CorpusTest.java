package io.cachet.signature.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cachet.api.signature.Level;
import io.cachet.api.signature.SignOptions;
import io.cachet.api.signature.Signer;
import io.cachet.api.signature.SigningKey;
import io.cachet.api.signature.ValidationOptions;
import io.cachet.api.token.KeyAlgorithm;
import io.cachet.signature.launch.Signatures;
import io.cachet.signature.testing.TestPki;
import io.cachet.signature.testing.Tools;

/**
 * The real-world PDFs of the benchmark corpus (tools/bench/corpus.sh: Debian documentation written by pdfTeX,
 * xdvipdfmx, ReportLab, with object streams, thousands of pages, a form, a PDF/A claim), each signed at T and
 * checked by DSS (TOTAL_PASSED) and pdfsig. Runs only where the corpus was fetched (CACHET_CORPUS, else
 * tools/bench/target/corpus of this repository); the synthetic shapes of {@link OnePassPadesTest} run everywhere.
 */
class CorpusTest {
    static TestPki pki;
    static SigningKey ec;
    final Signer signer = Signatures.signer();

    @TempDir
    Path dir;

    @BeforeAll
    static void pki() {
        pki = TestPki.get();
        ec = pki.seal(KeyAlgorithm.EC_P256);
    }

    static Path corpus() {
        String configured = System.getenv("CACHET_CORPUS");
        return configured != null ? Path.of(configured) : Path.of("../../tools/bench/target/corpus");
    }

    @Test
    void everyCorpusPdfSignsAtTAndValidates() throws Exception {
        Path folder = corpus();
        assumeTrue(Files.isDirectory(folder), "no corpus in " + folder.toAbsolutePath() + ": tools/bench/corpus.sh");
        List<Path> pdfs;
        try (Stream<Path> list = Files.list(folder)) {
            pdfs = list.filter(p -> p.toString().endsWith(".pdf")).sorted().toList();
        }
        assertFalse(pdfs.isEmpty(), "the corpus folder has PDFs");
        for (Path in : pdfs) {
            Path out = dir.resolve("signed-" + in.getFileName());
            signer.sign(in, out, ec, SignOptions.pades(Level.T).withTsa(pki.tsaUrl())
                    .withTrustAnchors(pki.trustAnchors()));
            Tools.pdfsigValid(out, 1);
            Tools.dssPassed(Signatures.validator().validate(out, List.of(),
                    ValidationOptions.trusting(pki.trustAnchors())), 1, "PAdES-BASELINE-T");
        }
    }
}
