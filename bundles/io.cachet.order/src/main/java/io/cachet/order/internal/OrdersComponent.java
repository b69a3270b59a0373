package io.cachet.order.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cachet.api.audit.AuditLog;
import io.cachet.api.health.BackgroundJob;
import io.cachet.api.order.CheckStatus;
import io.cachet.api.order.FieldError;
import io.cachet.api.order.Order;
import io.cachet.api.order.OrderCheck;
import io.cachet.api.order.OrderEvent;
import io.cachet.api.order.OrderListener;
import io.cachet.api.order.OrderPage;
import io.cachet.api.order.OrderQuery;
import io.cachet.api.order.OrderRequest;
import io.cachet.api.order.Orders;
import io.cachet.api.order.Product;
import io.cachet.api.order.Submission;
import io.cachet.api.store.Database;

/**
 * The {@link Orders} service ({@code io.cachet.order}): the {@link OrderService} on the deployment's database and
 * audit log, with the installed {@link OrderCheck} and {@link OrderListener} services (whiteboard, dynamic: a
 * check installed later applies to the states orders enter from then on), and the expiry job.
 */
@Component(name = OrdersComponent.PID, service = { Orders.class, OrdersComponent.class }, immediate = true)
@Designate(ocd = OrdersConfiguration.class)
public class OrdersComponent implements Orders {

    static final String PID = "io.cachet.order";
    private static final Logger LOG = LoggerFactory.getLogger(OrdersComponent.class);

    private final List<OrderCheck> checks = new CopyOnWriteArrayList<>();
    private final List<OrderListener> listeners = new CopyOnWriteArrayList<>();
    private final OrderService service;
    private final BackgroundJob sweeper;
    private volatile ConfigurationAdmin configurationAdmin;

    @Activate
    public OrdersComponent(@Reference Database database, @Reference AuditLog audit, @Reference Catalogue catalogue,
            OrdersConfiguration config) {
        validate(config);
        this.service = new OrderService(database, audit, catalogue::products, () -> checks, () -> listeners,
                this::activeBrand, Clock.systemUTC(), Duration.ofDays(config.expiryDays()));
        this.sweeper = new BackgroundJob("cachet-order-expiry", this::sweepExpired,
                e -> LOG.warn("Order expiry job failed; it runs again later", e));
        sweeper.schedule(config.expirySweepSeconds(), config.expirySweepSeconds(), TimeUnit.SECONDS);
    }

    @Modified
    void modified(OrdersConfiguration config) {
        validate(config);
        service.expiry(Duration.ofDays(config.expiryDays()));
    }

    private static void validate(OrdersConfiguration config) {
        if (config.expiryDays() < 1 || config.expiryDays() > 365) {
            throw new IllegalArgumentException(PID + ": expiryDays must be 1 to 365: " + config.expiryDays());
        }
        if (config.expirySweepSeconds() < 10 || config.expirySweepSeconds() > 86400) {
            throw new IllegalArgumentException(PID + ": expirySweepSeconds must be 10 to 86400");
        }
    }

    /** The expiry job's work: expires the orders not completed in time, 50 at a time. */
    private void sweepExpired() {
        int n;
        do {
            n = service.expireDue(50);
            if (n > 0) {
                LOG.info("Expired {} order(s) not completed in time", n);
            }
        } while (n == 50);
    }

    @Deactivate
    void deactivate() {
        sweeper.stop();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addCheck(OrderCheck check) {
        checks.add(check);
    }

    void removeCheck(OrderCheck check) {
        checks.remove(check);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addListener(OrderListener listener) {
        listeners.add(listener);
    }

    void removeListener(OrderListener listener) {
        listeners.remove(listener);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setConfigurationAdmin(ConfigurationAdmin admin) {
        this.configurationAdmin = admin;
    }

    void unsetConfigurationAdmin(ConfigurationAdmin admin) {
        if (configurationAdmin == admin) {
            configurationAdmin = null;
        }
    }

    /** The brand the pages show now: the one io.cachet.web.brand selects, else {@code default}. */
    String activeBrand() {
        ConfigurationAdmin admin = configurationAdmin;
        if (admin != null) {
            try {
                Configuration[] found = admin.listConfigurations("(service.pid=io.cachet.web.brand)");
                if (found != null && found.length > 0 && found[0].getProperties() != null
                        && found[0].getProperties().get("brand") instanceof String b && !b.isBlank()) {
                    return b.strip();
                }
            } catch (Exception e) {
                LOG.debug("Brand configuration not readable; orders use the default brand", e);
            }
        }
        return "default";
    }

    /** The service underneath, for the REST resource (which tells a new order from an idempotent replay). */
    OrderService service() {
        return service;
    }

    /** Runs the expiry sweep now (operators' tools and tests). */
    int expireDue() {
        return service.expireDue(50);
    }

    @Override
    public List<Product> catalogue() {
        return service.catalogue();
    }

    @Override
    public List<FieldError> validate(OrderRequest request) {
        return service.validate(request);
    }

    @Override
    public Order submit(OrderRequest request, Submission submission) {
        return service.submit(request, submission);
    }

    @Override
    public Optional<Order> find(String id) {
        return service.find(id);
    }

    @Override
    public OrderPage list(OrderQuery query) {
        return service.list(query);
    }

    @Override
    public OrderPage expiring(Instant before, String after, int limit) {
        return service.expiring(before, after, limit);
    }

    @Override
    public List<OrderEvent> events(String id) {
        return service.events(id);
    }

    @Override
    public Order cancel(String id, String actor, String reason, boolean byCustomer) {
        return service.cancel(id, actor, reason, byCustomer);
    }

    @Override
    public Order reject(String id, String actor, String reason) {
        return service.reject(id, actor, reason);
    }

    @Override
    public Order report(String id, String kind, CheckStatus status, String detail, String actor) {
        return service.report(id, kind, status, detail, actor);
    }
}
