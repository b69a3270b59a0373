package io.cachet.issuance.internal;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import io.cachet.api.audit.AuditLog;
import io.cachet.api.audit.AuditRecord;
import io.cachet.api.ca.CertificateAuthority;
import io.cachet.api.ca.CertificateAuthorityException;
import io.cachet.api.ca.CertificateStatus;
import io.cachet.api.ca.IssuedCertificate;
import io.cachet.api.ca.RevocationReason;
import io.cachet.api.ca.SealCertificateRequest;
import io.cachet.api.order.CheckStatus;
import io.cachet.api.order.Delivery;
import io.cachet.api.order.Medium;
import io.cachet.api.order.Order;
import io.cachet.api.order.OrderCheck;
import io.cachet.api.order.OrderRequest;
import io.cachet.api.order.OrderState;
import io.cachet.api.order.Orders;
import io.cachet.api.order.Organisation;
import io.cachet.api.order.Person;
import io.cachet.api.order.PostalAddress;
import io.cachet.api.order.Price;
import io.cachet.api.order.Product;
import io.cachet.api.order.Submission;
import io.cachet.api.security.SecretVault;
import io.cachet.api.testing.MutableClock;
import io.cachet.api.token.KeyAlgorithm;
import io.cachet.api.token.PinPolicy;
import io.cachet.api.token.Token;
import io.cachet.api.token.TokenDriver;
import io.cachet.audit.launch.AuditLogs;
import io.cachet.ca.launch.LocalCa;
import io.cachet.ca.launch.Publication;
import io.cachet.order.launch.OrderServices;
import io.cachet.store.testing.TestDatabases;
import io.cachet.store.testing.TestVaults;
import io.cachet.token.soft.launch.SoftTokens;

/**
 * The issuance service on a real database (H2 or PostgreSQL), the real audit log, the real order state machine,
 * the real CA (on a software token) and the real software token for cloud keys. The CA can be made unavailable (as
 * when its token or bundle is gone) or held inside an issuance, to prove retries and leases.
 */
final class IssuanceFixture implements AutoCloseable {

    static final Person ANNA = new Person("Anna Maria", "Eriksson", LocalDate.parse("1974-08-12"), "anna@example.org",
            "+33612345678");

    /** The real CA, which the test can take down or hold in the middle of an issuance. */
    static final class TestCa implements CertificateAuthority {
        final CertificateAuthority real;
        volatile boolean down;
        /** Revocations refused as by a CA whose token is not connected (issuing is governed by {@link #down}). */
        volatile boolean revocationsDown;
        volatile CountDownLatch entered;
        volatile CountDownLatch release;
        final AtomicInteger issued = new AtomicInteger();
        final java.util.Set<BigInteger> serials = ConcurrentHashMap.newKeySet();

        TestCa(CertificateAuthority real) {
            this.real = real;
        }

        @Override
        public IssuedCertificate issue(SealCertificateRequest request, String actor, String requestId) {
            if (down) {
                throw new CertificateAuthorityException(CertificateAuthorityException.Kind.UNAVAILABLE,
                        "the CA token is not connected");
            }
            if (entered != null) {
                entered.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            IssuedCertificate c = real.issue(request, actor, requestId);
            if (serials.add(c.serial())) {
                issued.incrementAndGet(); // certificates made, not calls: a retry gets the same one back
            }
            return c;
        }

        @Override
        public IssuedCertificate issue(SealCertificateRequest request, String actor) {
            return real.issue(request, actor);
        }

        @Override
        public IssuedCertificate revoke(BigInteger serial, RevocationReason reason, String actor) {
            if (revocationsDown) {
                throw new CertificateAuthorityException(CertificateAuthorityException.Kind.UNAVAILABLE,
                        "the CA token is not connected");
            }
            return real.revoke(serial, reason, actor);
        }

        @Override
        public Optional<IssuedCertificate> find(BigInteger serial) {
            return real.find(serial);
        }

        @Override
        public List<X509Certificate> chain() {
            return real.chain();
        }

        @Override
        public X509CRL crl() {
            return real.crl();
        }

        @Override
        public Optional<CertificateStatus> status(BigInteger serial) {
            return real.status(serial);
        }
    }

    /** A check the test passes by hand, so that orders reach ISSUANCE. */
    record Manual(String kind, OrderState state) implements OrderCheck {
        @Override
        public void entered(Order order) {
        }
    }

    final TestDatabases.Handle db;
    final AuditLog audit;
    final SecretVault vault;
    final MutableClock clock = new MutableClock(Instant.now());
    final TokenDriver driver;
    final TestCa ca;
    final TokenCloudKeys keys;
    final Orders orders;
    final IssuanceService service;
    final List<OrderCheck> checks = new CopyOnWriteArrayList<>();
    /** Told of each revocation by the CA, in its transaction (as the server's RevocationListener services). */
    final List<io.cachet.api.ca.RevocationListener> revocationListeners = new CopyOnWriteArrayList<>();
    volatile IssuanceService.Timing timing = new IssuanceService.Timing(Duration.ofSeconds(120), Duration.ofSeconds(5),
            Duration.ofSeconds(300));
    private final Token caToken;
    private final Path dir;

    Path dir() {
        return dir;
    }

    IssuanceFixture(String product, Path dir) {
        this.dir = dir;
        db = TestDatabases.open(product, dir);
        audit = AuditLogs.open(db.database(), List.of());
        vault = TestVaults.embedded(dir);
        driver = SoftTokens.driver(dir.resolve("tokens"), 4);
        var blank = driver.tokens().stream().filter(t -> !t.has(io.cachet.api.token.TokenInfo.Flag.INITIALIZED))
                .findFirst().orElseThrow();
        var info = driver.initialize(blank.slotId(), "so-pin-1234".toCharArray(), "pin-1234".toCharArray(), "Test CA",
                PinPolicy.TOKEN_DEFAULT);
        caToken = driver.login(info.serial(), "pin-1234".toCharArray());
        LocalCa local = LocalCa.create(caToken, "Cachet Test", "NTRFR-000000000", "FR", KeyAlgorithm.EC_P256);
        ca = new TestCa(local.authority(new Publication("http://ca.example.fr/", "https://ca.example.fr/pds/en.pdf",
                "en", "1.3.6.1.4.1.99999.1.1", Duration.ofDays(7)), "1.3.6.1.4.1.32473.1.2", db.database(), audit,
                Clock.systemUTC(), revocationListeners));
        Product p = new Product("enterprise-plus", Map.of("fr", "Enterprise+", "en", "Enterprise+"), List.of(1, 2, 3),
                List.of(Medium.USB_A, Medium.USB_C, Medium.CLOUD),
                List.of(new Price(1, Medium.CLOUD, new BigDecimal("290.00"), "EUR"),
                        new Price(1, Medium.USB_A, new BigDecimal("390.00"), "EUR")));
        orders = OrderServices.open(db.database(), audit, () -> List.of(p), () -> checks, List::of, () -> "default",
                clock, Duration.ofDays(60));
        keys = new TokenCloudKeys(() -> driver, "Cachet Cloud Keys", dir.resolve("secrets/cloud-token.pin"), vault,
                KeyAlgorithm.EC_P256);
        IssuanceService.migrate(db.database());
        service = new IssuanceService(db.database(), audit, () -> orders, () -> ca, keys, () -> timing, clock);
        checks.add(new Manual("test.verification", OrderState.VERIFICATION));
        checks.add(new Manual("test.acceptance", OrderState.ACCEPTANCE));
        checks.add(new OrderCheck() {
            @Override
            public String kind() {
                return IssuanceService.KIND;
            }

            @Override
            public OrderState state() {
                return OrderState.ISSUANCE;
            }

            @Override
            public void entered(Order order) {
                service.entered(order);
            }
        });
    }

    /** Submits an order and passes the checks before ISSUANCE: the order enters ISSUANCE. */
    Order inIssuance(Medium medium) {
        return inIssuance(medium, null);
    }

    /** {@link #inIssuance(Medium)} for an order whose legal representative is {@code representative}. */
    Order inIssuance(Medium medium, Person representative) {
        OrderRequest r = new OrderRequest("enterprise-plus", 1, medium, ANNA, representative,
                new Organisation("ACME SAS", "FR", "55210055400005", "FR96552100554",
                        new PostalAddress(List.of("1 rue de la Paix"), "75002", "Paris", "FR")),
                medium.token() ? new Delivery("Anna Maria Eriksson",
                        new PostalAddress(List.of("1 rue de la Paix"), "75002", "Paris", "FR")) : null);
        Order o = orders.submit(r, new Submission("api:test", null, null, "en", null));
        orders.report(o.id(), "test.verification", CheckStatus.PASSED, "", "check:test");
        return orders.report(o.id(), "test.acceptance", CheckStatus.PASSED, "", "check:test");
    }

    List<String> actions(String orderId) {
        return audit.read(1, 100_000).stream().filter(r -> r.subject().equals("order:" + orderId))
                .map(AuditRecord::action).toList();
    }

    @Override
    public void close() {
        keys.close();
        caToken.close();
        db.close();
    }
}
