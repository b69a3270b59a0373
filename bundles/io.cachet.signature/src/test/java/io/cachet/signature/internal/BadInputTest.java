package io.cachet.signature.internal;

import io.cachet.signature.testing.Pdfs;
import io.cachet.signature.testing.TestPki;
import io.cachet.signature.testing.Tools;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

import io.cachet.api.token.KeyAlgorithm;
import io.cachet.api.signature.Level;
import io.cachet.api.signature.Packaging;
import io.cachet.api.signature.SignOptions;
import io.cachet.api.signature.SignatureException;
import io.cachet.api.signature.SignatureException.Reason;
import io.cachet.signature.launch.Signatures;
import io.cachet.api.signature.Signer;
import io.cachet.api.signature.SigningKey;
import io.cachet.api.signature.ValidationOptions;
import io.cachet.api.signature.VisibleSignature;

/** Hostile and broken input: each is refused with one exception, a one-line message, and no output file. */
class BadInputTest {
    static TestPki pki;
    static SigningKey key;
    final Signer signer = Signatures.signer();

    @TempDir
    Path dir;

    @BeforeAll
    static void pki() {
        pki = TestPki.get();
        key = pki.seal(KeyAlgorithm.EC_P256);
    }

    SignOptions pades(Level level) {
        return SignOptions.pades(level).withTsa(pki.tsaUrl()).withTrustAnchors(pki.trustAnchors());
    }

    /** Runs {@code signing}, expects {@code reason}, a one-line message containing {@code words}, no output. */
    SignatureException refused(Reason reason, Path output, Executable signing, String... words) {
        SignatureException e = assertThrows(SignatureException.class, signing);
        assertEquals(reason, e.reason(), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        for (String w : words) {
            assertTrue(e.getMessage().toLowerCase().contains(w.toLowerCase()), "'" + w + "' in: " + e.getMessage());
        }
        if (output != null) {
            assertFalse(Files.exists(output), "no output file");
            try (var files = Files.list(output.getParent())) {
                assertTrue(files.noneMatch(f -> f.getFileName().toString().endsWith(".part")), "no temporary file");
            } catch (java.io.IOException ex) {
                throw new AssertionError(ex);
            }
        }
        return e;
    }

    @Test
    void encryptedPdfWithoutPasswordNamesThePassword() throws Exception {
        Path in = Pdfs.encrypted(dir.resolve("enc.pdf"), "user-secret", "owner-secret");
        Path out = dir.resolve("out.pdf");
        refused(Reason.PASSWORD_REQUIRED, out, () -> signer.sign(in, out, key, pades(Level.B)), "encrypted",
                "password");
        refused(Reason.PASSWORD_REQUIRED, out,
                () -> signer.sign(in, out, key, pades(Level.B).withPdfPassword("wrong".toCharArray())), "password",
                "wrong");
    }

    @Test
    void truncatedAndCorruptPdfs() throws Exception {
        byte[] pdf = Files.readAllBytes(Pdfs.pages(dir.resolve("whole.pdf"), 2));
        Path truncated = Files.write(dir.resolve("truncated.pdf"), Arrays.copyOf(pdf, pdf.length * 6 / 10));
        Path out = dir.resolve("out.pdf");
        refused(Reason.MALFORMED_INPUT, out, () -> signer.sign(truncated, out, key, pades(Level.B)), "truncated");
        Path corrupt = Files.writeString(dir.resolve("corrupt.pdf"),
                "%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 9 0 R >> garbage garbage\ntrailer << >>\n%%EOF\n",
                StandardCharsets.ISO_8859_1);
        refused(Reason.MALFORMED_INPUT, out, () -> signer.sign(corrupt, out, key, pades(Level.B)), "corrupt");
        Path text = Files.writeString(dir.resolve("letter.txt"), "Dear customer");
        refused(Reason.MALFORMED_INPUT, out, () -> signer.sign(text, out, key, pades(Level.B)), "not a PDF");
        refused(Reason.IO, out, () -> signer.sign(dir.resolve("missing.pdf"), out, key, pades(Level.B)),
                "no such file");
    }

    @Test
    void xmlWithDoctypeOrEntitiesIsRefused() throws Exception {
        Path secret = Files.writeString(dir.resolve("secret.txt"), "TOP-SECRET");
        String xxe = "<?xml version=\"1.0\"?>\n<!DOCTYPE r [<!ENTITY x SYSTEM \"" + secret.toUri() + "\">]>\n<r>&x;</r>";
        String laughs = "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [<!ENTITY lol \"lol\">"
                + "<!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">"
                + "<!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">]>\n<lolz>&lol3;</lolz>";
        String external = "<?xml version=\"1.0\"?>\n<!DOCTYPE r SYSTEM \"http://127.0.0.1:1/evil.dtd\">\n<r/>";
        Path out = dir.resolve("out.xml");
        for (String xml : List.of(xxe, laughs, external)) {
            Path in = Files.writeString(dir.resolve("in.xml"), xml);
            refused(Reason.XML_DOCTYPE_REFUSED, out, () -> signer.sign(in, out, key,
                    SignOptions.xades(Packaging.ENVELOPED, Level.B)), "DOCTYPE");
            SignatureException e = refused(Reason.XML_DOCTYPE_REFUSED, null, () -> Signatures.validator()
                    .validate(in, List.of(), ValidationOptions.trusting(pki.trustAnchors())), "DOCTYPE");
            assertFalse(e.getMessage().contains("TOP-SECRET"));
        }
        Path malformed = Files.writeString(dir.resolve("bad.xml"), "<a><b></a>");
        refused(Reason.MALFORMED_INPUT, out, () -> signer.sign(malformed, out, key,
                SignOptions.xades(Packaging.ENVELOPED, Level.B)), "well-formed");
    }

    @Test
    void expiredCertificateIsRefusedBeforeSigning() throws Exception {
        char[] password = "p12-password".toCharArray();
        SigningKey expired = TestPki.key(pki.expiredPkcs12(dir, password), password);
        Path in = Pdfs.pages(dir.resolve("in.pdf"), 1);
        Path out = dir.resolve("out.pdf");
        refused(Reason.CERTIFICATE_EXPIRED, out, () -> signer.sign(in, out, expired, pades(Level.B)), "expired");
        refused(Reason.CERTIFICATE_EXPIRED, out,
                () -> signer.sign(in, out, expired, pades(Level.B).withRevocationCheck(false)), "expired");
    }

    @Test
    void revokedCertificateIsRefusedBeforeSigning() throws Exception {
        SigningKey revoked = pki.seal(KeyAlgorithm.EC_P256);
        pki.revoke(revoked.certificate().getSerialNumber());
        Path in = Pdfs.pages(dir.resolve("in.pdf"), 1);
        Path out = dir.resolve("out.pdf");
        int ocsp = pki.hits("/ocsp");
        refused(Reason.CERTIFICATE_REVOKED, out, () -> signer.sign(in, out, revoked, pades(Level.B)), "revoked");
        assertTrue(pki.hits("/ocsp") > ocsp, "OCSP was asked");
        Path data = Files.writeString(dir.resolve("data.txt"), "data");
        Path p7s = dir.resolve("data.p7s");
        refused(Reason.CERTIFICATE_REVOKED, p7s, () -> signer.sign(data, p7s, revoked,
                SignOptions.cades(Packaging.DETACHED, Level.B)), "revoked");
    }

    @Test
    void unreachableRevocationAndTsaAreNamed() throws Exception {
        Path in = Pdfs.pages(dir.resolve("in.pdf"), 1);
        Path out = dir.resolve("out.pdf");
        refused(Reason.TIMESTAMP_UNAVAILABLE, out, () -> Signatures.signer(java.time.Duration.ofSeconds(3))
                .sign(in, out, key, pades(Level.T).withTsa(URI.create("http://127.0.0.1:1/tsa"))), "127.0.0.1:1");
    }

    @Test
    void ltWithoutRevocationDataForTheTsaSaysSo() throws Exception {
        // the test CA's TSA certificate names no CRL or OCSP: unless it is a trust anchor, LT cannot be complete
        Path in = Pdfs.pages(dir.resolve("in.pdf"), 1);
        Path out = dir.resolve("out.pdf");
        SignatureException e = refused(Reason.REVOCATION_UNAVAILABLE, out, () -> signer.sign(in, out, key,
                SignOptions.pades(Level.LT).withTsa(pki.tsaUrl())), "revocation");
        assertTrue(e.getMessage().contains("TSA"), e.getMessage());
        // with the key's own chain as default anchors, B and T need no revocation data of the TSA
        signer.sign(in, out, key, SignOptions.pades(Level.T).withTsa(pki.tsaUrl()));
        Tools.pdfsigValid(out, 1);
    }

    @Test
    void optionsThatDoNotFitAreRefused() throws Exception {
        Path in = Pdfs.pages(dir.resolve("in.pdf"), 2);
        Path out = dir.resolve("out.pdf");
        refused(Reason.INVALID_OPTIONS, out, () -> signer.sign(in, out, key,
                new SignOptions(io.cachet.api.signature.SignatureFormat.PADES, Packaging.DETACHED, Level.B, null, null,
                        null, null, List.of(), true)), "enveloped");
        refused(Reason.INVALID_OPTIONS, out, () -> signer.sign(in, out, key, SignOptions.pades(Level.T)),
                "time-stamp");
        refused(Reason.INVALID_OPTIONS, out, () -> signer.sign(in, out, key,
                SignOptions.cades(Packaging.ENVELOPED, Level.B)), "CAdES");
        refused(Reason.INVALID_OPTIONS, out, () -> signer.sign(in, out, key,
                pades(Level.B).withVisibleSignature(VisibleSignature.defaults().at(3, 10, 10))), "page 3");
        refused(Reason.INVALID_OPTIONS, null, () -> signer.sign(in, in, key, pades(Level.B)), "another file");
        refused(Reason.INVALID_OPTIONS, out, () -> signer.sign(in, out, key,
                pades(Level.B).withAlgorithm(io.cachet.api.token.SignatureAlgorithm.RSA_PKCS1_SHA256)), "RSA key");
    }

    @Test
    void aFailedSignatureLeavesAnExistingOutputAlone() throws Exception {
        Path in = Pdfs.encrypted(dir.resolve("enc.pdf"), "u", "o");
        Path out = Files.writeString(dir.resolve("out.pdf"), "previous");
        assertThrows(SignatureException.class, () -> signer.sign(in, out, key, pades(Level.B)));
        assertEquals("previous", Files.readString(out));
    }
}
