package io.cachet.issuance.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringWriter;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.cachet.api.ca.IssuedCertificate;
import io.cachet.api.ca.SealCertificateRequest.Profile;
import io.cachet.api.issuance.Issuance;
import io.cachet.api.issuance.IssuanceException;
import io.cachet.api.order.CheckStatus;
import io.cachet.api.order.Medium;
import io.cachet.api.order.Order;
import io.cachet.api.order.OrderState;
import io.cachet.api.token.TokenInfo;
import io.cachet.store.testing.TestDatabases;

class IssuanceServiceTest {

    @TempDir
    Path dir;

    static Stream<String> products() {
        return TestDatabases.products();
    }

    private static String rdn(X509Certificate c, org.bouncycastle.asn1.ASN1ObjectIdentifier type) throws Exception {
        X500Name subject = new JcaX509CertificateHolder(c).getSubject();
        return subject.getRDNs(type)[0].getFirst().getValue().toString();
    }

    static String csr(String curve) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec(curve));
        KeyPair kp = g.generateKeyPair();
        var request = new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=token"), kp.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(kp.getPrivate()));
        StringWriter out = new StringWriter();
        try (JcaPEMWriter pem = new JcaPEMWriter(out)) {
            pem.writeObject(request);
        }
        return out.toString();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("products")
    void aCloudOrderGetsItsCertificateOnceWithTheSubjectFrozenOnEntry(String product) throws Exception {
        try (IssuanceFixture f = new IssuanceFixture(product, dir)) {
            Order o = f.inIssuance(Medium.CLOUD);
            assertEquals(OrderState.ISSUANCE, o.state());
            Issuance waiting = f.service.status(o.id()).orElseThrow();
            assertEquals(Issuance.Status.ISSUING, waiting.status());
            assertEquals(Profile.CLOUD, waiting.profile());
            assertEquals("ACME SAS", waiting.commonName());
            assertEquals("VATFR-96552100554", waiting.organisation().identifier());
            assertTrue(f.service.find(o.id()).isEmpty());

            assertTrue(f.service.runDue());
            assertFalse(f.service.runDue(), "nothing more is due");
            Issuance done = f.service.status(o.id()).orElseThrow();
            assertEquals(Issuance.Status.ISSUED, done.status());
            assertEquals(1, done.attempts());
            assertEquals(OrderState.DELIVERY, f.orders.find(o.id()).orElseThrow().state());

            IssuedCertificate issued = f.service.find(o.id()).orElseThrow();
            assertEquals(done.serial().orElseThrow(), issued.serialHex());
            assertEquals(o.id(), f.service.orderOf(issued.serial()).orElseThrow());
            assertTrue(f.service.orderOf(java.math.BigInteger.TEN).isEmpty());
            X509Certificate c = issued.certificate();
            assertEquals("ACME SAS", rdn(c, BCStyle.O));
            assertEquals("ACME SAS", rdn(c, BCStyle.CN));
            assertEquals("VATFR-96552100554", rdn(c, BCStyle.ORGANIZATION_IDENTIFIER));
            assertEquals("FR", rdn(c, BCStyle.C));

            // the key is on the cloud key token, never extractable, with its certificate beside it
            TokenInfo token = f.driver.tokens().stream().filter(t -> "Cachet Cloud Keys".equals(t.label()))
                    .findFirst().orElseThrow();
            try (var t = f.driver.login(token.serial(), pin(f))) {
                var key = t.keys().stream().filter(k -> k.alias().equals(done.keyAlias().orElseThrow()))
                        .findFirst().orElseThrow();
                assertTrue(key.protectedOnToken());
                assertEquals(key.publicKey(), c.getPublicKey());
                assertEquals(c, t.certificate(key.alias()).orElseThrow());
            }

            // entering again (a restart, another node) changes nothing
            f.service.entered(f.orders.find(o.id()).orElseThrow());
            assertFalse(f.service.runDue());
            assertEquals(1, f.ca.issued.get());
            assertEquals(List.of("issuance.started", "issuance.issued"), f.actions(o.id()).stream()
                    .filter(a -> a.startsWith("issuance.")).toList());
        }
    }

    private static char[] pin(IssuanceFixture f) throws Exception {
        byte[] sealed = java.nio.file.Files.readAllBytes(f.dir().resolve("secrets/cloud-token.pin"));
        return f.vault.openChars(TokenCloudKeys.PIN_PURPOSE, sealed);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("products")
    void whileTheCaIsDownTheOrderWaitsThenItIsIssuedOnce(String product) {
        try (IssuanceFixture f = new IssuanceFixture(product, dir)) {
            f.ca.down = true;
            Order o = f.inIssuance(Medium.CLOUD);
            assertTrue(f.service.runDue());
            Issuance failed = f.service.status(o.id()).orElseThrow();
            assertEquals(Issuance.Status.ISSUING, failed.status());
            assertEquals(1, failed.attempts());
            assertTrue(failed.lastError().orElseThrow().contains("the CA token is not connected"),
                    failed.lastError().toString());
            assertFalse(f.service.runDue(), "not due before the back-off");
            f.clock.advance(Duration.ofSeconds(5));
            assertTrue(f.service.runDue());
            assertEquals(2, f.service.status(o.id()).orElseThrow().attempts());
            f.clock.advance(Duration.ofSeconds(9));
            assertFalse(f.service.runDue(), "the back-off doubled: 10 s now");
            assertEquals(OrderState.ISSUANCE, f.orders.find(o.id()).orElseThrow().state());

            f.ca.down = false;
            f.clock.advance(Duration.ofSeconds(1));
            assertTrue(f.service.runDue());
            assertEquals(Issuance.Status.ISSUED, f.service.status(o.id()).orElseThrow().status());
            assertEquals(1, f.ca.issued.get(), "issued once");
            assertEquals(OrderState.DELIVERY, f.orders.find(o.id()).orElseThrow().state());
            assertEquals(List.of("issuance.started", "issuance.retry", "issuance.retry", "issuance.issued"),
                    f.actions(o.id()).stream().filter(a -> a.startsWith("issuance.")).toList());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("products")
    void aSecondNodeLeavesAnIssuanceInProgressAloneAndTakesItOverWhenTheLeaseRunsOut(String product) throws Exception {
        try (IssuanceFixture f = new IssuanceFixture(product, dir)) {
            Order o = f.inIssuance(Medium.CLOUD);
            f.ca.entered = new CountDownLatch(1);
            f.ca.release = new CountDownLatch(1);
            ExecutorService node1 = Executors.newSingleThreadExecutor();
            try {
                Future<Boolean> first = node1.submit(f.service::runDue);
                assertTrue(f.ca.entered.await(30, TimeUnit.SECONDS));
                // node 2 (same database) finds nothing due: node 1 holds the lease
                IssuanceService node2 = new IssuanceService(f.db.database(), f.audit, () -> f.orders, () -> f.ca,
                        f.keys, () -> f.timing, f.clock);
                assertFalse(node2.runDue());
                f.ca.entered = null;
                f.ca.release.countDown();
                assertTrue(first.get(30, TimeUnit.SECONDS));
                assertEquals(Issuance.Status.ISSUED, f.service.status(o.id()).orElseThrow().status());

                // a node that died with the lease: once it runs out, another takes the issuance over
                Order other = f.inIssuance(Medium.CLOUD);
                f.ca.down = true;
                assertTrue(f.service.runDue()); // failed: due again after 5 s
                f.ca.down = false;
                f.clock.advance(Duration.ofSeconds(5));
                assertTrue(node2.runDue());
                assertEquals(Issuance.Status.ISSUED, node2.status(other.id()).orElseThrow().status());
                assertEquals(2, f.ca.issued.get());
            } finally {
                node1.shutdownNow();
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("products")
    void aTokenOrderWaitsForItsRequestThenIsIssuedIdempotently(String product) throws Exception {
        try (IssuanceFixture f = new IssuanceFixture(product, dir)) {
            Order o = f.inIssuance(Medium.USB_A);
            Issuance waiting = f.service.status(o.id()).orElseThrow();
            assertEquals(Issuance.Status.AWAITING_REQUEST, waiting.status());
            assertEquals(Profile.QSCD, waiting.profile());
            assertTrue(waiting.keyAlias().isEmpty());
            assertFalse(f.service.runDue(), "nothing to do before the token's request");

            // bad input: refused, nothing changes, audited
            IssuanceException bad = assertThrows(IssuanceException.class,
                    () -> f.service.issue(o.id(), "-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE"
                            + " REQUEST-----\n", "api:alice"));
            assertEquals(IssuanceException.Kind.INVALID, bad.kind());
            assertEquals(Issuance.Status.AWAITING_REQUEST, f.service.status(o.id()).orElseThrow().status());
            assertEquals(IssuanceException.Kind.NOT_FOUND, assertThrows(IssuanceException.class,
                    () -> f.service.issue("ord_unknown", csr("secp256r1"), "api:alice")).kind());

            String csr = csr("secp256r1");
            IssuedCertificate issued = f.service.issue(o.id(), csr, "api:alice");
            assertEquals("VATFR-96552100554", rdn(issued.certificate(), BCStyle.ORGANIZATION_IDENTIFIER));
            assertEquals(OrderState.DELIVERY, f.orders.find(o.id()).orElseThrow().state());
            assertEquals(Issuance.Status.ISSUED, f.service.status(o.id()).orElseThrow().status());

            // the same request again: the same certificate; another one: a conflict
            assertEquals(issued.certificate(), f.service.issue(o.id(), csr, "api:alice").certificate());
            IssuanceException other = assertThrows(IssuanceException.class,
                    () -> f.service.issue(o.id(), csr("secp256r1"), "api:alice"));
            assertEquals(IssuanceException.Kind.CONFLICT, other.kind());
            assertEquals(1, f.ca.issued.get());
            List<String> actions = f.actions(o.id()).stream().filter(a -> a.startsWith("issuance.")).toList();
            assertEquals(List.of("issuance.started", "issuance.request.refused", "issuance.issued",
                    "issuance.request.refused"), actions);

            // a cloud order takes no request from outside
            Order cloud = f.inIssuance(Medium.CLOUD);
            assertEquals(IssuanceException.Kind.CONFLICT, assertThrows(IssuanceException.class,
                    () -> f.service.issue(cloud.id(), csr, "api:alice")).kind());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("products")
    void aDiscardedTokenIsRevokedAndTheNextTokenGetsANewCertificate(String product) throws Exception {
        try (IssuanceFixture f = new IssuanceFixture(product, dir)) {
            Order o = f.inIssuance(Medium.USB_C);
            // nothing issued yet: nothing to discard, the order keeps waiting
            assertEquals(Issuance.Status.AWAITING_REQUEST, f.service.discard(o.id(),
                    io.cachet.api.ca.RevocationReason.CESSATION_OF_OPERATION, "operator:bob").status());
            IssuedCertificate first = f.service.issue(o.id(), csr("secp256r1"), "api:alice");
            assertEquals(OrderState.DELIVERY, f.orders.find(o.id()).orElseThrow().state());

            // the letter is lost: the certificate is revoked and the order waits for its next token, in DELIVERY
            Issuance after = f.service.discard(o.id(), io.cachet.api.ca.RevocationReason.KEY_COMPROMISE, "system");
            assertEquals(Issuance.Status.AWAITING_REQUEST, after.status());
            assertTrue(after.serial().isEmpty());
            assertTrue(after.lastError().orElseThrow().contains(first.serialHex()));
            assertTrue(f.service.find(o.id()).isEmpty());
            assertTrue(f.ca.find(first.serial()).orElseThrow().revoked());
            assertEquals(o.id(), f.service.orderOf(first.serial()).orElseThrow(), "a discarded certificate still"
                    + " names its order");
            // discarding again changes nothing
            assertEquals(Issuance.Status.AWAITING_REQUEST, f.service.discard(o.id(),
                    io.cachet.api.ca.RevocationReason.KEY_COMPROMISE, "system").status());

            String next = csr("secp256r1");
            IssuedCertificate second = f.service.issue(o.id(), next, "api:alice");
            assertFalse(second.serial().equals(first.serial()));
            assertFalse(second.revoked());
            assertEquals(second.certificate(), f.service.issue(o.id(), next, "api:alice").certificate());
            assertEquals(second.serialHex(), f.service.find(o.id()).orElseThrow().serialHex());
            assertEquals(2, f.ca.issued.get());
            assertEquals(OrderState.DELIVERY, f.orders.find(o.id()).orElseThrow().state());
            assertEquals(List.of("issuance.started", "issuance.issued", "issuance.discarded", "issuance.issued"),
                    f.actions(o.id()).stream().filter(a -> a.startsWith("issuance.")).toList());

            Order cloud = f.inIssuance(Medium.CLOUD);
            assertEquals(IssuanceException.Kind.CONFLICT, assertThrows(IssuanceException.class,
                    () -> f.service.discard(cloud.id(), io.cachet.api.ca.RevocationReason.UNSPECIFIED, "system"))
                    .kind());
            assertEquals(IssuanceException.Kind.NOT_FOUND, assertThrows(IssuanceException.class,
                    () -> f.service.discard("ord_unknown", io.cachet.api.ca.RevocationReason.UNSPECIFIED, "system"))
                    .kind());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("products")
    void anOrderCancelledBeforeIssuanceGetsNoCertificate(String product) {
        try (IssuanceFixture f = new IssuanceFixture(product, dir)) {
            f.ca.down = true;
            Order o = f.inIssuance(Medium.CLOUD);
            assertTrue(f.service.runDue());
            f.orders.cancel(o.id(), "operator:bob", "customer withdrew", false);
            f.ca.down = false;
            f.clock.advance(Duration.ofSeconds(5));
            assertTrue(f.service.runDue());
            Issuance i = f.service.status(o.id()).orElseThrow();
            assertEquals(Issuance.Status.FAILED, i.status());
            assertTrue(i.lastError().orElseThrow().contains("CANCELLED"));
            assertEquals(0, f.ca.issued.get());
            assertTrue(f.service.find(o.id()).isEmpty());
            f.clock.advance(Duration.ofHours(1));
            assertFalse(f.service.runDue());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("products")
    void anOutcomeNotYetToldIsToldByTheJob(String product) {
        try (IssuanceFixture f = new IssuanceFixture(product, dir)) {
            Order o = f.inIssuance(Medium.CLOUD);
            // the order service fails to take the report right after the issuance committed
            java.util.concurrent.atomic.AtomicBoolean refuse = new java.util.concurrent.atomic.AtomicBoolean(true);
            io.cachet.api.order.Orders flaky = (io.cachet.api.order.Orders) java.lang.reflect.Proxy.newProxyInstance(
                    getClass().getClassLoader(), new Class<?>[] { io.cachet.api.order.Orders.class }, (p, m, args) -> {
                        if (m.getName().equals("report") && refuse.get()) {
                            throw new io.cachet.api.store.StoreException("database connection lost");
                        }
                        try {
                            return m.invoke(f.orders, args);
                        } catch (java.lang.reflect.InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
            IssuanceService node = new IssuanceService(f.db.database(), f.audit, () -> flaky, () -> f.ca, f.keys,
                    () -> f.timing, f.clock);
            assertTrue(node.runDue());
            assertEquals(Issuance.Status.ISSUED, node.status(o.id()).orElseThrow().status());
            assertEquals(OrderState.ISSUANCE, f.orders.find(o.id()).orElseThrow().state(), "not told yet");
            assertEquals(0, node.tellUnreported(10), "still refused");
            refuse.set(false);
            assertEquals(1, node.tellUnreported(10));
            assertEquals(OrderState.DELIVERY, f.orders.find(o.id()).orElseThrow().state());
            assertEquals(0, node.tellUnreported(10), "told once");
            assertEquals(CheckStatus.PASSED, f.orders.find(o.id()).orElseThrow().checks().stream()
                    .filter(c -> c.kind().equals("issuance")).findFirst().orElseThrow().status());
            assertEquals(1, f.ca.issued.get());
        }
    }

    @org.junit.jupiter.api.Test
    void backOffDoublesUpToItsMaximum() {
        var t = new IssuanceService.Timing(Duration.ofSeconds(120), Duration.ofSeconds(5), Duration.ofSeconds(30));
        assertEquals(Duration.ofSeconds(5), t.backoff(1));
        assertEquals(Duration.ofSeconds(10), t.backoff(2));
        assertEquals(Duration.ofSeconds(20), t.backoff(3));
        assertEquals(Duration.ofSeconds(30), t.backoff(4));
        assertEquals(Duration.ofSeconds(30), t.backoff(40));
        assertThrows(IllegalArgumentException.class, () -> new IssuanceService.Timing(Duration.ofSeconds(1),
                Duration.ofSeconds(10), Duration.ofSeconds(5)));
        assertTrue(IssuanceService.keyAlias("ord_ABCdef").matches("cloud-[0-9a-f]{32}"));
        assertTrue(IssuanceService.sameRequest("-----BEGIN X-----\nAAEC\n-----END X-----\n", "-----BEGIN X-----\r\nAAEC\r\n-----END X-----"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("products")
    void anOrdersCertificateIsRevokedOnceForGoodWithTheOperatorAsTheActor(String product) {
        try (IssuanceFixture f = new IssuanceFixture(product, dir)) {
            Order o = f.inIssuance(Medium.CLOUD);
            IssuanceException none = assertThrows(IssuanceException.class, () -> f.service.revoke(o.id(),
                    io.cachet.api.ca.RevocationReason.KEY_COMPROMISE, "operator:olga"));
            assertEquals(IssuanceException.Kind.NOT_FOUND, none.kind(), "nothing issued yet");
            assertEquals(IssuanceException.Kind.NOT_FOUND, assertThrows(IssuanceException.class,
                    () -> f.service.revoke("ord_unknown", io.cachet.api.ca.RevocationReason.UNSPECIFIED, "x")).kind());
            assertTrue(f.service.runDue());
            IssuedCertificate issued = f.service.find(o.id()).orElseThrow();

            f.ca.revocationsDown = true;
            IssuanceException down = assertThrows(IssuanceException.class, () -> f.service.revoke(o.id(),
                    io.cachet.api.ca.RevocationReason.KEY_COMPROMISE, "operator:olga"));
            assertEquals(IssuanceException.Kind.UNAVAILABLE, down.kind());
            assertFalse(f.service.find(o.id()).orElseThrow().revoked(), "nothing changed");
            f.ca.revocationsDown = false;
            IssuanceException caReason = assertThrows(IssuanceException.class, () -> f.service.revoke(o.id(),
                    io.cachet.api.ca.RevocationReason.CA_COMPROMISE, "customer:h1"));
            assertEquals(IssuanceException.Kind.INVALID, caReason.kind(), "cACompromise is the CA's own reason");
            assertFalse(f.service.find(o.id()).orElseThrow().revoked(), "nothing changed");

            // through the service other modules use (the console, the customer space)
            io.cachet.api.issuance.OrderCertificates certificates = f.service;
            IssuedCertificate revoked = certificates.revoke(o.id(), io.cachet.api.ca.RevocationReason.KEY_COMPROMISE,
                    "operator:olga");
            assertEquals(issued.serial(), revoked.serial());
            assertEquals(io.cachet.api.ca.RevocationReason.KEY_COMPROMISE, revoked.revocation().orElseThrow()
                    .reason());
            assertTrue(f.service.find(o.id()).orElseThrow().revoked());
            assertTrue(f.ca.status(issued.serial()).orElseThrow().revoked(), "OCSP's source says so");
            assertTrue(f.ca.crl().getRevokedCertificate(issued.serial()) != null, "the CRL lists it");
            IssuanceException signing = assertThrows(IssuanceException.class, () -> CloudSigning.key(o.id(),
                    f.service.status(o.id()), f.service.find(o.id()), f.ca.chain(), java.time.Instant.now(),
                    alias -> null));
            assertEquals(IssuanceException.Kind.CONFLICT, signing.kind(), "a revoked cloud key no longer signs");
            assertEquals(OrderState.DELIVERY, f.orders.find(o.id()).orElseThrow().state(), "the order keeps its"
                    + " state");

            IssuanceException again = assertThrows(IssuanceException.class, () -> f.service.revoke(o.id(),
                    io.cachet.api.ca.RevocationReason.SUPERSEDED, "operator:olga"));
            assertEquals(IssuanceException.Kind.CONFLICT, again.kind(), "revocation is final");
            assertEquals(io.cachet.api.ca.RevocationReason.KEY_COMPROMISE, f.service.find(o.id()).orElseThrow()
                    .revocation().orElseThrow().reason(), "the first reason stays");
            List<io.cachet.api.audit.AuditRecord> records = f.audit.read(1, 100_000).stream()
                    .filter(r -> r.action().equals("ca.certificate.revoked")).toList();
            assertEquals(1, records.size());
            assertEquals("operator:olga", records.get(0).actor());
            assertEquals("certificate:" + issued.serial().toString(16), records.get(0).subject());
        }
    }
}
