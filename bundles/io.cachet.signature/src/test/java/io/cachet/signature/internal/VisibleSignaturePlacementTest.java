package io.cachet.signature.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAnnotationWidget;
import org.apache.pdfbox.pdmodel.interactive.form.PDField;
import org.apache.pdfbox.pdmodel.interactive.form.PDSignatureField;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cachet.api.token.KeyAlgorithm;
import io.cachet.api.signature.Level;
import io.cachet.api.signature.SignOptions;
import io.cachet.api.signature.SignatureException;
import io.cachet.signature.launch.Signatures;
import io.cachet.api.signature.Signer;
import io.cachet.api.signature.SigningKey;
import io.cachet.api.signature.ValidationOptions;
import io.cachet.api.signature.VisibleSignature;
import io.cachet.signature.testing.TestPki;
import io.cachet.signature.testing.Tools;

/**
 * The default visible signature sits at the bottom left of the page as a reader sees it, on pages of any size, with a
 * crop box, and turned by /Rotate: its widget lies inside the CropBox, and pdfsig and DSS accept the signature.
 */
class VisibleSignaturePlacementTest {
    static TestPki pki;
    static SigningKey key;
    final Signer signer = Signatures.signer();

    @TempDir
    Path dir;

    @BeforeAll
    static void pki() {
        pki = TestPki.get();
        key = pki.seal(KeyAlgorithm.EC_P256);
    }

    /** One page of {@code size}, turned by {@code rotation}, cropped to {@code crop} when given. */
    private Path page(String name, PDRectangle size, int rotation, PDRectangle crop) throws Exception {
        Path file = dir.resolve(name);
        try (PDDocument doc = new PDDocument()) {
            PDPage page = new PDPage(size);
            page.setRotation(rotation);
            if (crop != null) {
                page.setCropBox(crop);
            }
            doc.addPage(page);
            try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
                cs.beginText();
                cs.setFont(new PDType1Font(Standard14Fonts.FontName.HELVETICA), 12);
                cs.newLineAtOffset(100, 150);
                cs.showText(name);
                cs.endText();
            }
            doc.save(file.toFile());
        }
        return file;
    }

    /** Signs with the default visible box; returns the widget's rectangle and checks it lies in the CropBox. */
    private PDRectangle signedBox(Path in) throws Exception {
        Path out = dir.resolve("signed-" + in.getFileName());
        signer.sign(in, out, key, SignOptions.pades(Level.B).withVisibleSignature(VisibleSignature.defaults()));
        Tools.pdfsigValid(out, 1);
        Tools.dssPassed(Signatures.validator().validate(out, List.of(), ValidationOptions.trusting(pki.trustAnchors())),
                1, "PAdES-BASELINE-B");
        try (PDDocument doc = Loader.loadPDF(out.toFile())) {
            PDRectangle crop = doc.getPage(0).getCropBox();
            for (PDField f : doc.getDocumentCatalog().getAcroForm().getFieldTree()) {
                if (f instanceof PDSignatureField s) {
                    PDAnnotationWidget widget = s.getWidgets().get(0);
                    PDRectangle r = widget.getRectangle();
                    String where = "widget " + rect(r) + " in crop box " + rect(crop);
                    assertTrue(r.getWidth() > 0 && r.getHeight() > 0, where);
                    assertTrue(r.getLowerLeftX() >= crop.getLowerLeftX() && r.getUpperRightX() <= crop.getUpperRightX()
                            && r.getLowerLeftY() >= crop.getLowerLeftY()
                            && r.getUpperRightY() <= crop.getUpperRightY(), where);
                    return r;
                }
            }
        }
        throw new AssertionError("no signature widget in " + out);
    }

    private static String rect(PDRectangle r) {
        return "[" + r.getLowerLeftX() + " " + r.getLowerLeftY() + " " + r.getUpperRightX() + " " + r.getUpperRightY()
                + "]";
    }

    @Test
    void landscapeA4AndA5GetTheBoxAtTheirBottomLeft() throws Exception {
        for (PDRectangle size : List.of(new PDRectangle(842, 595), PDRectangle.A5, new PDRectangle(792, 612))) {
            PDRectangle r = signedBox(page("page-" + (int) size.getWidth() + ".pdf", size, 0, null));
            assertEquals(36, r.getLowerLeftX(), 0.5, rect(r));
            assertEquals(36, r.getLowerLeftY(), 0.5, rect(r));
            assertEquals(200, r.getWidth(), 0.5, rect(r));
            assertEquals(60, r.getHeight(), 0.5, rect(r));
        }
    }

    @Test
    void aCropBoxIsTheVisiblePage() throws Exception {
        PDRectangle crop = new PDRectangle(100, 120, 395, 500);
        PDRectangle r = signedBox(page("cropped.pdf", PDRectangle.A4, 0, crop));
        assertEquals(136, r.getLowerLeftX(), 0.5, rect(r));
        assertEquals(156, r.getLowerLeftY(), 0.5, rect(r));
    }

    @Test
    void aRotatedPageGetsTheBoxAtTheBottomLeftAsShown() throws Exception {
        // /Rotate 90 shows the page turned clockwise: its bottom right corner is the shown bottom left
        PDRectangle r = signedBox(page("rotated-90.pdf", PDRectangle.A4, 90, null));
        assertEquals(595 - 36, r.getUpperRightX(), 0.5, rect(r));
        assertEquals(36, r.getLowerLeftY(), 0.5, rect(r));
        assertEquals(60, r.getWidth(), 0.5, "turned with the page: " + rect(r));
        assertEquals(200, r.getHeight(), 0.5, "turned with the page: " + rect(r));
        PDRectangle landscape = signedBox(page("rotated-270.pdf", new PDRectangle(842, 595), 270, null));
        assertEquals(36, landscape.getLowerLeftX(), 0.5, rect(landscape));
        assertEquals(595 - 36, landscape.getUpperRightY(), 0.5, rect(landscape));
    }

    @Test
    void aBoxThatDoesNotFitIsRefusedByName() throws Exception {
        Path a5 = page("a5.pdf", PDRectangle.A5, 0, null);
        SignatureException e = assertThrows(SignatureException.class, () -> signer.sign(a5, dir.resolve("o.pdf"), key,
                SignOptions.pades(Level.B).withVisibleSignature(VisibleSignature.defaults().at(1, 36, 730))));
        assertEquals(SignatureException.Reason.INVALID_OPTIONS, e.reason());
        assertTrue(e.getMessage().startsWith("the visible signature box (200 x 60 pt at 36,730 from the top left) does"
                + " not fit on page 1, whose visible area is 420 x 595 pt"), e.getMessage());
        assertTrue(Files.notExists(dir.resolve("o.pdf")));
    }
}
