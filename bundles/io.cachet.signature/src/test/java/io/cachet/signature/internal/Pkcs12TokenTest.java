package io.cachet.signature.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cachet.api.token.KeyAlgorithm;
import io.cachet.api.signature.SignatureException;
import io.cachet.signature.testing.Tools;

/**
 * PKCS#12 files made by openssl: the key's algorithm comes from its real parameters, unsupported keys are refused by
 * name, and a wrong password is told apart from a damaged file.
 */
class Pkcs12TokenTest {
    private static final char[] PASSWORD = "p12-secret".toCharArray();

    @TempDir
    Path dir;

    /** A self-signed certificate and its key in a PKCS#12 file, made by openssl ({@code -newkey} argument). */
    private Path openssl(String name, String... newkey) {
        java.util.List<String> req = new java.util.ArrayList<>(java.util.List.of("openssl", "req", "-x509"));
        req.addAll(java.util.List.of(newkey));
        req.addAll(java.util.List.of("-keyout", name + ".key", "-out", name + ".crt", "-nodes", "-subj",
                "/CN=" + name, "-days", "2"));
        Tools.Result r = Tools.run(dir, req.toArray(String[]::new));
        assertEquals(0, r.exit(), r.out());
        r = Tools.run(dir, "openssl", "pkcs12", "-export", "-inkey", name + ".key", "-in", name + ".crt", "-out",
                name + ".p12", "-passout", "pass:" + new String(PASSWORD));
        assertEquals(0, r.exit(), r.out());
        return dir.resolve(name + ".p12");
    }

    private static KeyAlgorithm algorithmOf(Path p12) {
        try (Pkcs12Token token = Pkcs12Token.open(p12, PASSWORD.clone(), null)) {
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
        SignatureException e = assertThrows(SignatureException.class, () -> Pkcs12Token.open(p12, PASSWORD.clone(), null));
        assertEquals(SignatureException.Reason.KEY_UNUSABLE, e.reason());
        assertTrue(e.getMessage().startsWith("RSA-1024 is not supported: at least 2048 bits"), e.getMessage());
    }

    @Test
    void curvesOtherThanP256AndP384AreRefusedByName() {
        Path p521 = openssl("p521", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-521");
        SignatureException e = assertThrows(SignatureException.class, () -> Pkcs12Token.open(p521, PASSWORD.clone(), null));
        assertTrue(e.getMessage().startsWith("EC curve P-521 (secp521r1) is not supported: use P-256 or P-384"),
                e.getMessage());
        // same field size as P-256, another curve: the curve's OID decides, not its size
        Path k1 = openssl("k1", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:secp256k1");
        e = assertThrows(SignatureException.class, () -> Pkcs12Token.open(k1, PASSWORD.clone(), null));
        assertTrue(e.getMessage().startsWith("EC curve secp256k1 (1.3.132.0.10) is not supported"), e.getMessage());
    }

    @Test
    void aWrongPasswordIsToldApartFromADamagedFile() throws Exception {
        Path p12 = openssl("good", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256");
        SignatureException e = assertThrows(SignatureException.class,
                () -> Pkcs12Token.open(p12, "not-the-password".toCharArray(), null));
        assertEquals(SignatureException.Reason.KEY_UNUSABLE, e.reason());
        assertTrue(e.getMessage().startsWith("wrong password for the key file"), e.getMessage());

        byte[] bytes = Files.readAllBytes(p12);
        Path truncated = Files.write(dir.resolve("truncated.p12"), java.util.Arrays.copyOf(bytes, bytes.length / 2));
        e = assertThrows(SignatureException.class, () -> Pkcs12Token.open(truncated, PASSWORD.clone(), null));
        assertTrue(e.getMessage().contains("is not a readable PKCS#12 key file"), e.getMessage());
        assertFalse(e.getMessage().contains("wrong password"), e.getMessage());
    }
}
