package io.cachet.delivery.cloud.internal.space;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import io.cachet.api.audit.AuditLog;
import io.cachet.api.notify.Notification;
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
import io.cachet.audit.launch.AuditLogs;
import io.cachet.order.launch.OrderServices;
import io.cachet.store.testing.TestDatabases;
import io.cachet.store.testing.TestVaults;
import io.cachet.web.testing.RecordingNotifier;

/**
 * The customer space wired as in the framework on a real database (H2 or PostgreSQL), the real audit log, order state
 * machine and vault; the space's check is the real {@link SpaceCheck}. The notifier records what it is asked to send
 * (the e-mails are rendered by the notify module, not here). The other modules' checks are stand-ins that the test
 * passes by hand.
 */
final class SpaceFixture implements AutoCloseable {

    static final Instant T0 = Instant.parse("2026-12-03T10:00:00Z");
    static final String BASE = "https://cachet.example.fr";
    static final Person ANNA = new Person("Anna Maria", "Eriksson", LocalDate.parse("1974-08-12"), "Anna@Example.org",
            "+33612345678");
    static final Person JEAN = new Person("Jean", "Dupont", LocalDate.parse("1960-03-01"), "jean@example.org",
            "+33698765412");
    static final PostalAddress ADDRESS = new PostalAddress(List.of("1 rue de la Paix"), "75002", "Paris", "FR");
    static final String GOOD = "correct horse battery staple";

    /** The real log, keeping each event's details. */
    static final class Audit extends io.cachet.api.testing.RecordingAuditLog {
        Audit(AuditLog real) {
            super(real);
        }
    }

    final TestDatabases.Handle db;
    final MutableClock clock = new MutableClock(T0);
    final Audit audit;
    final SecretVault vault;
    final RecordingNotifier notifier = new RecordingNotifier();
    final AtomicReference<SpaceSettings> settings = new AtomicReference<>(SpaceSettings.defaults(BASE));
    final Orders orders;
    final SpaceService service;
    final List<OrderCheck> checks = new CopyOnWriteArrayList<>();

    SpaceFixture(String product, Path dir) {
        db = TestDatabases.open(product, dir);
        audit = new Audit(AuditLogs.open(db.database(), List.of()));
        vault = TestVaults.embedded(dir);
        Orders[] holder = new Orders[1];
        SpaceService.migrate(db.database());
        service = new SpaceService(db.database(), audit, () -> holder[0], notifier, vault, settings::get, clock,
                new SecureRandom());
        Product p = new Product("enterprise-plus", Map.of("fr", "Enterprise+", "en", "Enterprise+"), List.of(1, 2, 3),
                List.of(Medium.USB_A, Medium.USB_C, Medium.CLOUD),
                List.of(new Price(1, Medium.CLOUD, new BigDecimal("290.00"), "EUR"),
                        new Price(1, Medium.USB_A, new BigDecimal("390.00"), "EUR")));
        orders = OrderServices.open(db.database(), audit, () -> List.of(p), () -> checks, List::of, () -> "default",
                clock, Duration.ofDays(60));
        holder[0] = orders;
        checks.add(check("test.verification", OrderState.VERIFICATION));
        checks.add(check("test.acceptance", OrderState.ACCEPTANCE));
        checks.add(check("issuance", OrderState.ISSUANCE));
        checks.add(new SpaceCheck(service));
    }

    private static OrderCheck check(String kind, OrderState state) {
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
            public void entered(Order order) {
            }
        };
    }

    Order submit(Medium medium, Person manager, String language) {
        OrderRequest r = new OrderRequest("enterprise-plus", 1, medium, manager, JEAN,
                new Organisation("ACME SAS", "FR", "55210055400005", "FR96552100554", ADDRESS),
                medium.token() ? new Delivery("Anna Maria Eriksson", ADDRESS) : null);
        return orders.submit(r, new Submission("api:test", null, null, language, null));
    }

    /** An order of {@code medium} moved to DELIVERY (its cloud-space check entered). */
    Order inDelivery(Medium medium, Person manager, String language) {
        Order o = submit(medium, manager, language);
        orders.report(o.id(), "test.verification", CheckStatus.PASSED, "", "check:test");
        orders.report(o.id(), "test.acceptance", CheckStatus.PASSED, "", "check:test");
        return orders.report(o.id(), "issuance", CheckStatus.PASSED, "", "check:test");
    }

    Order cloudOrder() {
        return inDelivery(Medium.CLOUD, ANNA, "en");
    }

    Order order(String id) {
        return orders.find(id).orElseThrow();
    }

    /** The secret of the last password link e-mailed. */
    String lastSecret() {
        List<Notification> l = notifier.sent.stream().filter(n -> n.template().startsWith("cloudspace.password."))
                .toList();
        String link = (String) l.get(l.size() - 1).model().get("link");
        return link.substring(link.lastIndexOf('/') + 1);
    }

    /** A cloud order whose holder set the password {@link #GOOD} (the order ACTIVE). */
    Order active() {
        Order o = cloudOrder();
        SpaceService.PasswordOutcome out = service.setPassword(lastSecret(), GOOD.toCharArray(),
                "192.0.2.1");
        if (!out.ok()) {
            throw new IllegalStateException("password not set: " + out);
        }
        return order(o.id());
    }

    String accountId() {
        return service.accountByEmail(ANNA.email()).orElseThrow().id();
    }

    List<String> actionsOf(String prefix) {
        List<String> l = new ArrayList<>();
        for (String a : audit.actions()) {
            if (a.startsWith(prefix)) {
                l.add(a);
            }
        }
        return l;
    }

    @Override
    public void close() {
        db.close();
    }
}
