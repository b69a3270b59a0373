package io.cachet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cachet.signature.testing.Forgeries;
import io.cachet.signature.testing.Pdfs;
import io.cachet.signature.testing.TestPki;
import io.cachet.signature.testing.Tools;

/**
 * {@code verify} of a sealed PDF forged afterwards by an incremental update: never VALID, exit 1, the changes named;
 * DSS's warnings shown unless {@code --quiet}. What PDF allows after a signature (LTA data, a certified form filled)
 * stays VALID.
 */
class VerifyModifiedCliTest {
    static TestPki pki;
    static Path home;
    static Path p12;
    static Path password;

    @TempDir
    Path dir;

    @BeforeAll
    static void keys() throws Exception {
        pki = TestPki.get();
        home = Files.createTempDirectory("cachet-cli-modified");
        pki.writePem(home);
        password = Files.writeString(home.resolve("p12.pass"), "p12-secret\n");
        p12 = pki.pkcs12(home, "EC", "p12-secret".toCharArray());
    }

    record Run(int exit, String out, String err) {
        String all() {
            return out + err;
        }
    }

    static Run cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = CachetCli.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(exit, out.toString(), err.toString());
    }

    private Path sealed(Path in, String... options) {
        Path out = dir.resolve("sealed-" + in.getFileName());
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("sign", "--in", in.toString(),
                "--out", out.toString(), "--key", p12.toString(), "--pin-file", password.toString()));
        args.addAll(java.util.List.of(options));
        Run r = cli(args.toArray(String[]::new));
        assertEquals(0, r.exit(), r.all());
        return out;
    }

    private Run verify(Path pdf, String... more) {
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("verify", pdf.toString(), "--trust",
                home.resolve("chain.pem").toString(), "--trust", home.resolve("tsa.pem").toString()));
        args.addAll(java.util.List.of(more));
        return cli(args.toArray(String[]::new));
    }

    private static void assertModified(Run r, String change) {
        assertEquals(1, r.exit(), r.all());
        assertTrue(r.out().startsWith("MODIFIED_AFTER_SIGNING: "), r.all());
        assertFalse(r.out().startsWith("VALID"), r.all());
        assertTrue(r.out().contains("    changed after signing: " + change), r.all());
    }

    @Test
    void anOverlayReplacedContentAndJavaScriptAreNeverValid() throws Exception {
        Path sealed = sealed(Pdfs.pages(dir.resolve("invoice.pdf"), 2));
        Run clean = verify(sealed);
        assertEquals(0, clean.exit(), clean.all());
        assertTrue(clean.out().startsWith("VALID: 1 signature"), clean.all());

        assertModified(verify(Forgeries.overlayAnnotation(sealed, dir.resolve("overlay.pdf"))),
                "page 1: an annotation (/FreeText) was added over the signed page");
        assertModified(verify(Forgeries.documentJavaScript(sealed, dir.resolve("script.pdf"))),
                "document-level JavaScript (/Names /JavaScript) was added or changed (active content)");

        Path replaced = Forgeries.replacedContent(sealed, dir.resolve("replaced.pdf"));
        Run r = verify(replaced);
        assertModified(r, "page 1: its content, resources, size or rotation were changed");
        // DSS's own warnings are shown...
        assertTrue(r.out().contains("    warning: Visual difference is detected on page(s) [1]"), r.all());
        // ...unless --quiet; the verdict and the changes never are hidden
        Run quiet = verify(replaced, "--quiet");
        assertModified(quiet, "page 1: its content, resources, size or rotation were changed");
        assertFalse(quiet.out().contains("warning:"), quiet.all());
    }

    @Test
    void aCertifiedFormMayBeFilledButNotOverlaid() throws Exception {
        Path certified = sealed(Pdfs.form(dir.resolve("order.pdf")), "--certify");
        Tools.pdfsigValid(certified, 1);
        assertEquals(0, verify(certified).exit());
        Path filled = Forgeries.formFill(certified, dir.resolve("filled.pdf"), "company", "ACME SAS, Paris");
        Run r = verify(filled);
        assertEquals(0, r.exit(), r.all());
        assertTrue(r.out().startsWith("VALID: 1 signature"), r.all());
        assertModified(verify(Forgeries.overlayAnnotation(filled, dir.resolve("overlay.pdf"))),
                "page 1: an annotation (/FreeText) was added over the signed page");

        // an approval signature does not permit filling
        Path approved = sealed(Pdfs.form(dir.resolve("plain-order.pdf")));
        assertModified(verify(Forgeries.formFill(approved, dir.resolve("approved-filled.pdf"), "company", "X")),
                "form field 'company' was changed");
    }

    @Test
    void longTermArchiveDataStaysValid() throws Exception {
        Path anchors = Files.writeString(dir.resolve("anchors.pem"), Files.readString(home.resolve("chain.pem"))
                + Files.readString(home.resolve("tsa.pem")));
        Path lta = sealed(Pdfs.pages(dir.resolve("archive.pdf"), 1), "--level", "LTA", "--trust", anchors.toString());
        Run r = verify(lta);
        assertEquals(0, r.exit(), r.all());
        assertTrue(r.out().startsWith("VALID: 1 signature") && r.out().contains("PAdES-BASELINE-LTA"), r.all());
        assertModified(verify(Forgeries.overlayAnnotation(lta, dir.resolve("lta-overlay.pdf"))),
                "page 1: an annotation (/FreeText) was added over the signed page");
    }
}
