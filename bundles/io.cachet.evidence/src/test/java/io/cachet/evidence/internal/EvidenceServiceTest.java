package io.cachet.evidence.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.cachet.api.audit.AuditLog;
import io.cachet.api.audit.AuditRecord;
import io.cachet.api.ca.PlatformSealKey;
import io.cachet.api.issuance.EvidenceInfo;
import io.cachet.api.issuance.IssuanceException;
import io.cachet.api.security.DataKeyCipher;
import io.cachet.api.security.Digests;
import io.cachet.api.signature.SigningKey;
import io.cachet.api.signature.ValidationOptions;
import io.cachet.api.signature.ValidationResult;
import io.cachet.api.testing.MutableClock;
import io.cachet.api.token.KeyAlgorithm;
import io.cachet.audit.launch.AuditLogs;
import io.cachet.signature.launch.Signatures;
import io.cachet.signature.testing.TestPki;
import io.cachet.signature.testing.Tools;
import io.cachet.store.testing.TestDatabases;
import io.cachet.store.testing.TestVaults;

/**
 * Evidence files on a real database (H2, PostgreSQL), the real audit log and vault, sealed by the real signer (EU
 * DSS) with a seal of a real CA whose TSA, OCSP and CRL answer over HTTP; checked by pdfsig and DSS at LTA.
 */
class EvidenceServiceTest {
    static TestPki pki;
    static SigningKey sealKey;

    @TempDir
    Path dir;

    @BeforeAll
    static void pki() {
        pki = TestPki.get();
        sealKey = pki.seal(KeyAlgorithm.EC_P256);
    }

    static Stream<String> products() {
        return TestDatabases.products();
    }

    /** The test PKI's seal as the platform's. */
    static PlatformSealKey platform() {
        return new PlatformSealKey() {
            public X509Certificate certificate() {
                return sealKey.certificate();
            }

            public List<X509Certificate> chain() {
                return pki.chain();
            }

            public SigningKey signingKey() {
                return sealKey;
            }

            public URI timeStampAuthority() {
                return pki.tsaUrl();
            }

            public List<X509Certificate> trustAnchors() {
                return pki.trustAnchors();
            }
        };
    }

    static final Collected COLLECTED = new Collected(List.of("Order ord_test (cloud, 1 year(s))",
            "Organisation: ACME SAS – Société 株式会社 (FR, 552100554)"),
            List.of(new Section("order.json", "The order as submitted", "application/json",
                    "{\"id\": \"ord_test\", \"organisation\": \"ACME SAS – Société\"}".getBytes(StandardCharsets.UTF_8)),
                    new Section("certificate.pem", "The certificate", "application/x-pem-file",
                            "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n".getBytes(StandardCharsets.US_ASCII))),
            List.of("acceptance: the acceptance module is not running"));

    record Fixture(TestDatabases.Handle db, AuditLog audit, EvidenceService service, MutableClock clock,
            AtomicReference<Sealer> sealer, AtomicReference<EvidenceService.Settings> settings) implements AutoCloseable {
        public void close() {
            db.close();
        }

        List<String> actions(String orderId) {
            return audit.about(List.of("order:" + orderId), 1, 1000).stream().map(AuditRecord::action).toList();
        }
    }

    Fixture fixture(String product) {
        return fixture(product, dir);
    }

    /** The evidence service on a new database of {@code product}, sealing with the test PKI's seal ({@link #pki()}). */
    static Fixture fixture(String product, Path dir) {
        TestDatabases.Handle db = TestDatabases.open(product, dir);
        AuditLog audit = AuditLogs.open(db.database(), List.of());
        EvidenceService.migrate(db.database());
        MutableClock clock = new MutableClock(Instant.now());
        AtomicReference<Sealer> sealer = new AtomicReference<>(new PlatformSealer(Signatures.signer(), platform()));
        AtomicReference<EvidenceService.Settings> settings = new AtomicReference<>(new EvidenceService.Settings(
                Duration.ofSeconds(300), Duration.ofSeconds(10), Duration.ofSeconds(600), Duration.ofDays(180),
                Duration.ofHours(24)));
        EvidenceService service = new EvidenceService(db.database(), audit,
                new DataKeyCipher(TestVaults.embedded(dir), EvidenceService.KEY_PURPOSE, new SecureRandom()),
                () -> id -> COLLECTED, sealer::get, settings::get, clock, dir.resolve("tmp"));
        return new Fixture(db, audit, service, clock, sealer, settings);
    }

    private Path save(InputStream in, String name) throws Exception {
        Path p = dir.resolve(name);
        try (in) {
            Files.write(p, in.readAllBytes());
        }
        return p;
    }

    private static void dssAtLta(Path pdf) {
        ValidationResult r = Signatures.validator().validate(pdf, List.of(), ValidationOptions.trusting(pki.trustAnchors()));
        Tools.dssPassed(r, 1, "PAdES-BASELINE-LTA");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("products")
    void anEvidenceFileIsSealedAtLtaStoredEncryptedAndVerifiesWithToolsWeDidNotWrite(String product) throws Exception {
        try (Fixture f = fixture(product)) {
            assertTrue(f.service().find("ord_test").isEmpty());
            assertEquals(IssuanceException.Kind.NOT_FOUND,
                    assertThrows(IssuanceException.class, () -> f.service().open("ord_test")).kind());
            f.service().enqueue("ord_test");
            f.service().enqueue("ord_test"); // once
            assertTrue(f.service().runDue());
            assertFalse(f.service().runDue());

            EvidenceInfo info = f.service().find("ord_test").orElseThrow();
            assertEquals(List.of("order.json", "certificate.pem"), info.sections());
            assertEquals(List.of("acceptance: the acceptance module is not running"), info.missing());
            assertEquals(1, info.timestamps());
            assertTrue(info.timestampValidUntil().isPresent());
            assertEquals("evidence-ord_test.pdf", info.fileName());

            Path pdf = save(f.service().open("ord_test"), "evidence.pdf");
            assertEquals(info.size(), Files.size(pdf));
            assertEquals(info.sha256(), Digests.sha256Hex(Files.readAllBytes(pdf)));
            assertEquals(1, Tools.pdfsigValid(pdf, 1), "one valid seal and one document time-stamp");
            dssAtLta(pdf);
            assertEquals(List.of("certificate.pem", "order.json"), EvidencePdf.attachments(pdf));
            assertArrayEquals(COLLECTED.sections().get(0).content(), EvidencePdf.attachment(pdf, "order.json")
                    .orElseThrow());

            // at rest, the PDF is not readable without the master key
            byte[] stored = f.db().database().inTransaction(c -> {
                try (PreparedStatement ps = c.prepareStatement("SELECT content FROM evidence_file WHERE id = ?")) {
                    ps.setString(1, "ord_test");
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        return rs.getBytes(1);
                    }
                }
            });
            assertFalse(new String(stored, StandardCharsets.ISO_8859_1).contains("%PDF"));
            assertEquals(List.of("evidence.queued", "evidence.sealed"), f.actions("ord_test"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("products")
    void anArchiveTimestampIsAddedOnDemandAndByTheJobBeforeTheLastOneWeakens(String product) throws Exception {
        try (Fixture f = fixture(product)) {
            f.service().enqueue("ord_ts");
            assertTrue(f.service().runDue());
            EvidenceInfo first = f.service().find("ord_ts").orElseThrow();

            EvidenceInfo second = f.service().timestamp("ord_ts", "api:alice");
            assertEquals(2, second.timestamps());
            Path pdf = save(f.service().open("ord_ts"), "twice.pdf");
            assertEquals(2, Tools.pdfsigValid(pdf, 1), "the seal still valid, two archive time-stamps");
            dssAtLta(pdf);
            assertTrue(!second.sha256().equals(first.sha256()));

            // the TSA certificate ends within the margin: the job adds one, once per minimum interval
            assertEquals(0, f.service().retimestampDue(10), "not due: the TSA certificate is far from its end");
            f.settings().set(new EvidenceService.Settings(Duration.ofSeconds(300), Duration.ofSeconds(10),
                    Duration.ofSeconds(600), Duration.ofDays(365 * 100), Duration.ofHours(24)));
            f.service().timestamp("ord_ts", "api:alice"); // recomputes when the next one is due under the new margin
            assertEquals(0, f.service().retimestampDue(10), "not before the minimum interval");
            f.clock().advance(Duration.ofHours(25));
            assertEquals(1, f.service().retimestampDue(10));
            assertEquals(0, f.service().retimestampDue(10));
            assertEquals(4, f.service().find("ord_ts").orElseThrow().timestamps());
            assertEquals(4, Tools.pdfsigValid(save(f.service().open("ord_ts"), "four.pdf"), 1));
            assertEquals(List.of("evidence.queued", "evidence.sealed", "evidence.timestamped", "evidence.timestamped",
                    "evidence.timestamped"), f.actions("ord_ts"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("products")
    void withoutTheSealTheFileWaitsAndIsMadeLater(String product) {
        try (Fixture f = fixture(product)) {
            Sealer real = f.sealer().getAndSet(null);
            f.service().enqueue("ord_wait");
            assertTrue(f.service().runDue());
            assertTrue(f.service().find("ord_wait").isEmpty());
            assertTrue(f.service().pendingError("ord_wait").startsWith("PENDING: "));
            assertFalse(f.service().runDue(), "not before the back-off");
            f.sealer().set(real);
            f.clock().advance(Duration.ofSeconds(10));
            assertTrue(f.service().runDue());
            assertEquals(1, f.service().find("ord_wait").orElseThrow().timestamps());
            assertEquals(List.of("evidence.queued", "evidence.retry", "evidence.sealed"), f.actions("ord_wait"));
            assertEquals(IssuanceException.Kind.NOT_FOUND, assertThrows(IssuanceException.class,
                    () -> f.service().timestamp("ord_none", "api:alice")).kind());
        }
    }
}
