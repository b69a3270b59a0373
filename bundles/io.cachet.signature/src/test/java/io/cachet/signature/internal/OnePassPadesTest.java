package io.cachet.signature.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.interactive.digitalsignature.PDSignature;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.asn1.cms.CMSAttributes;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.SignerInformation;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.cachet.api.signature.Level;
import io.cachet.api.signature.SignOptions;
import io.cachet.api.signature.Signer;
import io.cachet.api.signature.SigningKey;
import io.cachet.api.signature.ValidationOptions;
import io.cachet.api.signature.ValidationResult;
import io.cachet.api.signature.Validator;
import io.cachet.api.signature.Verdict;
import io.cachet.api.token.KeyAlgorithm;
import io.cachet.api.token.SignatureAlgorithm;
import io.cachet.signature.launch.Signatures;
import io.cachet.signature.testing.Pdfs;
import io.cachet.signature.testing.TestPki;
import io.cachet.signature.testing.Tools;

/**
 * The one-pass PAdES path (PadesFast: one parse, one incremental save, the CMS written at its reserved offset): its
 * output checked by DSS (TOTAL_PASSED at the level asked) and pdfsig at every level, its CMS as PAdES baseline wants
 * it, on PDFs shaped like customers' (cross-reference and object streams, many pages, forms, PDF/A), and a change
 * inside the signed bytes still refused.
 */
class OnePassPadesTest {
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

    /** The first signature's dictionary and CMS, after checking what PadesFast writes in the dictionary. */
    static CMSSignedData firstSignature(Path pdf) throws Exception {
        try (PDDocument doc = Loader.loadPDF(pdf.toFile())) {
            PDSignature signature = doc.getSignatureDictionaries().get(0);
            assertEquals(PDSignature.SUBFILTER_ETSI_CADES_DETACHED.getName(), signature.getSubFilter());
            assertEquals(PDSignature.FILTER_ADOBE_PPKLITE.getName(), signature.getFilter());
            assertNotNull(signature.getSignDate(), "the signing time is in /M");
            COSDictionary build = signature.getCOSObject().getCOSDictionary(COSName.getPDFName("Prop_Build"));
            assertEquals("Cachet", build.getCOSDictionary(COSName.getPDFName("App")).getNameAsString(COSName.NAME));
            return new CMSSignedData(signature.getContents());
        }
    }

    /** PAdES baseline attributes: content-type, message-digest, signing-certificate-v2 and no signing-time. */
    static SignerInformation baseline(CMSSignedData cms, boolean timestamp) {
        assertTrue(cms.isDetachedSignature());
        SignerInformation signer = cms.getSignerInfos().getSigners().iterator().next();
        AttributeTable signed = signer.getSignedAttributes();
        assertEquals(3, signed.size(), "exactly three signed attributes: " + signed.toHashtable().keySet());
        assertNotNull(signed.get(CMSAttributes.contentType));
        assertNotNull(signed.get(CMSAttributes.messageDigest));
        assertNotNull(signed.get(PKCSObjectIdentifiers.id_aa_signingCertificateV2));
        assertNull(signed.get(CMSAttributes.signingTime), "no signing-time attribute in PAdES");
        AttributeTable unsigned = signer.getUnsignedAttributes();
        if (timestamp) {
            assertNotNull(unsigned.get(PKCSObjectIdentifiers.id_aa_signatureTimeStampToken), "signature time-stamp");
        } else {
            assertTrue(unsigned == null || unsigned.get(PKCSObjectIdentifiers.id_aa_signatureTimeStampToken) == null);
        }
        return signer;
    }

    @ParameterizedTest
    @EnumSource(Level.class)
    void everyLevelPassesDssAndPdfsig(Level level) throws Exception {
        Path in = Pdfs.pages(dir.resolve("in.pdf"), 2);
        Path out = dir.resolve("out-" + level + ".pdf");
        signer.sign(in, out, ec, options(level));
        assertEquals(level == Level.LTA ? 1 : 0, Tools.pdfsigValid(out, 1));
        Tools.dssPassed(validate(out), 1, "PAdES-BASELINE-" + level);
        baseline(firstSignature(out), level != Level.B);
        byte[] original = Files.readAllBytes(in);
        byte[] signed = Files.readAllBytes(out);
        assertEquals(java.nio.ByteBuffer.wrap(original), java.nio.ByteBuffer.wrap(signed, 0, original.length),
                "an incremental update: the original bytes come first, untouched");
    }

    @Test
    void rsaPkcs1AndPssKeys() throws Exception {
        for (SignatureAlgorithm algorithm : List.of(SignatureAlgorithm.RSA_PKCS1_SHA256,
                SignatureAlgorithm.RSA_PSS_SHA256)) {
            Path out = dir.resolve("rsa-" + algorithm + ".pdf");
            signer.sign(Pdfs.pages(dir.resolve("in.pdf"), 1), out, rsa, options(Level.T).withAlgorithm(algorithm));
            Tools.dssPassed(validate(out), 1, "PAdES-BASELINE-T");
            baseline(firstSignature(out), true);
            if (!algorithm.pss()) {
                Tools.pdfsigValid(out, 1);
            }
        }
    }

    /**
     * Shapes of real-world PDFs: cross-reference and object streams written by qpdf (as most office tools and
     * scanners write them), 300 pages, an AcroForm, a PDF/A-2b claim whose metadata must survive the update.
     */
    @ParameterizedTest
    @ValueSource(strings = { "object-streams", "many-pages", "form", "pdfa" })
    void realWorldShapes(String shape) throws Exception {
        Path in = switch (shape) {
        case "object-streams" -> {
            Path source = Pdfs.pages(dir.resolve("source.pdf"), 40);
            Path qpdf = dir.resolve("objstm.pdf");
            Tools.Result made = Tools.run(dir, "qpdf", "--object-streams=generate", source.toString(), qpdf.toString());
            assertTrue(made.exit() == 0 || made.exit() == 3, made.out());
            String text = new String(Files.readAllBytes(qpdf), StandardCharsets.ISO_8859_1);
            assertTrue(text.contains("/ObjStm") && text.contains("/XRef"), "object and cross-reference streams");
            yield qpdf;
        }
        case "many-pages" -> Pdfs.pages(dir.resolve("many.pdf"), 300);
        case "form" -> Pdfs.form(dir.resolve("form.pdf"));
        default -> Pdfs.pdfaLike(dir.resolve("pdfa.pdf"));
        };
        for (Level level : List.of(Level.B, Level.T)) {
            Path out = dir.resolve(shape + "-" + level + ".pdf");
            signer.sign(in, out, ec, options(level));
            Tools.pdfsigValid(out, 1);
            Tools.dssPassed(validate(out), 1, "PAdES-BASELINE-" + level);
            baseline(firstSignature(out), level == Level.T);
            try (PDDocument signed = Loader.loadPDF(out.toFile()); PDDocument original = Loader.loadPDF(in.toFile())) {
                assertEquals(original.getNumberOfPages(), signed.getNumberOfPages());
                if (shape.equals("pdfa")) {
                    assertNotNull(signed.getDocumentCatalog().getMetadata(), "the PDF/A metadata is kept");
                    assertFalse(signed.getDocumentCatalog().getOutputIntents().isEmpty(), "the output intent is kept");
                }
                if (shape.equals("form")) {
                    assertEquals("ACME SAS", signed.getDocumentCatalog().getAcroForm().getField("company")
                            .getValueAsString());
                }
            }
        }
    }

    /** One byte changed inside the signed range (a comment, so the PDF still opens): not valid any more. */
    @Test
    void aChangeInsideTheSignedBytesIsRefused() throws Exception {
        Path out = dir.resolve("signed.pdf");
        signer.sign(Pdfs.pages(dir.resolve("in.pdf"), 1), out, ec, options(Level.B));
        Tools.dssPassed(validate(out), 1, "PAdES-BASELINE-B");
        byte[] bytes = Files.readAllBytes(out);
        int comment = new String(bytes, StandardCharsets.ISO_8859_1).indexOf("\n%", 5) + 2;
        assertTrue(comment > 2 && comment < 32, "the binary comment after the header");
        bytes[comment] ^= 0x01;
        Path changed = Files.write(dir.resolve("changed.pdf"), bytes);
        ValidationResult result = validate(changed);
        assertNotEquals(Verdict.VALID, result.verdict(), result.summary());
        assertNotEquals("TOTAL_PASSED", result.signatures().get(0).indication(), result.signatures().toString());
        Tools.Result pdfsig = Tools.run(dir, "pdfsig", "-nocert", "-no-ocsp", changed.toString());
        assertFalse(pdfsig.out().contains("Signature is Valid"), pdfsig.out());
    }

    /**
     * An encrypted PDF whose permissions allow neither form filling nor annotations cannot take a signature: refused
     * with a clear reason before anything is signed, and no output is written.
     */
    @Test
    void aPdfForbiddingChangesIsRefused() throws Exception {
        Path in = dir.resolve("locked.pdf");
        try (PDDocument doc = Loader.loadPDF(Pdfs.pages(dir.resolve("plain.pdf"), 1).toFile())) {
            org.apache.pdfbox.pdmodel.encryption.AccessPermission permission =
                    new org.apache.pdfbox.pdmodel.encryption.AccessPermission();
            permission.setCanModifyAnnotations(false);
            permission.setCanFillInForm(false);
            permission.setCanModify(false);
            var policy = new org.apache.pdfbox.pdmodel.encryption.StandardProtectionPolicy("owner-secret", "",
                    permission);
            policy.setEncryptionKeyLength(256);
            doc.protect(policy);
            doc.save(in.toFile());
        }
        Path out = dir.resolve("locked-signed.pdf");
        io.cachet.api.signature.SignatureException e = org.junit.jupiter.api.Assertions.assertThrows(
                io.cachet.api.signature.SignatureException.class, () -> signer.sign(in, out, ec, options(Level.B)));
        assertEquals(io.cachet.api.signature.SignatureException.Reason.INVALID_OPTIONS, e.reason(), e.getMessage());
        assertTrue(e.getMessage().contains("forbids modification"), e.getMessage());
        assertFalse(Files.exists(out));
        // with the owner password, the owner's rights apply: it signs
        signer.sign(in, out, ec, options(Level.B).withPdfPassword("owner-secret".toCharArray()));
        Tools.dssPassed(validator.validate(out, List.of(), ValidationOptions.trusting(pki.trustAnchors())
                .withPdfPassword("owner-secret".toCharArray())), 1, "PAdES-BASELINE-B");
    }

    /**
     * LT in a PDF not signed before gets its DSS dictionary from the CMS in hand (PadesLongTerm): the same certificates
     * as DSS's own augmentation of the same T signature writes, as many OCSP responses and CRLs (fresh ones, so not the
     * same bytes), and the catalog's ESIC developer extension as DSS leaves it.
     */
    @Test
    void ltFromTheCmsHoldsWhatDssAugmentationWrites() throws Exception {
        Path in = Pdfs.pages(dir.resolve("in.pdf"), 1);
        Path direct = dir.resolve("direct.pdf");
        Path t = dir.resolve("t.pdf");
        Path augmented = dir.resolve("augmented.pdf");
        signer.sign(in, direct, ec, options(Level.LT));
        signer.sign(in, t, ec, options(Level.T));
        signer.extend(t, augmented, options(Level.LT)); // DSS's augmentation, which reads the PDF's revisions

        try (PDDocument ours = Loader.loadPDF(direct.toFile()); PDDocument dss = Loader.loadPDF(augmented.toFile())) {
            COSDictionary ourStore = securityStore(ours);
            COSDictionary dssStore = securityStore(dss);
            assertEquals(digests(dssStore, "Certs"), digests(ourStore, "Certs"));
            assertFalse(digests(ourStore, "Certs").isEmpty());
            assertEquals(digests(dssStore, "OCSPs").size(), digests(ourStore, "OCSPs").size());
            assertEquals(digests(dssStore, "CRLs").size(), digests(ourStore, "CRLs").size());
            assertTrue(digests(ourStore, "OCSPs").size() + digests(ourStore, "CRLs").size() > 0,
                    "revocation data for the chain");
            assertEquals(extension(dss), extension(ours), "the catalog's ESIC extension, as DSS leaves it");
        }
        Tools.dssPassed(validate(direct), 1, "PAdES-BASELINE-LT");
    }

    /**
     * A second signature after a one-pass one: both pass, at the second's level. After an LT one, a second LT signature
     * takes DSS's augmentation, which merges with the first's DSS dictionary: the first's certificates stay.
     */
    @ParameterizedTest
    @ValueSource(strings = { "B,T", "LT,LT" })
    void aSecondSignatureKeepsTheFirstValid(String levels) throws Exception {
        Level first = Level.valueOf(levels.split(",")[0]);
        Level second = Level.valueOf(levels.split(",")[1]);
        Path once = dir.resolve("once.pdf");
        Path twice = dir.resolve("twice.pdf");
        signer.sign(Pdfs.pages(dir.resolve("in.pdf"), 1), once, ec, options(first));
        signer.sign(once, twice, rsa, options(second));
        Tools.pdfsigValid(twice, 2);
        Tools.dssPassed(validate(twice), 2, "PAdES-BASELINE-" + second);
        if (first == Level.LT) {
            try (PDDocument doc = Loader.loadPDF(twice.toFile()); PDDocument one = Loader.loadPDF(once.toFile())) {
                assertTrue(digests(securityStore(doc), "Certs").containsAll(digests(securityStore(one), "Certs")));
            }
        }
    }

    private static COSDictionary securityStore(PDDocument doc) {
        COSDictionary store = doc.getDocumentCatalog().getCOSObject().getCOSDictionary(COSName.getPDFName("DSS"));
        assertNotNull(store, "a DSS dictionary in the catalog");
        return store;
    }

    private static String extension(PDDocument doc) {
        COSDictionary extensions = doc.getDocumentCatalog().getCOSObject().getCOSDictionary(
                COSName.getPDFName("Extensions"));
        COSDictionary esic = extensions == null ? null : extensions.getCOSDictionary(COSName.getPDFName("ESIC"));
        return esic == null ? null : esic.toString();
    }

    /** The SHA-256 of each stream of one of the DSS dictionary's arrays, in hex. */
    private static java.util.Set<String> digests(COSDictionary store, String array) throws Exception {
        java.util.Set<String> digests = new java.util.HashSet<>();
        org.apache.pdfbox.cos.COSArray entries = store.getCOSArray(COSName.getPDFName(array));
        if (entries == null) {
            return digests;
        }
        for (int i = 0; i < entries.size(); i++) {
            org.apache.pdfbox.cos.COSStream stream = (org.apache.pdfbox.cos.COSStream) entries.getObject(i);
            try (var data = stream.createInputStream()) {
                digests.add(java.util.HexFormat.of().formatHex(
                        java.security.MessageDigest.getInstance("SHA-256").digest(data.readAllBytes())));
            }
        }
        return digests;
    }
}
