package io.cachet.identity.internal;

import java.security.SecureRandom;
import java.time.Clock;
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

import io.cachet.api.audit.AuditLog;
import io.cachet.api.health.BackgroundJob;
import io.cachet.api.identity.DocumentType;
import io.cachet.api.identity.Evidence;
import io.cachet.api.identity.EvidenceKind;
import io.cachet.api.identity.IdentityCase;
import io.cachet.api.identity.IdentityCases;
import io.cachet.api.identity.IdentityProvider;
import io.cachet.api.identity.MrzData;
import io.cachet.api.identity.ProviderResult;
import io.cachet.api.link.PersonalLinks;
import io.cachet.api.notify.Notifier;
import io.cachet.api.order.LazyOrders;
import io.cachet.api.order.Orders;
import io.cachet.api.security.DataKeyCipher;
import io.cachet.api.security.SecretVault;
import io.cachet.api.store.Database;

/**
 * The {@link IdentityCases} service ({@code io.cachet.identity}): the {@link CaseService} on the deployment's
 * database, with the installed {@link IdentityProvider}s (whiteboard by {@value IdentityProvider#ID}, dynamic: a
 * provider comes and goes while running), the configuration (changed while running) and the background jobs
 * (reminders, telling providers, the retention purge).
 *
 * <p>The order service is a lazily got, optional reference: it calls this bundle's checks and listener, so getting
 * it at activation would be a cycle. Without it, decisions are refused (nothing changes) until it is back.
 */
@Component(name = IdentitySettings.PID, service = { IdentityCases.class, IdentityComponent.class }, immediate = true)
@Designate(ocd = IdentityConfiguration.class)
public class IdentityComponent implements IdentityCases {

    private static final Logger LOG = LoggerFactory.getLogger(IdentityComponent.class);

    /** Installed providers by id; of several with one id, the highest service ranking serves. */
    private final Map<String, List<Ranked>> providers = new ConcurrentHashMap<>();

    private record Ranked(IdentityProvider provider, int ranking) {
    }
    private final CaseService service;
    private final BackgroundJob jobs;
    private volatile IdentitySettings settings;

    @Reference(service = Orders.class, cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile ComponentServiceObjects<Orders> orders;
    private final LazyOrders lazyOrders = new LazyOrders();

    @Activate
    public IdentityComponent(@Reference Database database, @Reference AuditLog audit, @Reference SecretVault vault,
            @Reference PersonalLinks links, @Reference Notifier notifier, IdentityConfiguration config) {
        this.settings = IdentitySettings.of(config);
        CaseService.migrate(database);
        SecureRandom random = new SecureRandom();
        this.service = new CaseService(database, audit, new DataKeyCipher(vault, CaseService.KEY_PURPOSE, random), links,
                notifier, this::ordersNow, this::provider, () -> settings, Clock.systemUTC(), random);
        this.jobs = new BackgroundJob("cachet-identity-jobs", this::runDueJobs,
                e -> LOG.warn("Identity background jobs failed; they run again later: {}", e.toString()));
        schedule();
    }

    @Modified
    void modified(IdentityConfiguration config) {
        IdentitySettings s = IdentitySettings.of(config);
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

    /** The background jobs' work: due case jobs, then evidence past its retention period. */
    private void runDueJobs() {
        int n;
        do {
            n = service.runDueJobs(50);
        } while (n == 50);
        int purged;
        do {
            purged = service.purgeDue(50);
            if (purged > 0) {
                LOG.info("Purged the evidence of {} identity case(s) past their retention period", purged);
            }
        } while (purged == 50);
    }

    /** What the last run of the background jobs failed with, or null when it succeeded. */
    String lastJobFailure() {
        return jobs.lastFailure();
    }

    @Deactivate
    void deactivate() {
        jobs.stop();
    }

    /**
     * The order service now, or null. Got and released at once: the order service is a singleton, so the instance
     * stays valid while its bundle runs.
     */
    private Orders ordersNow() {
        return lazyOrders.from(orders);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addProvider(IdentityProvider provider, Map<String, Object> properties) {
        String id = id(provider, properties);
        if (id != null) {
            Object r = properties.get(org.osgi.framework.Constants.SERVICE_RANKING);
            Ranked ranked = new Ranked(provider, r instanceof Integer i ? i : 0);
            providers.compute(id, (k, list) -> {
                List<Ranked> l = new java.util.ArrayList<>(list == null ? List.of() : list);
                l.add(ranked);
                l.sort(java.util.Comparator.comparingInt(Ranked::ranking).reversed());
                return List.copyOf(l);
            });
            LOG.info("Identity provider '{}' available", id);
        }
    }

    private IdentityProvider provider(String id) {
        List<Ranked> l = providers.get(id);
        return l == null || l.isEmpty() ? null : l.get(0).provider();
    }

    void removeProvider(IdentityProvider provider, Map<String, Object> properties) {
        String id = id(provider, properties);
        if (id != null) {
            providers.computeIfPresent(id, (k, list) -> {
                List<Ranked> l = list.stream().filter(x -> x.provider() != provider).toList();
                return l.isEmpty() ? null : l;
            });
            if (provider(id) == null) {
                LOG.info("Identity provider '{}' gone: its cases wait for it", id);
            }
        }
    }

    private static String id(IdentityProvider provider, Map<String, Object> properties) {
        Object p = properties.get(IdentityProvider.ID);
        String id = p == null ? null : String.valueOf(p);
        if (id == null || id.isBlank()) {
            try {
                id = provider.id();
            } catch (RuntimeException e) {
                id = null;
            }
        }
        if (id == null || id.isBlank()) {
            LOG.warn("An identity provider without the service property {} is ignored", IdentityProvider.ID);
            return null;
        }
        return id;
    }

    CaseService cases() {
        return service;
    }

    IdentitySettings settings() {
        return settings;
    }

    /** The installed provider ids, for health. */
    java.util.Set<String> providerIds() {
        return java.util.Set.copyOf(providers.keySet());
    }

    // ---- IdentityCases, delegated

    @Override
    public Optional<IdentityCase> find(String caseId) {
        return service.find(caseId);
    }

    @Override
    public List<IdentityCase> forOrder(String orderId) {
        return service.forOrder(orderId);
    }

    @Override
    public Optional<IdentityCase> byFlowToken(String flowToken) {
        return service.byFlowToken(flowToken);
    }

    @Override
    public Optional<IdentityCase> byReference(String provider, String reference) {
        return service.byReference(provider, reference);
    }

    @Override
    public List<DocumentType> acceptedDocuments() {
        return service.acceptedDocuments();
    }

    @Override
    public Evidence addImage(String caseId, EvidenceKind kind, byte[] image, String actor) {
        return service.addImage(caseId, kind, image, actor);
    }

    @Override
    public MrzData submitDocument(String caseId, String documentType, String mrz, String actor) {
        return service.submitDocument(caseId, documentType, mrz, actor);
    }

    @Override
    public IdentityCase submit(String caseId, String actor) {
        return service.submit(caseId, actor);
    }

    @Override
    public IdentityCase providerResult(String caseId, ProviderResult result, String actor) {
        return service.providerResult(caseId, result, actor);
    }

    @Override
    public List<IdentityCase> queue(int limit) {
        return service.queue(limit);
    }

    @Override
    public IdentityCase review(String caseId, String operator) {
        return service.review(caseId, operator);
    }

    @Override
    public byte[] image(String caseId, int attempt, EvidenceKind kind, String operator) {
        return service.image(caseId, attempt, kind, operator);
    }

    @Override
    public List<String> rejectionReasons() {
        return service.rejectionReasons();
    }

    @Override
    public IdentityCase decide(String caseId, boolean approve, String reason, String comment, boolean allowRetry,
            String operator) {
        IdentityCase k = service.decide(caseId, approve, reason, comment, allowRetry, operator);
        if (k.status().ended()) {
            jobs.runSoon(); // tell the provider soon
        }
        return k;
    }
}
