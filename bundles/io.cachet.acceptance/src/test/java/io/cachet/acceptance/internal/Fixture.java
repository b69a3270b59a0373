package io.cachet.acceptance.internal;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import io.cachet.api.audit.AuditLog;
import io.cachet.api.audit.AuditRecord;
import io.cachet.api.notify.Notification;
import io.cachet.api.order.CheckStatus;
import io.cachet.api.order.Medium;
import io.cachet.api.order.Order;
import io.cachet.api.order.OrderCheck;
import io.cachet.api.order.OrderListener;
import io.cachet.api.order.OrderRequest;
import io.cachet.api.order.OrderRole;
import io.cachet.api.order.OrderState;
import io.cachet.api.order.Orders;
import io.cachet.api.order.Organisation;
import io.cachet.api.order.Person;
import io.cachet.api.order.PostalAddress;
import io.cachet.api.order.Price;
import io.cachet.api.order.Product;
import io.cachet.api.order.Submission;
import io.cachet.api.testing.MutableClock;
import io.cachet.api.token.KeyAlgorithm;
import io.cachet.audit.launch.AuditLogs;
import io.cachet.order.launch.OrderServices;
import io.cachet.portal.launch.LinkStores;
import io.cachet.signature.launch.Signatures;
import io.cachet.signature.testing.TestPki;
import io.cachet.store.testing.TestDatabases;
import io.cachet.web.testing.RecordingNotifier;

/**
 * The acceptance service wired as in the framework, on a real database (H2 or PostgreSQL), the real audit log,
 * personal links and order state machine (one test check at VERIFICATION, the acceptance checks at ACCEPTANCE, one
 * at ISSUANCE that holds the order there); sealing with the real signer and the signature tests' PKI (CA, OCSP, CRL,
 * TSA over HTTP). The notifier records what it is asked to queue (the real one is proven in the IT).
 */
final class Fixture implements AutoCloseable {

    static final Instant T0 = Instant.parse("2026-12-02T10:00:00Z");
    static final Person ANNA = new Person("Anna Maria", "Eriksson", LocalDate.parse("1974-08-12"), "anna@example.org",
            "+33612345678");
    static final Person JEAN = new Person("Jean", "Dupont", LocalDate.parse("1960-03-01"), "jean@example.org",
            "+33698765412");
    static final String TERMS_EN = "1. Purpose. These test terms bind the subscriber.\n\n2. Revocation. Ask for it at once.";
    static final String TERMS_FR = "1. Objet. Ces conditions de test engagent l'abonné.\n\n2. Révocation. Demandez-la sans délai.";

    final TestDatabases.Handle db;
    final MutableClock clock = new MutableClock(T0);
    final AuditLog audit;
    final io.cachet.api.link.PersonalLinks links;
    final RecordingNotifier notifier = new RecordingNotifier();
    final AtomicReference<AcceptanceSettings> settings = new AtomicReference<>(AcceptanceSettings.defaults());
    final AtomicReference<Sealer> sealer = new AtomicReference<>();
    final AcceptanceService service;
    final Orders orders;
    final List<OrderCheck> checks = new CopyOnWriteArrayList<>();
    final List<OrderListener> listeners = new CopyOnWriteArrayList<>();
    /** While true, the order service is missing. */
    volatile boolean ordersDown;

    Fixture(String product, Path dir) {
        db = TestDatabases.open(product, dir);
        audit = AuditLogs.open(db.database(), List.of());
        Orders[] holder = new Orders[1];
        links = LinkStores.open(db.database(), audit, clock, new SecureRandom(), "http://localhost:8080",
                id -> holder[0].find(id).map(o -> o.state().ended()).orElse(true));
        AcceptanceService.migrate(db.database());
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        service = new AcceptanceService(db.database(), audit, links, notifier, () -> ordersDown ? null : holder[0],
                sealer::get, (brand, language) -> "fr".equals(language) ? TERMS_FR : TERMS_EN, brand -> "Cachet",
                settings::get, clock, new SecureRandom(), key);
        Product p = new Product("enterprise-plus", Map.of("fr", "Enterprise+", "en", "Enterprise+"), List.of(1, 2, 3),
                List.of(Medium.USB_A, Medium.USB_C, Medium.CLOUD),
                List.of(new Price(1, Medium.CLOUD, new BigDecimal("290.00"), "EUR")));
        orders = OrderServices.open(db.database(), audit, () -> List.of(p), () -> checks, () -> listeners,
                () -> "default", clock, Duration.ofDays(60));
        holder[0] = orders;
        checks.add(check("test.verification", OrderState.VERIFICATION, r -> true, o -> { }));
        checks.add(check(AcceptanceService.kind(OrderRole.CERTIFICATE_MANAGER), OrderState.ACCEPTANCE, r -> true,
                this::entered));
        checks.add(check(AcceptanceService.kind(OrderRole.LEGAL_REPRESENTATIVE), OrderState.ACCEPTANCE,
                r -> !r.managerIsLegalRepresentative(), this::entered));
        checks.add(check("test.issuance", OrderState.ISSUANCE, r -> true, o -> { }));
    }

    private void entered(Order o) {
        service.open(o);
        service.reportDue(o.id());
    }

    /** Seals with a key of the signature tests' PKI through the real signer. */
    Fixture sealing() {
        TestPki pki = TestPki.get();
        sealer.set(new PlatformSealer(Signatures.signer(), pki.seal(KeyAlgorithm.EC_P256), pki.tsaUrl(),
                pki.trustAnchors()));
        return this;
    }

    private static OrderCheck check(String kind, OrderState state, java.util.function.Predicate<OrderRequest> applies,
            java.util.function.Consumer<Order> entered) {
        return new OrderCheck() {
            @Override
            public String kind() {
                return kind;
            }

            @Override
            public OrderState state() {
                return state;
            }

            @Override
            public boolean appliesTo(OrderRequest order) {
                return applies.test(order);
            }

            @Override
            public void entered(Order order) {
                entered.accept(order);
            }
        };
    }

    static OrderRequest request(Person legalRepresentative) {
        return new OrderRequest("enterprise-plus", 1, Medium.CLOUD, ANNA, legalRepresentative,
                new Organisation("ACME SAS", "FR", "552100554", "FR96552100554",
                        new PostalAddress(List.of("1 rue de la Paix"), "75002", "Paris", "FR")),
                null);
    }

    /** Submits an order (VERIFICATION); {@code legalRepresentative} null = the manager is. */
    Order submit(Person legalRepresentative, String language) {
        return orders.submit(request(legalRepresentative), new Submission("api:test", null, null, language, null));
    }

    /** Submits an order and passes VERIFICATION: it is in ACCEPTANCE, the acceptance open. */
    Order inAcceptance(Person legalRepresentative, String language) {
        Order o = submit(legalRepresentative, language);
        return orders.report(o.id(), "test.verification", CheckStatus.PASSED, "", "check:test.verification");
    }

    /** The code of the last SMS sent to {@code mobile}. */
    String lastCode(String mobile) {
        List<Notification> l = notifier.of("acceptance.code").stream().filter(n -> n.recipient().equals(mobile))
                .toList();
        return (String) l.get(l.size() - 1).model().get("code");
    }

    /** The link of the last e-mail sent to {@code email}. */
    String link(String email) {
        return (String) notifier.of("acceptance.link").stream().filter(n -> n.recipient().equals(email))
                .reduce((a, b) -> b).orElseThrow().model().get("link");
    }

    List<String> actions(String orderId) {
        return audit.read(1, 100_000).stream().filter(r -> r.subject().equals("acceptance:" + orderId))
                .map(AuditRecord::action).toList();
    }

    @Override
    public void close() {
        db.close();
    }
}
