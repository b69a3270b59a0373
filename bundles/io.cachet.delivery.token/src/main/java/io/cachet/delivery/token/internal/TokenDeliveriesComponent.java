package io.cachet.delivery.token.internal;

import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
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
import io.cachet.api.ca.CertificateAuthority;
import io.cachet.api.delivery.Shipments;
import io.cachet.api.delivery.TokenDeliveries;
import io.cachet.api.delivery.TokenDelivery;
import io.cachet.api.health.BackgroundJob;
import io.cachet.api.issuance.OrderCertificates;
import io.cachet.api.link.PersonalLinks;
import io.cachet.api.notify.Notifier;
import io.cachet.api.order.LazyOrders;
import io.cachet.api.order.Orders;
import io.cachet.api.security.SecretVault;
import io.cachet.api.store.Database;
import io.cachet.api.web.PublicFormTokens;

/**
 * The {@link TokenDeliveries} service ({@code io.cachet.delivery.token}): the {@link TokenDeliveryService} on the
 * deployment's database with the pin-key, code key and form key kept sealed in it. The order service is got lazily
 * (it calls this bundle's checks); the issuance, the shipments and the CA are optional and dynamic: while one is
 * missing, the steps that need it answer "try again later" and nothing changes. A background job tells the orders'
 * checks what could not be told at once, and discards the tokens of lost letters the listener could not handle.
 */
@Component(name = TokenSettings.PID, service = { TokenDeliveries.class, TokenDeliveriesComponent.class },
        immediate = true)
@Designate(ocd = TokenDeliveryConfiguration.class)
public class TokenDeliveriesComponent implements TokenDeliveries {

    private static final Logger LOG = LoggerFactory.getLogger(TokenDeliveriesComponent.class);

    @Reference(service = Orders.class, cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile ComponentServiceObjects<Orders> orders;
    private final LazyOrders lazyOrders = new LazyOrders();

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile OrderCertificates certificates;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile Shipments shipments;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile CertificateAuthority ca;

    private final TokenDeliveryService service;
    private final HolderRevocations revocations;
    private final byte[] formKey;
    private final BackgroundJob jobs;
    private volatile TokenSettings settings;

    @Activate
    public TokenDeliveriesComponent(@Reference Database database, @Reference AuditLog audit,
            @Reference SecretVault vault, @Reference PersonalLinks links, @Reference Notifier notifier,
            TokenDeliveryConfiguration config) {
        this.settings = TokenSettings.of(config);
        TokenDeliveryService.migrate(database);
        SecureRandom random = new SecureRandom();
        PinKey pinKey = PinKey.load(database, vault, random);
        byte[] codeKey = PublicFormTokens.loadKey(database, vault, "token_delivery_key", "code-key",
                "token-delivery.code-key", "The token PIN codes' key", random);
        this.formKey = PublicFormTokens.loadKey(database, vault, "token_delivery_key", "form-key",
                "token-delivery.form-key", "The token PIN pages' form key", random);
        try {
            this.service = new TokenDeliveryService(database, audit, this::ordersNow, () -> certificates,
                    () -> shipments, this::chain, links, notifier, () -> settings, pinKey, Clock.systemUTC(), random,
                    codeKey);
        } finally {
            Arrays.fill(codeKey, (byte) 0);
        }
        this.revocations = new HolderRevocations(database, audit, service, () -> certificates, notifier,
                Clock.systemUTC(), random);
        this.jobs = new BackgroundJob("cachet-token-delivery", this::runDueJobs,
                e -> LOG.warn("Token delivery background job failed; it runs again later: {}", e.toString()));
        schedule();
    }

    @Modified
    void modified(TokenDeliveryConfiguration config) {
        TokenSettings s = TokenSettings.of(config);
        boolean reschedule = s.jobSeconds() != settings.jobSeconds();
        settings = s;
        if (reschedule) {
            schedule();
        }
    }

    private void schedule() {
        int every = settings.jobSeconds();
        jobs.schedule(every, every, TimeUnit.SECONDS);
    }

    /** The background job's work: reports due to orders, then letters seen lost. */
    private void runDueJobs() {
        service.reportDue(null);
        service.sweepLost();
    }

    String lastJobFailure() {
        return jobs.lastFailure();
    }

    /** What is missing for provisioning now (empty when nothing is). */
    List<String> missing() {
        java.util.ArrayList<String> l = new java.util.ArrayList<>();
        if (ordersNow() == null) {
            l.add("orders");
        }
        if (certificates == null) {
            l.add("issuance");
        }
        if (shipments == null) {
            l.add("shipments");
        }
        if (ca == null) {
            l.add("CA");
        }
        return l;
    }

    @Deactivate
    void deactivate() {
        jobs.stop();
        Arrays.fill(formKey, (byte) 0);
    }

    private List<X509Certificate> chain() {
        CertificateAuthority a = ca;
        return a == null ? List.of() : a.chain();
    }

    private Orders ordersNow() {
        return lazyOrders.from(orders);
    }

    TokenDeliveryService service() {
        return service;
    }

    TokenSettings settings() {
        return settings;
    }

    HolderRevocations revocations() {
        return revocations;
    }

    byte[] formKey() {
        return formKey.clone();
    }

    @Override
    public Optional<TokenDelivery> find(String orderId) {
        return service.find(orderId);
    }

    @Override
    public List<TokenDelivery> toProvision(int limit) {
        return service.toProvision(limit);
    }

    @Override
    public TokenDelivery unlockPin(String orderId, String reason, String actor) {
        return service.unlockPin(orderId, reason, actor);
    }
}
