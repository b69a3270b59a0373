package io.cachet.signature.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.encryption.InvalidPasswordException;

import io.cachet.api.signature.SignatureException;
import io.cachet.api.signature.SignatureException.Reason;

/** Checks on input files before they reach DSS, so that bad input gets a clear message. */
final class Inputs {
    private static final int TAIL = 1024;

    private Inputs() {
    }

    static void requireReadableFile(Path file) {
        if (!Files.exists(file)) {
            throw new SignatureException(Reason.IO, "no such file: " + file);
        }
        if (!Files.isRegularFile(file)) {
            throw new SignatureException(Reason.IO, file + " is not a regular file");
        }
        if (!Files.isReadable(file)) {
            throw new SignatureException(Reason.IO, "permission denied: cannot read " + file);
        }
    }

    /** Whether the file starts like a PDF. */
    static boolean looksLikePdf(Path file) {
        return head(file, 1024).contains("%PDF-");
    }

    /** Whether the file starts like an XML document (after a byte-order mark and white space). */
    static boolean looksLikeXml(Path file) {
        String head = head(file, 64).replace("\uFEFF", "").stripLeading();
        return head.startsWith("<");
    }

    private static String head(Path file, int max) {
        try (InputStream in = Files.newInputStream(file)) {
            return new String(in.readNBytes(max), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new SignatureException(Reason.IO, "cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Checks that {@code file} is a complete PDF that opens with {@code password} (none when {@code null}).
     *
     * @throws SignatureException {@code MALFORMED_INPUT} for a file that is not a PDF, truncated or corrupt;
     *         {@code PASSWORD_REQUIRED} for an encrypted PDF without its password
     * @return the number of pages
     */
    static int checkPdf(Path file, char[] password) {
        try (PDDocument pdf = openPdf(file, password)) {
            return pdf.getNumberOfPages();
        } catch (IOException e) {
            throw new SignatureException(Reason.IO, "cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Like {@link #checkPdf}, but the parsed PDF is returned, open, for the caller to use and close: the fast PAdES
     * path checks and signs the document from this one parse.
     */
    static PDDocument openPdf(Path file, char[] password) {
        if (!looksLikePdf(file)) {
            throw new SignatureException(Reason.MALFORMED_INPUT, file + " is not a PDF (no %PDF- header)");
        }
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            long length = raf.length();
            int n = (int) Math.min(TAIL, length);
            byte[] tail = new byte[n];
            raf.seek(length - n);
            raf.readFully(tail);
            if (!new String(tail, StandardCharsets.ISO_8859_1).contains("%%EOF")) {
                throw new SignatureException(Reason.MALFORMED_INPUT,
                        file + " is truncated or corrupt: it does not end with the %%EOF marker of a complete PDF");
            }
        } catch (IOException e) {
            throw new SignatureException(Reason.IO, "cannot read " + file + ": " + e.getMessage(), e);
        }
        PDDocument pdf = null;
        try {
            pdf = password == null ? Loader.loadPDF(file.toFile()) : Loader.loadPDF(file.toFile(), new String(password));
            if (pdf.getNumberOfPages() < 1) {
                throw new SignatureException(Reason.MALFORMED_INPUT, file + " is a PDF without pages");
            }
            PDDocument open = pdf;
            pdf = null;
            return open;
        } catch (InvalidPasswordException e) {
            throw new SignatureException(Reason.PASSWORD_REQUIRED, password == null
                    ? file + " is encrypted: give its password to sign it (PDF password)"
                    : "the password given for " + file + " is wrong", e);
        } catch (IOException e) {
            throw new SignatureException(Reason.MALFORMED_INPUT,
                    file + " is a corrupt PDF: " + Failures.rootMessage(e), e);
        } finally {
            if (pdf != null) {
                try {
                    pdf.close();
                } catch (IOException ignored) {
                    // refused anyway
                }
            }
        }
    }

    /**
     * The visible area of a page (its CropBox) as a viewer shows it, i.e. turned by the page's /Rotate: its offset from
     * the top left corner of the page's MediaBox and its size, in points.
     */
    record VisibleArea(float left, float top, float width, float height, int rotation) {
    }

    /** The {@link VisibleArea} of page {@code page} (1 for the first) of a PDF that {@link #checkPdf} accepted. */
    static VisibleArea visibleArea(Path file, char[] password, int page) {
        try (PDDocument pdf = password == null ? Loader.loadPDF(file.toFile())
                : Loader.loadPDF(file.toFile(), new String(password))) {
            PDPage p = pdf.getPage(page - 1);
            PDRectangle media = p.getMediaBox();
            PDRectangle crop = p.getCropBox(); // PDFBox clips it to the MediaBox
            float left = crop.getLowerLeftX() - media.getLowerLeftX();
            float right = media.getUpperRightX() - crop.getUpperRightX();
            float bottom = crop.getLowerLeftY() - media.getLowerLeftY();
            float top = media.getUpperRightY() - crop.getUpperRightY();
            float w = crop.getWidth();
            float h = crop.getHeight();
            int rotation = ((p.getRotation() % 360) + 360) % 360;
            // turned clockwise by /Rotate: at 90 the page's left edge is shown at the top and its bottom on the left
            return switch (rotation) {
            case 90 -> new VisibleArea(bottom, left, h, w, rotation);
            case 180 -> new VisibleArea(right, bottom, w, h, rotation);
            case 270 -> new VisibleArea(top, right, h, w, rotation);
            default -> new VisibleArea(left, top, w, h, 0);
            };
        } catch (IOException e) {
            throw new SignatureException(Reason.MALFORMED_INPUT,
                    file + " is a corrupt PDF: " + Failures.rootMessage(e), e);
        }
    }

    /** The number of signatures and document time-stamps already in a PDF that {@link #checkPdf} accepted. */
    static int signatureCount(Path file, char[] password) {
        try (PDDocument pdf = password == null ? Loader.loadPDF(file.toFile())
                : Loader.loadPDF(file.toFile(), new String(password))) {
            return pdf.getSignatureDictionaries().size();
        } catch (IOException e) {
            throw new SignatureException(Reason.MALFORMED_INPUT,
                    file + " is a corrupt PDF: " + Failures.rootMessage(e), e);
        }
    }

    /**
     * Checks that {@code file} is well-formed XML without a DOCTYPE. A DOCTYPE can declare entities that read
     * local files or remote URLs (XXE) or expand without bound ("billion laughs"): Cachet refuses them outright
     * rather than parse them.
     */
    static void checkXml(Path file) {
        XMLInputFactory factory = XMLInputFactory.newDefaultFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        factory.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
        try (InputStream in = Files.newInputStream(file)) {
            XMLStreamReader reader = factory.createXMLStreamReader(in);
            try {
                while (reader.hasNext()) {
                    int event = reader.next();
                    if (event == XMLStreamConstants.DTD) {
                        throw new SignatureException(Reason.XML_DOCTYPE_REFUSED, file
                                + " has a DOCTYPE: XML with a DOCTYPE or entity declarations is refused"
                                + " (external entities and entity expansion are not allowed)");
                    }
                    if (event == XMLStreamConstants.ENTITY_REFERENCE) {
                        throw new SignatureException(Reason.XML_DOCTYPE_REFUSED,
                                file + " uses the undeclared entity &" + reader.getLocalName() + "; (refused)");
                    }
                }
            } finally {
                reader.close();
            }
        } catch (XMLStreamException e) {
            throw new SignatureException(Reason.MALFORMED_INPUT,
                    file + " is not well-formed XML: " + Failures.rootMessage(e).replaceAll("\\s+", " "), e);
        } catch (IOException e) {
            throw new SignatureException(Reason.IO, "cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
