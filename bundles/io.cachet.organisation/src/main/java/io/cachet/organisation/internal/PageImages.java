package io.cachet.organisation.internal;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Optional;

import javax.imageio.ImageIO;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.rendering.ImageType;
import org.apache.pdfbox.rendering.PDFRenderer;

/**
 * A PDF page as a PNG image, for the operator's viewer (no PDF plugin in the browser, no script): rendered by PDFBox
 * at {@value #DPI} DPI in colour. Plain Java, stateless.
 */
final class PageImages {

    static final int DPI = 110;
    /** Pages rendered at most per document: an extract and a mandate are a few pages. */
    static final int MAX_PAGES = 10;

    private PageImages() {
    }

    /**
     * @param page 1-based
     * @return the PNG, or empty when the document has no such page or cannot be read
     */
    static Optional<byte[]> png(byte[] pdf, int page) {
        if (page < 1 || page > MAX_PAGES) {
            return Optional.empty();
        }
        try (PDDocument doc = Loader.loadPDF(pdf)) {
            if (page > doc.getNumberOfPages()) {
                return Optional.empty();
            }
            BufferedImage image = new PDFRenderer(doc).renderImageWithDPI(page - 1, DPI, ImageType.RGB);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(image, "png", out);
            return Optional.of(out.toByteArray());
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
