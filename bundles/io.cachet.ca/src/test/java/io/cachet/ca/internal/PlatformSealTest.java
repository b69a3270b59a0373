package io.cachet.ca.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cachet.api.audit.AuditLog;
import io.cachet.api.audit.AuditRecord;
import io.cachet.api.ca.PlatformSealKey;
import io.cachet.api.security.SecretVault;
import io.cachet.api.signature.SigningKey;
import io.cachet.api.store.Database;
import io.cachet.api.token.KeyAlgorithm;
import io.cachet.api.token.SignatureAlgorithm;
import io.cachet.api.token.Token;
import io.cachet.api.token.TokenDriver;
import io.cachet.api.token.TokenException;
import io.cachet.audit.launch.AuditLogs;
import io.cachet.store.testing.TestDatabases;
import io.cachet.store.testing.TestVaults;
import io.cachet.token.soft.launch.SoftTokens;

/** The platform seal on the real software token: made once, kept across restarts, its key reachable alone. */
class PlatformSealTest {
    @TempDir
    Path data;

    TestDatabases.Handle db;
    AuditLog audit;
    TokenDriver driver;
    SecretVault vault;

    @BeforeEach
    void open() {
        vault = TestVaults.embedded(data);
        db = TestDatabases.open("h2", data);
        audit = AuditLogs.open(db.database(), List.of());
        driver = SoftTokens.driver(data.resolve("tokens"), 3);
    }

    @AfterEach
    void close() {
        db.close();
    }

    CaComponent start(Map<String, Object> overrides) {
        return new CaComponent(driver, db.database(), audit, vault, CaComponentTest.config(overrides), data, "8443",
                Clock.systemUTC());
    }

    @Test
    void theFirstStartMakesTheSealOnceAndRestartsKeepIt() throws Exception {
        CaComponent first = start(Map.of("platformSealCommonName", "ACME Trust Platform Seal"));
        PlatformSealKey seal = first.platformSeal().orElseThrow();
        X509Certificate cert = seal.certificate();
        X509Certificate issuing = first.chain().get(0);
        X509Certificate root = first.chain().get(1);
        cert.verify(issuing.getPublicKey());
        assertTrue(cert.getSubjectX500Principal().getName().contains("CN=ACME Trust Platform Seal"),
                cert.getSubjectX500Principal().getName());
        assertEquals(issuing.getSubjectX500Principal(), cert.getIssuerX500Principal());
        assertEquals(List.of(cert, issuing, root), seal.chain());
        assertEquals(List.of(issuing, root), seal.trustAnchors());
        assertEquals("http://localhost:8443/tsa", seal.timeStampAuthority().toString());
        // in the register: on the CRL when revoked, answered for by OCSP
        assertEquals(cert, first.find(cert.getSerialNumber()).orElseThrow().certificate());
        assertTrue(first.status(cert.getSerialNumber()).orElseThrow().revocation().isEmpty());
        assertEquals(1, count(audit, "ca.platform-seal.created"));
        assertTrue(first.check().healthy(), first.check().detail());
        assertTrue(first.check().detail().contains("platform seal serial " + cert.getSerialNumber().toString(16)),
                first.check().detail());
        first.deactivate();

        CaComponent second = start(Map.of("platformSealCommonName", "ACME Trust Platform Seal"));
        assertEquals(cert, second.platformSeal().orElseThrow().certificate());
        assertEquals(1, count(audit, "ca.platform-seal.created"), "no second seal");
        assertEquals(1, count(audit, "ca.certificate.issued"));
        assertEquals(1, certificates(db.database()));
        second.deactivate();
    }

    @Test
    void theSigningKeyReachesTheSealKeyOnlyAndSignsWithIt() throws Exception {
        CaComponent ca = start(Map.of());
        PlatformSealKey seal = ca.platformSeal().orElseThrow();
        SigningKey key = seal.signingKey();
        assertEquals(seal.certificate(), key.certificate());
        assertEquals(List.of(ca.chain().get(0), ca.chain().get(1)), key.chain());
        Token view = key.token();
        assertEquals(List.of("ca-seal"), view.keys().stream().map(k -> k.alias()).toList());
        assertTrue(view.certificate("ca-issuing").isEmpty());
        byte[] data = "sealed by Cachet".getBytes(StandardCharsets.UTF_8);
        assertEquals(TokenException.Reason.NOT_FOUND, assertThrows(TokenException.class,
                () -> view.sign("ca-issuing", SignatureAlgorithm.ECDSA_SHA256, data)).reason());
        assertEquals(TokenException.Reason.NOT_FOUND, assertThrows(TokenException.class,
                () -> view.sign("ca-ocsp", SignatureAlgorithm.ECDSA_SHA256, data)).reason());
        assertThrows(TokenException.class, () -> view.generateKeyPair("ca-seal2", KeyAlgorithm.EC_P256));
        assertThrows(TokenException.class, () -> view.importCertificate("ca-issuing", seal.certificate()));

        view.close(); // a signer closing "its" token must not close the CA's
        byte[] signature = view.sign("ca-seal", SignatureAlgorithm.ECDSA_SHA256, data);
        Signature verify = Signature.getInstance("SHA256withECDSA");
        verify.initVerify(seal.certificate().getPublicKey());
        verify.update(data);
        assertTrue(verify.verify(signature));
        assertTrue(ca.check().healthy(), ca.check().detail());
        ca.deactivate();
    }

    @Test
    void aKeyLeftWithoutCertificateByAnInterruptedStartIsCertifiedOnce() throws Exception {
        Token token = new JcaTestToken();
        CaHierarchy hierarchy = CaHierarchy.create(token, CaSettings.defaults("Cachet Test", CaTest.ORG_ID, "FR"));
        TrustServices services = new TrustServices(hierarchy, CaTest.settings(), "1.3.6.1.4.1.32473.1.2",
                db.database(), audit, Clock.systemUTC());
        byte[] key = token.generateKeyPair("ca-seal", hierarchy.settings().keyAlgorithm()).publicKey().getEncoded();

        PlatformSeal made = PlatformSeal.open(services, "Cachet Platform Seal", "http://ca.example.fr/", audit);
        assertArrayEquals(key, made.certificate().getPublicKey().getEncoded(), "the key on the token was certified");
        assertEquals("http://ca.example.fr/tsa", made.timeStampAuthority().toString());
        PlatformSeal reopened = PlatformSeal.open(services, "Cachet Platform Seal", "http://ca.example.fr", audit);
        assertEquals(made.certificate(), reopened.certificate());
        assertEquals(1, certificates(db.database()));
        assertEquals(1, count(audit, "ca.platform-seal.created"));
    }

    private static long count(AuditLog audit, String action) {
        return audit.read(1, 1000).stream().map(AuditRecord::action).filter(action::equals).count();
    }

    private static long certificates(Database db) {
        return db.inTransaction(c -> {
            try (ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM ca_certificate")) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }
}
