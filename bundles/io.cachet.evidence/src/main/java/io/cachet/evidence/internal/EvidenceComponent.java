package io.cachet.evidence.internal;

import java.io.InputStream;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.BundleContext;
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

import io.cachet.api.acceptance.Acceptances;
import io.cachet.api.audit.AuditLog;
import io.cachet.api.ca.PlatformSealKey;
import io.cachet.api.health.BackgroundJob;
import io.cachet.api.identity.IdentityCases;
import io.cachet.api.issuance.EvidenceFiles;
import io.cachet.api.issuance.EvidenceInfo;
import io.cachet.api.issuance.OrderCertificates;
import io.cachet.api.order.LazyOrders;
import io.cachet.api.order.Orders;
import io.cachet.api.organisation.OrganisationChecks;
import io.cachet.api.security.DataKeyCipher;
import io.cachet.api.security.SecretVault;
import io.cachet.api.signature.Signer;
import io.cachet.api.store.Database;

/**
 * The {@link EvidenceFiles} service ({@code io.cachet.evidence}): the {@link EvidenceService} on the deployment's
 * database with its background jobs (files to make, files to re-timestamp). Every source and the seal are dynamic
 * references: while one is missing, the file is made later (the order, the certificate, the seal) or without that
 * section, saying so in its manifest (identity, organisation, acceptance).
 */
@Component(name = EvidenceComponent.PID, service = { EvidenceFiles.class, EvidenceComponent.class }, immediate = true)
@Designate(ocd = EvidenceConfiguration.class)
public class EvidenceComponent implements EvidenceFiles {
    static final String PID = "io.cachet.evidence";
    private static final Logger LOG = LoggerFactory.getLogger(EvidenceComponent.class);

    @Reference(service = Orders.class, cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile ComponentServiceObjects<Orders> orders;
    private final LazyOrders lazyOrders = new LazyOrders();

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile OrderCertificates certificates;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile IdentityCases identity;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile OrganisationChecks organisation;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile Acceptances acceptances;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile PlatformSealKey seal;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile Signer signer;

    private final EvidenceService service;
    private final BackgroundJob jobs;
    private volatile EvidenceService.Settings settings;
    private volatile boolean includeImages;
    private volatile int jobSeconds;

    @Activate
    public EvidenceComponent(BundleContext context, @Reference Database database, @Reference AuditLog audit,
            @Reference SecretVault vault, EvidenceConfiguration config) {
        Path data = Path.of(Optional.ofNullable(context.getProperty("cachet.data")).filter(s -> !s.isBlank())
                .map(String::trim).orElse("cachet-data"));
        configure(config);
        EvidenceService.migrate(database);
        ServiceSources sources = new ServiceSources(this::ordersNow, () -> certificates, () -> identity,
                () -> organisation, () -> acceptances, audit, () -> includeImages);
        this.service = new EvidenceService(database, audit,
                new DataKeyCipher(vault, EvidenceService.KEY_PURPOSE, new SecureRandom()), () -> sources,
                this::sealer, () -> settings, Clock.systemUTC(), data.resolve("tmp").resolve("evidence"));
        this.jobs = new BackgroundJob("cachet-evidence", this::runDueJobs,
                e -> LOG.warn("Evidence jobs failed; they run again later: {}", e.toString()));
        this.jobSeconds = config.jobSeconds();
        schedule();
    }

    private void configure(EvidenceConfiguration config) {
        settings = new EvidenceService.Settings(Duration.ofSeconds(config.leaseSeconds()),
                Duration.ofSeconds(config.initialBackoffSeconds()), Duration.ofSeconds(config.maxBackoffSeconds()),
                Duration.ofDays(config.marginDays()), Duration.ofHours(config.minimumIntervalHours()));
        includeImages = config.includeImages();
    }

    @Modified
    void modified(EvidenceConfiguration config) {
        configure(config);
        if (config.jobSeconds() != jobSeconds) {
            jobSeconds = config.jobSeconds();
            schedule();
        }
    }

    private void schedule() {
        jobs.schedule(1, Math.max(1, jobSeconds), TimeUnit.SECONDS);
    }

    /** The background jobs' work: files to make, then files to re-timestamp. */
    private void runDueJobs() {
        int n = 0;
        while (n++ < 20 && service.runDue()) {
            // one at a time, each in its own lease
        }
        service.retimestampDue(10);
    }

    /** An order's certificate was issued: its evidence file is queued (in the caller's transaction). */
    void issued(String orderId) {
        service.enqueue(orderId);
    }

    /** Runs the jobs soon (after the caller's transaction committed, e.g. the order's transition). */
    void soon() {
        jobs.runAfter(1, TimeUnit.SECONDS);
    }

    private Sealer sealer() {
        PlatformSealKey k = seal;
        Signer s = signer;
        return k == null || s == null ? null : new PlatformSealer(s, k);
    }

    @Deactivate
    void deactivate() {
        jobs.stop();
    }

    private Orders ordersNow() {
        return lazyOrders.from(orders);
    }

    EvidenceService service() {
        return service;
    }

    // ---- EvidenceFiles, delegated

    @Override
    public Optional<EvidenceInfo> find(String orderId) {
        return service.find(orderId);
    }

    @Override
    public InputStream open(String orderId) {
        return service.open(orderId);
    }

    @Override
    public EvidenceInfo timestamp(String orderId) {
        return service.timestamp(orderId);
    }
}
