package io.cachet.acceptance.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
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

import io.cachet.api.acceptance.AcceptanceRecord;
import io.cachet.api.acceptance.Acceptances;
import io.cachet.api.audit.AuditLog;
import io.cachet.api.brand.Brand;
import io.cachet.api.ca.PlatformSealKey;
import io.cachet.api.health.BackgroundJob;
import io.cachet.api.link.PersonalLinks;
import io.cachet.api.notify.Notifier;
import io.cachet.api.order.LazyOrders;
import io.cachet.api.order.Orders;
import io.cachet.api.security.SecretVault;
import io.cachet.api.signature.Signer;
import io.cachet.api.store.Database;
import io.cachet.api.web.PublicFormTokens;

/**
 * The {@link Acceptances} service ({@code io.cachet.acceptance}): the {@link AcceptanceService} on the deployment's
 * database, sealing with the platform's seal key ({@link PlatformSealKey}, from the CA) and the {@link Signer}; the
 * subscriber terms from the order's brand ({@code brand/templates/acceptance/terms_<language>.txt} of its bundle, else
 * the default brand's). The order service is got lazily (it calls this bundle's checks); the seal key and signer are
 * optional and dynamic: while one is missing, acceptances are refused ("try again later") and nothing changes.
 */
@Component(name = AcceptanceSettings.PID, service = { Acceptances.class, AcceptancesComponent.class }, immediate = true)
@Designate(ocd = AcceptanceConfiguration.class)
public class AcceptancesComponent implements Acceptances {

    private static final Logger LOG = LoggerFactory.getLogger(AcceptancesComponent.class);

    private final AcceptanceService service;
    private final byte[] formKey;
    private final BackgroundJob jobs;
    private volatile AcceptanceSettings settings;
    private final Map<String, Brand> brands = new ConcurrentHashMap<>();

    @Reference(service = Orders.class, cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile ComponentServiceObjects<Orders> orders;
    private final LazyOrders lazyOrders = new LazyOrders();

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile PlatformSealKey sealKey;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile Signer signer;

    @Activate
    public AcceptancesComponent(@Reference Database database, @Reference AuditLog audit, @Reference SecretVault vault,
            @Reference PersonalLinks links, @Reference Notifier notifier, AcceptanceConfiguration config) {
        this.settings = AcceptanceSettings.of(config);
        AcceptanceService.migrate(database);
        SecureRandom random = new SecureRandom();
        byte[] codeKey = PublicFormTokens.loadKey(database, vault, "acceptance_key", "code-key", "acceptance.code-key",
                "The acceptance codes' key", random);
        this.formKey = PublicFormTokens.loadKey(database, vault, "acceptance_key", "form-key", "acceptance.form-key",
                "The acceptance pages' form key", random);
        try {
            this.service = new AcceptanceService(database, audit, links, notifier, this::ordersNow, this::sealer,
                    this::terms, this::brandName, () -> settings, Clock.systemUTC(), random, codeKey);
        } finally {
            Arrays.fill(codeKey, (byte) 0);
        }
        this.jobs = new BackgroundJob("cachet-acceptance-jobs", () -> service.reportDue(null),
                e -> LOG.warn("Acceptance background job failed; it runs again later: {}", e.toString()));
        schedule();
    }

    @Modified
    void modified(AcceptanceConfiguration config) {
        AcceptanceSettings s = AcceptanceSettings.of(config);
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

    /** What the last run of the background job failed with, or null when it succeeded. */
    String lastJobFailure() {
        return jobs.lastFailure();
    }

    /** Whether acceptances can be sealed now. */
    boolean sealingReady() {
        return sealKey != null && signer != null;
    }

    @Deactivate
    void deactivate() {
        jobs.stop();
        Arrays.fill(formKey, (byte) 0);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addBrand(Brand brand, Map<String, Object> properties) {
        Object id = properties.get(Brand.ID);
        brands.put(id == null ? brand.id() : String.valueOf(id), brand);
    }

    void removeBrand(Brand brand, Map<String, Object> properties) {
        brands.values().removeIf(b -> b == brand);
    }

    private Orders ordersNow() {
        return lazyOrders.from(orders);
    }

    private Sealer sealer() {
        PlatformSealKey k = sealKey;
        Signer s = signer;
        if (k == null || s == null) {
            return null;
        }
        return new PlatformSealer(s, k.signingKey(), k.timeStampAuthority(), k.trustAnchors());
    }

    /** The subscriber terms: the order's brand's, else the default brand's, else any installed brand's. */
    String terms(String brandId, String language) {
        String file = "acceptance/terms_" + language + ".txt";
        for (Brand b : candidates(brandId)) {
            URL url = b.template(file);
            if (url != null) {
                try (InputStream in = url.openStream()) {
                    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    LOG.warn("The subscriber terms of brand {} could not be read: {}", b.id(), e.toString());
                }
            }
        }
        throw new IllegalStateException("No brand offers subscriber terms (brand/templates/" + file + ")");
    }

    private List<Brand> candidates(String brandId) {
        java.util.ArrayList<Brand> l = new java.util.ArrayList<>();
        if (brandId != null && brands.containsKey(brandId)) {
            l.add(brands.get(brandId));
        }
        if (brands.containsKey("default")) {
            l.add(brands.get("default"));
        }
        l.addAll(brands.values());
        return l;
    }

    String brandName(String brandId) {
        Brand b = brandId == null ? null : brands.get(brandId);
        if (b == null) {
            b = brands.get("default");
        }
        return b == null ? "Cachet" : b.displayName();
    }

    AcceptanceService service() {
        return service;
    }

    AcceptanceSettings settings() {
        return settings;
    }

    byte[] formKey() {
        return formKey.clone();
    }

    @Override
    public Optional<AcceptanceRecord> forOrder(String orderId) {
        return service.record(orderId);
    }

    @Override
    public Optional<InputStream> signedForm(String orderId) {
        return service.form(orderId).map(ByteArrayInputStream::new);
    }
}
