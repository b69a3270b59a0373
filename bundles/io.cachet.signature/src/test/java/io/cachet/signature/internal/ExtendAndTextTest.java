package io.cachet.signature.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.contentstream.operator.Operator;
import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSBase;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSString;
import org.apache.pdfbox.pdfparser.PDFStreamParser;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDResources;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.pdmodel.graphics.PDXObject;
import org.apache.pdfbox.pdmodel.graphics.form.PDFormXObject;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAnnotation;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cachet.api.signature.Level;
import io.cachet.api.signature.SignOptions;
import io.cachet.api.signature.SignatureException;
import io.cachet.api.signature.Signer;
import io.cachet.api.signature.SigningKey;
import io.cachet.api.signature.ValidationOptions;
import io.cachet.api.signature.ValidationResult;
import io.cachet.api.signature.Validator;
import io.cachet.api.signature.VisibleSignature;
import io.cachet.api.token.KeyAlgorithm;
import io.cachet.signature.launch.Signatures;
import io.cachet.signature.testing.Pdfs;
import io.cachet.signature.testing.TestPki;
import io.cachet.signature.testing.Tools;

/**
 * Visible boxes with the caller's own lines, and signatures extended to LT and LTA without signing again: checked by
 * pdfsig, openssl (document time-stamps) and DSS at the level reached.
 */
class ExtendAndTextTest {
    static TestPki pki;
    static SigningKey ec;
    static SigningKey rsa;
    final Signer signer = Signatures.signer();
    final Validator validator = Signatures.validator();

    @TempDir
    Path dir;

    @BeforeAll
    static void pki() {
        pki = TestPki.get();
        ec = pki.seal(KeyAlgorithm.EC_P256);
        rsa = pki.seal(KeyAlgorithm.RSA_3072);
    }

    SignOptions options(Level level) {
        return SignOptions.pades(level).withTsa(pki.tsaUrl()).withTrustAnchors(pki.trustAnchors());
    }

    ValidationResult validate(Path pdf) {
        return validator.validate(pdf, List.of(), ValidationOptions.trusting(pki.trustAnchors()));
    }

    Path pem(String name) throws IOException {
        pki.writePem(dir);
        return dir.resolve(name);
    }

    @Test
    void theBoxShowsTheGivenLinesAndTwoSuchSignaturesStayValid() throws Exception {
        List<String> first = List.of("Jeanne Martin", "accepted by SMS code to +33 6 •• •• •• 12",
                "2026-12-03 02:30 UTC");
        List<String> second = List.of("Paul Durand", "accepté par code SMS au +33 7 •• •• •• 34",
                "2026-12-03 02:41 UTC");
        Path once = dir.resolve("once.pdf");
        Path twice = dir.resolve("twice.pdf");
        signer.sign(Pdfs.pages(dir.resolve("in.pdf"), 2), once, ec, options(Level.LT)
                .withVisibleSignature(VisibleSignature.defaults().at(2, 36, 600).withSize(250, 60).withText(first)));
        Tools.pdfsigValid(once, 1);
        Tools.dssPassed(validate(once), 1, "PAdES-BASELINE-LT");
        signer.sign(once, twice, rsa, options(Level.LT)
                .withVisibleSignature(VisibleSignature.defaults().at(2, 300, 600).withSize(250, 60).withText(second)));

        Tools.pdfsigValid(twice, 2);
        ValidationResult result = validate(twice);
        Tools.dssPassed(result, 2, "PAdES-BASELINE-LT");
        result.signatures().forEach(s -> assertEquals("PAdES-BASELINE-LT", s.format(), s.toString()));
        byte[] a = Files.readAllBytes(once);
        byte[] b = Files.readAllBytes(twice);
        assertEquals(ByteBuffer.wrap(a), ByteBuffer.wrap(b, 0, a.length), "the first signed revision is kept");

        try (PDDocument pdf = Loader.loadPDF(twice.toFile())) {
            List<PDAnnotation> widgets = pdf.getPage(1).getAnnotations().stream()
                    .filter(w -> "Widget".equals(w.getSubtype())).toList();
            assertEquals(2, widgets.size());
            String shown = text(widgets.get(0).getNormalAppearanceStream()) + " | "
                    + text(widgets.get(1).getNormalAppearanceStream());
            for (String line : first) {
                assertTrue(shown.contains(line), "'" + line + "' is drawn in: " + shown);
            }
            for (String line : second) {
                assertTrue(shown.contains(line), "'" + line + "' is drawn in: " + shown);
            }
            assertTrue(!shown.contains("ACME"), "the default text (organisation) is not drawn: " + shown);
        }
    }

    @Test
    void aBasicSignatureIsExtendedToLtThenLtaThenReTimestamped() throws Exception {
        Path b = dir.resolve("b.pdf");
        Path lt = dir.resolve("lt.pdf");
        Path lta = dir.resolve("lta.pdf");
        Path lta2 = dir.resolve("lta2.pdf");
        signer.sign(Pdfs.pages(dir.resolve("in.pdf"), 1), b, ec, options(Level.B));
        Tools.dssPassed(validate(b), 1, "PAdES-BASELINE-B");

        int tsaBefore = pki.hits("/tsa");
        signer.extend(b, lt, options(Level.LT));
        assertTrue(pki.hits("/tsa") > tsaBefore, "the signature time-stamp was asked for");
        // PAdES reaches T after signing with a document time-stamp (ETSI EN 319 142-1, 5.4)
        assertEquals(1, Tools.pdfsigValid(lt, 1));
        assertEquals(1, Tools.opensslDocumentTimestamps(lt, pem("chain.pem"), pem("tsa.pem")));
        Tools.dssPassed(validate(lt), 1, "PAdES-BASELINE-LT");

        signer.extend(lt, lta, options(Level.LTA));
        assertEquals(2, Tools.pdfsigValid(lta, 1));
        assertEquals(2, Tools.opensslDocumentTimestamps(lta, pem("chain.pem"), pem("tsa.pem")));
        Tools.dssPassed(validate(lta), 1, "PAdES-BASELINE-LTA");

        // LTA again: a fresh archive time-stamp over everything, the earlier ones kept
        signer.extend(lta, lta2, options(Level.LTA));
        assertEquals(3, Tools.pdfsigValid(lta2, 1));
        assertEquals(3, Tools.opensslDocumentTimestamps(lta2, pem("chain.pem"), pem("tsa.pem")));
        Tools.dssPassed(validate(lta2), 1, "PAdES-BASELINE-LTA");

        for (Path[] pair : new Path[][] { { b, lt }, { lt, lta }, { lta, lta2 } }) {
            byte[] before = Files.readAllBytes(pair[0]);
            byte[] after = Files.readAllBytes(pair[1]);
            assertEquals(ByteBuffer.wrap(before), ByteBuffer.wrap(after, 0, before.length),
                    pair[1].getFileName() + " is an incremental update of " + pair[0].getFileName());
        }
    }

    @Test
    void whatCannotBeExtendedIsRefusedAndNothingIsWritten() throws Exception {
        Path unsigned = Pdfs.pages(dir.resolve("in.pdf"), 1);
        Path out = dir.resolve("out.pdf");
        SignatureException none = assertThrows(SignatureException.class,
                () -> signer.extend(unsigned, out, options(Level.LT)));
        assertEquals(SignatureException.Reason.INVALID_OPTIONS, none.reason());
        assertTrue(none.getMessage().contains("no signature"), none.getMessage());

        Path signed = dir.resolve("signed.pdf");
        signer.sign(unsigned, signed, ec, options(Level.B));
        assertEquals(SignatureException.Reason.INVALID_OPTIONS, assertThrows(SignatureException.class,
                () -> signer.extend(signed, out, options(Level.B))).reason());
        assertEquals(SignatureException.Reason.INVALID_OPTIONS, assertThrows(SignatureException.class,
                () -> signer.extend(signed, out, SignOptions.xades(io.cachet.api.signature.Packaging.ENVELOPED,
                        Level.LT).withTsa(pki.tsaUrl()))).reason());
        assertEquals(SignatureException.Reason.INVALID_OPTIONS, assertThrows(SignatureException.class,
                () -> signer.extend(signed, signed, options(Level.LT))).reason());
        assertTrue(!Files.exists(out));
    }

    /** The text an appearance stream draws, decoded through its fonts (ToUnicode), one space between strings. */
    static String text(PDFormXObject form) throws IOException {
        StringBuilder b = new StringBuilder();
        collect(form, b);
        return b.toString().replaceAll("\\s+", " ").trim();
    }

    private static void collect(PDFormXObject form, StringBuilder b) throws IOException {
        PDResources resources = form.getResources();
        PDFStreamParser parser = new PDFStreamParser(form);
        List<Object> operands = new ArrayList<>();
        PDFont font = null;
        StringBuilder line = new StringBuilder();
        for (Object token = parser.parseNextToken(); token != null; token = parser.parseNextToken()) {
            if (!(token instanceof Operator op)) {
                operands.add(token);
                continue;
            }
            switch (op.getName()) {
            case "Tf" -> font = resources.getFont((COSName) operands.get(0));
            case "Tj", "'", "\"" -> decode(font, (COSString) operands.get(operands.size() - 1), line);
            case "TJ" -> {
                for (COSBase e : (COSArray) operands.get(0)) {
                    if (e instanceof COSString s) {
                        decode(font, s, line);
                    }
                }
            }
            case "Do" -> {
                PDXObject x = resources.getXObject((COSName) operands.get(0));
                if (x instanceof PDFormXObject f) {
                    collect(f, b);
                }
            }
            default -> {
                // other operators draw no text
            }
            }
            if (op.getName().startsWith("T") || op.getName().equals("'") || op.getName().equals("ET")) {
                if (line.length() > 0) {
                    b.append(line).append(' ');
                    line.setLength(0);
                }
            }
            operands.clear();
        }
        b.append(line);
    }

    private static void decode(PDFont font, COSString s, StringBuilder b) throws IOException {
        InputStream in = new ByteArrayInputStream(s.getBytes());
        while (in.available() > 0) {
            int code = font.readCode(in);
            String unicode = font.toUnicode(code);
            b.append(unicode == null ? "?" : unicode);
        }
    }
}
