package io.cachet.ca.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.bouncycastle.asn1.x509.CRLReason;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.cachet.store.testing.TestDatabases;

/**
 * The register's status look-ups, which concurrent OCSP requests share (one statement for several serials), on H2
 * and PostgreSQL: every thread gets its own certificate's status; a look-up inside a transaction sees that
 * transaction's own certificate.
 */
class StatusReadsTest {
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

    @ParameterizedTest
    @MethodSource("products")
    void concurrentLookUpsEachGetTheirOwnCertificatesStatus(String product) throws Exception {
        try (TestDatabases.Handle h = TestDatabases.open(product, dir)) {
            JdbcCertificateRepository repository = new JdbcCertificateRepository(h.database(), ca.issuing());
            SealIssuer issuer = new SealIssuer(ca, CaTest.settings(), repository, Clock.systemUTC());
            List<BigInteger> serials = new ArrayList<>();
            Map<BigInteger, Integer> revoked = new HashMap<>();
            for (int i = 0; i < 6; i++) {
                serials.add(issuer.issue(CaTest.request(CaTest.csrPem(Pki.ec("secp256r1")), "qscd")).getSerialNumber());
            }
            issuer.revoke(serials.get(1), CRLReason.keyCompromise);
            revoked.put(serials.get(1), CRLReason.keyCompromise);
            issuer.revoke(serials.get(4), CRLReason.superseded);
            revoked.put(serials.get(4), CRLReason.superseded);
            BigInteger unknown = new BigInteger("7fffffffffffffffffff", 16);
            serials.add(unknown);

            ExecutorService threads = Executors.newFixedThreadPool(12);
            try {
                CountDownLatch go = new CountDownLatch(1);
                List<Future<String>> results = new ArrayList<>();
                for (int t = 0; t < 12; t++) {
                    int thread = t;
                    results.add(threads.submit(() -> {
                        go.await();
                        for (int i = 0; i < 300; i++) {
                            BigInteger serial = serials.get((thread + i) % serials.size());
                            Optional<CertificateRepository.Status> status = repository.status(serial);
                            String wrong = check(serial, status, unknown, revoked);
                            if (wrong != null) {
                                return wrong;
                            }
                        }
                        return null;
                    }));
                }
                go.countDown();
                for (Future<String> r : results) {
                    String wrong = r.get(120, TimeUnit.SECONDS);
                    assertEquals(null, wrong, wrong);
                }
            } finally {
                threads.shutdownNow();
            }
        }
    }

    private static String check(BigInteger serial, Optional<CertificateRepository.Status> status, BigInteger unknown,
            Map<BigInteger, Integer> revoked) {
        if (serial.equals(unknown)) {
            return status.isEmpty() ? null : "a status for a serial never issued: " + status;
        }
        if (status.isEmpty() || !status.get().serial().equals(serial)) {
            return "not the status of " + serial.toString(16) + ": " + status;
        }
        Integer reason = revoked.get(serial);
        if (reason == null) {
            return status.get().revocation().isEmpty() ? null : serial.toString(16) + " is not revoked: " + status;
        }
        return status.get().revocation().map(r -> r.reason() == reason).orElse(false) ? null
                : serial.toString(16) + " is revoked for reason " + reason + ": " + status;
    }

    @ParameterizedTest
    @MethodSource("products")
    void aLookUpInsideATransactionSeesThatTransactionsCertificate(String product) throws Exception {
        try (TestDatabases.Handle h = TestDatabases.open(product, dir)) {
            JdbcCertificateRepository repository = new JdbcCertificateRepository(h.database(), ca.issuing());
            // issued by the same CA into another register: not yet in this one
            X509Certificate cert = new SealIssuer(ca, CaTest.settings(), new InMemoryCertificateRepository(),
                    Clock.systemUTC()).issue(CaTest.request(CaTest.csrPem(Pki.ec("secp256r1")), "qscd"));
            BigInteger serial = cert.getSerialNumber();
            assertTrue(repository.status(serial).isEmpty());
            class Undo extends RuntimeException {
                private static final long serialVersionUID = 1L;
            }
            assertThrows(Undo.class, () -> h.database().inTransaction(c -> {
                repository.add(cert);
                Optional<CertificateRepository.Status> inside = repository.status(serial);
                assertTrue(inside.isPresent(), "the transaction's own certificate");
                assertFalse(inside.get().revocation().isPresent());
                throw new Undo();
            }));
            assertTrue(repository.status(serial).isEmpty(), "rolled back");
        }
    }
}
