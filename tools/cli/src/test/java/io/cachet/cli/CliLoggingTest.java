package io.cachet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.apache.pdfbox.pdfwriter.compress.CompressParameters;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cachet.signature.testing.TestPki;
import io.cachet.signature.testing.Tools;

/**
 * What a person sees on the terminal: the command line runs in its own JVM (as {@code java -jar cachet-cli.jar}
 * does), so whatever a library logs would show on the real stderr. A damaged PDF gives one line, and the library's
 * report only with {@code --debug}.
 */
class CliLoggingTest {
    static Path home;
    static Path p12;
    static Path password;

    @TempDir
    Path dir;

    @BeforeAll
    static void key() throws Exception {
        home = Files.createTempDirectory("cachet-cli-logging");
        password = Files.writeString(home.resolve("p12.pass"), "p12-secret\n");
        p12 = TestPki.get().pkcs12(home, "EC", "p12-secret".toCharArray());
    }

    /**
     * A real-world kind of damage: a classic trailer without /Root that points to a broken cross-reference stream
     * (/XRefStm), and no catalog to be found by PDFBox's repair. PDFBox logs it at SEVERE with a stack trace.
     */
    private Path withoutRoot(String name) throws Exception {
        Path pdf = dir.resolve(name);
        try (PDDocument doc = new PDDocument()) {
            doc.addPage(new PDPage(PDRectangle.A4));
            doc.save(pdf.toFile(), CompressParameters.NO_COMPRESSION);
        }
        String text = new String(Files.readAllBytes(pdf), StandardCharsets.ISO_8859_1);
        assertTrue(text.contains("/Root 1 0 R"), "PDFBox writes /Root in the trailer");
        return Files.write(pdf, text.replace("/Root 1 0 R", "/XRefStm 12").replace("/Catalog", "/Katalog")
                .getBytes(StandardCharsets.ISO_8859_1));
    }

    /** {@code cachet-cli} in a new JVM on this test's class path; stdout and stderr together, as on a terminal. */
    private Tools.Result cli(String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", System.getProperty("java.class.path"), CachetCli.class.getName()));
        command.addAll(List.of(args));
        return Tools.run(dir, command.toArray(String[]::new));
    }

    @Test
    void aDamagedPdfIsOneLineWithoutLibraryLogs() throws Exception {
        Path damaged = withoutRoot("damaged.pdf");
        Path out = dir.resolve("damaged-signed.pdf");
        Tools.Result r = cli("sign", "--in", damaged.toString(), "--out", out.toString(), "--key", p12.toString(),
                "--pin-file", password.toString(), "--no-revocation-check");
        assertEquals(1, r.exit(), r.out());
        List<String> lines = r.out().strip().lines().toList();
        assertEquals(1, lines.stream().filter(l -> l.contains(damaged.toString())).count(), r.out());
        assertTrue(lines.get(0).startsWith("cachet-cli: " + damaged + " not signed: "), r.out());
        assertFalse(r.out().contains("SEVERE"), r.out());
        assertFalse(r.out().contains("WARNING"), r.out());
        assertFalse(r.out().contains("at org."), r.out());
        assertFalse(r.out().contains("Exception"), r.out());
        assertEquals(List.of("cachet-cli: " + damaged + " not signed: " + lines.get(0).substring(
                ("cachet-cli: " + damaged + " not signed: ").length()), "signed 0 of 1 file"), lines, r.out());
        assertFalse(Files.exists(out));
    }

    @Test
    void debugShowsTheLibrarysReport() throws Exception {
        Path damaged = withoutRoot("damaged.pdf");
        Tools.Result r = cli("--debug", "sign", "--in", damaged.toString(), "--out", dir.resolve("o.pdf").toString(),
                "--key", p12.toString(), "--pin-file", password.toString(), "--no-revocation-check");
        assertEquals(1, r.exit(), r.out());
        assertTrue(r.out().contains("cachet-cli: " + damaged + " not signed: "), r.out());
        assertTrue(r.out().contains("org.apache.pdfbox.pdfparser.COSParser: Failed to parse /XRefStm"),
                "PDFBox's own report is shown with --debug: " + r.out());
        assertTrue(r.out().contains("at org.apache.pdfbox"), "with its stack trace: " + r.out());
    }
}
