package io.cachet.signature.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cachet.api.token.KeyAlgorithm;
import io.cachet.api.signature.Level;
import io.cachet.api.signature.SignOptions;
import io.cachet.api.signature.SignatureReport;
import io.cachet.signature.launch.Signatures;
import io.cachet.api.signature.Signer;
import io.cachet.api.signature.SigningKey;
import io.cachet.api.signature.ValidationOptions;
import io.cachet.api.signature.ValidationResult;
import io.cachet.api.signature.Validator;
import io.cachet.api.signature.Verdict;
import io.cachet.api.signature.VisibleSignature;
import io.cachet.signature.testing.Forgeries;
import io.cachet.signature.testing.Pdfs;
import io.cachet.signature.testing.TestPki;
import io.cachet.signature.testing.Tools;

/**
 * A sealed PDF changed afterwards by an incremental update keeps an intact signature: the verdict must still say
 * that what a reader sees or runs is not what was signed, while the changes PDF and PAdES allow (long-term
 * validation data, document time-stamps, further signatures, form filling under a certification) stay valid.
 */
class ModificationAfterSigningTest {
    static TestPki pki;
    static SigningKey key;
    final Signer signer = Signatures.signer();
    final Validator validator = Signatures.validator();

    @TempDir
    Path dir;

    @BeforeAll
    static void pki() {
        pki = TestPki.get();
        key = pki.seal(KeyAlgorithm.EC_P256);
    }

    private Path sealed(Path input, SignOptions options) {
        Path out = dir.resolve("sealed-" + input.getFileName());
        signer.sign(input, out, key, options.withTsa(pki.tsaUrl()).withTrustAnchors(pki.trustAnchors()));
        return out;
    }

    private Path sealed() throws Exception {
        return sealed(Pdfs.pages(dir.resolve("contract.pdf"), 2), SignOptions.pades(Level.B));
    }

    private ValidationResult validate(Path pdf) {
        return validator.validate(pdf, List.of(), ValidationOptions.trusting(pki.trustAnchors()));
    }

    private static void assertModified(ValidationResult result, String change) {
        assertEquals(Verdict.MODIFIED_AFTER_SIGNING, result.verdict(), result.summary());
        SignatureReport s = result.signatures().get(0);
        assertEquals(Verdict.MODIFIED_AFTER_SIGNING, s.verdict(), s.toString());
        assertEquals("TOTAL_PASSED", s.indication(), "the signature itself is intact: " + s);
        assertTrue(s.changesAfterSigning().stream().anyMatch(c -> c.contains(change)),
                "expected '" + change + "' in " + s.changesAfterSigning());
        assertTrue(result.summary().startsWith("MODIFIED_AFTER_SIGNING: signature "), result.summary());
        assertTrue(result.summary().contains("changed after it: "), result.summary());
    }

    @Test
    void anAnnotationOverPageOneIsAModification() throws Exception {
        Path sealed = sealed();
        Tools.dssPassed(validate(sealed), 1, "PAdES-BASELINE-B");
        Path forged = Forgeries.overlayAnnotation(sealed, dir.resolve("overlay.pdf"));
        assertModified(validate(forged), "page 1: an annotation (/FreeText) was added over the signed page");
    }

    @Test
    void replacedPageContentIsAModification() throws Exception {
        Path forged = Forgeries.replacedContent(sealed(), dir.resolve("replaced.pdf"));
        ValidationResult result = validate(forged);
        assertModified(result, "page 1: its content, resources, size or rotation were changed");
        // DSS renders both revisions and sees it too; its warnings are part of the report
        assertTrue(result.signatures().get(0).changesAfterSigning().stream()
                .anyMatch(c -> c.startsWith("DSS sees a visual difference with the signed revision on page(s) 1")),
                result.signatures().toString());
    }

    @Test
    void documentJavaScriptIsActiveContent() throws Exception {
        Path forged = Forgeries.documentJavaScript(sealed(), dir.resolve("script.pdf"));
        assertModified(validate(forged), "document-level JavaScript (/Names /JavaScript) was added or changed"
                + " (active content)");
    }

    @Test
    void anOpenActionAndAnEmbeddedFileAreActiveContent() throws Exception {
        Path sealed = sealed();
        assertModified(validate(Forgeries.openAction(sealed, dir.resolve("open.pdf"))),
                "an action run when the document opens (/OpenAction) was added or changed (active content)");
        assertModified(validate(Forgeries.embeddedFile(sealed, dir.resolve("attached.pdf"))),
                "embedded files (/Names /EmbeddedFiles) were added or changed (active content)");
    }

    @Test
    void formFillingAfterAnApprovalSignatureIsAModification() throws Exception {
        Path sealed = sealed(Pdfs.form(dir.resolve("form.pdf")), SignOptions.pades(Level.B));
        Path filled = Forgeries.formFill(sealed, dir.resolve("filled.pdf"), "company", "MALLORY LTD");
        assertModified(validate(filled), "form field 'company' was changed");
    }

    @Test
    void aCertifiedDocumentPermitsFormFillingButNotAnOverlay() throws Exception {
        Path certified = sealed(Pdfs.form(dir.resolve("form.pdf")), SignOptions.pades(Level.B).withCertification(true));
        Tools.pdfsigValid(certified, 1);
        Tools.dssPassed(validate(certified), 1, "PAdES-BASELINE-B");
        Path filled = Forgeries.formFill(certified, dir.resolve("filled.pdf"), "company", "ACME SAS, Paris");
        Tools.dssPassed(validate(filled), 1, "PAdES-BASELINE-B");
        Path forged = Forgeries.overlayAnnotation(filled, dir.resolve("overlay.pdf"));
        assertModified(validate(forged), "an annotation (/FreeText) was added over the signed page");
    }

    @Test
    void longTermValidationDataAndDocumentTimeStampsAreAllowed() throws Exception {
        // LTA: after the signature's revision DSS appends the DSS dictionary and a document time-stamp
        Path lta = sealed(Pdfs.pages(dir.resolve("archive.pdf"), 2), SignOptions.pades(Level.LTA));
        ValidationResult result = validator.validate(lta, List.of(), ValidationOptions.trusting(pki.trustAnchors()));
        Tools.dssPassed(result, 1, "PAdES-BASELINE-LTA");
        assertEquals(List.of(), result.signatures().get(0).changesAfterSigning());
    }

    @Test
    void aSecondVisibleSignatureIsAllowed() throws Exception {
        Path first = sealed();
        Path second = dir.resolve("second.pdf");
        signer.sign(first, second, key, SignOptions.pades(Level.B).withVisibleSignature(VisibleSignature.defaults()
                .at(1, 300, 700)));
        Tools.pdfsigValid(second, 2);
        ValidationResult result = validate(second);
        Tools.dssPassed(result, 2, "PAdES-BASELINE-B");
        // and a forgery after both is caught for both
        ValidationResult forged = validate(Forgeries.documentJavaScript(second, dir.resolve("forged.pdf")));
        assertEquals(Verdict.MODIFIED_AFTER_SIGNING, forged.verdict(), forged.summary());
        forged.signatures().forEach(s -> assertEquals(Verdict.MODIFIED_AFTER_SIGNING, s.verdict(), s.toString()));
    }

    @Test
    void aCertifyingSignatureMustBeTheFirst() throws Exception {
        Path sealed = sealed();
        io.cachet.api.signature.SignatureException e = org.junit.jupiter.api.Assertions.assertThrows(
                io.cachet.api.signature.SignatureException.class, () -> signer.sign(sealed, dir.resolve("c.pdf"), key,
                        SignOptions.pades(Level.B).withCertification(true)));
        assertTrue(e.getMessage().contains("a certifying signature must be the first"), e.getMessage());
        assertTrue(Files.notExists(dir.resolve("c.pdf")));
    }
}
