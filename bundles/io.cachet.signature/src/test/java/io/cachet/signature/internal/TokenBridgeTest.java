package io.cachet.signature.internal;

import io.cachet.signature.testing.Pdfs;
import io.cachet.signature.testing.TestPki;
import io.cachet.signature.testing.Tools;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cachet.api.token.KeyAlgorithm;
import io.cachet.api.token.SignatureAlgorithm;
import io.cachet.api.testing.ForwardingToken;
import io.cachet.api.token.Token;
import io.cachet.api.token.TokenCapability;
import io.cachet.api.token.TokenException;
import io.cachet.api.token.TokenInfo;
import io.cachet.api.token.TokenKey;
import io.cachet.api.signature.Level;
import io.cachet.api.signature.Packaging;
import io.cachet.api.signature.SignOptions;
import io.cachet.api.signature.SignatureException;
import io.cachet.signature.launch.Signatures;
import io.cachet.api.signature.Signer;
import io.cachet.api.signature.SigningKey;
import io.cachet.api.signature.ValidationOptions;
import io.cachet.api.signature.Validator;
import io.cachet.token.pkcs11.spi.Pkcs11DriverConfig;
import io.cachet.token.pkcs11.launch.Pkcs11Drivers;
import io.cachet.token.pkcs11.spi.Pkcs11TokenDriver;
import io.cachet.token.pkcs11.testing.SoftHsmFixture;
import io.cachet.token.soft.launch.SoftTokens;

/**
 * One signing path for every kind of key: PKCS#12 files and a PKCS#11 token on the real SoftHSM2, through the
 * token SPI bridge ({@link TokenConnection}).
 */
class TokenBridgeTest {
    static TestPki pki;
    static Pkcs11TokenDriver softHsm;
    static Token hsmToken;
    final Signer signer = Signatures.signer();
    final Validator validator = Signatures.validator();

    @TempDir
    Path dir;

    @BeforeAll
    static void open() {
        pki = TestPki.get();
        softHsm = Pkcs11Drivers.open(new Pkcs11DriverConfig(SoftHsmFixture.library(), "softhsm",
                EnumSet.of(TokenCapability.RSA_PSS, TokenCapability.EC_P384, TokenCapability.RSA_4096),
                () -> "SoftHSM2", 2, Duration.ofSeconds(30)));
        TokenInfo info = SoftHsmFixture.initialise(softHsm, "signature-test");
        hsmToken = softHsm.login(info.serial(), SoftHsmFixture.USER_PIN.clone());
    }

    @AfterAll
    static void close() {
        if (hsmToken != null) {
            hsmToken.close();
        }
        if (softHsm != null) {
            softHsm.close();
        }
    }

    SignOptions with(SignOptions options) {
        return options.withTsa(pki.tsaUrl()).withTrustAnchors(pki.trustAnchors());
    }

    void valid(Path signed, Path... detached) {
        Tools.dssPassed(validator.validate(signed, List.of(detached), ValidationOptions.trusting(pki.trustAnchors())),
                1, null);
    }

    @Test
    void softHsmEcAndRsaKeysSignEveryFormat() throws Exception {
        pki.writePem(dir);
        for (KeyAlgorithm algorithm : List.of(KeyAlgorithm.EC_P256, KeyAlgorithm.RSA_2048)) {
            SigningKey key = pki.sealOn(hsmToken, algorithm);
            assertTrue(hsmToken.keys().stream().filter(k -> k.alias().equals(key.alias()))
                    .allMatch(TokenKey::protectedOnToken), "the key never leaves SoftHSM2");
            Path pdf = dir.resolve("hsm-" + algorithm + ".pdf");
            signer.sign(Pdfs.pages(dir.resolve("in.pdf"), 1), pdf, key, with(SignOptions.pades(Level.LTA)));
            assertEquals(1, Tools.pdfsigValid(pdf, 1));
            valid(pdf);

            Path data = Files.writeString(dir.resolve("data.txt"), "signed on SoftHSM2 with " + algorithm);
            Path p7s = dir.resolve("hsm-" + algorithm + ".p7s");
            signer.sign(data, p7s, key, with(SignOptions.cades(Packaging.DETACHED, Level.T)));
            Tools.opensslCmsDetached(p7s, data, dir.resolve("chain.pem"));
            valid(p7s, data);

            Path xml = Files.writeString(dir.resolve("doc.xml"), XadesCadesTest.XML);
            Path xades = dir.resolve("hsm-" + algorithm + ".xml");
            signer.sign(xml, xades, key, with(SignOptions.xades(Packaging.ENVELOPED, Level.LT)));
            Tools.xmlsecEnveloped(xades, dir.resolve("root.pem"), dir.resolve("issuing.pem"));
            valid(xades);
        }
    }

    @Test
    void softHsmRsaPss() throws Exception {
        SigningKey key = pki.sealOn(hsmToken, KeyAlgorithm.RSA_2048);
        Path pdf = dir.resolve("pss.pdf");
        signer.sign(Pdfs.pages(dir.resolve("in.pdf"), 1), pdf, key,
                with(SignOptions.pades(Level.T)).withAlgorithm(SignatureAlgorithm.RSA_PSS_SHA256));
        Tools.pdfsigValid(pdf, 1);
        valid(pdf);
    }

    @Test
    void pkcs12FilesSign() throws Exception {
        pki.writePem(dir);
        char[] password = "p12-password".toCharArray();
        for (String algorithm : List.of("EC", "RSA3072")) {
            Path p12 = pki.pkcs12(dir, algorithm, password);
            SigningKey key = TestPki.key(p12, password.clone());
            assertEquals(2, key.chain().size(), "the chain comes from the file");
            Path pdf = dir.resolve("p12-" + algorithm + ".pdf");
            signer.sign(Pdfs.pages(dir.resolve("in.pdf"), 1), pdf, key, with(SignOptions.pades(Level.LT)));
            Tools.pdfsigValid(pdf, 1);
            valid(pdf);
            Path data = Files.writeString(dir.resolve("data.txt"), "signed with a key file");
            Path p7s = dir.resolve("p12-" + algorithm + ".p7s");
            signer.sign(data, p7s, key, with(SignOptions.cades(Packaging.DETACHED, Level.B)));
            Tools.opensslCmsDetached(p7s, data, dir.resolve("chain.pem"));
            if (algorithm.startsWith("RSA")) {
                Path pss = dir.resolve("p12-pss.p7s");
                signer.sign(data, pss, key, with(SignOptions.cades(Packaging.DETACHED, Level.T))
                        .withAlgorithm(SignatureAlgorithm.RSA_PSS_SHA384));
                Tools.opensslCmsDetached(pss, data, dir.resolve("chain.pem"));
                valid(pss, data);
            }
        }
    }

    @Test
    void pkcs12WrongPasswordAndMissingFile() throws Exception {
        Path p12 = pki.pkcs12(dir, "EC", "right".toCharArray());
        TokenException wrong = assertThrows(TokenException.class,
                () -> SoftTokens.keyFile(p12, "wrong".toCharArray(), null));
        assertEquals(TokenException.Reason.WRONG_PIN, wrong.reason());
        assertTrue(wrong.getMessage().contains("wrong password"), wrong.getMessage());
        TokenException missing = assertThrows(TokenException.class,
                () -> SoftTokens.keyFile(dir.resolve("none.p12"), "x".toCharArray(), null));
        assertEquals(TokenException.Reason.NOT_FOUND, missing.reason());
        TokenException alias = assertThrows(TokenException.class,
                () -> SoftTokens.keyFile(p12, "right".toCharArray(), "other"));
        assertTrue(alias.getMessage().contains("no key 'other'"), alias.getMessage());
    }

    @Test
    void aCertificateThatDoesNotMatchTheKeyIsCaught() throws Exception {
        SigningKey real = pki.seal(KeyAlgorithm.EC_P256);
        SigningKey other = pki.seal(KeyAlgorithm.EC_P256);
        X509Certificate wrongCertificate = other.certificate();
        Token lying = new ForwardingToken(real.token()) {
            @Override
            public Optional<X509Certificate> certificate(String alias) {
                return Optional.of(wrongCertificate);
            }

            @Override
            public void close() {
                // the real token is the fixture's
            }
        };
        SigningKey mismatched = new SigningKey(lying, real.alias(), pki.chain());
        Path data = Files.writeString(dir.resolve("data.txt"), "data");
        Path out = dir.resolve("data.p7s");
        // CAdES-B detached (BouncyCastle's CMS) and XAdES-B detached (DSS's three steps) check the value alike
        for (SignOptions options : List.of(SignOptions.cades(Packaging.DETACHED, Level.B),
                SignOptions.xades(Packaging.DETACHED, Level.B))) {
            SignatureException e = assertThrows(SignatureException.class,
                    () -> signer.sign(data, out, mismatched, options));
            assertEquals(SignatureException.Reason.KEY_UNUSABLE, e.reason(), options.toString());
            assertTrue(e.getMessage().contains("does not match"), e.getMessage());
            assertTrue(Files.notExists(out));
        }
    }
}
