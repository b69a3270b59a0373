package io.cachet.evidence.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.GregorianCalendar;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TimeZone;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.apache.pdfbox.pdmodel.PDDocumentNameDictionary;
import org.apache.pdfbox.pdmodel.PDEmbeddedFilesNameTreeNode;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.common.filespecification.PDComplexFileSpecification;
import org.apache.pdfbox.pdmodel.common.filespecification.PDEmbeddedFile;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.apache.pdfbox.pdmodel.interactive.digitalsignature.PDSignature;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.tsp.TimeStampToken;
import org.bouncycastle.util.Selector;

import io.cachet.api.security.Digests;

/**
 * The evidence PDF: a cover page (what the file is, the contents with each attachment's size and SHA-256, what is
 * missing and why) and the sections as embedded files (the document's EmbeddedFiles name tree), which any PDF reader
 * lists and saves. Reads back the archive (document) time-stamps of a sealed file. Plain PDFBox; thread-safe (no
 * state).
 */
final class EvidencePdf {

    private static final float MARGIN = 50;
    private static final float LEADING = 13;
    private static final int WRAP = 95;

    private EvidencePdf() {
    }

    /** Writes the unsigned evidence PDF of {@code collected} to {@code output}. */
    static void write(Path output, String orderId, Collected collected, Instant at) {
        List<String> lines = new ArrayList<>();
        lines.add("#Cachet evidence file");
        lines.addAll(collected.title());
        lines.add("Made " + at + " (UTC). Sealed by the platform (PAdES-LTA); archive time-stamps are added before the"
                + " last one weakens.");
        lines.add("");
        lines.add("#Contents (embedded files)");
        int n = 1;
        for (Section s : collected.sections()) {
            lines.add(n++ + ". " + s.name() + " - " + s.description());
            lines.add("   " + s.mediaType() + ", " + s.content().length + " bytes, SHA-256 " + Digests.sha256Hex(s.content()));
        }
        lines.add("");
        lines.add("#Missing sections");
        if (collected.missing().isEmpty()) {
            lines.add("None.");
        } else {
            collected.missing().forEach(m -> lines.add("- " + m));
        }
        PDType1Font regular = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
        PDType1Font bold = new PDType1Font(Standard14Fonts.FontName.HELVETICA_BOLD);
        try (PDDocument doc = new PDDocument()) {
            PDPage page = null;
            PDPageContentStream text = null;
            float y = 0;
            for (String raw : wrap(lines)) {
                if (page == null || y < MARGIN) {
                    if (text != null) {
                        text.endText();
                        text.close();
                    }
                    page = new PDPage(PDRectangle.A4);
                    doc.addPage(page);
                    text = new PDPageContentStream(doc, page);
                    text.beginText();
                    y = PDRectangle.A4.getHeight() - MARGIN;
                    text.newLineAtOffset(MARGIN, y);
                }
                boolean heading = raw.startsWith("#");
                text.setFont(heading ? bold : regular, heading ? 13 : 9);
                text.showText(printable(heading ? raw.substring(1) : raw, heading ? bold : regular));
                text.newLineAtOffset(0, -LEADING);
                y -= LEADING;
            }
            if (text != null) {
                text.endText();
                text.close();
            }
            Map<String, PDComplexFileSpecification> files = new LinkedHashMap<>();
            Calendar when = GregorianCalendar.getInstance(TimeZone.getTimeZone("UTC"));
            when.setTimeInMillis(at.toEpochMilli());
            for (Section s : collected.sections()) {
                PDEmbeddedFile ef = new PDEmbeddedFile(doc, new ByteArrayInputStream(s.content()));
                ef.setSubtype(s.mediaType());
                ef.setSize(s.content().length);
                ef.setCreationDate(when);
                PDComplexFileSpecification spec = new PDComplexFileSpecification();
                spec.setFile(s.name());
                spec.setFileUnicode(s.name());
                spec.setFileDescription(s.description());
                spec.setEmbeddedFile(ef);
                spec.setEmbeddedFileUnicode(ef);
                files.put(s.name(), spec);
            }
            PDEmbeddedFilesNameTreeNode tree = new PDEmbeddedFilesNameTreeNode();
            tree.setNames(files);
            PDDocumentNameDictionary names = new PDDocumentNameDictionary(doc.getDocumentCatalog());
            names.setEmbeddedFiles(tree);
            doc.getDocumentCatalog().setNames(names);
            PDDocumentInformation info = doc.getDocumentInformation();
            info.setTitle("Cachet evidence file " + orderId);
            info.setProducer("Cachet");
            info.setCreationDate(when);
            doc.save(output.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the evidence PDF: " + e.getMessage(), e);
        }
    }

    private static List<String> wrap(List<String> lines) {
        List<String> out = new ArrayList<>();
        for (String l : lines) {
            String rest = l;
            while (rest.length() > WRAP) {
                int cut = rest.lastIndexOf(' ', WRAP);
                cut = cut <= 0 ? WRAP : cut;
                out.add(rest.substring(0, cut));
                rest = "   " + rest.substring(cut).strip();
            }
            out.add(rest);
        }
        return out;
    }

    /** The text with every character the standard font cannot show replaced by '?'. */
    private static String printable(String s, PDType1Font font) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            try {
                font.encode(String.valueOf(c));
                b.append(c);
            } catch (IOException | IllegalArgumentException e) {
                b.append('?');
            }
        }
        return b.toString();
    }

    /** The names of the embedded files of a PDF, in name order. */
    static List<String> attachments(Path pdf) {
        try (PDDocument doc = Loader.loadPDF(pdf.toFile())) {
            PDDocumentNameDictionary names = doc.getDocumentCatalog().getNames();
            if (names == null || names.getEmbeddedFiles() == null || names.getEmbeddedFiles().getNames() == null) {
                return List.of();
            }
            return List.copyOf(new java.util.TreeSet<>(names.getEmbeddedFiles().getNames().keySet()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The bytes of one embedded file, if there. */
    static Optional<byte[]> attachment(Path pdf, String name) {
        try (PDDocument doc = Loader.loadPDF(pdf.toFile())) {
            PDDocumentNameDictionary names = doc.getDocumentCatalog().getNames();
            if (names == null || names.getEmbeddedFiles() == null || names.getEmbeddedFiles().getNames() == null) {
                return Optional.empty();
            }
            PDComplexFileSpecification spec = names.getEmbeddedFiles().getNames().get(name);
            return spec == null ? Optional.empty() : Optional.of(spec.getEmbeddedFile().toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The archive time-stamps of a sealed PDF.
     *
     * @param count how many document time-stamps it carries
     * @param lastTime the time of the newest one
     * @param lastTsaValidUntil the end of validity of the certificate of the TSA that made the newest one
     */
    record Timestamps(int count, Instant lastTime, Optional<Instant> lastTsaValidUntil) {
    }

    static Timestamps timestamps(Path pdf) {
        try (PDDocument doc = Loader.loadPDF(pdf.toFile())) {
            int count = 0;
            Instant last = null;
            Instant validUntil = null;
            for (PDSignature s : doc.getSignatureDictionaries()) {
                if (!"ETSI.RFC3161".equals(s.getSubFilter())) {
                    continue;
                }
                count++;
                TimeStampToken token = new TimeStampToken(new CMSSignedData(s.getContents()));
                Instant t = token.getTimeStampInfo().getGenTime().toInstant();
                if (last == null || !t.isBefore(last)) {
                    last = t;
                    @SuppressWarnings("unchecked")
                    Selector<X509CertificateHolder> sid = (Selector<X509CertificateHolder>) (Selector<?>) token.getSID();
                    validUntil = token.getCertificates().getMatches(sid).stream().findFirst().map(h -> {
                        try {
                            X509Certificate c = new JcaX509CertificateConverter().getCertificate(h);
                            return c.getNotAfter().toInstant();
                        } catch (java.security.cert.CertificateException e) {
                            return null;
                        }
                    }).orElse(null);
                }
            }
            return new Timestamps(count, last, Optional.ofNullable(validUntil));
        } catch (IOException | org.bouncycastle.cms.CMSException | org.bouncycastle.tsp.TSPException e) {
            throw new IllegalStateException("cannot read the archive time-stamps: " + e.getMessage(), e);
        }
    }
}
