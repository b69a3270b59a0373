package io.cachet.organisation.internal;

import java.io.InputStream;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
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
import io.cachet.api.health.BackgroundJob;
import io.cachet.api.notify.Notifier;
import io.cachet.api.order.LazyOrders;
import io.cachet.api.order.Orders;
import io.cachet.api.organisation.OrganisationCase;
import io.cachet.api.organisation.OrganisationChecks;
import io.cachet.api.organisation.RegistryLookup;
import io.cachet.api.security.DataKeyCipher;
import io.cachet.api.security.SecretVault;
import io.cachet.api.store.Database;

/**
 * The {@link OrganisationChecks} service ({@code io.cachet.organisation}): the {@link OrganisationService} on the
 * deployment's database, with the installed {@link RegistryLookup}s (whiteboard, dynamic, usually none), the
 * configuration (changed while running) and the background job that reports outcomes not yet reported.
 *
 * <p>The order service is a lazily got, optional reference: it calls this bundle's check, so getting it at
 * activation would be a cycle. Without it, uploads are refused (nothing changes) until it is back.
 */
@Component(name = OrganisationComponent.PID, service = { OrganisationChecks.class, OrganisationComponent.class },
        immediate = true)
@Designate(ocd = OrganisationConfiguration.class)
public class OrganisationComponent implements OrganisationChecks {

    static final String PID = "io.cachet.organisation";
    private static final Logger LOG = LoggerFactory.getLogger(OrganisationComponent.class);

    private final List<RegistryLookup> registries = new CopyOnWriteArrayList<>();
    private final OrganisationService service;
    private final BackgroundJob jobs;
    private volatile Settings settings;

    @Reference(service = Orders.class, cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile ComponentServiceObjects<Orders> orders;
    private final LazyOrders lazyOrders = new LazyOrders();

    @Activate
    public OrganisationComponent(@Reference Database database, @Reference AuditLog audit,
            @Reference SecretVault vault, @Reference Notifier notifier, OrganisationConfiguration config) {
        this.settings = Settings.of(config);
        OrganisationService.migrate(database);
        SecureRandom random = new SecureRandom();
        this.service = new OrganisationService(database, audit,
                new DataKeyCipher(vault, OrganisationService.KEY_PURPOSE, random), notifier,
                this::ordersNow, () -> List.copyOf(registries), () -> settings, Clock.systemUTC(), random);
        this.jobs = new BackgroundJob("cachet-organisation-jobs", this::runDueJobs,
                e -> LOG.warn("Organisation background job failed; it runs again later: {}", e.toString()));
        schedule();
    }

    @Modified
    void modified(OrganisationConfiguration config) {
        Settings s = Settings.of(config);
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

    /** The background job's work: the due jobs (outcomes not yet reported), 50 at a time. */
    private void runDueJobs() {
        while (service.runDueJobs(50) == 50) {
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
    void addRegistry(RegistryLookup lookup) {
        registries.add(lookup);
        LOG.info("Company register look-up available");
    }

    void removeRegistry(RegistryLookup lookup) {
        registries.remove(lookup);
    }

    OrganisationService service() {
        return service;
    }

    Settings settings() {
        return settings;
    }

    Orders orders() {
        return ordersNow();
    }

    // ---- OrganisationChecks, delegated

    @Override
    public Optional<OrganisationCase> forOrder(String orderId) {
        return service.forOrder(orderId);
    }

    @Override
    public Optional<OrganisationCase> find(String caseId) {
        return service.find(caseId);
    }

    @Override
    public List<OrganisationCase> queue(int limit) {
        return service.queue(limit);
    }

    @Override
    public InputStream openDocument(String caseId, String documentId) {
        return service.openDocument(caseId, documentId);
    }

    @Override
    public InputStream openDocument(String caseId, String documentId, String actor) {
        return service.openDocument(caseId, documentId, actor);
    }

    @Override
    public OrganisationCase upload(String orderId, String kind, String fileName, byte[] content, String actor) {
        return service.upload(orderId, kind, fileName, content, actor);
    }

    @Override
    public OrganisationCase recordExtractDate(String caseId, LocalDate issued, String operator) {
        return service.recordExtractDate(caseId, issued, operator);
    }

    @Override
    public OrganisationCase decide(String caseId, boolean approve, String legalRepresentativeBasis, String reason,
            String operator) {
        return service.decide(caseId, approve, legalRepresentativeBasis, reason, operator);
    }
}
