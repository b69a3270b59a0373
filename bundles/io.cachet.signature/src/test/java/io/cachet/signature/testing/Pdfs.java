package io.cachet.signature.testing;

import java.awt.color.ColorSpace;
import java.awt.color.ICC_Profile;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Calendar;
import java.util.Map;
import java.util.Random;

import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentCatalog;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.apache.pdfbox.pdmodel.PDDocumentNameDictionary;
import org.apache.pdfbox.pdmodel.PDEmbeddedFilesNameTreeNode;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.PDResources;
import org.apache.pdfbox.pdmodel.common.PDMetadata;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.common.filespecification.PDComplexFileSpecification;
import org.apache.pdfbox.pdmodel.common.filespecification.PDEmbeddedFile;
import org.apache.pdfbox.pdmodel.encryption.AccessPermission;
import org.apache.pdfbox.pdmodel.encryption.StandardProtectionPolicy;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.apache.pdfbox.pdmodel.graphics.color.PDOutputIntent;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAnnotationWidget;
import org.apache.pdfbox.pdmodel.interactive.form.PDAcroForm;
import org.apache.pdfbox.pdmodel.interactive.form.PDCheckBox;
import org.apache.pdfbox.pdmodel.interactive.form.PDTextField;

/** PDFs made by the tests with PDFBox, so every test input has a known origin. */
public final class Pdfs {

    private Pdfs() {
    }

    private static PDType1Font helvetica() {
        return new PDType1Font(Standard14Fonts.FontName.HELVETICA);
    }

    private static void text(PDDocument doc, PDPage page, String line) throws IOException {
        try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
            cs.beginText();
            cs.setFont(helvetica(), 14);
            cs.newLineAtOffset(72, 720);
            cs.showText(line);
            cs.endText();
        }
    }

    public static Path pages(Path file, int pages) throws IOException {
        try (PDDocument doc = new PDDocument()) {
            for (int i = 1; i <= pages; i++) {
                PDPage page = new PDPage(PDRectangle.A4);
                doc.addPage(page);
                text(doc, page, "Cachet test document, page " + i + " of " + pages);
            }
            PDDocumentInformation info = doc.getDocumentInformation();
            info.setTitle("Cachet test");
            info.setProducer("PDFBox (Cachet tests)");
            doc.save(file.toFile());
        }
        return file;
    }

    /** An AcroForm with a filled text field and a check box. */
    public static Path form(Path file) throws IOException {
        try (PDDocument doc = new PDDocument()) {
            PDPage page = new PDPage(PDRectangle.A4);
            doc.addPage(page);
            text(doc, page, "Order form");
            PDAcroForm form = new PDAcroForm(doc);
            doc.getDocumentCatalog().setAcroForm(form);
            PDResources resources = new PDResources();
            resources.put(COSName.getPDFName("Helv"), helvetica());
            form.setDefaultResources(resources);
            form.setDefaultAppearance("/Helv 12 Tf 0 g");
            PDTextField name = new PDTextField(form);
            name.setPartialName("company");
            form.getFields().add(name);
            PDAnnotationWidget widget = name.getWidgets().get(0);
            widget.setRectangle(new PDRectangle(72, 600, 300, 24));
            widget.setPage(page);
            page.getAnnotations().add(widget);
            name.setValue("ACME SAS");
            PDCheckBox box = new PDCheckBox(form);
            box.setPartialName("accept");
            form.getFields().add(box);
            PDAnnotationWidget boxWidget = box.getWidgets().get(0);
            boxWidget.setRectangle(new PDRectangle(72, 560, 16, 16));
            boxWidget.setPage(page);
            page.getAnnotations().add(boxWidget);
            doc.save(file.toFile());
        }
        return file;
    }

    /** A PDF with an embedded file of {@code size} random (incompressible) bytes, streamed into the PDF. */
    public static Path attachment(Path file, long size) throws IOException {
        try (PDDocument doc = new PDDocument()) {
            PDPage page = new PDPage(PDRectangle.A4);
            doc.addPage(page);
            text(doc, page, "With an attachment of " + size + " bytes");
            PDEmbeddedFile embedded = new PDEmbeddedFile(doc, randomStream(size, 42));
            embedded.setSubtype("application/octet-stream");
            embedded.setSize((int) Math.min(Integer.MAX_VALUE, size));
            PDComplexFileSpecification spec = new PDComplexFileSpecification();
            spec.setFile("data.bin");
            spec.setFileUnicode("data.bin");
            spec.setEmbeddedFile(embedded);
            PDEmbeddedFilesNameTreeNode tree = new PDEmbeddedFilesNameTreeNode();
            tree.setNames(Map.of("data.bin", spec));
            PDDocumentNameDictionary names = new PDDocumentNameDictionary(doc.getDocumentCatalog());
            names.setEmbeddedFiles(tree);
            doc.getDocumentCatalog().setNames(names);
            doc.save(file.toFile());
        }
        return file;
    }

    /** PDF/A-2b-like: XMP metadata claiming PDF/A-2B, an sRGB output intent and document information. */
    public static Path pdfaLike(Path file) throws IOException {
        try (PDDocument doc = new PDDocument()) {
            PDPage page = new PDPage(PDRectangle.A4);
            doc.addPage(page);
            text(doc, page, "PDF/A-like archive copy");
            PDDocumentCatalog catalog = doc.getDocumentCatalog();
            String xmp = "<?xpacket begin=\"\uFEFF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>"
                    + "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">"
                    + "<rdf:Description rdf:about=\"\" xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\">"
                    + "<pdfaid:part>2</pdfaid:part><pdfaid:conformance>B</pdfaid:conformance></rdf:Description>"
                    + "<rdf:Description rdf:about=\"\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\">"
                    + "<dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">Archive</rdf:li></rdf:Alt></dc:title>"
                    + "</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end=\"w\"?>";
            PDMetadata metadata = new PDMetadata(doc);
            metadata.importXMPMetadata(xmp.getBytes(StandardCharsets.UTF_8));
            catalog.setMetadata(metadata);
            byte[] icc = ICC_Profile.getInstance(ColorSpace.CS_sRGB).getData();
            PDOutputIntent intent = new PDOutputIntent(doc, new ByteArrayInputStream(icc));
            intent.setInfo("sRGB IEC61966-2.1");
            intent.setOutputCondition("sRGB IEC61966-2.1");
            intent.setOutputConditionIdentifier("sRGB IEC61966-2.1");
            intent.setRegistryName("http://www.color.org");
            catalog.addOutputIntent(intent);
            PDDocumentInformation info = doc.getDocumentInformation();
            info.setTitle("Archive");
            info.setCreationDate(Calendar.getInstance());
            doc.save(file.toFile());
        }
        return file;
    }

    /** Encrypted with AES-256: user password {@code user}, owner password {@code owner}. */
    public static Path encrypted(Path file, String user, String owner) throws IOException {
        try (PDDocument doc = new PDDocument()) {
            PDPage page = new PDPage(PDRectangle.A4);
            doc.addPage(page);
            text(doc, page, "Confidential");
            StandardProtectionPolicy policy = new StandardProtectionPolicy(owner, user, new AccessPermission());
            policy.setEncryptionKeyLength(256);
            doc.protect(policy);
            doc.save(file.toFile());
        }
        return file;
    }

    public static InputStream randomStream(long size, long seed) {
        return new InputStream() {
            private final Random random = new Random(seed);
            private final byte[] block = new byte[1 << 16];
            private int pos = block.length;
            private long left = size;

            @Override
            public int read() {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (left <= 0) {
                    return -1;
                }
                if (pos == block.length) {
                    random.nextBytes(block);
                    pos = 0;
                }
                int n = (int) Math.min(Math.min(len, block.length - pos), left);
                System.arraycopy(block, pos, b, off, n);
                pos += n;
                left -= n;
                return n;
            }
        };
    }

}
