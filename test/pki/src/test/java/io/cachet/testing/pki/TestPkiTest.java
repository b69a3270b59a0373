package io.cachet.testing.pki;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cachet.api.testing.Processes;

/** What the described PKIs are, checked by the JDK's PKIX validator and by openssl, tools this module did not write. */
class TestPkiTest {

    @TempDir
    Path dir;

    private static void pkix(X509Certificate root, List<X509Certificate> path) throws Exception {
        PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(root, null)));
        parameters.setRevocationEnabled(false);
        CertPathValidator.getInstance("PKIX").validate(CertificateFactory.getInstance("X.509").generateCertPath(path),
                parameters);
    }

    @Test
    void theSealHierarchyValidatesFromTheSealToTheRoot() throws Exception {
        TestPki pki = TestPki.load("seal-hierarchy");
        X509Certificate root = pki.certificate("root");
        Entity seal = pki.entity("seal");
        assertEquals(List.of(pki.certificate("issuing"), root), seal.issuers());
        pkix(root, List.of(seal.certificate(), pki.certificate("issuing")));
        pkix(root, List.of(pki.certificate("rsa-seal"), pki.certificate("issuing")));
        assertEquals("RSA", pki.certificate("rsa-seal").getPublicKey().getAlgorithm());
        assertTrue(seal.certificate().getKeyUsage()[1], "nonRepudiation");
        assertEquals(-1, seal.certificate().getBasicConstraints(), "an end entity");
        assertEquals(0, pki.certificate("issuing").getBasicConstraints(), "path length 0");
        assertTrue(seal.certificate().getSubjectX500Principal().getName().contains("2.5.4.97=#"),
                "organizationIdentifier: " + seal.certificate().getSubjectX500Principal());
        assertEquals(List.of("1.3.6.1.5.5.7.3.8"), pki.certificate("tsa").getExtendedKeyUsage());

        // and openssl agrees
        Files.writeString(dir.resolve("root.pem"), pki.pem("root"));
        Files.writeString(dir.resolve("issuing.pem"), pki.pem("issuing"));
        Files.writeString(dir.resolve("seal.pem"), pki.pem("seal"));
        Processes.Result r = Processes.run(dir, Duration.ofSeconds(60), "openssl", "verify", "-CAfile", "root.pem",
                "-untrusted", "issuing.pem", "seal.pem");
        assertEquals(0, r.exit(), r.out());
    }

    @Test
    void theCasesValidationMustRefuseAreRefused() throws Exception {
        TestPki pki = TestPki.load("seal-hierarchy");
        X509Certificate root = pki.certificate("root");
        CertPathValidatorException expired = assertThrows(CertPathValidatorException.class,
                () -> pkix(root, List.of(pki.certificate("expired-seal"), pki.certificate("issuing"))));
        assertEquals(CertPathValidatorException.BasicReason.EXPIRED, expired.getReason());
        assertThrows(CertPathValidatorException.class,
                () -> pkix(root, List.of(pki.certificate("foreign-seal"), pki.certificate("foreign-root"))));
    }

    @Test
    void aPkcs12FileHoldsTheKeyAndTheWholeChain() throws Exception {
        TestPki pki = TestPki.load("seal-hierarchy");
        char[] password = "p12-secret".toCharArray();
        Path file = pki.writePkcs12(dir.resolve("seal.p12"), "seal", password);
        KeyStore store = KeyStore.getInstance(file.toFile(), password);
        assertArrayEquals(pki.entity("seal").keys().getPrivate().getEncoded(),
                store.getKey("seal", password).getEncoded());
        assertEquals(pki.entity("seal").chain(), List.of(store.getCertificateChain("seal")));
        Processes.Result r = Processes.run(dir, Duration.ofSeconds(60), "openssl", "pkcs12", "-in", "seal.p12",
                "-passin", "pass:p12-secret", "-nokeys", "-noout");
        assertEquals(0, r.exit(), "openssl reads it: " + r.out());
    }

    @Test
    void theTlsServerCertificateNamesThisMachine() throws Exception {
        X509Certificate server = TestPki.load("tls-localhost").certificate("server");
        server.verify(server.getPublicKey());
        assertEquals(List.of(List.of(2, "localhost"), List.of(7, "127.0.0.1")),
                server.getSubjectAlternativeNames().stream().toList());
        assertEquals(List.of("1.3.6.1.5.5.7.3.1"), server.getExtendedKeyUsage());
    }

    @Test
    void aBadDescriptionIsRefusedSayingWhatIsWrong() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TestPki.describe("a.subject = CN=a\na.colour = blue\n"));
        assertTrue(e.getMessage().contains("a.colour"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TestPki.describe(
                "a.subject = CN=a\na.issuer = b\nb.subject = CN=b\nb.issuer = a\n"));
        assertTrue(e.getMessage().contains("circle"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TestPki.describe("a.subject = CN=a\na.issuer = z\n"));
        assertTrue(e.getMessage().contains("no entity z"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> TestPki.describe("a.subject = CN=a\na.key = DSA 1024\n"));
        assertTrue(e.getMessage().contains("a.key"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TestPki.load("no-such-pki"));
    }
}
