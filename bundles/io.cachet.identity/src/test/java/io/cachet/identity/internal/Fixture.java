package io.cachet.identity.internal;

import java.lang.reflect.Proxy;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import io.cachet.api.audit.AuditLog;
import io.cachet.api.audit.AuditRecord;
import io.cachet.api.identity.IdentityCase;
import io.cachet.api.identity.IdentityProvider;
import io.cachet.api.order.Delivery;
import io.cachet.api.order.Medium;
import io.cachet.api.order.Order;
import io.cachet.api.order.OrderCheck;
import io.cachet.api.order.OrderListener;
import io.cachet.api.order.OrderRequest;
import io.cachet.api.order.OrderRole;
import io.cachet.api.order.OrderState;
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
import io.cachet.portal.launch.LinkStores;
import io.cachet.store.testing.TestDatabases;
import io.cachet.store.testing.TestVaults;
import io.cachet.web.testing.RecordingNotifier;

/**
 * The identity cases wired as in the framework, on a real database (H2 or PostgreSQL), the real audit log, vault,
 * personal links (the portal's store) and order state machine; the notifier records what it is asked to queue (the
 * real one is proven in the ITs); providers are small test providers.
 */
final class Fixture implements AutoCloseable {

    static final Instant T0 = Instant.parse("2026-12-02T10:00:00Z");
    static final Person ANNA = new Person("Anna Maria", "Eriksson", LocalDate.parse("1974-08-12"), "anna@example.org",
            "+33612345678");
    static final Person JEAN = new Person("Jean", "Dupont", LocalDate.parse("1960-03-01"), "jean@example.org",
            "+33698765432");

    /** A provider that sends the person to {@code /test/flow/<token>} and remembers what it was told. */
    static final class TestProvider implements IdentityProvider {
        final String id;
        final List<String> tokens = new CopyOnWriteArrayList<>();
        final List<String> ended = new CopyOnWriteArrayList<>();
        volatile boolean failing;
        volatile int sessions;

        TestProvider(String id) {
            this.id = id;
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public Start start(IdentityCase identityCase, String flowToken, String language) {
            if (failing) {
                throw new io.cachet.api.identity.IdentityException(
                        io.cachet.api.identity.IdentityException.Reason.UNAVAILABLE, "provider.unavailable", "down");
            }
            tokens.add(flowToken);
            return new Start("/test/flow/" + flowToken, id + "-session-" + (++sessions));
        }

        @Override
        public void ended(IdentityCase identityCase) {
            ended.add(identityCase.id());
        }
    }

    final TestDatabases.Handle db;
    final MutableClock clock = new MutableClock(T0);
    final AuditLog audit;
    final SecretVault vault;
    final io.cachet.api.link.PersonalLinks links;
    final RecordingNotifier notifier = new RecordingNotifier();
    final Map<String, IdentityProvider> providers = new ConcurrentHashMap<>();
    final AtomicReference<IdentitySettings> settings = new AtomicReference<>();
    final CaseService cases;
    final DataKeyCipher cipher;
    final io.cachet.api.order.Orders orders;
    final List<OrderCheck> checks = new CopyOnWriteArrayList<>();
    final List<OrderListener> listeners = new CopyOnWriteArrayList<>();
    final TestProvider mobile = new TestProvider("mobile");
    /** While true, the order service is missing (as when its bundle is stopped). */
    volatile boolean ordersDown;

    Fixture(String product, Path dir, Map<String, Object> config) {
        this(TestDatabases.open(product, dir), dir, config);
    }

    /** On {@code db} (e.g. the embedded database of a server's data directory {@code dir}). */
    Fixture(TestDatabases.Handle db, Path dir, Map<String, Object> config) {
        this.db = db;
        audit = AuditLogs.open(db.database(), List.of());
        vault = TestVaults.embedded(dir);
        settings.set(IdentitySettings.of(config(config)));
        io.cachet.api.order.Orders[] holder = new io.cachet.api.order.Orders[1];
        links = LinkStores.open(db.database(), audit, clock, new SecureRandom(), "http://localhost:8080",
                id -> holder[0].find(id).map(o -> o.state().ended()).orElse(true));
        cipher = new DataKeyCipher(vault, CaseService.KEY_PURPOSE, new SecureRandom());
        CaseService.migrate(db.database());
        cases = new CaseService(db.database(), audit, cipher, links, notifier, () -> ordersDown ? null : holder[0], providers::get,
                settings::get, clock, new SecureRandom());
        Product p = new Product("enterprise-plus", Map.of("fr", "Enterprise+", "en", "Enterprise+"), List.of(1, 2, 3),
                List.of(Medium.USB_A, Medium.USB_C, Medium.CLOUD),
                List.of(new Price(1, Medium.CLOUD, new BigDecimal("290.00"), "EUR")));
        orders = OrderServices.open(db.database(), audit, () -> List.of(p), () -> checks, () -> listeners,
                () -> "default", clock, Duration.ofDays(60));
        holder[0] = orders;
        checks.add(check(OrderRole.CERTIFICATE_MANAGER));
        checks.add(check(OrderRole.LEGAL_REPRESENTATIVE));
        listeners.add(cases::orderTransitioned);
        providers.put("mobile", mobile);
    }

    private OrderCheck check(OrderRole role) {
        return new OrderCheck() {
            @Override
            public String kind() {
                return CaseService.kind(role);
            }

            @Override
            public OrderState state() {
                return OrderState.VERIFICATION;
            }

            @Override
            public boolean appliesTo(OrderRequest order) {
                return role == OrderRole.CERTIFICATE_MANAGER || !order.managerIsLegalRepresentative();
            }

            @Override
            public void entered(Order order) {
                cases.open(order, role);
            }
        };
    }

    /** Submits an order (VERIFICATION, cases opened); {@code legalRepresentative} null = the manager is. */
    Order submit(Person legalRepresentative, String reseller, String brand) {
        OrderRequest r = new OrderRequest("enterprise-plus", 1, Medium.CLOUD, ANNA, legalRepresentative,
                new Organisation("ACME SAS", "FR", "552100554", "FR96552100554",
                        new PostalAddress(List.of("1 rue de la Paix"), "75002", "Paris", "FR")),
                null);
        return orders.submit(r, new Submission("api:test", reseller, brand, "en", null));
    }

    IdentityCase caseOf(Order o, OrderRole role) {
        return cases.forOrder(o.id()).stream().filter(k -> k.role() == role).findFirst().orElseThrow();
    }

    List<String> actions(String subject) {
        return audit.read(1, 10_000).stream().filter(r -> r.subject().equals(subject)).map(AuditRecord::action)
                .toList();
    }

    void configure(Map<String, Object> config) {
        settings.set(IdentitySettings.of(config(config)));
    }

    static IdentityConfiguration config(Map<String, Object> overrides) {
        return (IdentityConfiguration) Proxy.newProxyInstance(IdentityConfiguration.class.getClassLoader(),
                new Class<?>[] { IdentityConfiguration.class }, (proxy, method, args) -> {
                    if (method.getName().equals("annotationType")) {
                        return IdentityConfiguration.class;
                    }
                    return overrides.containsKey(method.getName()) ? overrides.get(method.getName())
                            : method.getDefaultValue();
                });
    }

    @Override
    public void close() {
        db.close();
    }
}
