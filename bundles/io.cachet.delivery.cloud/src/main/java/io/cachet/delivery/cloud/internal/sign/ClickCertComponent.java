package io.cachet.delivery.cloud.internal.sign;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.BundleContext;
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
import io.cachet.api.ca.PlatformSealKey;
import io.cachet.api.health.BackgroundJob;
import io.cachet.api.issuance.CloudSigningKeys;
import io.cachet.api.issuance.OrderCertificates;
import io.cachet.api.order.Orders;
import io.cachet.api.security.DataKeyCipher;
import io.cachet.api.security.SecretVault;
import io.cachet.api.signature.Signer;
import io.cachet.api.store.Database;
import io.cachet.delivery.cloud.internal.HolderAccess;

/**
 * Click&amp;Cert's service ({@code io.cachet.delivery.cloud.clickcert}) on the deployment's database, with the space's
 * accounts ({@link HolderAccess}). The cloud keys, the orders' certificates, the signer and the platform seal key (its
 * TSA and trust anchors) are optional and dynamic: while one is missing, signing answers "try again later" and nothing
 * changes. A background job purges documents whose time is up.
 */
@Component(name = ClickCertSettings.PID, service = ClickCertComponent.class, immediate = true)
@Designate(ocd = ClickCertConfiguration.class)
public class ClickCertComponent {

    private static final Logger LOG = LoggerFactory.getLogger(ClickCertComponent.class);

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile OrderCertificates certificates;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile CloudSigningKeys keys;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile Signer signer;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile PlatformSealKey seal;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile Orders orders;

    private final ClickCertService service;
    private final SealRevocations revocations;
    private final HolderAccess access;
    private final BackgroundJob jobs;
    private volatile ClickCertSettings settings;

    @Activate
    public ClickCertComponent(BundleContext context, @Reference Database database, @Reference AuditLog audit,
            @Reference SecretVault vault, @Reference HolderAccess access, ClickCertConfiguration config) {
        this.settings = ClickCertSettings.of(config);
        this.access = access;
        Path data = Path.of(Optional.ofNullable(context.getProperty("cachet.data")).filter(s -> !s.isBlank())
                .map(String::trim).orElse("cachet-data"));
        ClickCertService.migrate(database);
        this.service = new ClickCertService(database, audit, new DataKeyCipher(vault, ClickCertService.KEY_PURPOSE,
                new SecureRandom()), access, () -> certificates, () -> keys, () -> signer, () -> seal,
                () -> settings, Clock.systemUTC(), data.resolve("tmp").resolve("clickcert"));
        this.service.orders(() -> orders);
        this.revocations = new SealRevocations(access, () -> certificates, audit);
        this.jobs = new BackgroundJob("cachet-clickcert", service::purgeDue,
                e -> LOG.warn("Click&Cert's purge failed; it runs again later: {}", e.toString()));
        schedule();
    }

    @Modified
    void modified(ClickCertConfiguration config) {
        ClickCertSettings s = ClickCertSettings.of(config);
        boolean reschedule = s.jobSeconds() != settings.jobSeconds();
        settings = s;
        if (reschedule) {
            schedule();
        }
    }

    private void schedule() {
        int every = settings.jobSeconds();
        jobs.schedule(Math.min(every, 30), every, TimeUnit.SECONDS);
    }

    @Deactivate
    void deactivate() {
        jobs.stop();
    }

    ClickCertService service() {
        return service;
    }

    SealRevocations revocations() {
        return revocations;
    }

    HolderAccess access() {
        return access;
    }

    /** What signing waits for now (empty when nothing). */
    java.util.List<String> missing() {
        java.util.List<String> l = new java.util.ArrayList<>();
        if (keys == null) {
            l.add("cloud keys");
        }
        if (certificates == null) {
            l.add("order certificates");
        }
        if (signer == null) {
            l.add("signer");
        }
        if (seal == null && settings.level().needsTimestamp()) {
            l.add("platform seal key (TSA)");
        }
        return l;
    }

    String lastJobFailure() {
        return jobs.lastFailure();
    }
}
