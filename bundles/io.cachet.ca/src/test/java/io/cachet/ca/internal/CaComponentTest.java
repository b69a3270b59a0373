package io.cachet.ca.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cachet.api.audit.AuditRecord;
import io.cachet.api.ca.CertificateAuthorityException;
import io.cachet.api.ca.IssuedCertificate;
import io.cachet.api.ca.SealCertificateRequest;
import io.cachet.api.security.SecretVault;
import io.cachet.api.audit.AuditLog;
import io.cachet.audit.launch.AuditLogs;
import io.cachet.store.testing.TestVaults;
import io.cachet.store.testing.TestDatabases;
import io.cachet.api.token.TokenDriver;
import io.cachet.token.soft.launch.SoftTokens;

/** The component's start-up on the real software token: ceremony, reopening, and what stops it. */
class CaComponentTest {
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

    /** The configuration as ConfigAdmin would give it: the annotation's defaults, some overridden. */
    static CaConfiguration config(Map<String, Object> overrides) {
        return (CaConfiguration) Proxy.newProxyInstance(CaConfiguration.class.getClassLoader(),
                new Class<?>[] { CaConfiguration.class }, (proxy, method, args) -> {
                    if (method.getDeclaringClass() == Object.class) {
                        return method.invoke(Map.of(), args);
                    }
                    return overrides.getOrDefault(method.getName(), method.getDefaultValue());
                });
    }

    CaComponent start(Map<String, Object> overrides) {
        return new CaComponent(driver, db.database(), audit, vault, config(overrides), data, "8443",
                Clock.systemUTC());
    }

    @Test
    void firstStartRunsTheCeremonyAndLaterStartsReopenTheSameCa() throws Exception {
        CaComponent first = start(Map.of());
        Path pin = data.resolve("secrets/ca-token.pin");
        assertTrue(Files.exists(pin) && Files.exists(data.resolve("secrets/ca-token.pin.so")));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(pin)));
        assertEquals("Cachet CA", driver.tokens().stream().filter(t -> "Cachet CA".equals(t.label())).findFirst()
                .orElseThrow().label());
        assertTrue(Files.readString(data.resolve("keys/ca-chain.pem")).contains("BEGIN CERTIFICATE"));
        List<String> actions = audit.read(1, 100).stream().map(AuditRecord::action).toList();
        assertEquals(List.of("ca.ceremony.completed", "ca.arl.published", "ca.crl.published", "ca.certificate.issued",
                "ca.platform-seal.created"), actions);

        IssuedCertificate issued = first.issue(TrustServicesTest.request(CaTest.csrPem(Pki.ec("secp256r1")),
                SealCertificateRequest.Profile.QSCD), "api:alice");
        // the public URLs default to this server's port
        String aia = new String(issued.certificate().getExtensionValue("1.3.6.1.5.5.7.1.1"),
                java.nio.charset.StandardCharsets.ISO_8859_1);
        assertTrue(aia.contains("http://localhost:8443/ocsp"), aia);
        first.deactivate();

        CaComponent second = start(Map.of());
        assertEquals(first.chain(), second.chain());
        assertEquals(issued.certificate(), second.find(issued.serial()).orElseThrow().certificate());
        assertFalse(audit.read(1, 100).stream().map(AuditRecord::action).skip(5)
                .anyMatch("ca.ceremony.completed"::equals), "no second ceremony");
        // nothing revoked since: the second start serves the CRL the first kept, and its health says so
        assertEquals(1, audit.read(1, 100).stream().map(AuditRecord::action).filter("ca.crl.published"::equals)
                .count(), "no second CRL");
        assertTrue(second.check().healthy(), second.check().detail());
        second.deactivate();
    }

    /** Records what CaComponent logs (slf4j-jdk14 in the tests) while {@code run} runs. */
    static List<java.util.logging.LogRecord> logged(Runnable run) {
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger(CaComponent.class.getName());
        List<java.util.logging.LogRecord> records = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.logging.Handler handler = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord record) {
                records.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        logger.addHandler(handler);
        try {
            run.run();
        } finally {
            logger.removeHandler(handler);
        }
        return records;
    }

    /**
     * Unset public URLs work for a trial on this machine but not beyond it: each start says so once, and the
     * defaults put the CRL/OCSP/CA URLs on http and the disclosure statement on https.
     */
    @Test
    void unsetPublicUrlsAreWarnedAboutAtEveryStart() throws Exception {
        CaComponent[] started = new CaComponent[1];
        List<java.util.logging.LogRecord> records = logged(() -> started[0] = start(Map.of()));
        List<String> warnings = records.stream().filter(r -> r.getLevel() == java.util.logging.Level.WARNING)
                .map(r -> java.text.MessageFormat.format(r.getMessage().replace("'", "''").replace("{}", "{0}"),
                        r.getParameters())).toList();
        assertEquals(1, warnings.stream().filter(w -> w.startsWith("publicBaseUrl")).count(), warnings.toString());
        assertEquals(1, warnings.stream().filter(w -> w.startsWith("pdsUrl")).count(), warnings.toString());
        IssuedCertificate issued = started[0].issue(TrustServicesTest.request(CaTest.csrPem(Pki.ec("secp256r1")),
                SealCertificateRequest.Profile.QSCD), "api:alice");
        String cdp = new String(issued.certificate().getExtensionValue("2.5.29.31"),
                java.nio.charset.StandardCharsets.ISO_8859_1);
        assertTrue(cdp.contains("http://localhost:8443/pki/crl"), cdp);
        String qc = new String(issued.certificate().getExtensionValue("1.3.6.1.5.5.7.1.3"),
                java.nio.charset.StandardCharsets.ISO_8859_1);
        assertTrue(qc.contains("https://localhost/pki/pds"), qc);
        started[0].deactivate();

        records = logged(() -> started[0] = start(Map.of("publicBaseUrl", "http://ca.example.fr:8080/",
                "pdsUrl", "https://www.example.fr/pds-en.pdf")));
        // (the root token's PIN files, still on disk in this test, are warned about on their own)
        assertTrue(records.stream().noneMatch(r -> r.getLevel() == java.util.logging.Level.WARNING
                && (r.getMessage().startsWith("publicBaseUrl") || r.getMessage().startsWith("pdsUrl"))),
                records.stream().map(java.util.logging.LogRecord::getMessage).toList().toString());
        issued = started[0].issue(TrustServicesTest.request(CaTest.csrPem(Pki.ec("secp256r1")),
                SealCertificateRequest.Profile.CLOUD), "api:alice");
        cdp = new String(issued.certificate().getExtensionValue("2.5.29.31"), java.nio.charset.StandardCharsets.ISO_8859_1);
        assertTrue(cdp.contains("http://ca.example.fr:8080/pki/crl"), cdp);
        started[0].deactivate();
        assertEquals("https://ca.example.fr/pki/pds", CaComponent.defaultPdsUrl("http://ca.example.fr:8080"));
    }

    @Test
    void aMissingPinFileStopsTheStartWithoutTouchingTheToken() {
        start(Map.of()).deactivate();
        Path pin = data.resolve("secrets/ca-token.pin");
        assertTrue(pin.toFile().delete());
        CertificateAuthorityException e = assertThrows(CertificateAuthorityException.class, () -> start(Map.of()));
        assertEquals(CertificateAuthorityException.Kind.UNAVAILABLE, e.kind());
        assertTrue(e.getMessage().contains("PIN file") && e.getMessage().contains("restore"), e.getMessage());
    }

    @Test
    void aPinFileWithoutItsTokenIsNotReplacedByANewCa() throws Exception {
        Files.createDirectories(data.resolve("secrets"));
        Files.writeString(data.resolve("secrets/ca-token.pin"), "1234\n");
        CertificateAuthorityException e = assertThrows(CertificateAuthorityException.class, () -> start(Map.of()));
        assertTrue(e.getMessage().contains("the CA token is missing"), e.getMessage());
        assertTrue(driver.tokens().stream().noneMatch(t -> "Cachet CA".equals(t.label())));
    }

    @Test
    void withoutCeremonyAnEmptyTokenIsRefused() {
        CertificateAuthorityException e = assertThrows(CertificateAuthorityException.class,
                () -> start(Map.of("keyCeremony", false)));
        assertTrue(e.getMessage().contains("no token labelled 'Cachet CA'"), e.getMessage());
    }

    @Test
    void badSettingsAreNamed() {
        CertificateAuthorityException alg = assertThrows(CertificateAuthorityException.class,
                () -> start(Map.of("keyAlgorithm", "DSA_1024")));
        assertTrue(alg.getMessage().contains("keyAlgorithm"), alg.getMessage());
        CertificateAuthorityException url = assertThrows(CertificateAuthorityException.class,
                () -> start(Map.of("publicBaseUrl", "ftp://x")));
        assertTrue(url.getMessage().contains("publicBaseUrl"), url.getMessage());
        CertificateAuthorityException https = assertThrows(CertificateAuthorityException.class,
                () -> start(Map.of("publicBaseUrl", "https://ca.example.fr")));
        assertTrue(https.getMessage().contains("publicBaseUrl must be an http:// URL")
                && https.getMessage().contains("configuration PID io.cachet.ca"), https.getMessage());
        CertificateAuthorityException pds = assertThrows(CertificateAuthorityException.class,
                () -> start(Map.of("pdsUrl", "http://ca.example.fr/pds.pdf")));
        assertTrue(pds.getMessage().contains("pdsUrl must be an https:// URL")
                && pds.getMessage().contains("configuration PID io.cachet.ca"), pds.getMessage());
        CertificateAuthorityException usage = assertThrows(CertificateAuthorityException.class,
                () -> start(Map.of("qscdKeyUsage", "keyEncipherment")));
        assertTrue(usage.getMessage().contains("qscdKeyUsage") && usage.getMessage().contains("io.cachet.ca"),
                usage.getMessage());
        CertificateAuthorityException ocsp = assertThrows(CertificateAuthorityException.class,
                () -> start(Map.of("ocspValidityMinutes", 25 * 60)));
        assertTrue(ocsp.getMessage().contains("OCSP validity"), ocsp.getMessage());
        CertificateAuthorityException org = assertThrows(CertificateAuthorityException.class,
                () -> start(Map.of("organizationIdentifier", "123")));
        assertTrue(org.getMessage().contains("organizationIdentifier"), org.getMessage());
        assertTrue(driver.tokens().stream().noneMatch(t -> "Cachet CA".equals(t.label())), "nothing was made");
    }

    @Test
    void anExistingIssuingCaIsAdoptedWithItsRoot() throws Exception {
        // an "existing" CA: made on a token of the same driver under the component's aliases, root outside it
        CaComponent made = start(Map.of());
        java.security.cert.X509Certificate root = made.chain().get(1);
        java.security.cert.X509Certificate issuing = made.chain().get(0);
        made.deactivate();
        // forget the OCSP/TSA keys is not possible on this SPI; adoption must then reopen, not re-make them
        Path rootFile = data.resolve("root.pem");
        Files.writeString(rootFile, io.cachet.ca.internal.http.Pem.of(root));
        CaComponent adopted = start(Map.of("adoptRootCertificate", rootFile.toString()));
        assertEquals(List.of(issuing, root), adopted.chain());
        adopted.deactivate();

        // a root that did not sign the issuing CA is refused
        CaHierarchy other = CaHierarchy.create(new JcaTestToken(), CaSettings.defaults("Other", CaTest.ORG_ID, "FR"));
        JcaTestToken token = new JcaTestToken();
        CaHierarchy mine = CaHierarchy.create(token, CaSettings.defaults("Mine", CaTest.ORG_ID, "FR"));
        CaException wrongRoot = assertThrows(CaException.class, () -> CaHierarchy.adopt(token,
                CaSettings.defaults("Mine", CaTest.ORG_ID, "FR"), other.root()));
        assertTrue(wrongRoot.getMessage().contains("not signed by the given root"), wrongRoot.getMessage());
        assertEquals(mine.issuing(), token.certificate("ca-issuing").orElseThrow());
    }
}
