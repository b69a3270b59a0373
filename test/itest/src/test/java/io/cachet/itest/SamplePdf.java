package io.cachet.itest;

import java.io.IOException;
import java.nio.file.Path;

import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;

/**
 * A one-page PDF made with PDFBox, written in the test JVM before the framework starts: inside Felix, PDFBox is
 * embedded in io.cachet.signature and exported to nobody, so the probe cannot make one itself. Kept out of
 * {@link SignatureIT} so that the probe class never links PDFBox.
 */
final class SamplePdf {

    private SamplePdf() {
    }

    static Path write(Path file) throws IOException {
        try (PDDocument doc = new PDDocument()) {
            PDPage page = new PDPage(PDRectangle.A4);
            doc.addPage(page);
            try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
                cs.beginText();
                cs.setFont(new PDType1Font(Standard14Fonts.FontName.HELVETICA), 14);
                cs.newLineAtOffset(72, 720);
                cs.showText("Cachet integration test: sealed inside the server");
                cs.endText();
            }
            doc.getDocumentInformation().setTitle("Cachet SignatureIT");
            doc.save(file.toFile());
        }
        return file;
    }
}
