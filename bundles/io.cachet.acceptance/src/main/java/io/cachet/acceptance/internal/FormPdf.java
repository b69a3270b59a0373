package io.cachet.acceptance.internal;

import java.awt.color.ColorSpace;
import java.awt.color.ICC_Profile;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.GregorianCalendar;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.TimeZone;

import javax.imageio.ImageIO;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSString;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDMetadata;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.pdmodel.font.PDType0Font;
import org.apache.pdfbox.pdmodel.graphics.color.PDOutputIntent;
import org.apache.pdfbox.rendering.ImageType;
import org.apache.pdfbox.rendering.PDFRenderer;

import io.cachet.api.ca.SealCertificateRequest;
import io.cachet.api.order.Order;
import io.cachet.api.order.OrderRequest;
import io.cachet.api.order.Organisation;
import io.cachet.api.order.Person;
import io.cachet.api.security.Digests;
import io.cachet.api.web.Pages;

/**
 * The acceptance form: a PDF/A-2b (fonts embedded, an sRGB output intent, XMP metadata naming the conformance) made
 * with PDFBox, in the order's language (French or English): the order's summary, the organisation, both persons, the
 * certificate's content ({@link SealCertificateRequest.Organisation#of}: what issuance will freeze), the brand's
 * subscriber terms, and a signature area at the bottom of the last page with one box per person, where the platform's
 * seal of each acceptance is drawn. Stateless; thread-safe.
 */
final class FormPdf {

    static final float MARGIN = 50;
    /** Height kept free at the bottom of the last page for the signature boxes. */
    static final float SIGNATURE_AREA = 130;
    static final float BOX_WIDTH = 235;
    static final float BOX_HEIGHT = 80;
    static final float BOX_BOTTOM = 40;
    private static final float BODY = 10;
    private static final float LEADING = 13.5f;

    private FormPdf() {
    }

    /** The box of the {@code index}-th person (0: the Certificate Manager), from the bottom left of the last page. */
    static float boxX(int index) {
        return MARGIN + index * (BOX_WIDTH + 25);
    }

    /** What the form says, in the order's language. */
    record Content(Order order, String language, String brandName, String terms, Instant createdAt) {
    }

    /** Makes the form. */
    static byte[] make(Content content) {
        Text t = Text.of(content.language());
        OrderRequest r = content.order().request();
        try (PDDocument doc = new PDDocument()) {
            doc.getDocument().setVersion(1.7f);
            doc.setVersion(1.7f);
            PDFont regular;
            PDFont bold;
            try (InputStream a = font("DejaVuSans.ttf"); InputStream b = font("DejaVuSans-Bold.ttf")) {
                regular = PDType0Font.load(doc, a, true);
                bold = PDType0Font.load(doc, b, true);
            }
            Writer w = new Writer(doc, regular, bold);
            w.title(t.get("title"));
            w.paragraph(t.get("intro", content.brandName()), BODY);
            w.heading(t.get("order"));
            w.field(t.get("order.id"), content.order().id());
            w.field(t.get("order.product"), r.product() + " — " + r.validityYears() + " " + t.get("years"));
            w.field(t.get("order.medium"), t.get("medium." + r.medium().id()));
            w.field(t.get("order.date"), Pages.time(content.order().createdAt()));
            w.heading(t.get("organisation"));
            Organisation o = r.organisation();
            w.field(t.get("organisation.name"), o.name());
            w.field(t.get("organisation.country"), o.country());
            w.field(t.get("organisation.identifier"), o.identifier());
            w.field(t.get("organisation.vat"), o.vat() == null ? "—" : o.vat());
            if (o.address() != null) {
                w.field(t.get("organisation.address"), String.join(", ", o.address().lines()) + ", "
                        + o.address().postalCode() + " " + o.address().city() + ", " + o.address().country());
            }
            w.heading(t.get("persons"));
            person(w, t, t.get("manager"), r.certificateManager());
            if (r.managerIsLegalRepresentative()) {
                w.field(t.get("legal"), t.get("legal.same"));
            } else {
                person(w, t, t.get("legal"), r.legalRepresentative());
            }
            w.heading(t.get("certificate"));
            SealCertificateRequest.Organisation subject = subject(o);
            w.field(t.get("certificate.o"), subject.name());
            w.field(t.get("certificate.oid"), subject.identifier());
            w.field(t.get("certificate.c"), subject.country());
            w.field(t.get("certificate.validity"), r.validityYears() + " " + t.get("years"));
            w.field(t.get("certificate.medium"), t.get("medium." + r.medium().id()));
            w.heading(t.get("terms"));
            for (String paragraph : content.terms().strip().split("\\R\\s*\\R")) {
                w.paragraph(paragraph.replaceAll("\\s*\\R\\s*", " ").strip(), 9);
            }
            // the heading, its text and the boxes stay together on the last page
            w.reserve(SIGNATURE_AREA + 80);
            w.heading(t.get("signatures"));
            w.paragraph(t.get("signatures.text"), BODY);
            w.reserve(SIGNATURE_AREA);
            w.close();
            metadata(doc, t.get("title"), content.createdAt());
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            doc.save(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("The acceptance form could not be made", e);
        }
    }

    /** The certificate subject's organisation, by the one rule issuance applies too. */
    static SealCertificateRequest.Organisation subject(Organisation o) {
        return SealCertificateRequest.Organisation.of(o.name(), o.country(), o.identifier(), o.vat());
    }

    private static void person(Writer w, Text t, String label, Person p) throws IOException {
        w.field(label, p.fullName());
        w.field("    " + t.get("person.email"), p.email());
        w.field("    " + t.get("person.mobile"), Masks.mobile(p.mobile()));
    }

    /** The number of pages of a PDF. */
    static int pages(byte[] pdf) {
        try (PDDocument doc = Loader.loadPDF(pdf)) {
            return doc.getNumberOfPages();
        } catch (IOException e) {
            throw new UncheckedIOException("The acceptance form could not be read", e);
        }
    }

    /** Page {@code page} (1 for the first) as a PNG, {@code dpi} dots per inch, for the browser (no plugin). */
    static byte[] png(byte[] pdf, int page, int dpi) {
        try (PDDocument doc = Loader.loadPDF(pdf)) {
            if (page < 1 || page > doc.getNumberOfPages()) {
                throw new IllegalArgumentException("no page " + page);
            }
            BufferedImage image = new PDFRenderer(doc).renderImageWithDPI(page - 1, dpi, ImageType.RGB);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(image, "png", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("The acceptance form could not be rendered", e);
        }
    }

    private static InputStream font(String name) {
        InputStream in = FormPdf.class.getClassLoader().getResourceAsStream("acceptance/fonts/" + name);
        if (in == null) {
            throw new IllegalStateException("font " + name + " missing from the bundle");
        }
        return in;
    }

    /** PDF/A-2b: the output intent (sRGB), XMP metadata matching the document information, a document id. */
    private static void metadata(PDDocument doc, String title, Instant created) throws IOException {
        Calendar when = GregorianCalendar.getInstance(TimeZone.getTimeZone("UTC"), Locale.ROOT);
        when.setTimeInMillis(created.toEpochMilli());
        PDDocumentInformation info = doc.getDocumentInformation();
        info.setTitle(title);
        info.setProducer("Cachet");
        info.setCreationDate(when);
        info.setModificationDate(when);
        String iso = DateTimeFormatter.ISO_INSTANT.format(created.truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
        String xmp = "<?xpacket begin=\"\uFEFF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"
                + "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n"
                + "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n"
                + "<rdf:Description rdf:about=\"\" xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\">\n"
                + "<pdfaid:part>2</pdfaid:part>\n<pdfaid:conformance>B</pdfaid:conformance>\n</rdf:Description>\n"
                + "<rdf:Description rdf:about=\"\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n"
                + "<dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">" + xml(title) + "</rdf:li></rdf:Alt></dc:title>\n"
                + "<dc:format>application/pdf</dc:format>\n</rdf:Description>\n"
                + "<rdf:Description rdf:about=\"\" xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\">\n"
                + "<pdf:Producer>Cachet</pdf:Producer>\n</rdf:Description>\n"
                + "<rdf:Description rdf:about=\"\" xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\">\n"
                + "<xmp:CreateDate>" + iso + "</xmp:CreateDate>\n<xmp:ModifyDate>" + iso + "</xmp:ModifyDate>\n"
                + "</rdf:Description>\n</rdf:RDF>\n</x:xmpmeta>\n<?xpacket end=\"w\"?>";
        PDMetadata metadata = new PDMetadata(doc);
        metadata.importXMPMetadata(xmp.getBytes(StandardCharsets.UTF_8));
        doc.getDocumentCatalog().setMetadata(metadata);
        PDOutputIntent intent = new PDOutputIntent(doc,
                new ByteArrayInputStream(ICC_Profile.getInstance(ColorSpace.CS_sRGB).getData()));
        intent.setInfo("sRGB IEC61966-2.1");
        intent.setOutputCondition("sRGB IEC61966-2.1");
        intent.setOutputConditionIdentifier("sRGB IEC61966-2.1");
        intent.setRegistryName("http://www.color.org");
        doc.getDocumentCatalog().addOutputIntent(intent);
        byte[] id = Digests.sha256((title + iso).getBytes(StandardCharsets.UTF_8));
        COSArray ids = new COSArray();
        ids.add(new COSString(java.util.Arrays.copyOf(id, 16)));
        ids.add(new COSString(java.util.Arrays.copyOf(id, 16)));
        doc.getDocument().getTrailer().setItem(COSName.ID, ids);
    }

    static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    private static String xml(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    /** Writes lines top to bottom, starting new A4 pages as needed. */
    private static final class Writer {
        private final PDDocument doc;
        private final PDFont regular;
        private final PDFont bold;
        private PDPageContentStream stream;
        private float y;
        private final float width = PDRectangle.A4.getWidth() - 2 * MARGIN;

        Writer(PDDocument doc, PDFont regular, PDFont bold) throws IOException {
            this.doc = doc;
            this.regular = regular;
            this.bold = bold;
            newPage();
        }

        private void newPage() throws IOException {
            if (stream != null) {
                stream.close();
            }
            PDPage page = new PDPage(PDRectangle.A4);
            doc.addPage(page);
            stream = new PDPageContentStream(doc, page);
            stream.setNonStrokingColor(0.1f, 0.1f, 0.1f);
            y = PDRectangle.A4.getHeight() - MARGIN;
        }

        private void need(float height) throws IOException {
            if (y - height < MARGIN) {
                newPage();
            }
        }

        void title(String text) throws IOException {
            for (String line : wrap(text, bold, 16, width)) {
                line(line, bold, 16, MARGIN, 22);
            }
            y -= 6;
        }

        void heading(String text) throws IOException {
            need(40);
            y -= 8;
            line(text, bold, 12, MARGIN, 17);
        }

        void field(String label, String value) throws IOException {
            float labelWidth = 170;
            List<String> lines = wrap(value == null ? "" : value, regular, BODY, width - labelWidth);
            need(LEADING * lines.size());
            text(label, bold, BODY, MARGIN, y - BODY);
            for (String l : lines) {
                text(l, regular, BODY, MARGIN + labelWidth, y - BODY);
                y -= LEADING;
            }
        }

        void paragraph(String text, float size) throws IOException {
            for (String line : wrap(text, regular, size, width)) {
                line(line, regular, size, MARGIN, size * 1.35f);
            }
            y -= 4;
        }

        /** Starts a new page unless {@code height} is free below the last line (the signature boxes go there). */
        void reserve(float height) throws IOException {
            need(height);
        }

        private void line(String text, PDFont font, float size, float x, float leading) throws IOException {
            need(leading);
            text(text, font, size, x, y - size);
            y -= leading;
        }

        private void text(String text, PDFont font, float size, float x, float baseline) throws IOException {
            stream.beginText();
            stream.setFont(font, size);
            stream.newLineAtOffset(x, baseline);
            stream.showText(text);
            stream.endText();
        }

        void close() throws IOException {
            stream.close();
        }

        private static List<String> wrap(String text, PDFont font, float size, float width) throws IOException {
            List<String> lines = new ArrayList<>();
            StringBuilder line = new StringBuilder();
            for (String word : text.split(" +")) {
                String candidate = line.isEmpty() ? word : line + " " + word;
                if (!line.isEmpty() && font.getStringWidth(candidate) / 1000 * size > width) {
                    lines.add(line.toString());
                    line = new StringBuilder(word);
                } else {
                    line = new StringBuilder(candidate);
                }
            }
            lines.add(line.toString());
            return lines;
        }
    }
}
