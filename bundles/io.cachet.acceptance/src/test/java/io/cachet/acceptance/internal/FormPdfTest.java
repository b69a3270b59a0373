package io.cachet.acceptance.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import javax.imageio.ImageIO;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;

import io.cachet.api.order.Order;
import io.cachet.api.order.OrderState;

/** The acceptance form: its content in both languages, its PDF/A-2b make-up, its pages as images. */
class FormPdfTest {

    private static Order order(boolean twoPersons, String language) {
        Instant t = Instant.parse("2026-12-02T10:00:00Z");
        return new Order("ord_TEST0123456789ABCDEFGHIJKL", OrderState.ACCEPTANCE,
                Fixture.request(twoPersons ? Fixture.JEAN : null), null, "default", language, t, t,
                t.plus(Duration.ofDays(60)), null, List.of(), 3);
    }

    private static String text(byte[] pdf) throws Exception {
        try (PDDocument doc = Loader.loadPDF(pdf)) {
            return new PDFTextStripper().getText(doc).replaceAll("\\s+", " ");
        }
    }

    @Test
    void theFormSaysWhatIsOrderedWhoAcceptsWhatTheCertificateWillSayAndTheTermsInTheOrdersLanguage() throws Exception {
        byte[] en = FormPdf.make(new FormPdf.Content(order(true, "en"), "en", "Cachet", Fixture.TERMS_EN,
                Instant.parse("2026-12-02T10:00:00Z")));
        String t = text(en);
        assertTrue(t.contains("Acceptance form — qualified electronic seal certificate"), t);
        assertTrue(t.contains("ord_TEST0123456789ABCDEFGHIJKL"), t);
        assertTrue(t.contains("enterprise-plus — 1 year(s)"), t);
        assertTrue(t.contains("ACME SAS"), t);
        assertTrue(t.contains("552100554") && t.contains("FR96552100554"), t);
        assertTrue(t.contains("1 rue de la Paix, 75002 Paris, FR"), t);
        assertTrue(t.contains("Certificate Manager Anna Maria Eriksson"), t);
        assertTrue(t.contains("Legal Representative Jean Dupont"), t);
        assertTrue(t.contains("+33 6 •• •• •• 78"), "mobiles masked: " + t);
        assertFalse(t.contains("+33612345678"), "never the whole mobile");
        // the subject's organisation by the one rule issuance applies: VAT<CC>-<number> when there is a VAT number
        assertTrue(t.contains("Organisation identifier VATFR-96552100554"), t);
        assertTrue(t.contains("These test terms bind the subscriber.") && t.contains("Ask for it at once."), t);

        byte[] fr = FormPdf.make(new FormPdf.Content(order(false, "fr"), "fr", "Cachet", Fixture.TERMS_FR,
                Instant.parse("2026-12-02T10:00:00Z")));
        String f = text(fr);
        assertTrue(f.contains("Formulaire d'acceptation — certificat de cachet électronique qualifié"), f);
        assertTrue(f.contains("Représentant légal Le responsable de certificat"), f);
        assertTrue(f.contains("Ces conditions de test engagent l'abonné."), f);
        assertFalse(f.contains("Jean Dupont"));
    }

    @Test
    void theFormIsPdfA2bWithEveryFontEmbeddedAnOutputIntentAndItsMetadata() throws Exception {
        byte[] pdf = FormPdf.make(new FormPdf.Content(order(true, "fr"), "fr", "Cachet", Fixture.TERMS_FR,
                Instant.parse("2026-12-02T10:00:00Z")));
        try (PDDocument doc = Loader.loadPDF(pdf)) {
            String xmp = new String(doc.getDocumentCatalog().getMetadata().toByteArray(), StandardCharsets.UTF_8);
            assertTrue(xmp.contains("<pdfaid:part>2</pdfaid:part>"), xmp);
            assertTrue(xmp.contains("<pdfaid:conformance>B</pdfaid:conformance>"), xmp);
            assertTrue(xmp.contains(doc.getDocumentInformation().getTitle()), "XMP title = document information");
            assertEquals(1, doc.getDocumentCatalog().getOutputIntents().size());
            assertEquals("sRGB IEC61966-2.1", doc.getDocumentCatalog().getOutputIntents().get(0)
                    .getOutputConditionIdentifier());
            assertNotNull(doc.getDocumentCatalog().getOutputIntents().get(0).getDestOutputIntent());
            COSArray id = doc.getDocument().getTrailer().getCOSArray(COSName.ID);
            assertNotNull(id, "a document id");
            assertEquals(2, id.size());
            int fonts = 0;
            for (PDPage page : doc.getPages()) {
                for (COSName name : page.getResources().getFontNames()) {
                    PDFont font = page.getResources().getFont(name);
                    assertTrue(font.isEmbedded(), font.getName() + " embedded");
                    fonts++;
                }
            }
            assertTrue(fonts >= 2, "regular and bold");
        }
        assertTrue(new String(pdf, 0, 8, StandardCharsets.ISO_8859_1).startsWith("%PDF-1.7"));
    }

    @Test
    void everyPageRendersAsAnImageAndTheLastKeepsRoomForTheSignatureBoxes() throws Exception {
        byte[] pdf = FormPdf.make(new FormPdf.Content(order(true, "en"), "en", "Cachet",
                (Fixture.TERMS_EN + "\n\n").repeat(12), Instant.parse("2026-12-02T10:00:00Z")));
        int pages = FormPdf.pages(pdf);
        assertTrue(pages >= 2, "long terms flow to a second page");
        for (int p = 1; p <= pages; p++) {
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(FormPdf.png(pdf, p, 72)));
            assertEquals(595, image.getWidth(), 1);
            assertEquals(842, image.getHeight(), 1);
        }
        // nothing is drawn where the boxes go: the bottom of the last page is blank
        BufferedImage last = ImageIO.read(new ByteArrayInputStream(FormPdf.png(pdf, pages, 72)));
        for (int y = 842 - (int) (FormPdf.BOX_BOTTOM + FormPdf.BOX_HEIGHT); y < 842 - FormPdf.BOX_BOTTOM; y++) {
            for (int x = (int) FormPdf.boxX(0); x < FormPdf.boxX(1) + FormPdf.BOX_WIDTH; x++) {
                assertEquals(0xFFFFFF, last.getRGB(x, y) & 0xFFFFFF, "blank at " + x + "," + y);
            }
        }
    }

    @Test
    void mobilesAreMaskedBeyondTheirFirstAndLastDigits() {
        assertEquals("+33 6 •• •• •• 78", Masks.mobile("+33612345678"));
        assertEquals("+33 6 •• •• •• 12", Masks.mobile("+33698765412"));
        assertEquals("+49 1 •• •• •• •• 89", Masks.mobile("+4915123456789"));
    }
}
