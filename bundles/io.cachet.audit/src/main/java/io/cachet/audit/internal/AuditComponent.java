package io.cachet.audit.internal;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.osgi.framework.BundleContext;
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
import io.cachet.api.security.SecretVault;
import io.cachet.api.store.Database;

/**
 * Registers the {@link AuditLog} once the database is there, and anchors the chain head: every
 * {@code anchorIntervalSeconds} when it changed, as soon as {@code anchorEveryRecords} records follow the last
 * anchor (in the background, so no request waits for it), and once more when stopping, so that a shutdown does
 * not leave the newest records unanchored. Anchors go to the anchor journal {@code DATA/audit/anchors.journal}
 * first, then to the database, then (optionally) to the remote witness.
 *
 * <p>The local Ed25519 signer belongs to this component rather than being a service of its own: at shutdown the
 * CA's TSA (and any other signer service) may already be gone, and the last anchor must still be made.
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
    private final LocalAnchorSigner local;
    private final AnchorJournal journal;
    private final AnchorWitness witness;
    private final ScheduledExecutorService anchoring;
    private final int everyRecords;
    private final AtomicLong anchoredUpTo = new AtomicLong();
    private final AtomicBoolean countRequested = new AtomicBoolean();
    /** The highest sequence appended through this component: what a finished count-anchor looks at again. */
    private final AtomicLong lastAppended = new AtomicLong();
    private final Thread shutdownHook;
    private volatile String lastError;

    @Activate
    public AuditComponent(@Reference Database database, @Reference SecretVault vault, AuditConfiguration config,
            BundleContext context) {
        this(database, vault, config, LocalAnchorSigner.dataDirectory(context.getProperty(LocalAnchorSigner.DATA_PROPERTY)));
    }

    /** @param data the data directory: keys in {@code keys/}, the journal and the witness state in {@code audit/} */
    AuditComponent(Database database, SecretVault vault, AuditConfiguration config, Path data) {
        int interval = config.anchorIntervalSeconds();
        if (interval < 0) {
            throw new IllegalArgumentException("anchorIntervalSeconds of configuration PID io.cachet.audit must be "
                    + "0 (no anchoring by time) or more, not " + interval);
        }
        everyRecords = config.anchorEveryRecords();
        if (everyRecords < 0) {
            throw new IllegalArgumentException("anchorEveryRecords of configuration PID io.cachet.audit must be "
                    + "0 (no anchoring by count) or more, not " + everyRecords);
        }
        if (config.witnessTimeoutSeconds() < 1) {
            throw new IllegalArgumentException("witnessTimeoutSeconds of configuration PID io.cachet.audit must be 1 "
                    + "or more, not " + config.witnessTimeoutSeconds());
        }
        String witnessUrl = config.witnessUrl() == null ? "" : config.witnessUrl().trim();
        if (!witnessUrl.isEmpty()) {
            AnchorWitness.parse(witnessUrl); // refused before anything is opened
        }
        this.local = new LocalAnchorSigner(data.toAbsolutePath().resolve("keys"), vault);
        Path journalFile = AnchorJournal.in(data);
        this.journal = AnchorJournal.writer(journalFile);
        try {
            this.witness = witnessUrl.isEmpty() ? null : new AnchorWitness(witnessUrl,
                    Duration.ofSeconds(config.witnessTimeoutSeconds()), journalFile.resolveSibling(AnchorWitness.STATE_FILE));
            AnchorWitness w = witness;
            this.log = new JdbcAuditLog(database, Clock.systemUTC(), this::signersBestFirst, journal,
                    line -> {
                        if (w != null) {
                            w.submit(line);
                        }
                    });
            if (witness != null) {
                witness.resume(journalFile);
            }
            anchoredUpTo.set(log.newestAnchoredSequence());
            log.whenChainedAtCommit(this::appended);
        } catch (RuntimeException e) {
            journal.close();
            throw e;
        }
        if (interval == 0 && everyRecords == 0) {
            anchoring = null;
        } else {
            anchoring = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "cachet-audit-anchor");
                t.setDaemon(true);
                return t;
            });
            if (interval > 0) {
                anchoring.scheduleWithFixedDelay(this::anchorIfChanged, interval, interval, TimeUnit.SECONDS);
            }
        }
        // bnd's launcher does not stop the framework on SIGTERM; in Cachet's distribution io.cachet.web's OrderlyStop
        // does, and deactivate anchors. A distribution without it just exits: this hook anchors then. Both may run
        // at one stop: anchoring is serialised and the second finds nothing new. Removed by an orderly deactivation.
        shutdownHook = new Thread(this::anchorIfChanged, "cachet-audit-anchor-at-exit");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** The signer services best first, then the local key (unless a service already has its id). */
    private List<AuditAnchorSigner> signersBestFirst() {
        List<AuditAnchorSigner> ordered = new ArrayList<>(bestFirst(signers));
        if (ordered.stream().noneMatch(s -> s.id().equals(local.id()))) {
            ordered.add(local);
        }
        return ordered;
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
            anchor.ifPresent(a -> {
                anchoredUpTo.accumulateAndGet(a.sequence(), Math::max);
                LOG.debug("Anchored audit record {} with {}", a.sequence(), a.signer());
            });
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
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException exiting) {
            // the JVM is exiting: the hook anchors (anchoring twice is harmless, the second finds nothing new)
        }
        try {
            if (anchoring != null) {
                // no shutdownNow: interrupting JDBC I/O can break an embedded H2 file store
                anchoring.shutdown();
                try {
                    anchoring.awaitTermination(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            // the last records before a stop are anchored too, whatever the interval
            anchorIfChanged();
        } finally {
            if (witness != null) {
                witness.close();
            }
            journal.close();
        }
    }

    @Override
    public AuditRecord append(AuditEvent event) {
        AuditRecord r = log.append(event);
        appended(r.sequence());
        return r;
    }

    @Override
    public void appendAtCommit(AuditEvent event) {
        log.appendAtCommit(event); // the log calls appended(sequence) when it chains the transaction's records
    }

    /**
     * Asks for an anchor when {@code everyRecords} were appended since the last one. An append that comes while a
     * requested anchor is being made asks nothing (one request at a time): that anchor, once made, looks at the
     * records appended meanwhile and asks again if they are enough, so that the count is not lost.
     */
    private void appended(long sequence) {
        lastAppended.accumulateAndGet(sequence, Math::max);
        if (everyRecords > 0 && anchoring != null && sequence - anchoredUpTo.get() >= everyRecords
                && countRequested.compareAndSet(false, true)) {
            try {
                anchoring.execute(() -> {
                    long before = anchoredUpTo.get();
                    try {
                        anchorIfChanged();
                    } finally {
                        countRequested.set(false);
                    }
                    if (anchoredUpTo.get() > before) { // not after a failure: that would retry without end
                        appended(lastAppended.get());
                    }
                });
            } catch (RejectedExecutionException stopping) {
                countRequested.set(false); // stopping: deactivate anchors
            }
        }
    }

    @Override
    public List<AuditRecord> read(long fromSequence, int max) {
        return log.read(fromSequence, max);
    }

    @Override
    public List<AuditRecord> about(java.util.Collection<String> subjects, long fromSequence, int max) {
        return log.about(subjects, fromSequence, max);
    }

    @Override
    public Optional<AuditRecord> head() {
        return log.head();
    }

    @Override
    public Optional<AuditAnchor> anchor() {
        Optional<AuditAnchor> anchor = log.anchor();
        anchor.ifPresent(a -> anchoredUpTo.accumulateAndGet(a.sequence(), Math::max));
        return anchor;
    }

    @Override
    public AuditVerification verify() {
        return log.verify();
    }
}
