package io.cachet.signature.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentCatalog;
import org.apache.pdfbox.pdmodel.PDDocumentNameDictionary;
import org.apache.pdfbox.pdmodel.PDJavascriptNameTreeNode;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.PDResources;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.apache.pdfbox.pdmodel.interactive.action.PDActionJavaScript;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAnnotation;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAnnotationFreeText;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAppearanceDictionary;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAppearanceStream;
import org.apache.pdfbox.pdmodel.interactive.form.PDAcroForm;
import org.apache.pdfbox.pdmodel.interactive.form.PDField;

/**
 * Signed PDFs changed afterwards by incremental updates, as an attacker would (the "shadow attacks" of
 * pdf-insecurity.org): the signature's byte range stays intact, but what a viewer shows or runs is not what was
 * signed. Each method appends one revision to a copy of {@code signed}.
 */
public final class Forgeries {
    public static final String FORGED_TEXT = "PAY 1,000,000 EUR TO MALLORY";

    private Forgeries() {
    }

    private interface Change {
        void apply(PDDocument doc) throws IOException;
    }

    private static Path update(Path signed, Path out, Change change) throws IOException {
        try (PDDocument doc = Loader.loadPDF(signed.toFile())) {
            change.apply(doc);
            try (OutputStream o = Files.newOutputStream(out)) {
                doc.saveIncremental(o);
            }
        }
        return out;
    }

    private static PDType1Font helvetica() {
        return new PDType1Font(Standard14Fonts.FontName.HELVETICA_BOLD);
    }

    /** An opaque annotation over the top of page 1 that reads {@link #FORGED_TEXT}. */
    public static Path overlayAnnotation(Path signed, Path out) throws IOException {
        return update(signed, out, doc -> {
            PDPage page = doc.getPage(0);
            PDRectangle box = new PDRectangle(50, 690, 500, 70);
            PDAnnotationFreeText note = new PDAnnotationFreeText();
            note.setRectangle(box);
            note.setContents(FORGED_TEXT);
            note.setPrinted(true);
            PDAppearanceStream appearance = new PDAppearanceStream(doc);
            appearance.setBBox(new PDRectangle(box.getWidth(), box.getHeight()));
            PDResources resources = new PDResources();
            COSName font = resources.add(helvetica());
            appearance.setResources(resources);
            try (PDPageContentStream cs = new PDPageContentStream(doc, appearance)) {
                cs.setNonStrokingColor(1f, 1f, 1f);
                cs.addRect(0, 0, box.getWidth(), box.getHeight());
                cs.fill();
                cs.setNonStrokingColor(0.8f, 0f, 0f);
                cs.beginText();
                cs.setFont((PDType1Font) resources.getFont(font), 24);
                cs.newLineAtOffset(10, 25);
                cs.showText(FORGED_TEXT);
                cs.endText();
            }
            PDAppearanceDictionary ap = new PDAppearanceDictionary();
            ap.setNormalAppearance(appearance);
            note.setAppearance(ap);
            COSArray annotations = page.getCOSObject().getCOSArray(COSName.ANNOTS);
            java.util.List<PDAnnotation> list = page.getAnnotations();
            list.add(note);
            page.setAnnotations(list);
            if (annotations != null) {
                annotations.setNeedToBeUpdated(true);
            }
            page.getCOSObject().setNeedToBeUpdated(true);
        });
    }

    /** Page 1's content and resources replaced: the page now shows only {@link #FORGED_TEXT}. */
    public static Path replacedContent(Path signed, Path out) throws IOException {
        return update(signed, out, doc -> {
            PDPage page = doc.getPage(0);
            page.setResources(new PDResources());
            try (PDPageContentStream cs = new PDPageContentStream(doc, page, PDPageContentStream.AppendMode.OVERWRITE,
                    true)) {
                cs.beginText();
                cs.setFont(helvetica(), 24);
                cs.newLineAtOffset(72, 720);
                cs.showText(FORGED_TEXT);
                cs.endText();
            }
            page.getCOSObject().setNeedToBeUpdated(true);
        });
    }

    /** Document-level JavaScript (/Names /JavaScript), run by a viewer when the document opens. */
    public static Path documentJavaScript(Path signed, Path out) throws IOException {
        return update(signed, out, doc -> {
            PDDocumentCatalog catalog = doc.getDocumentCatalog();
            PDDocumentNameDictionary names = catalog.getNames() != null ? catalog.getNames()
                    : new PDDocumentNameDictionary(catalog);
            PDJavascriptNameTreeNode scripts = new PDJavascriptNameTreeNode();
            scripts.setNames(Map.of("pay", new PDActionJavaScript("app.alert('" + FORGED_TEXT + "');")));
            names.setJavascript(scripts);
            catalog.setNames(names);
            names.getCOSObject().setNeedToBeUpdated(true);
            catalog.getCOSObject().setNeedToBeUpdated(true);
        });
    }

    /** An action run when the document opens (/OpenAction), here JavaScript. */
    public static Path openAction(Path signed, Path out) throws IOException {
        return update(signed, out, doc -> {
            doc.getDocumentCatalog().setOpenAction(new PDActionJavaScript("app.alert('" + FORGED_TEXT + "');"));
            doc.getDocumentCatalog().getCOSObject().setNeedToBeUpdated(true);
        });
    }

    /** A file embedded in the document (/Names /EmbeddedFiles) after signing. */
    public static Path embeddedFile(Path signed, Path out) throws IOException {
        return update(signed, out, doc -> {
            PDDocumentCatalog catalog = doc.getDocumentCatalog();
            PDDocumentNameDictionary names = catalog.getNames() != null ? catalog.getNames()
                    : new PDDocumentNameDictionary(catalog);
            org.apache.pdfbox.pdmodel.common.filespecification.PDEmbeddedFile file =
                    new org.apache.pdfbox.pdmodel.common.filespecification.PDEmbeddedFile(doc,
                            new java.io.ByteArrayInputStream("MZ payload".getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
            org.apache.pdfbox.pdmodel.common.filespecification.PDComplexFileSpecification spec =
                    new org.apache.pdfbox.pdmodel.common.filespecification.PDComplexFileSpecification();
            spec.setFile("invoice.exe");
            spec.setEmbeddedFile(file);
            org.apache.pdfbox.pdmodel.PDEmbeddedFilesNameTreeNode tree =
                    new org.apache.pdfbox.pdmodel.PDEmbeddedFilesNameTreeNode();
            tree.setNames(Map.of("invoice.exe", spec));
            names.setEmbeddedFiles(tree);
            catalog.setNames(names);
            names.getCOSObject().setNeedToBeUpdated(true);
            catalog.getCOSObject().setNeedToBeUpdated(true);
        });
    }

    /** The form field {@code name} set to {@code value}, with its appearance regenerated. */
    public static Path formFill(Path signed, Path out, String name, String value) throws IOException {
        return update(signed, out, doc -> {
            PDAcroForm form = doc.getDocumentCatalog().getAcroForm();
            PDField field = form.getField(name);
            field.setValue(value);
            field.getCOSObject().setNeedToBeUpdated(true);
            field.getWidgets().forEach(w -> {
                w.getCOSObject().setNeedToBeUpdated(true);
                if (w.getAppearance() != null) {
                    w.getAppearance().getCOSObject().setNeedToBeUpdated(true);
                }
            });
        });
    }
}
