package io.cachet.signature.internal;

import io.cachet.signature.testing.Pdfs;
import io.cachet.signature.testing.TestPki;
import io.cachet.signature.testing.Tools;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cachet.api.token.KeyAlgorithm;
import io.cachet.api.signature.Level;
import io.cachet.api.signature.Packaging;
import io.cachet.api.signature.SignOptions;
import io.cachet.api.signature.SignatureException;
import io.cachet.signature.launch.Signatures;
import io.cachet.api.signature.Signer;
import io.cachet.api.signature.SigningKey;
import io.cachet.api.signature.ValidationOptions;
import io.cachet.api.signature.ValidationResult;
import io.cachet.api.signature.Validator;
import io.cachet.api.signature.Verdict;

/** The short verdict: valid only when it is, and why not otherwise. */
class ValidatorTest {
    static TestPki pki;
    static SigningKey key;
    final Signer signer = Signatures.signer();
    final Validator validator = Signatures.validator();

    @TempDir
    Path dir;

    @BeforeAll
    static void pki() {
        pki = TestPki.get();
        key = pki.seal(KeyAlgorithm.EC_P256);
    }

    Path signedPdf(SigningKey with, Level level) throws Exception {
        Path out = dir.resolve("signed-" + level + ".pdf");
        signer.sign(Pdfs.pages(dir.resolve("in.pdf"), 1), out, with, SignOptions.pades(level)
                .withTsa(pki.tsaUrl()).withTrustAnchors(pki.trustAnchors()));
        return out;
    }

    @Test
    void trustAnchorsFromPemFilesValidate() throws Exception {
        Path pdf = signedPdf(key, Level.LT);
        pki.writePem(dir);
        Files.writeString(dir.resolve("anchors.pem"),
                Files.readString(dir.resolve("chain.pem")) + Files.readString(dir.resolve("tsa.pem")));
        List<java.security.cert.X509Certificate> anchors = Signatures.readCertificates(dir.resolve("anchors.pem"));
        assertEquals(3, anchors.size());
        ValidationResult result = validator.validate(pdf, List.of(), ValidationOptions.trusting(anchors));
        Tools.dssPassed(result, 1, "PAdES-BASELINE-LT");
        assertEquals("VALID: 1 signature", result.summary());
        assertTrue(result.signatures().get(0).signedBy().contains("ACME e-seal"), result.signatures().toString());
        // LT carries its own revocation data: it validates offline too
        Tools.dssPassed(validator.validate(pdf, List.of(), ValidationOptions.trusting(anchors).offline()), 1,
                "PAdES-BASELINE-LT");
    }

    @Test
    void unknownTrustAnchorsGiveIndeterminate() throws Exception {
        Path pdf = signedPdf(key, Level.B);
        ValidationResult result = validator.validate(pdf, List.of(), ValidationOptions.trusting(List.of()));
        assertEquals(Verdict.INDETERMINATE, result.verdict(), result.summary());
        assertTrue(result.summary().contains("NO_CERTIFICATE_CHAIN_FOUND"), result.summary());
    }

    @Test
    void aModifiedPdfIsInvalid() throws Exception {
        Path pdf = signedPdf(key, Level.B);
        byte[] bytes = Files.readAllBytes(pdf);
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        int at = text.indexOf("/M (D:");
        assertTrue(at > 0, "the signing time of the signature dictionary");
        at += "/M (D:20".length();
        bytes[at] = (byte) (bytes[at] == '9' ? '8' : bytes[at] + 1); // a year later: inside the signed byte range
        Path tampered = Files.write(dir.resolve("tampered.pdf"), bytes);
        ValidationResult result = validator.validate(tampered, List.of(), ValidationOptions.trusting(pki.trustAnchors()));
        assertEquals(Verdict.INVALID, result.verdict(), result.summary());
        assertFalse(result.reasons().isEmpty());
        assertEquals("TOTAL_FAILED", result.signatures().get(0).indication());
    }

    @Test
    void aSignatureWhoseCertificateIsRevokedAfterwardsIsNotValid() throws Exception {
        SigningKey later = pki.seal(KeyAlgorithm.EC_P256);
        Path pdf = signedPdf(later, Level.B);
        Tools.dssPassed(validator.validate(pdf, List.of(), ValidationOptions.trusting(pki.trustAnchors())), 1, null);
        pki.revoke(later.certificate().getSerialNumber());
        ValidationResult result = validator.validate(pdf, List.of(), ValidationOptions.trusting(pki.trustAnchors()));
        assertFalse(result.valid(), result.summary());
        assertTrue(result.summary().contains("REVOKED"), result.summary());
    }

    @Test
    void unsignedAndUnknownFiles() throws Exception {
        Path unsigned = Pdfs.pages(dir.resolve("plain.pdf"), 1);
        ValidationResult result = validator.validate(unsigned, List.of(), ValidationOptions.trusting(pki.trustAnchors()));
        assertEquals(Verdict.INVALID, result.verdict());
        assertEquals(List.of("no signature found"), result.reasons());

        Path random = Files.writeString(dir.resolve("random.bin"), "just some bytes, not a signature");
        SignatureException e = assertThrows(SignatureException.class,
                () -> validator.validate(random, List.of(), ValidationOptions.trusting(pki.trustAnchors())));
        assertEquals(SignatureException.Reason.MALFORMED_INPUT, e.reason());
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void aDetachedSignatureWithoutItsContentIsNotValid() throws Exception {
        Path data = Files.writeString(dir.resolve("data.txt"), "data");
        Path p7s = dir.resolve("data.p7s");
        signer.sign(data, p7s, key, SignOptions.cades(Packaging.DETACHED, Level.B));
        ValidationResult result = validator.validate(p7s, List.of(), ValidationOptions.trusting(pki.trustAnchors()));
        assertFalse(result.valid(), result.summary());
        Tools.dssPassed(validator.validate(p7s, List.of(data), ValidationOptions.trusting(pki.trustAnchors())), 1,
                "CAdES-BASELINE-B");
    }
}
