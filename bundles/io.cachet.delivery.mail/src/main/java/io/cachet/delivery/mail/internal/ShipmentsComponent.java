package io.cachet.delivery.mail.internal;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.osgi.service.component.ComponentServiceObjects;
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
import io.cachet.api.brand.Brand;
import io.cachet.api.delivery.Carrier;
import io.cachet.api.delivery.Shipment;
import io.cachet.api.delivery.ShipmentListener;
import io.cachet.api.delivery.ShipmentState;
import io.cachet.api.delivery.Shipments;
import io.cachet.api.health.BackgroundJob;
import io.cachet.api.order.LazyOrders;
import io.cachet.api.order.Orders;
import io.cachet.api.security.DataKeyCipher;
import io.cachet.api.security.SecretVault;
import io.cachet.api.store.Database;

/**
 * The {@link Shipments} service ({@code io.cachet.delivery.mail}): the {@link ShipmentService} on the deployment's
 * database, with the installed {@link Carrier}s and {@link ShipmentListener}s (whiteboards, dynamic), the brands (for
 * the label's sender and wording), the configuration (changed while running) and the job that polls the carriers.
 *
 * <p>The order service is a lazily got, optional reference: the token delivery calls this service from the order's
 * checks, so getting it at activation could make a cycle. Without it, preparing is refused (nothing changes).
 */
@Component(name = ShipmentsComponent.PID, service = { Shipments.class, ShipmentsComponent.class }, immediate = true)
@Designate(ocd = MailConfiguration.class)
public class ShipmentsComponent implements Shipments {

    static final String PID = "io.cachet.delivery.mail";
    private static final Logger LOG = LoggerFactory.getLogger(ShipmentsComponent.class);

    private final List<Carrier> carriers = new CopyOnWriteArrayList<>();
    private final List<ShipmentListener> listeners = new CopyOnWriteArrayList<>();
    private final Map<String, Brand> brands = new ConcurrentHashMap<>();
    private final ShipmentService service;
    private final BackgroundJob jobs;
    private volatile MailSettings settings;

    @Reference(service = Orders.class, cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile ComponentServiceObjects<Orders> orders;
    private final LazyOrders lazyOrders = new LazyOrders();

    @Activate
    public ShipmentsComponent(@Reference Database database, @Reference AuditLog audit, @Reference SecretVault vault,
            MailConfiguration config) {
        this.settings = MailSettings.of(config);
        ShipmentService.migrate(database);
        SecureRandom random = new SecureRandom();
        this.service = new ShipmentService(database, audit,
                new DataKeyCipher(vault, ShipmentService.KEY_PURPOSE, random), this::ordersNow,
                () -> carriers, () -> listeners, id -> Optional.ofNullable(brands.get(id)), () -> settings,
                Clock.systemUTC(), random);
        this.jobs = new BackgroundJob("cachet-shipment-jobs", this::pollCarriers,
                e -> LOG.warn("Polling the carriers failed; it runs again later: {}", e.toString()));
        schedule();
    }

    @Modified
    void modified(MailConfiguration config) {
        MailSettings s = MailSettings.of(config);
        boolean reschedule = s.jobSeconds() != settings.jobSeconds();
        settings = s;
        if (reschedule) {
            schedule();
        }
    }

    private void schedule() {
        int every = settings.jobSeconds();
        jobs.schedule(Math.min(every, 5), every, TimeUnit.SECONDS);
    }

    /** The background job's work: polls the carriers for the shipments due. */
    private void pollCarriers() {
        while (service.poll(50) == 50) {
            // more are due
        }
    }

    @Deactivate
    void deactivate() {
        jobs.stop();
    }

    private Orders ordersNow() {
        return lazyOrders.from(orders);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addCarrier(Carrier carrier) {
        carriers.add(carrier);
        LOG.info("Carrier {} available", carrier.id());
    }

    void removeCarrier(Carrier carrier) {
        carriers.remove(carrier);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addListener(ShipmentListener listener) {
        listeners.add(listener);
    }

    void removeListener(ShipmentListener listener) {
        listeners.remove(listener);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addBrand(Brand brand) {
        brands.put(brand.id(), brand);
    }

    void removeBrand(Brand brand) {
        brands.remove(brand.id(), brand);
    }

    ShipmentService service() {
        return service;
    }

    MailSettings settings() {
        return settings;
    }

    // ---- Shipments, delegated

    @Override
    public Shipment prepare(String orderId, String reference, String actor) {
        return service.prepare(orderId, reference, actor);
    }

    @Override
    public Optional<Shipment> find(String shipmentId) {
        return service.find(shipmentId);
    }

    @Override
    public List<Shipment> forOrder(String orderId) {
        return service.forOrder(orderId);
    }

    @Override
    public List<Shipment> inState(ShipmentState state, int limit) {
        return service.inState(state, limit);
    }

    @Override
    public Shipment move(String shipmentId, ShipmentState state, String trackingNumber, String note, String actor) {
        return service.move(shipmentId, state, trackingNumber, note, actor);
    }

    @Override
    public byte[] label(String shipmentId, String language) {
        return service.label(shipmentId, language);
    }

    @Override
    public Shipment attachReceipt(String shipmentId, byte[] content, String actor) {
        return service.attachReceipt(shipmentId, content, actor);
    }

    @Override
    public Optional<Receipt> receipt(String shipmentId) {
        return service.receipt(shipmentId);
    }
}
