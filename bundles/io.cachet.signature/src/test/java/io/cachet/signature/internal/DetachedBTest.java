package io.cachet.signature.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.asn1.cms.CMSAttributes;
import org.bouncycastle.asn1.cms.Time;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.SignerInformation;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.cachet.api.signature.Level;
import io.cachet.api.signature.Packaging;
import io.cachet.api.signature.SignOptions;
import io.cachet.api.signature.SignResult;
import io.cachet.api.signature.Signer;
import io.cachet.api.signature.SigningKey;
import io.cachet.api.signature.ValidationOptions;
import io.cachet.api.signature.ValidationResult;
import io.cachet.api.signature.Validator;
import io.cachet.api.token.KeyAlgorithm;
import io.cachet.signature.launch.Signatures;
import io.cachet.signature.testing.TestPki;
import io.cachet.signature.testing.Tools;

/**
 * The detached level-B signatures of issue 15 item 3: CAdES-BASELINE-B written with BouncyCastle and XAdES-BASELINE-B
 * through DSS with the per-call work cached, with an EC and an RSA key. Each signed file, and a second signature with
 * the same key (the cached certificate tokens, keys and attributes at work), must pass DSS at its baseline level and
 * openssl cms or xmlsec1; the content with one byte changed must pass neither.
 */
class DetachedBTest {
    static TestPki pki;
    final Signer signer = Signatures.signer();
    final Validator validator = Signatures.validator();

    @TempDir
    Path dir;

    @BeforeAll
    static void pki() {
        pki = TestPki.get();
    }

    static SigningKey key(KeyAlgorithm algorithm) {
        return pki.seal(algorithm);
    }

    ValidationResult validate(Path signed, Path content) {
        return validator.validate(signed, List.of(content), ValidationOptions.trusting(pki.trustAnchors()));
    }

    /** 1 MiB and a few bytes of random content (not a multiple of any buffer), in a folder of its own. */
    Path content(String name) throws Exception {
        byte[] bytes = new byte[(1 << 20) + 13];
        new Random(name.hashCode()).nextBytes(bytes);
        return Files.write(Files.createDirectories(dir.resolve("content")).resolve(name), bytes);
    }

    /** The same file name in another folder with one byte changed (detached signatures name the file). */
    Path oneByteChanged(Path content) throws Exception {
        byte[] bytes = Files.readAllBytes(content);
        bytes[bytes.length / 2] ^= 0x01;
        return Files.write(Files.createDirectories(dir.resolve("changed")).resolve(content.getFileName()), bytes);
    }

    @ParameterizedTest
    @EnumSource(value = KeyAlgorithm.class, names = { "EC_P256", "RSA_2048" })
    void cadesBaselineBDetachedPassesDssAndOpensslAndNotForChangedContent(KeyAlgorithm algorithm) throws Exception {
        pki.writePem(dir);
        SigningKey key = key(algorithm);
        Path content = content("contract.bin");
        for (int round = 1; round <= 2; round++) {
            Path p7s = dir.resolve("contract-" + round + ".p7s");
            SignResult result = signer.sign(content, p7s, key,
                    SignOptions.cades(Packaging.DETACHED, Level.B).withRevocationCheck(false));
            assertEquals(Level.B, result.level());

            Tools.opensslCmsDetached(p7s, content, dir.resolve("chain.pem"));
            Tools.dssPassed(validate(p7s, content), 1, "CAdES-BASELINE-B");

            CMSSignedData cms = new CMSSignedData(Files.readAllBytes(p7s));
            assertTrue(cms.isDetachedSignature(), "no content inside");
            assertTrue(Files.size(p7s) < 16_384, "detached: " + Files.size(p7s) + " bytes");
            SignerInformation info = cms.getSignerInfos().getSigners().iterator().next();
            AttributeTable signed = info.getSignedAttributes();
            for (ASN1ObjectIdentifier required : List.of(CMSAttributes.contentType, CMSAttributes.messageDigest,
                    CMSAttributes.signingTime, PKCSObjectIdentifiers.id_aa_signingCertificateV2)) {
                assertNotNull(signed.get(required), "signed attribute " + required);
            }
            assertNull(signed.get(PKCSObjectIdentifiers.id_aa_signingCertificate), "v1 not with v2");
            assertEquals(result.signingTime(), Time.getInstance(signed.get(CMSAttributes.signingTime)
                    .getAttrValues().getObjectAt(0)).getDate().toInstant());
            assertEquals(3, cms.getCertificates().getMatches(null).size(), "the seal certificate and its chain");

            Path changed = oneByteChanged(content);
            ValidationResult tampered = validate(p7s, changed);
            assertFalse(tampered.valid(), tampered.summary());
            assertEquals(io.cachet.api.signature.Verdict.INVALID, tampered.verdict(), tampered.summary());
            Tools.Result openssl = Tools.run(dir, "openssl", "cms", "-verify", "-binary", "-inform", "DER", "-in",
                    p7s.toString(), "-content", changed.toString(), "-CAfile", dir.resolve("chain.pem").toString(),
                    "-purpose", "any", "-out", "/dev/null");
            assertNotEquals(0, openssl.exit(), openssl.out());
            assertFalse(openssl.out().contains("Verification successful"), openssl.out());
        }
    }

    @ParameterizedTest
    @EnumSource(value = KeyAlgorithm.class, names = { "EC_P256", "RSA_2048" })
    void xadesBaselineBDetachedPassesDssAndXmlsecAndNotForChangedContent(KeyAlgorithm algorithm) throws Exception {
        SigningKey key = key(algorithm);
        Path content = content("invoice.bin");
        Path folder = content.getParent();
        pki.writePem(folder);
        for (int round = 1; round <= 2; round++) {
            // beside the content: xmlsec1 resolves the reference (the file name) from the signature's folder
            Path xml = folder.resolve("invoice-" + round + ".xml");
            signer.sign(content, xml, key, SignOptions.xades(Packaging.DETACHED, Level.B).withRevocationCheck(false));

            Tools.xmlsecVerify(xml, folder.resolve("root.pem"), folder.resolve("issuing.pem"));
            Tools.dssPassed(validate(xml, content), 1, "XAdES-BASELINE-B");
            String signature = Files.readString(xml);
            assertTrue(signature.contains("URI=\"invoice.bin\""), "the reference names the file: " + signature);
            assertTrue(Files.size(xml) < 16_384, "detached");

            // the same file, same folder, one byte changed: the only difference from the run that passed above
            byte[] original = Files.readAllBytes(content);
            byte[] changed = original.clone();
            changed[changed.length / 2] ^= 0x01;
            Files.write(content, changed);
            assertFalse(validate(xml, content).valid());
            Tools.Result xmlsec = Tools.run(folder, "xmlsec1", "--verify", "--id-attr:Id", "SignedProperties",
                    "--trusted-pem", folder.resolve("root.pem").toString(), "--untrusted-pem",
                    folder.resolve("issuing.pem").toString(), xml.toString());
            Files.write(content, original);
            assertNotEquals(0, xmlsec.exit(), xmlsec.out());
        }
    }
}
