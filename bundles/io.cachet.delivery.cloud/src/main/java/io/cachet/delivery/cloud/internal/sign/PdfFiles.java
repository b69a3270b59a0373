package io.cachet.delivery.cloud.internal.sign;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import javax.imageio.ImageIO;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.io.IOUtils;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.encryption.InvalidPasswordException;
import org.apache.pdfbox.rendering.ImageType;
import org.apache.pdfbox.rendering.PDFRenderer;

/**
 * What Click&amp;Cert asks of an uploaded PDF, through PDFBox: is it one, does it open (with its password), how many
 * pages, how big is a page as a viewer shows it, and a picture of a page. A hostile or broken file is a refusal
 * ({@link Outcome}), never an exception out of here; PDFBox buffers in temporary files, not in the heap.
 */
final class PdfFiles {

    /** The preview's largest size in pixels, whatever the page's. */
    static final int MAX_PREVIEW_WIDTH = 900;
    static final int MAX_PREVIEW_HEIGHT = 1300;

    private PdfFiles() {
    }

    /** What a PDF is: opened (pages), locked (needs its password), or not usable. */
    enum Outcome {
        OPENED, LOCKED, WRONG_PASSWORD, NOT_PDF, CORRUPT
    }

    record Check(Outcome outcome, int pages, boolean encrypted) {
    }

    /** A page's visible size (crop box turned by its rotation), in points. */
    record PageSize(float width, float height) {
    }

    /** A page's picture and the size of the page it shows. */
    record Preview(byte[] png, int widthPixels, int heightPixels, PageSize page) {
    }

    /** Whether the content starts as a PDF does ({@code %PDF-}, within the first 1024 bytes, as readers allow). */
    static boolean looksLikePdf(byte[] content) {
        if (content == null || content.length < 8) {
            return false;
        }
        int end = Math.min(content.length, 1024);
        String head = new String(content, 0, end, StandardCharsets.ISO_8859_1);
        return head.contains("%PDF-");
    }

    /** Opens the PDF (with {@code password} when not null) and says what it is. */
    static Check check(byte[] content, char[] password) {
        if (!looksLikePdf(content)) {
            return new Check(Outcome.NOT_PDF, 0, false);
        }
        try (PDDocument doc = open(content, password)) {
            int pages = doc.getNumberOfPages();
            if (pages < 1) {
                return new Check(Outcome.CORRUPT, 0, false);
            }
            for (PDPage page : doc.getPages()) {
                visible(page); // every page must have a usable size
            }
            return new Check(Outcome.OPENED, pages, doc.isEncrypted());
        } catch (InvalidPasswordException e) {
            return new Check(password == null ? Outcome.LOCKED : Outcome.WRONG_PASSWORD, 0, true);
        } catch (IOException | RuntimeException | StackOverflowError e) {
            return new Check(Outcome.CORRUPT, 0, false);
        }
    }

    /**
     * Renders page {@code page} (1 for the first) as a PNG no larger than {@value #MAX_PREVIEW_WIDTH} x
     * {@value #MAX_PREVIEW_HEIGHT} pixels.
     *
     * @throws IOException when the page cannot be drawn (a broken page)
     */
    static Preview render(byte[] content, char[] password, int page, Placement box) throws IOException {
        try (PDDocument doc = open(content, password)) {
            PageSize size = visible(doc.getPage(page - 1));
            float scale = scale(size);
            BufferedImage image;
            try {
                image = new PDFRenderer(doc).renderImage(page - 1, scale, ImageType.RGB);
            } catch (RuntimeException | StackOverflowError e) {
                throw new IOException("page " + page + " cannot be drawn: " + e.getClass().getSimpleName());
            }
            if (box != null) {
                java.awt.Graphics2D g = image.createGraphics();
                try {
                    g.setColor(new java.awt.Color(0, 90, 180, 70));
                    g.fillRect(Math.round(box.x() * scale), Math.round(box.y() * scale),
                            Math.round(box.width() * scale), Math.round(box.height() * scale));
                    g.setColor(new java.awt.Color(0, 70, 160));
                    g.setStroke(new java.awt.BasicStroke(Math.max(2f, scale * 1.5f)));
                    g.drawRect(Math.round(box.x() * scale), Math.round(box.y() * scale),
                            Math.round(box.width() * scale), Math.round(box.height() * scale));
                } finally {
                    g.dispose();
                }
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(image, "png", out);
            return new Preview(out.toByteArray(), image.getWidth(), image.getHeight(), size);
        }
    }

    /** The scale {@link #render} draws a page of that size at (pixels per point). */
    static float scale(PageSize size) {
        return Math.min(Math.min(MAX_PREVIEW_WIDTH / size.width(), MAX_PREVIEW_HEIGHT / size.height()), 2f);
    }

    /** The visible size of page {@code page} (1 for the first). */
    static PageSize pageSize(byte[] content, char[] password, int page) throws IOException {
        try (PDDocument doc = open(content, password)) {
            return visible(doc.getPage(page - 1));
        } catch (RuntimeException | StackOverflowError e) {
            throw new IOException("page " + page + " cannot be read: " + e.getClass().getSimpleName());
        }
    }

    private static PDDocument open(byte[] content, char[] password) throws IOException {
        return Loader.loadPDF(content, password == null ? "" : new String(password), null, null,
                IOUtils.createTempFileOnlyStreamCache());
    }

    private static PageSize visible(PDPage page) throws IOException {
        PDRectangle box = page.getCropBox();
        float w = box.getWidth();
        float h = box.getHeight();
        if (!(w > 1 && h > 1 && w < 15_000 && h < 15_000)) {
            throw new IOException("a page has no usable size");
        }
        int rotation = ((page.getRotation() % 360) + 360) % 360;
        return rotation == 90 || rotation == 270 ? new PageSize(h, w) : new PageSize(w, h);
    }
}
