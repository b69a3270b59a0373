package io.cachet.ca.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.file.Path;
import java.security.KeyPair;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.cachet.api.audit.AuditLog;
import io.cachet.api.audit.AuditRecord;
import io.cachet.api.ca.CertificateAuthorityException;
import io.cachet.api.ca.IssuedCertificate;
import io.cachet.api.ca.SealCertificateRequest;
import io.cachet.api.store.Database;
import io.cachet.audit.launch.AuditLogs;
import io.cachet.store.testing.TestDatabases;

/** {@code issue(request, actor, requestId)}: once per request id, on H2 and PostgreSQL, across restarts and threads. */
class IdempotentIssueTest {
    static CaHierarchy ca;

    @TempDir
    Path dir;

    @BeforeAll
    static void ceremony() {
        ca = CaHierarchy.create(new JcaTestToken(), CaSettings.defaults("Cachet Test", CaTest.ORG_ID, "FR"));
    }

    static java.util.stream.Stream<String> products() {
        return TestDatabases.products();
    }

    static SealCertificateRequest request(KeyPair key) throws Exception {
        return TrustServicesTest.request(CaTest.csrPem(key), SealCertificateRequest.Profile.CLOUD);
    }

    TrustServices services(Database db, AuditLog audit) {
        return new TrustServices(ca, CaTest.settings(), "1.3.6.1.4.1.32473.1.2", db, audit, Clock.systemUTC());
    }

    @ParameterizedTest
    @MethodSource("products")
    void theSameRequestIdIssuesOnceEvenAfterARestart(String product) throws Exception {
        try (TestDatabases.Handle h = TestDatabases.open(product, dir)) {
            AuditLog audit = AuditLogs.open(h.database(), List.of());
            KeyPair key = Pki.ec("secp256r1");
            IssuedCertificate first = services(h.database(), audit).issue(request(key), "system", "order-1");
            // a retry with the CSR signed again (ECDSA: other bytes, same key and subject), on a new instance
            IssuedCertificate again = services(h.database(), audit).issue(request(key), "system", "order-1");
            assertEquals(first.serial(), again.serial());
            assertEquals(first.certificate(), again.certificate());
            assertEquals(1, certificates(h.database()));
            assertEquals(1, issuedRecords(audit));
            assertEquals("certificate:" + first.serialHex(), audit.head().orElseThrow().subject());

            // another id is another certificate
            IssuedCertificate other = services(h.database(), audit).issue(request(key), "system", "order-2");
            assertNotEquals(first.serial(), other.serial());
            assertEquals(2, certificates(h.database()));
        }
    }

    @ParameterizedTest
    @MethodSource("products")
    void theSameRequestIdWithAnotherRequestIsAConflictAndIssuesNothing(String product) throws Exception {
        try (TestDatabases.Handle h = TestDatabases.open(product, dir)) {
            AuditLog audit = AuditLogs.open(h.database(), List.of());
            TrustServices services = services(h.database(), audit);
            services.issue(request(Pki.ec("secp256r1")), "system", "order-1");
            long auditBefore = audit.read(1, 1000).size();

            CertificateAuthorityException otherKey = assertThrows(CertificateAuthorityException.class,
                    () -> services.issue(request(Pki.ec("secp256r1")), "system", "order-1"));
            assertEquals(CertificateAuthorityException.Kind.CONFLICT, otherKey.kind());
            assertTrue(otherKey.getMessage().contains("order-1"), otherKey.getMessage());
            KeyPair key = Pki.ec("secp256r1");
            services.issue(request(key), "system", "order-3");
            SealCertificateRequest renamed = new SealCertificateRequest(CaTest.csrPem(key),
                    SealCertificateRequest.Profile.CLOUD, "Another name", request(key).organisation(), 3);
            assertEquals(CertificateAuthorityException.Kind.CONFLICT, assertThrows(
                    CertificateAuthorityException.class, () -> services.issue(renamed, "system", "order-3")).kind());
            assertEquals(2, certificates(h.database()));
            assertEquals(auditBefore + 1, audit.read(1, 1000).size(), "only order-3's issuance was audited");

            // a bad request claims nothing: the id stays free for a good one
            SealCertificateRequest bad = new SealCertificateRequest("not a CSR", SealCertificateRequest.Profile.CLOUD,
                    "ACME e-seal", request(key).organisation(), 3);
            assertEquals(CertificateAuthorityException.Kind.INVALID_REQUEST, assertThrows(
                    CertificateAuthorityException.class, () -> services.issue(bad, "system", "order-4")).kind());
            SealCertificateRequest badSubject = new SealCertificateRequest(CaTest.csrPem(key),
                    SealCertificateRequest.Profile.CLOUD, "", request(key).organisation(), 3);
            assertEquals(CertificateAuthorityException.Kind.INVALID_REQUEST, assertThrows(
                    CertificateAuthorityException.class, () -> services.issue(badSubject, "system", "order-4")).kind());
            services.issue(request(key), "system", "order-4");
            assertEquals(3, certificates(h.database()));
            assertThrows(CertificateAuthorityException.class, () -> services.issue(request(key), "system", " "));
        }
    }

    @ParameterizedTest
    @MethodSource("products")
    void concurrentCallsWithOneRequestIdIssueOnce(String product) throws Exception {
        try (TestDatabases.Handle h = TestDatabases.open(product, dir)) {
            AuditLog audit = AuditLogs.open(h.database(), List.of());
            KeyPair key = Pki.ec("secp256r1");
            int threads = 6;
            List<SealCertificateRequest> requests = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                requests.add(request(key));
            }
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<BigInteger>> results = new ArrayList<>();
                for (int i = 0; i < threads; i++) {
                    SealCertificateRequest r = requests.get(i);
                    TrustServices node = services(h.database(), audit); // as many "nodes" as threads
                    Callable<BigInteger> call = () -> {
                        start.await();
                        return node.issue(r, "system", "order-concurrent").serial();
                    };
                    results.add(pool.submit(call));
                }
                start.countDown();
                Set<BigInteger> serials = new java.util.HashSet<>();
                for (Future<BigInteger> f : results) {
                    serials.add(f.get(2, TimeUnit.MINUTES));
                }
                assertEquals(1, serials.size(), "every caller got the one certificate: " + serials);
            } finally {
                pool.shutdownNow();
            }
            assertEquals(1, certificates(h.database()));
            assertEquals(1, issuedRecords(audit));
        }
    }

    /**
     * Issuances share transactions (group commit) and some fail inside them: pairs of threads race with one request
     * id and different keys, so one of each pair claims the id and the other's stored certificate is undone with its
     * savepoint (then it learns of the conflict). Each id ends with one certificate, every certificate with one audit
     * record and the other way round, and the chain verifies.
     */
    @ParameterizedTest
    @MethodSource("products")
    void racingIssuancesInSharedTransactionsLeaveOneCertificateAndOneRecordEach(String product) throws Exception {
        try (TestDatabases.Handle h = TestDatabases.open(product, dir)) {
            AuditLog audit = AuditLogs.open(h.database(), List.of());
            TrustServices services = services(h.database(), audit);
            int pairs = 4;
            int rounds = 15;
            ExecutorService pool = Executors.newFixedThreadPool(pairs * 2);
            Set<BigInteger> issued = java.util.concurrent.ConcurrentHashMap.newKeySet();
            java.util.concurrent.atomic.AtomicInteger conflicts = new java.util.concurrent.atomic.AtomicInteger();
            try {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<?>> results = new ArrayList<>();
                for (int t = 0; t < pairs * 2; t++) {
                    int pair = t / 2;
                    results.add(pool.submit(() -> {
                        start.await();
                        for (int r = 0; r < rounds; r++) {
                            try {
                                issued.add(services.issue(request(Pki.ec("secp256r1")), "system",
                                        "race-" + pair + "-" + r).serial());
                            } catch (CertificateAuthorityException e) {
                                assertEquals(CertificateAuthorityException.Kind.CONFLICT, e.kind(), e.getMessage());
                                conflicts.incrementAndGet();
                            }
                        }
                        return null;
                    }));
                }
                start.countDown();
                for (Future<?> f : results) {
                    f.get(5, TimeUnit.MINUTES); // a bound against hanging, not a timing assertion
                }
            } finally {
                pool.shutdownNow();
            }
            assertEquals(pairs * rounds, issued.size(), "one certificate per request id");
            assertEquals(pairs * rounds, conflicts.get(), "the other caller of each id was told of the conflict");
            assertEquals(pairs * rounds, certificates(h.database()), "no certificate of a losing caller was kept");
            Set<String> recorded = audit.read(1, 10_000).stream()
                    .filter(r -> r.action().equals("ca.certificate.issued")).map(AuditRecord::subject)
                    .collect(Collectors.toSet());
            assertEquals(issued.stream().map(s -> "certificate:" + s.toString(16)).collect(Collectors.toSet()),
                    recorded);
            assertTrue(audit.verify().intact());
        }
    }

    private static long issuedRecords(AuditLog audit) {
        return audit.read(1, 1000).stream().map(AuditRecord::action).filter("ca.certificate.issued"::equals)
                .collect(Collectors.counting());
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
