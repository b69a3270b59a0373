package io.cachet.delivery.mail.internal;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import io.cachet.api.audit.AuditEvent;
import io.cachet.api.audit.AuditLog;
import io.cachet.api.audit.AuditRecord;
import io.cachet.api.brand.Brand;
import io.cachet.api.delivery.Carrier;
import io.cachet.api.delivery.Shipment;
import io.cachet.api.delivery.ShipmentListener;
import io.cachet.api.delivery.ShipmentState;
import io.cachet.api.order.Delivery;
import io.cachet.api.order.Medium;
import io.cachet.api.order.Order;
import io.cachet.api.order.OrderCheck;
import io.cachet.api.order.OrderListener;
import io.cachet.api.order.OrderRequest;
import io.cachet.api.order.Orders;
import io.cachet.api.order.Organisation;
import io.cachet.api.order.Person;
import io.cachet.api.order.PostalAddress;
import io.cachet.api.order.Price;
import io.cachet.api.order.Product;
import io.cachet.api.order.Submission;
import io.cachet.api.security.DataKeyCipher;
import io.cachet.api.security.SecretVault;
import io.cachet.api.testing.MutableClock;
import io.cachet.audit.launch.AuditLogs;
import io.cachet.order.launch.OrderServices;
import io.cachet.store.testing.TestDatabases;
import io.cachet.store.testing.TestVaults;

/**
 * The shipments wired as in the framework, on a real database (H2 or PostgreSQL), with the real audit log (wrapped to
 * keep each event's details, which the log itself only keeps as a digest), vault and order state machine.
 */
final class Fixture implements AutoCloseable {

    static final Instant T0 = Instant.parse("2026-12-03T08:00:00Z");
    static final Person ANNA = new Person("Anna Maria", "Eriksson", LocalDate.parse("1974-08-12"), "anna@example.org",
            "+33612345678");
    static final String BENEFICIARY = "Élodie Lefèvre-Müller";
    static final PostalAddress ADDRESS = new PostalAddress(List.of("12 rue de l'Église", "Bâtiment B, 3e étage"),
            "69002", "Lyon", "FR");

    /** The real log, keeping each event's details. */
    static final class KeepingAudit extends io.cachet.api.testing.RecordingAuditLog {
        KeepingAudit(AuditLog real) {
            super(real);
        }
    }

    /** A listener recording what it is told. */
    static final class Told implements ShipmentListener {
        record Call(Shipment shipment, ShipmentState previous) {
        }

        final List<Call> calls = new CopyOnWriteArrayList<>();

        @Override
        public void changed(Shipment shipment, ShipmentState previous) {
            calls.add(new Call(shipment, previous));
        }
    }

    final TestDatabases.Handle db;
    final MutableClock clock = new MutableClock(T0);
    final KeepingAudit audit;
    final SecretVault vault;
    final AtomicReference<MailSettings> settings = new AtomicReference<>(MailSettings.DEFAULTS);
    final List<Carrier> carriers = new CopyOnWriteArrayList<>();
    final List<ShipmentListener> listeners = new CopyOnWriteArrayList<>();
    final Map<String, Brand> brands = new ConcurrentHashMap<>();
    final Told told = new Told();
    final ShipmentService service;
    final Orders orders;
    volatile boolean ordersDown;

    Fixture(String product, Path dir) {
        db = TestDatabases.open(product, dir);
        audit = new KeepingAudit(AuditLogs.open(db.database(), List.of()));
        vault = TestVaults.embedded(dir);
        ShipmentService.migrate(db.database());
        listeners.add(told);
        Orders[] holder = new Orders[1];
        service = new ShipmentService(db.database(), audit,
                new DataKeyCipher(vault, ShipmentService.KEY_PURPOSE, new SecureRandom()),
                () -> ordersDown ? null : holder[0], () -> carriers, () -> listeners,
                id -> Optional.ofNullable(brands.get(id)), settings::get, clock, new SecureRandom());
        Product p = new Product("enterprise-plus", Map.of("fr", "Enterprise+", "en", "Enterprise+"), List.of(1, 2, 3),
                List.of(Medium.USB_A, Medium.USB_C, Medium.CLOUD),
                List.of(new Price(1, Medium.USB_A, new BigDecimal("350.00"), "EUR"),
                        new Price(1, Medium.CLOUD, new BigDecimal("290.00"), "EUR")));
        Collection<OrderCheck> checks = List.of();
        Collection<OrderListener> orderListeners = List.of();
        orders = OrderServices.open(db.database(), audit, () -> List.of(p), () -> checks, () -> orderListeners,
                () -> "default", clock, Duration.ofDays(60));
        holder[0] = orders;
    }

    /** A token order of ACME SAS shipped to {@link #BENEFICIARY} at {@link #ADDRESS}. */
    Order submitToken(String language) {
        return submit(Medium.USB_A, new Delivery(BENEFICIARY, ADDRESS), language);
    }

    Order submitCloud() {
        return submit(Medium.CLOUD, null, "fr");
    }

    private Order submit(Medium medium, Delivery delivery, String language) {
        OrderRequest r = new OrderRequest("enterprise-plus", 1, medium, ANNA, null,
                new Organisation("ACME SAS", "FR", "552100554", "FR96552100554",
                        new PostalAddress(List.of("1 rue de la Paix"), "75002", "Paris", "FR")),
                delivery);
        return orders.submit(r, new Submission("api:test", null, null, language, null));
    }

    List<AuditRecord> records(String action) {
        return audit.read(1, 10_000).stream().filter(r -> r.action().equals(action)).toList();
    }

    List<AuditEvent> events(String action) {
        return audit.events.stream().filter(e -> e.action().equals(action)).toList();
    }

    static String details(AuditEvent e) {
        return new String(e.payload(), StandardCharsets.UTF_8);
    }

    /** The stored receipt bytes of a shipment, as in the database. */
    byte[] storedReceipt(String shipmentId) {
        return db.database().inTransaction(c -> {
            try (var ps = c.prepareStatement("SELECT data FROM shipment_receipt WHERE shipment_id = ?")) {
                ps.setString(1, shipmentId);
                try (var rs = ps.executeQuery()) {
                    return rs.next() ? rs.getBytes(1) : null;
                }
            }
        });
    }

    @Override
    public void close() {
        db.close();
    }
}
