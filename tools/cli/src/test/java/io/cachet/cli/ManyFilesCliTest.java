package io.cachet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cachet.signature.testing.Pdfs;
import io.cachet.signature.testing.TestPki;
import io.cachet.signature.testing.Tools;

/**
 * Memory stays bounded however many files a batch has: {@code sign --jobs 2} of 1,000 PDFs of 300 KB each (300 MB,
 * more than the whole heap) in a JVM limited to {@code -Xmx256m} completes, and pdfsig accepts every output. A batch
 * that held its files, or their signed copies, until the end would run out of memory.
 */
class ManyFilesCliTest {

    private static final int FILES = 1_000;

    @TempDir
    Path dir;

    @Test
    void aThousandPdfsInA256MegabyteHeap() throws Exception {
        Path password = Files.writeString(dir.resolve("p12.pass"), "p12-secret\n");
        Path p12 = TestPki.get().pkcs12(dir, "EC", "p12-secret".toCharArray());
        Path in = Files.createDirectory(dir.resolve("in"));
        Path first = Pdfs.attachment(in.resolve("file-0001.pdf"), 300 * 1024);
        List<Path> inputs = new ArrayList<>(List.of(first));
        for (int i = 2; i <= FILES; i++) {
            inputs.add(Files.copy(first, in.resolve(String.format("file-%04d.pdf", i))));
        }
        Path out = Files.createDirectory(dir.resolve("signed"));

        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx256m", "-cp", System.getProperty("java.class.path"), CachetCli.class.getName(),
                "sign", "--jobs", "2", "--out", out.toString(), "--key", p12.toString(), "--pin-file",
                password.toString(), "--no-revocation-check", "--in"));
        inputs.forEach(p -> command.add(p.toString()));
        Tools.Result r = Tools.run(dir, command.toArray(String[]::new));

        assertEquals(0, r.exit(), r.out().length() > 4000 ? r.out().substring(r.out().length() - 4000) : r.out());
        ParallelSignCliTest.reportedInOrder(r.out(), inputs, List.of());
        for (Path input : inputs) {
            Tools.pdfsigValid(out.resolve(input.getFileName()), 1);
        }
    }
}
