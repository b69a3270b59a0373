package io.cachet.ca.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.Extension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cachet.api.audit.AuditRecord;
import io.cachet.api.ca.CertificateAuthorityException;
import io.cachet.api.ca.IssuedCertificate;
import io.cachet.api.ca.SealCertificateRequest;
import io.cachet.api.health.HealthIndicator.Health;
import io.cachet.api.security.SecretVault;
import io.cachet.api.token.Token;
import io.cachet.api.audit.AuditLog;
import io.cachet.audit.launch.AuditLogs;
import io.cachet.store.testing.TestVaults;
import io.cachet.store.testing.TestDatabases;
import io.cachet.api.token.TokenDriver;
import io.cachet.token.soft.launch.SoftTokens;

/**
 * Key custody on the real software token, checked with openssl: the root on a token of its own whose PIN the
 * server does not keep, the CA token's PIN sealed with the master key (and a clear one migrated), the root's ARL,
 * its renewal ceremony, and the {@code ca} health check.
 */
class CaCustodyTest {
    @TempDir
    Path data;
    @TempDir
    Path work;

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

    CaComponent start(Clock clock) {
        return new CaComponent(driver, db.database(), audit, vault, CaComponentTest.config(Map.of()), data, "8443",
                clock);
    }

    Path caP12() {
        return tokenFile("Cachet CA");
    }

    Path rootP12() {
        return tokenFile("Cachet Root CA");
    }

    Path tokenFile(String label) {
        long slot = driver.tokens().stream().filter(t -> label.equals(t.label())).findFirst().orElseThrow().slotId();
        return data.resolve("tokens/token-" + slot + ".p12");
    }

    /** openssl pkcs12 on {@code p12} with the password in {@code passFile}: the aliases it opened, or null. */
    Pki.Result pkcs12(Path p12, Path passFile) throws Exception {
        return Pki.openssl(work, "pkcs12", "-in", p12.toString(), "-passin", "file:" + passFile, "-nokeys",
                "-info");
    }

    @Test
    void theRootIsOnItsOwnTokenAndNoFileInDataOpensTheCaToken() throws Exception {
        CaComponent ca = start(Clock.systemUTC());
        X509Certificate root = ca.chain().get(1);
        X509Certificate issuing = ca.chain().get(0);
        ca.deactivate();

        // the CA token holds issuing, OCSP, platform seal and TSA keys, not the root; the root token the root only
        Path pin = data.resolve("secrets/ca-token.pin");
        try (Token t = driver.login(serial("Cachet CA"), vault.openChars(CaTokenCustody.PIN_PURPOSE,
                Files.readAllBytes(pin)))) {
            assertEquals(List.of("ca-issuing", "ca-ocsp", "ca-seal", "ca-tsa"),
                    t.keys().stream().map(k -> k.alias()).sorted().toList());
        }
        Path rootPin = data.resolve("secrets/root-token.pin");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(rootPin)));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(
                data.resolve("secrets/root-token.pin.so"))));
        Pki.Result rootOpened = pkcs12(rootP12(), rootPin);
        CaTest.ok(rootOpened);
        assertTrue(rootOpened.out().contains("friendlyName: ca-root"), rootOpened.out());
        assertFalse(rootOpened.out().contains("ca-issuing"), rootOpened.out());

        // the sealed PIN files are not text, and no file of the data directory opens the CA token with openssl
        assertEquals(1, Files.readAllBytes(pin)[0]);
        assertEquals(1, Files.readAllBytes(data.resolve("secrets/ca-token.pin.so"))[0]);
        try (Stream<Path> files = Files.walk(data)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Pki.Result r = pkcs12(caP12(), f);
                assertNotEquals(0, r.exit(), "the CA token opened with " + f + ": " + r.out());
            }
        }

        // the issuing CA points at the root's ARL and certificate; the ARL is the root's, for CA certificates only
        String cdp = new String(issuing.getExtensionValue(Extension.cRLDistributionPoints.getId()),
                StandardCharsets.ISO_8859_1);
        assertTrue(cdp.contains("http://localhost:8443/pki/root.crl"), cdp);
        String aia = new String(issuing.getExtensionValue(Extension.authorityInfoAccess.getId()),
                StandardCharsets.ISO_8859_1);
        assertTrue(aia.contains("http://localhost:8443/pki/root-ca.cer"), aia);
        CaComponent again = start(Clock.systemUTC());
        try {
            X509CRL arl = again.arl().orElseThrow();
            arl.verify(root.getPublicKey());
            assertEquals(BigInteger.ONE, number(arl));
            Duration validity = Duration.between(arl.getThisUpdate().toInstant(), arl.getNextUpdate().toInstant());
            assertEquals(Duration.ofDays(365), validity);

            // a relying party trusting only the root checks the whole chain with ARL + CRL
            IssuedCertificate leaf = again.issue(TrustServicesTest.request(CaTest.csrPem(Pki.ec("secp256r1")),
                    SealCertificateRequest.Profile.QSCD), "api:alice");
            Pki.write(work, "root.pem", root);
            Pki.write(work, "issuing.pem", issuing);
            Pki.write(work, "leaf.pem", leaf.certificate());
            Pki.write(work, "crls.pem", arl, again.crl());
            Pki.Result text = Pki.openssl(work, "crl", "-in", "crls.pem", "-noout", "-text");
            assertTrue(text.out().contains("Only CA Certificates"), text.out());
            Pki.Result verified = Pki.openssl(work, "verify", "-crl_check_all", "-CAfile", "root.pem", "-untrusted",
                    "issuing.pem", "-CRLfile", "crls.pem", "leaf.pem");
            CaTest.ok(verified);
            // without the ARL, the issuing CA has no revocation data
            Pki.write(work, "crl-only.pem", again.crl());
            Pki.Result noArl = Pki.openssl(work, "verify", "-crl_check_all", "-CAfile", "root.pem", "-untrusted",
                    "issuing.pem", "-CRLfile", "crl-only.pem", "leaf.pem");
            assertNotEquals(0, noArl.exit(), noArl.out());
            assertTrue(noArl.out().contains("unable to get certificate CRL"), noArl.out());
        } finally {
            again.deactivate();
        }
    }

    @Test
    void aClearPinFileOfAnOlderDataDirectoryIsSealedAtStart() throws Exception {
        start(Clock.systemUTC()).deactivate();
        Path pin = data.resolve("secrets/ca-token.pin");
        Path so = data.resolve("secrets/ca-token.pin.so");
        // what a data directory made before the vault holds: the PINs in clear text
        char[] clear = vault.openChars(CaTokenCustody.PIN_PURPOSE, Files.readAllBytes(pin));
        char[] clearSo = vault.openChars(CaTokenCustody.SO_PIN_PURPOSE, Files.readAllBytes(so));
        Files.writeString(pin, new String(clear) + "\n");
        Files.writeString(so, new String(clearSo) + "\n");
        CaTest.ok(pkcs12(caP12(), pin)); // the weakness: openssl opens the CA token with it

        CaComponent ca = start(Clock.systemUTC());
        ca.deactivate();
        assertEquals(1, Files.readAllBytes(pin)[0], "sealed in place");
        assertEquals(1, Files.readAllBytes(so)[0], "SO PIN sealed in place");
        assertFalse(Files.exists(data.resolve("secrets/ca-token.pin.sealing")));
        assertNotEquals(0, pkcs12(caP12(), pin).exit());
        assertEquals(new String(clear), new String(vault.openChars(CaTokenCustody.PIN_PURPOSE,
                Files.readAllBytes(pin))));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(pin)));
        // and it starts again from the sealed file
        start(Clock.systemUTC()).deactivate();

        // another master key does not open it: the start says so, naming the file
        SecretVault other = TestVaults.withKey(java.util.Base64.getEncoder().encodeToString(new byte[32]), data);
        CertificateAuthorityException e = assertThrows(CertificateAuthorityException.class,
                () -> new CaComponent(driver, db.database(), audit, other, CaComponentTest.config(Map.of()), data,
                        "8443", Clock.systemUTC()));
        assertTrue(e.getMessage().contains(pin.toString()) && e.getMessage().contains("master key"), e.getMessage());
    }

    @Test
    void theArlRenewalCeremonyNeedsTheRootPinAndIsAudited() throws Exception {
        CaComponent ca = start(Clock.systemUTC());
        try {
            CaException wrong = assertThrows(CaException.class,
                    () -> ca.renewArl("not-the-pin-123".toCharArray(), "api:admin"));
            assertEquals(CertificateAuthorityException.Kind.INVALID_REQUEST, wrong.kind());
            assertTrue(wrong.getMessage().contains("refused the PIN"), wrong.getMessage());
            assertEquals(BigInteger.ONE, number(ca.arl().orElseThrow()));

            char[] pin = Files.readString(data.resolve("secrets/root-token.pin")).strip().toCharArray();
            X509CRL renewed = ca.renewArl(pin, "api:admin");
            assertEquals(BigInteger.TWO, number(renewed));
            assertEquals(renewed, ca.arl().orElseThrow());
            renewed.verify(ca.chain().get(1).getPublicKey());
        } finally {
            ca.deactivate();
        }
        List<AuditRecord> records = audit.read(1, 100);
        List<String> actions = records.stream().map(AuditRecord::action).toList();
        assertTrue(actions.contains("ca.arl.refused"), actions.toString());
        AuditRecord published = records.stream().filter(r -> r.action().equals("ca.arl.published")
                && r.actor().equals("api:admin")).findFirst().orElseThrow();
        assertEquals("arl:2", published.subject());

        // the server kept no root PIN: the renewed ARL survives a restart, the root token stays logged out
        CaComponent again = start(Clock.systemUTC());
        try {
            assertEquals(BigInteger.TWO, number(again.arl().orElseThrow()));
        } finally {
            again.deactivate();
        }
    }

    @Test
    void healthNamesAnUnusableCaTokenAndWarnsBeforeTheArlExpires() throws Exception {
        CaComponent ca = start(Clock.systemUTC());
        Health fresh = ca.check();
        assertTrue(fresh.healthy(), fresh.detail());
        assertTrue(fresh.detail().startsWith("WARNING") && fresh.detail().contains("root-token.pin"),
                fresh.detail());
        Files.delete(data.resolve("secrets/root-token.pin"));
        Files.delete(data.resolve("secrets/root-token.pin.so"));
        Health clean = ca.check();
        assertTrue(clean.healthy() && !clean.detail().contains("WARNING") && clean.detail().contains("ARL until"),
                clean.detail());
        ca.deactivate();

        // 340 days on: the ARL (365 days) is due in 25, under the 30-day warning: healthy, but says so
        CaComponent later = start(Clock.offset(Clock.systemUTC(), Duration.ofDays(340)));
        Health due = later.check();
        later.deactivate();
        assertTrue(due.healthy(), due.detail());
        assertTrue(due.detail().startsWith("WARNING") && due.detail().contains("ARL expires"), due.detail());
        // a year on: expired, unhealthy
        CaComponent expired = start(Clock.offset(Clock.systemUTC(), Duration.ofDays(366)));
        Health gone = expired.check();
        expired.deactivate();
        assertFalse(gone.healthy(), gone.detail());
        assertTrue(gone.detail().contains("ARL expired"), gone.detail());

        // the CA token's files vanish while the CA runs: unhealthy, naming the token
        CaComponent running = start(Clock.systemUTC());
        try {
            Path p12 = caP12();
            Files.delete(p12.resolveSibling(p12.getFileName().toString().replace(".p12", ".properties")));
            Health down = running.check();
            assertFalse(down.healthy(), down.detail());
            assertTrue(down.detail().contains("CA token 'Cachet CA'"), down.detail());
        } finally {
            running.deactivate();
        }
    }

    @Test
    void aCaMadeWithItsRootOnTheCaTokenKeepsWorkingAndHealthSaysTheRootIsOnline() throws Exception {
        // what an older Cachet made: all four keys on the CA token
        try (Token token = CaTokenCustody.open(driver, "Cachet CA", data.resolve("secrets/ca-token.pin"), true,
                vault)) {
            CaHierarchy.create(token, CaComponent.caSettings(CaComponentTest.config(Map.of())));
        }
        CaComponent ca = start(Clock.systemUTC());
        try {
            assertTrue(ca.arl().isEmpty());
            Health h = ca.check();
            assertTrue(h.healthy(), h.detail());
            assertTrue(h.detail().contains("root key is online"), h.detail());
            CaException e = assertThrows(CaException.class, () -> ca.renewArl("x".toCharArray(), "api:admin"));
            assertEquals(CertificateAuthorityException.Kind.CONFLICT, e.kind());
            ca.issue(TrustServicesTest.request(CaTest.csrPem(Pki.ec("secp256r1")),
                    SealCertificateRequest.Profile.QSCD), "api:alice");
        } finally {
            ca.deactivate();
        }
        assertTrue(driver.tokens().stream().noneMatch(t -> "Cachet Root CA".equals(t.label())),
                "no root token is made for an existing CA");
    }

    @Test
    void thePlatformSealIsRenewedForTheSameKeyBeforeItEnds() throws Exception {
        CaComponent ca = start(Clock.systemUTC());
        X509Certificate old = ca.platformSeal().orElseThrow().certificate();
        ca.deactivate();

        // 60 days before the seal's end, inside the 90 days of platformSealRenewalDays: the next start renews it
        Clock later = Clock.offset(Clock.systemUTC(), Duration.between(java.time.Instant.now(),
                old.getNotAfter().toInstant()).minusDays(60));
        CaComponent again = start(later);
        try {
            PlatformSeal seal = again.platformSeal().orElseThrow();
            X509Certificate renewed = seal.certificate();
            assertNotEquals(old.getSerialNumber(), renewed.getSerialNumber());
            assertEquals(old.getPublicKey(), renewed.getPublicKey(), "the same key, certified again");
            assertTrue(renewed.getNotAfter().after(old.getNotAfter()), renewed.getNotAfter().toString());
            assertEquals(renewed, seal.signingKey().certificate(), "the token holds the renewed certificate");
            assertEquals(renewed, seal.chain().get(0));
            // openssl, at the renewal's time: the renewed seal chains to the CA's root
            Pki.write(work, "root.pem", again.chain().get(1));
            Pki.write(work, "issuing.pem", again.chain().get(0));
            Pki.write(work, "seal.pem", renewed);
            CaTest.ok(Pki.openssl(work, "verify", "-attime", String.valueOf(later.instant().getEpochSecond()),
                    "-CAfile", "root.pem", "-untrusted", "issuing.pem", "seal.pem"));
            // both are in the register: the old one stays good until its own end
            assertTrue(again.find(old.getSerialNumber()).isPresent());
            assertFalse(again.find(old.getSerialNumber()).orElseThrow().revoked());
            assertTrue(again.find(renewed.getSerialNumber()).isPresent());
        } finally {
            again.deactivate();
        }
        // a start at the same time renews nothing more
        start(later).deactivate();
        List<String> actions = audit.read(1, 1000).stream().map(AuditRecord::action).toList();
        assertEquals(1, actions.stream().filter("ca.platform-seal.renewed"::equals).count(), actions.toString());
        assertEquals(1, actions.stream().filter("ca.platform-seal.created"::equals).count(), actions.toString());
    }

    @Test
    void aSealNotYetDueForRenewalIsNotReportedAsFailingIt() throws Exception {
        CaComponent ca = start(Clock.systemUTC());
        X509Certificate seal = ca.platformSeal().orElseThrow().certificate();
        ca.deactivate();
        // renewal 10 days before the end, 20 days before it: not due, although inside the 30 days of arlWarningDays
        Clock later = Clock.offset(Clock.systemUTC(), Duration.between(java.time.Instant.now(),
                seal.getNotAfter().toInstant()).minusDays(20));
        CaComponent again = new CaComponent(driver, db.database(), audit, vault,
                CaComponentTest.config(Map.of("platformSealRenewalDays", 10)), data, "8443", later);
        try {
            assertEquals(seal, again.platformSeal().orElseThrow().certificate(), "not renewed yet");
            // the root's ARL, long expired at that time, renewed so that the check reaches the seal
            again.renewArl(Files.readString(data.resolve("secrets/root-token.pin")).strip().toCharArray(),
                    "api:admin");
            Health h = again.check();
            assertTrue(h.healthy(), h.detail());
            assertFalse(h.detail().contains("could not be renewed"), h.detail());
        } finally {
            again.deactivate();
        }
    }

    private String serial(String label) {
        return driver.tokens().stream().filter(t -> label.equals(t.label())).findFirst().orElseThrow().serial();
    }

    static BigInteger number(X509CRL crl) {
        return ASN1Integer.getInstance(ASN1OctetString.getInstance(crl.getExtensionValue(Extension.cRLNumber.getId()))
                .getOctets()).getValue();
    }
}
