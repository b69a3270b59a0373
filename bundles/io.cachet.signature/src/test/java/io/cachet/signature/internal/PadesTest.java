package io.cachet.signature.internal;

import io.cachet.signature.testing.Pdfs;
import io.cachet.signature.testing.TestPki;
import io.cachet.signature.testing.Tools;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import javax.imageio.ImageIO;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAnnotation;
import org.apache.pdfbox.pdmodel.interactive.digitalsignature.PDSignature;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.cachet.api.token.KeyAlgorithm;
import io.cachet.api.signature.Level;
import io.cachet.api.signature.SignOptions;
import io.cachet.signature.launch.Signatures;
import io.cachet.api.signature.Signer;
import io.cachet.api.signature.SigningKey;
import io.cachet.api.signature.ValidationOptions;
import io.cachet.api.signature.ValidationResult;
import io.cachet.api.signature.Validator;
import io.cachet.api.signature.VisibleSignature;

/** PAdES at every level on a variety of PDFs, checked by pdfsig and by DSS with the test CA as trust anchor. */
class PadesTest {
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

    Path pem(String name) throws java.io.IOException {
        pki.writePem(dir);
        return dir.resolve(name);
    }

    ValidationResult validate(Path pdf) {
        return validator.validate(pdf, List.of(), ValidationOptions.trusting(pki.trustAnchors()));
    }

    @ParameterizedTest
    @EnumSource(Level.class)
    void everyLevelPassesPdfsigAndDss(Level level) throws Exception {
        Path in = Pdfs.pages(dir.resolve("in.pdf"), 3);
        Path out = dir.resolve("out-" + level + ".pdf");
        int ocspBefore = pki.hits("/ocsp");
        int tsaBefore = pki.hits("/tsa");
        signer.sign(in, out, ec, options(level));
        int documentTimestamps = Tools.pdfsigValid(out, 1);
        assertEquals(level == Level.LTA ? 1 : 0, documentTimestamps);
        assertEquals(documentTimestamps, Tools.opensslDocumentTimestamps(out, pem("chain.pem"), pem("tsa.pem")));
        Tools.dssPassed(validate(out), 1, "PAdES-BASELINE-" + level);
        assertTrue(pki.hits("/ocsp") > ocspBefore, "the signing certificate's revocation was checked");
        if (level.needsTimestamp()) {
            assertTrue(pki.hits("/tsa") > tsaBefore, "the TSA was asked");
        }
        // the original bytes are untouched: the signature is an incremental update
        byte[] original = Files.readAllBytes(in);
        byte[] signed = Files.readAllBytes(out);
        assertTrue(signed.length > original.length);
        assertEquals(java.nio.ByteBuffer.wrap(original), java.nio.ByteBuffer.wrap(signed, 0, original.length));
    }

    /**
     * PDFs written by other producers than PDFBox: cairo (poppler's pdftocairo) and qpdf (cross-reference and object
     * streams, linearized for the web), as customers' office tools and scanners write them.
     */
    @ParameterizedTest
    @ValueSource(strings = { "cairo", "qpdf" })
    void pdfsOfOtherProducers(String producer) throws Exception {
        Path source = Pdfs.form(dir.resolve("source.pdf"));
        Path in = dir.resolve(producer + ".pdf");
        Tools.Result made = producer.equals("cairo")
                ? Tools.run(dir, "pdftocairo", "-pdf", source.toString(), in.toString())
                : Tools.run(dir, "qpdf", "--object-streams=generate", "--linearize", source.toString(), in.toString());
        // qpdf exits 3 when it succeeded with warnings (it notes that PDFBox's trailer /Size counts freed objects)
        assertTrue(made.exit() == 0 || producer.equals("qpdf") && made.exit() == 3, made.out());
        String head = new String(Files.readAllBytes(in), java.nio.charset.StandardCharsets.ISO_8859_1);
        assertTrue(producer.equals("cairo") ? head.contains("cairo") : head.contains("/ObjStm")
                && head.contains("/Linearized"), "made by " + producer);
        Path out = dir.resolve(producer + "-signed.pdf");
        signer.sign(in, out, ec, options(Level.T));
        Tools.pdfsigValid(out, 1);
        Tools.dssPassed(validate(out), 1, "PAdES-BASELINE-T");
    }

    /**
     * Two LT signatures in a row with one certificate, against a responder that gives nonce-less requests the answer
     * of minutes before (TestPki): each asks with a nonce, so each carries an answer produced after its own
     * time-stamp and both are LT, not T.
     */
    @Test
    void ltSignaturesInARowEachGetAnAnswerMadeForThem() throws Exception {
        Path in = Pdfs.pages(dir.resolve("in.pdf"), 1);
        int withoutNonce = pki.ocspWithoutNonce.get();
        int ocspBefore = pki.hits("/ocsp");
        signer.sign(in, dir.resolve("first.pdf"), ec, options(Level.LT));
        signer.sign(in, dir.resolve("second.pdf"), ec, options(Level.LT));
        assertTrue(pki.hits("/ocsp") >= ocspBefore + 2, "each signature asked the responder");
        assertEquals(withoutNonce, pki.ocspWithoutNonce.get(), "every OCSP request of the signer had a nonce");
        Tools.dssPassed(validate(dir.resolve("first.pdf")), 1, "PAdES-BASELINE-LT");
        Tools.dssPassed(validate(dir.resolve("second.pdf")), 1, "PAdES-BASELINE-LT");
    }

    @Test
    void rsaKeyAtLta() throws Exception {
        Path out = dir.resolve("rsa.pdf");
        signer.sign(Pdfs.pages(dir.resolve("in.pdf"), 1), out, rsa, options(Level.LTA));
        assertEquals(1, Tools.pdfsigValid(out, 1));
        assertEquals(1, Tools.opensslDocumentTimestamps(out, pem("chain.pem"), pem("tsa.pem")));
        Tools.dssPassed(validate(out), 1, "PAdES-BASELINE-LTA");
    }

    @Test
    void rsaPssSignature() throws Exception {
        Path out = dir.resolve("pss.pdf");
        signer.sign(Pdfs.pages(dir.resolve("in.pdf"), 1), out, rsa,
                options(Level.T).withAlgorithm(io.cachet.api.token.SignatureAlgorithm.RSA_PSS_SHA256));
        Tools.dssPassed(validate(out), 1, "PAdES-BASELINE-T");
        assertTrue(validate(out).diagnosticDataXml().contains("RSASSA-PSS"), "PSS signature");
    }

    @Test
    void visibleSignatureWithLogoOnAChosenPage() throws Exception {
        Path logo = dir.resolve("logo.png");
        BufferedImage image = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(new Color(0x0b3d91));
        g.fillRect(0, 0, 64, 64);
        g.dispose();
        ImageIO.write(image, "png", logo.toFile());
        Path out = dir.resolve("visible.pdf");
        VisibleSignature visible = VisibleSignature.defaults().at(2, 100, 200).withSize(220, 70).withLogo(logo);
        signer.sign(Pdfs.pages(dir.resolve("in.pdf"), 3), out, ec,
                options(Level.LT).withVisibleSignature(visible));
        Tools.pdfsigValid(out, 1);
        Tools.dssPassed(validate(out), 1, "PAdES-BASELINE-LT");
        try (PDDocument pdf = Loader.loadPDF(out.toFile())) {
            PDAnnotation widget = pdf.getPage(1).getAnnotations().stream()
                    .filter(a -> "Widget".equals(a.getSubtype())).findFirst()
                    .orElseThrow(() -> new AssertionError("no signature widget on page 2"));
            assertEquals(220, widget.getRectangle().getWidth(), 0.5);
            assertEquals(70, widget.getRectangle().getHeight(), 0.5);
            // DSS measures y from the top of the page: 842 - 200 - 70 = 572
            assertEquals(572, widget.getRectangle().getLowerLeftY(), 1);
            assertTrue(widget.getNormalAppearanceStream() != null, "the widget has an appearance");
            assertTrue(pdf.getPage(0).getAnnotations().isEmpty() && pdf.getPage(2).getAnnotations().isEmpty());
            String appearance = new String(widget.getNormalAppearanceStream().getContentStream().toByteArray(),
                    java.nio.charset.StandardCharsets.ISO_8859_1);
            assertTrue(appearance.contains("Do"), "the logo is drawn: " + appearance);
        }
    }

    @Test
    void formsAttachmentsAndPdfaMetadataAreSignedAndKept() throws Exception {
        for (Path in : List.of(Pdfs.form(dir.resolve("form.pdf")), Pdfs.attachment(dir.resolve("att.pdf"), 200_000),
                Pdfs.pdfaLike(dir.resolve("pdfa.pdf")))) {
            Path out = dir.resolve("signed-" + in.getFileName());
            signer.sign(in, out, ec, options(Level.T));
            Tools.pdfsigValid(out, 1);
            Tools.dssPassed(validate(out), 1, "PAdES-BASELINE-T");
            try (PDDocument pdf = Loader.loadPDF(out.toFile())) {
                if (in.getFileName().toString().startsWith("form")) {
                    assertEquals("ACME SAS", pdf.getDocumentCatalog().getAcroForm().getField("company")
                            .getValueAsString());
                }
                if (in.getFileName().toString().startsWith("att")) {
                    assertTrue(pdf.getDocumentCatalog().getNames().getEmbeddedFiles().getNames()
                            .containsKey("data.bin"));
                }
                if (in.getFileName().toString().startsWith("pdfa")) {
                    String xmp = new String(pdf.getDocumentCatalog().getMetadata().toByteArray(),
                            java.nio.charset.StandardCharsets.UTF_8);
                    assertTrue(xmp.contains("pdfaid"), xmp);
                    assertEquals(1, pdf.getDocumentCatalog().getOutputIntents().size());
                }
            }
        }
    }

    @Test
    void aSignedPdfGetsASecondSignatureAndTheFirstStaysValid() throws Exception {
        Path once = dir.resolve("once.pdf");
        Path twice = dir.resolve("twice.pdf");
        signer.sign(Pdfs.pages(dir.resolve("in.pdf"), 2), once, ec, options(Level.B)
                .withVisibleSignature(VisibleSignature.defaults().at(1, 36, 36)));
        signer.sign(once, twice, rsa, options(Level.LTA)
                .withVisibleSignature(VisibleSignature.defaults().at(1, 300, 36).withOrganisation("Second Org")));
        int documentTimestamps = Tools.pdfsigValid(twice, 2);
        assertTrue(documentTimestamps >= 1, "LTA added a document time-stamp");
        assertEquals(documentTimestamps, Tools.opensslDocumentTimestamps(twice, pem("chain.pem"), pem("tsa.pem")));
        ValidationResult result = validate(twice);
        Tools.dssPassed(result, 2, null);
        try (PDDocument pdf = Loader.loadPDF(twice.toFile())) {
            List<PDSignature> signatures = pdf.getSignatureDictionaries().stream()
                    .filter(s -> !"ETSI.RFC3161".equals(s.getSubFilter())).toList();
            assertEquals(2, signatures.size());
        }
        byte[] first = Files.readAllBytes(once);
        byte[] second = Files.readAllBytes(twice);
        assertEquals(java.nio.ByteBuffer.wrap(first), java.nio.ByteBuffer.wrap(second, 0, first.length),
                "the first signed revision is kept byte for byte");
    }

    @Test
    void largePdfOfTensOfMegabytes() throws Exception {
        Path in = Pdfs.attachment(dir.resolve("large.pdf"), 40L << 20);
        assertTrue(Files.size(in) > 40L << 20);
        Path out = dir.resolve("large-signed.pdf");
        signer.sign(in, out, ec, options(Level.T));
        Tools.pdfsigValid(out, 1);
        Tools.dssPassed(validate(out), 1, "PAdES-BASELINE-T");
    }

    /** An encrypted PDF signs with its password; at LT the DSS dictionary is written with it too. */
    @ParameterizedTest
    @EnumSource(value = Level.class, names = { "T", "LT" })
    void encryptedPdfSignsWithItsPassword(Level level) throws Exception {
        Path in = Pdfs.encrypted(dir.resolve("enc.pdf"), "user-secret", "owner-secret");
        Path out = dir.resolve("enc-signed.pdf");
        signer.sign(in, out, ec, options(level).withPdfPassword("user-secret".toCharArray()));
        Tools.pdfsigValid(out, 1, "-upw", "user-secret");
        Tools.dssPassed(validator.validate(out, List.of(), ValidationOptions.trusting(pki.trustAnchors())
                .withPdfPassword("user-secret".toCharArray())), 1, "PAdES-BASELINE-" + level);
    }
}
