package io.cachet.token.soft.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Signature;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cachet.api.testing.Processes;
import io.cachet.api.token.KeyAlgorithm;
import io.cachet.api.token.SignatureAlgorithm;
import io.cachet.api.token.TokenException;

/**
 * PKCS#12 key files made by openssl: the key's algorithm comes from its real parameters, unsupported keys are refused
 * by name, a wrong password is told apart from a damaged file, and the key signs through the software token's signing.
 */
class KeyFileTokenTest {
    private static final char[] PASSWORD = "p12-secret".toCharArray();

    @TempDir
    Path dir;

    /** A self-signed certificate and its key in a PKCS#12 file, made by openssl ({@code -newkey} argument). */
    private Path openssl(String name, String... newkey) {
        java.util.List<String> req = new java.util.ArrayList<>(java.util.List.of("openssl", "req", "-x509"));
        req.addAll(java.util.List.of(newkey));
        req.addAll(java.util.List.of("-keyout", name + ".key", "-out", name + ".crt", "-nodes", "-subj",
                "/CN=" + name, "-days", "2"));
        Processes.Result r = Processes.run(dir, Duration.ofSeconds(120), req);
        assertEquals(0, r.exit(), r.out());
        r = Processes.run(dir, Duration.ofSeconds(120), "openssl", "pkcs12", "-export", "-inkey", name + ".key", "-in", name + ".crt", "-out",
                name + ".p12", "-passout", "pass:" + new String(PASSWORD));
        assertEquals(0, r.exit(), r.out());
        return dir.resolve(name + ".p12");
    }

    private static KeyAlgorithm algorithmOf(Path p12) {
        try (KeyFileToken token = KeyFileToken.open(p12, PASSWORD.clone(), null)) {
            return token.keys().get(0).algorithm();
        }
    }

    @Test
    void supportedKeysAreReportedWithTheirRealSize() {
        assertEquals(KeyAlgorithm.RSA_2048, algorithmOf(openssl("rsa2048", "-newkey", "rsa:2048")));
        assertEquals(KeyAlgorithm.RSA_3072, algorithmOf(openssl("rsa3072", "-newkey", "rsa:3072")));
        assertEquals(KeyAlgorithm.EC_P256, algorithmOf(openssl("p256", "-newkey", "ec", "-pkeyopt",
                "ec_paramgen_curve:P-256")));
        assertEquals(KeyAlgorithm.EC_P384, algorithmOf(openssl("p384", "-newkey", "ec", "-pkeyopt",
                "ec_paramgen_curve:P-384")));
    }

    @Test
    void rsa1024IsRefusedByName() {
        Path p12 = openssl("rsa1024", "-newkey", "rsa:1024");
        TokenException e = assertThrows(TokenException.class, () -> KeyFileToken.open(p12, PASSWORD.clone(), null));
        assertEquals(TokenException.Reason.UNSUPPORTED, e.reason());
        assertTrue(e.getMessage().startsWith("RSA-1024 is not supported: at least 2048 bits"), e.getMessage());
    }

    @Test
    void curvesOtherThanP256AndP384AreRefusedByName() {
        Path p521 = openssl("p521", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-521");
        TokenException e = assertThrows(TokenException.class, () -> KeyFileToken.open(p521, PASSWORD.clone(), null));
        assertTrue(e.getMessage().startsWith("EC curve P-521 (secp521r1) is not supported: use P-256 or P-384"),
                e.getMessage());
        // same field size as P-256, another curve: the curve's OID decides, not its size
        Path k1 = openssl("k1", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:secp256k1");
        e = assertThrows(TokenException.class, () -> KeyFileToken.open(k1, PASSWORD.clone(), null));
        assertTrue(e.getMessage().startsWith("EC curve secp256k1 (1.3.132.0.10) is not supported"), e.getMessage());
    }

    @Test
    void aWrongPasswordIsToldApartFromADamagedFile() throws Exception {
        Path p12 = openssl("good", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256");
        TokenException e = assertThrows(TokenException.class,
                () -> KeyFileToken.open(p12, "not-the-password".toCharArray(), null));
        assertEquals(TokenException.Reason.WRONG_PIN, e.reason());
        assertTrue(e.getMessage().startsWith("wrong password for the key file"), e.getMessage());

        byte[] bytes = Files.readAllBytes(p12);
        Path truncated = Files.write(dir.resolve("truncated.p12"), java.util.Arrays.copyOf(bytes, bytes.length / 2));
        e = assertThrows(TokenException.class, () -> KeyFileToken.open(truncated, PASSWORD.clone(), null));
        assertTrue(e.getMessage().contains("is not a readable PKCS#12 key file"), e.getMessage());
        assertEquals(TokenException.Reason.DEVICE_ERROR, e.reason());
        assertFalse(e.getMessage().contains("wrong password"), e.getMessage());
        e = assertThrows(TokenException.class, () -> KeyFileToken.open(dir.resolve("none.p12"), PASSWORD.clone(), null));
        assertEquals(TokenException.Reason.NOT_FOUND, e.reason());
        e = assertThrows(TokenException.class, () -> KeyFileToken.open(p12, PASSWORD.clone(), "other"));
        assertEquals(TokenException.Reason.NOT_FOUND, e.reason());
        assertTrue(e.getMessage().contains("no key 'other'"), e.getMessage());
    }

    @Test
    void theKeySignsWithEveryAlgorithmOfItsFamilyAndTheJdkVerifies() throws Exception {
        for (Path p12 : java.util.List.of(openssl("sign-ec", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"),
                openssl("sign-ec384", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-384"),
                openssl("sign-rsa", "-newkey", "rsa:2048"))) {
            try (KeyFileToken token = KeyFileToken.open(p12, PASSWORD.clone(), null)) {
                var key = token.keys().get(0);
                var algorithms = java.util.Arrays.stream(SignatureAlgorithm.values())
                        .filter(a -> a.keyFamily().equals(key.algorithm().family())).toList();
                assertEquals(key.algorithm().family().equals("EC") ? 3 : 6, algorithms.size());
                for (SignatureAlgorithm algorithm : algorithms) {
                    byte[] message = "signed by a key file".getBytes();
                    Signature verifier = Signature.getInstance(algorithm.pss() ? "RSASSA-PSS" : algorithm.jcaName());
                    if (algorithm.pss()) {
                        int saltLength = java.security.MessageDigest.getInstance(algorithm.hash()).getDigestLength();
                        verifier.setParameter(new java.security.spec.PSSParameterSpec(algorithm.hash(), "MGF1",
                                new java.security.spec.MGF1ParameterSpec(algorithm.hash()), saltLength, 1));
                    }
                    verifier.initVerify(key.publicKey());
                    verifier.update(message);
                    byte[] signature = token.sign(token.alias(), algorithm, message);
                    assertTrue(verifier.verify(signature), p12.getFileName() + " " + algorithm);
                    // another message does not verify with that signature
                    verifier.initVerify(key.publicKey());
                    verifier.update("another message".getBytes());
                    assertFalse(verifier.verify(signature), p12.getFileName() + " " + algorithm);
                }
                assertThrows(TokenException.class, () -> token.generateKeyPair("x", KeyAlgorithm.EC_P256));
            }
        }
    }
}
