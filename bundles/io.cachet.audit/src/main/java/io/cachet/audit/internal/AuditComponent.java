package io.cachet.audit.internal;

import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cachet.api.audit.AuditAnchor;
import io.cachet.api.audit.AuditAnchorSigner;
import io.cachet.api.audit.AuditEvent;
import io.cachet.api.audit.AuditLog;
import io.cachet.api.audit.AuditRecord;
import io.cachet.api.audit.AuditVerification;
import io.cachet.api.store.Database;

/**
 * Registers the {@link AuditLog} once the database is there, and anchors the chain head every
 * {@code anchorIntervalSeconds} when it changed, and once more when stopping (so that a shutdown does not leave
 * the newest records unanchored).
 */
@Component(name = "io.cachet.audit", service = AuditLog.class, immediate = true)
@Designate(ocd = AuditConfiguration.class)
public class AuditComponent implements AuditLog {

    private static final Logger LOG = LoggerFactory.getLogger(AuditComponent.class);

    /** Installed signers with their service properties; replaced as a whole by SCR. */
    @Reference(service = AuditAnchorSigner.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    volatile List<Map.Entry<Map<String, Object>, AuditAnchorSigner>> signers = List.of();

    private final JdbcAuditLog log;
    private final ScheduledExecutorService anchoring;
    private volatile String lastError;

    @Activate
    public AuditComponent(@Reference Database database, AuditConfiguration config) {
        int interval = config.anchorIntervalSeconds();
        if (interval < 0) {
            throw new IllegalArgumentException("anchorIntervalSeconds of configuration PID io.cachet.audit must be "
                    + "0 (no automatic anchoring) or more, not " + interval);
        }
        this.log = new JdbcAuditLog(database, Clock.systemUTC(), () -> bestFirst(signers));
        if (interval == 0) {
            anchoring = null;
        } else {
            anchoring = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "cachet-audit-anchor");
                t.setDaemon(true);
                return t;
            });
            anchoring.scheduleWithFixedDelay(this::anchorIfChanged, interval, interval, TimeUnit.SECONDS);
        }
    }

    /** Highest {@code service.ranking} first; on a tie the older service (lower {@code service.id}), as OSGi does. */
    static List<AuditAnchorSigner> bestFirst(List<Map.Entry<Map<String, Object>, AuditAnchorSigner>> signers) {
        return signers.stream()
                .sorted(Comparator.comparingInt((Map.Entry<Map<String, Object>, AuditAnchorSigner> e) ->
                        e.getKey().get(Constants.SERVICE_RANKING) instanceof Integer i ? i : 0).reversed()
                        .thenComparingLong(e -> e.getKey().get(Constants.SERVICE_ID) instanceof Long l ? l : 0))
                .map(Map.Entry::getValue)
                .toList();
    }

    private void anchorIfChanged() {
        try {
            Optional<AuditAnchor> anchor = log.anchorIfChanged();
            anchor.ifPresent(a -> LOG.debug("Anchored audit record {} with {}", a.sequence(), a.signer()));
            lastError = null;
        } catch (RuntimeException e) {
            // caught: an exception would silently end the periodic task; logged once per distinct cause
            String message = "Anchoring the audit log failed: " + e.getMessage();
            if (!message.equals(lastError)) {
                LOG.error(message);
            }
            lastError = message;
        }
    }

    @Deactivate
    void deactivate() {
        if (anchoring == null) {
            return;
        }
        // no shutdownNow: interrupting JDBC I/O can break an embedded H2 file store
        anchoring.shutdown();
        try {
            anchoring.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        anchorIfChanged();
    }

    @Override
    public AuditRecord append(AuditEvent event) {
        return log.append(event);
    }

    @Override
    public List<AuditRecord> read(long fromSequence, int max) {
        return log.read(fromSequence, max);
    }

    @Override
    public Optional<AuditRecord> head() {
        return log.head();
    }

    @Override
    public Optional<AuditAnchor> anchor() {
        return log.anchor();
    }

    @Override
    public AuditVerification verify() {
        return log.verify();
    }
}
