package io.cachet.signature.internal;

import io.cachet.signature.testing.Pdfs;
import io.cachet.signature.testing.TestPki;
import io.cachet.signature.testing.Tools;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.cachet.api.token.KeyAlgorithm;
import io.cachet.api.signature.Level;
import io.cachet.api.signature.Packaging;
import io.cachet.api.signature.SignOptions;
import io.cachet.signature.launch.Signatures;
import io.cachet.api.signature.Signer;
import io.cachet.api.signature.SigningKey;
import io.cachet.api.signature.ValidationOptions;
import io.cachet.api.signature.ValidationResult;
import io.cachet.api.signature.Validator;

/**
 * XAdES (enveloped, enveloping, detached) and CAdES (attached, detached) at every level: DSS reaches TOTAL_PASSED
 * with the test CA as trust anchor, xmlsec1 verifies enveloped XAdES and openssl cms verifies CAdES.
 */
class XadesCadesTest {
    static final String XML = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<invoice xmlns=\"urn:cachet:test\">"
            + "<number>2026-0042</number><amount currency=\"EUR\">1250.00</amount><buyer>ACME SAS</buyer></invoice>\n";
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
        rsa = pki.seal(KeyAlgorithm.RSA_2048);
    }

    SignOptions with(SignOptions options) {
        return options.withTsa(pki.tsaUrl()).withTrustAnchors(pki.trustAnchors());
    }

    ValidationResult validate(Path signed, Path... detached) {
        return validator.validate(signed, List.of(detached), ValidationOptions.trusting(pki.trustAnchors()));
    }

    Path xml() throws Exception {
        return Files.writeString(dir.resolve("invoice.xml"), XML);
    }

    Path binary() throws Exception {
        Path f = Files.createTempFile(dir, "contract", ".bin");
        Files.delete(f);
        try (var in = Pdfs.randomStream(300_000, 7)) {
            Files.copy(in, f);
        }
        return f;
    }

    @ParameterizedTest
    @EnumSource(Level.class)
    void xadesEnvelopedPassesXmlsecAndDss(Level level) throws Exception {
        pki.writePem(dir);
        Path out = dir.resolve("invoice-signed.xml");
        signer.sign(xml(), out, ec, with(SignOptions.xades(Packaging.ENVELOPED, level)));
        Tools.xmlsecEnveloped(out, dir.resolve("root.pem"), dir.resolve("issuing.pem"));
        Tools.dssPassed(validate(out), 1, "XAdES-BASELINE-" + level);
        String signed = Files.readString(out);
        assertTrue(signed.contains("<number>2026-0042</number>"), "the document is kept");
        assertEquals(level.needsTimestamp(), signed.contains("SignatureTimeStamp"), signed);
    }

    @ParameterizedTest
    @EnumSource(Level.class)
    void xadesEnvelopingAndDetachedPassDss(Level level) throws Exception {
        Path enveloping = dir.resolve("enveloping.xml");
        signer.sign(binary(), enveloping, rsa, with(SignOptions.xades(Packaging.ENVELOPING, level)));
        Tools.dssPassed(validate(enveloping), 1, "XAdES-BASELINE-" + level);

        Path content = binary();
        Path detached = dir.resolve("contract.bin.xml");
        signer.sign(content, detached, ec, with(SignOptions.xades(Packaging.DETACHED, level)));
        Tools.dssPassed(validate(detached, content), 1, "XAdES-BASELINE-" + level);
        assertFalse(Files.readString(detached).contains("ds:Object>" + "AAAA"), "detached: content not inside");
        assertTrue(Files.size(detached) < 300_000, "detached: content not inside");
    }

    @ParameterizedTest
    @EnumSource(Level.class)
    void cadesDetachedPassesOpensslAndDss(Level level) throws Exception {
        pki.writePem(dir);
        Path content = binary();
        Path p7s = dir.resolve("contract.bin.p7s");
        signer.sign(content, p7s, ec, with(SignOptions.cades(Packaging.DETACHED, level)));
        Tools.opensslCmsDetached(p7s, content, dir.resolve("chain.pem"));
        Tools.dssPassed(validate(p7s, content), 1, "CAdES-BASELINE-" + level);
        assertTrue(Files.size(p7s) < 300_000, "detached: content not inside");
    }

    @ParameterizedTest
    @EnumSource(Level.class)
    void cadesAttachedPassesOpensslAndDss(Level level) throws Exception {
        pki.writePem(dir);
        Path content = binary();
        Path p7m = dir.resolve("contract.bin.p7m");
        signer.sign(content, p7m, rsa, with(SignOptions.cades(Packaging.ENVELOPING, level)));
        assertArrayEquals(Files.readAllBytes(content), Tools.opensslCmsAttached(p7m, dir.resolve("chain.pem")));
        Tools.dssPassed(validate(p7m), 1, "CAdES-BASELINE-" + level);
    }

    @Test
    void detachedSignatureOfOtherContentIsInvalid() throws Exception {
        Path content = binary();
        Path p7s = dir.resolve("c.p7s");
        signer.sign(content, p7s, ec, with(SignOptions.cades(Packaging.DETACHED, Level.B)));
        Path other = Files.writeString(dir.resolve("other.bin"), "not the signed bytes");
        ValidationResult result = validate(p7s, other);
        assertEquals(io.cachet.api.signature.Verdict.INVALID, result.verdict(), result.summary());
        assertFalse(result.reasons().isEmpty());

        Path xades = dir.resolve("c.xml");
        signer.sign(content, xades, ec, with(SignOptions.xades(Packaging.DETACHED, Level.B)));
        Path tampered = dir.resolve("tampered");
        Files.createDirectories(tampered);
        Path same = Files.write(tampered.resolve(content.getFileName()),
                "tampered".getBytes(StandardCharsets.UTF_8));
        assertFalse(validate(xades, same).valid());
    }
}
