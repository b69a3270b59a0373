package io.cachet.delivery.mail.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.apache.pdfbox.text.PDFTextStripper;
import org.apache.pdfbox.text.PDFTextStripperByArea;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cachet.api.brand.Brand;
import io.cachet.api.delivery.DeliveryException;
import io.cachet.api.delivery.Shipment;
import io.cachet.api.order.Order;

/** The label and cover letter as PDFBox and poppler's pdftotext read it. */
class LabelPdfTest {

    @TempDir
    Path dir;

    static String pdftotext(byte[] pdf, Path dir) throws IOException, InterruptedException {
        Path in = Files.write(dir.resolve("label-" + System.nanoTime() + ".pdf"), pdf);
        Path out = dir.resolve(in.getFileName() + ".txt");
        Process p = new ProcessBuilder("pdftotext", "-enc", "UTF-8", in.toString(), out.toString())
                .redirectErrorStream(true).start();
        String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "pdftotext finished");
        assertEquals(0, p.exitValue(), said);
        return Files.readString(out, StandardCharsets.UTF_8);
    }

    @Test
    void theLabelNamesTheRecipientAddressOrderAndTheGuidesWordsInFrench() throws Exception {
        try (Fixture f = new Fixture("h2", dir)) {
            f.settings.set(new MailSettings("Cachet SAS", List.of("Service des envois", "8 avenue de l'Opéra",
                    "75001 Paris"), 5L * 1024 * 1024, 60, 60, "manual"));
            Order o = f.submitToken("fr");
            Shipment s = f.service.prepare(o.id(), "SN-0042", "api:op");
            byte[] pdf = f.service.label(s.id(), null);
            try (PDDocument doc = Loader.loadPDF(pdf)) {
                assertEquals(1, doc.getNumberOfPages());
                PDRectangle box = doc.getPage(0).getMediaBox();
                assertEquals(PDRectangle.A4.getWidth(), box.getWidth(), 0.5);
                assertEquals(PDRectangle.A4.getHeight(), box.getHeight(), 0.5);
                String text = new PDFTextStripper().getText(doc);
                for (String expected : List.of(Fixture.BENEFICIARY, "12 rue de l'Église", "Bâtiment B, 3e étage",
                        "69002 LYON", "FRANCE", o.id(), "SN-0042", s.id(), "LETTRE RECOMMANDÉE AVEC ACCUSÉ DE RÉCEPTION",
                        "Cachet SAS", "8 avenue de l'Opéra", "code PIN d'initialisation",
                        "n'est pas dans ce courrier", "PUK")) {
                    assertTrue(text.contains(expected), "missing '" + expected + "' in:\n" + text);
                }
                // the recipient's block is where a DL window envelope shows it: 100-205 mm from the left, 45-95 mm
                // from the top (PDFBox's text areas are measured from the top left)
                PDFTextStripperByArea window = new PDFTextStripperByArea();
                window.addRegion("window", new java.awt.geom.Rectangle2D.Float(100 * LabelPdf.MM, 45 * LabelPdf.MM,
                        105 * LabelPdf.MM, 50 * LabelPdf.MM));
                window.extractRegions(doc.getPage(0));
                String inWindow = window.getTextForRegion("window");
                for (String line : List.of(Fixture.BENEFICIARY, "12 rue de l'Église", "69002 LYON")) {
                    assertTrue(inWindow.contains(line), "'" + line + "' not in the window: " + inWindow);
                }
                assertTrue(!inWindow.contains(o.id()) && !inWindow.contains("Cachet SAS"), inWindow);
            }
            String poppler = pdftotext(pdf, dir);
            for (String expected : List.of(Fixture.BENEFICIARY, "12 rue de l'Église", "69002 LYON", o.id(),
                    "RECOMMANDÉE")) {
                assertTrue(poppler.contains(expected), "pdftotext misses '" + expected + "':\n" + poppler);
            }
        }
    }

    @Test
    void inEnglishWithTheBrandsSenderAndWords() throws Exception {
        Path messages = Files.writeString(dir.resolve("messages_en.properties"), String.join("\n",
                "shipments.sender.name=Acme Trust Services",
                "shipments.sender.address=1 Trust Street|EC1A 1BB London|United Kingdom",
                "shipments.label.title=Your Acme seal token"), StandardCharsets.UTF_8);
        Brand acme = new Brand() {
            @Override
            public String id() {
                return "acme";
            }

            @Override
            public String displayName() {
                return "Acme";
            }

            @Override
            public String primaryColour() {
                return "#123456";
            }

            @Override
            public String supportEmail() {
                return "help@acme.example";
            }

            @Override
            public URL messages(String language) {
                try {
                    return "en".equals(language) ? messages.toUri().toURL() : null;
                } catch (MalformedURLException e) {
                    throw new IllegalStateException(e);
                }
            }
        };
        try (Fixture f = new Fixture("h2", dir)) {
            f.brands.put("default", acme);
            Order o = f.submitToken("en");
            Shipment s = f.service.prepare(o.id(), "SN-0043", "api:op");
            String text = pdftotext(f.service.label(s.id(), null), dir);
            for (String expected : List.of("REGISTERED LETTER WITH ACKNOWLEDGEMENT OF RECEIPT", "Acme Trust Services",
                    "1 Trust Street", "Your Acme seal token", "help@acme.example", "not known to Acme", o.id(),
                    Fixture.BENEFICIARY)) {
                assertTrue(text.contains(expected), "missing '" + expected + "' in:\n" + text);
            }
            String french = pdftotext(f.service.label(s.id(), "fr"), dir);
            assertTrue(french.contains("RECOMMANDÉE") && french.contains("Acme"), french);
            assertEquals(DeliveryException.Kind.INVALID, assertThrows(DeliveryException.class,
                    () -> f.service.label(s.id(), "de")).kind());
            assertEquals(DeliveryException.Kind.NOT_FOUND, assertThrows(DeliveryException.class,
                    () -> f.service.label("shp_nothing", "fr")).kind());
        }
    }

    @Test
    void charactersOutsideTheFontLoseTheirAccentOrBecomeAQuestionMark() {
        PDType1Font helvetica = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
        assertEquals("Lódz Dvorák ç é œ Müller ?", LabelPdf.printable("Łódź Dvořák ç é œ Müller 東", helvetica),
                "WinAnsi letters kept, others without their accent or stroke, the rest '?'");
    }
}
