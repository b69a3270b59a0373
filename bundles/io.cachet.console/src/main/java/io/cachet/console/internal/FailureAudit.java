package io.cachet.console.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cachet.api.audit.AuditEvent;
import io.cachet.api.audit.AuditLog;
import io.cachet.api.store.Database;

/**
 * Failed and refused credentials in the audit log, one burst at a time: the first failure of a burst from a
 * client is recorded at once; the following ones are counted and recorded as one summary when the burst ends
 * (nothing failed for {@code summaryInterval}) and, while it goes on, at most once per {@code summaryInterval}.
 * At most {@link #MAX_BURSTS} clients have a burst of their own; failures from further clients share one burst
 * until there is room again. So a client hammering Cachet costs a few records per interval, and many clients at
 * most {@code MAX_BURSTS + 1} bursts' worth: the audit log cannot be flooded. Thread-safe.
 */
final class FailureAudit {

    static final int MAX_BURSTS = 100;
    static final String OTHER_CLIENTS = "(other clients)";
    /** How many distinct subjects a summary names before it only counts them. */
    private static final int MAX_NAMED = 10;
    private static final Logger LOG = LoggerFactory.getLogger(FailureAudit.class);

    /** What failed: a password login (or change) or an API key. */
    enum Kind {
        LOGIN("operator.login.failed", "operator.login.failures"),
        API_KEY("operator.apikey.failed", "operator.apikey.failures");

        final String first;
        final String summary;

        Kind(String first, String summary) {
            this.first = first;
            this.summary = summary;
        }
    }

    private static final class Burst {
        final Kind kind;
        final String client;
        final Instant start;
        Instant last;
        Instant lastRecord;
        int pending;
        int pendingThrottled;
        int total;
        final Set<String> subjects = new LinkedHashSet<>();
        int unnamed;
        final Map<String, Integer> reasons = new LinkedHashMap<>();

        Burst(Kind kind, String client, Instant now) {
            this.kind = kind;
            this.client = client;
            this.start = now;
            this.last = now;
            this.lastRecord = now;
        }

        void count(String subject, String reason, boolean throttled) {
            pending++;
            total++;
            if (throttled) {
                pendingThrottled++;
            }
            reasons.merge(reason, 1, Integer::sum);
            String s = subject.isEmpty() ? "(unknown)" : subject;
            if (!subjects.contains(s)) {
                if (subjects.size() < MAX_NAMED) {
                    subjects.add(s);
                } else {
                    unnamed++;
                }
            }
        }

        AuditEvent summary(Instant now, boolean ended) {
            StringBuilder d = new StringBuilder();
            d.append("client=").append(client).append("; failures=").append(pending)
                    .append(" (of which refused unchecked while throttled: ").append(pendingThrottled).append(")")
                    .append("; burst total=").append(total + 1).append("; reasons=").append(reasons)
                    .append("; subjects=").append(String.join(",", subjects));
            if (unnamed > 0) {
                d.append(" and ").append(unnamed).append(" more");
            }
            d.append("; between ").append(lastRecord).append(" and ").append(last)
                    .append(ended ? "; burst ended" : "; burst goes on");
            return AuditEvent.of("system", kind.summary, "", d.toString());
        }

        void recorded(Instant now) {
            pending = 0;
            pendingThrottled = 0;
            lastRecord = now;
            subjects.clear();
            unnamed = 0;
            reasons.clear();
        }
    }

    private final Database database;
    private final AuditLog audit;
    private final Clock clock;
    private final Duration summaryInterval;
    private final Map<String, Burst> bursts = new LinkedHashMap<>();

    FailureAudit(Database database, AuditLog audit, Clock clock, Duration summaryInterval) {
        this.database = database;
        this.audit = audit;
        this.clock = clock;
        this.summaryInterval = summaryInterval;
    }

    /**
     * Notes one failure.
     *
     * @param client the client address, or null when unknown
     * @param subject what was attempted ({@code operator:<login>}, {@code apikey:<id>}), or "" when unknown
     * @param reason why it failed (never the credential)
     * @param throttled whether it was refused unchecked, during a back-off
     */
    void failure(Kind kind, String client, String subject, String reason, boolean throttled) {
        Instant now = clock.instant();
        List<AuditEvent> records = new ArrayList<>();
        synchronized (this) {
            String c = client == null || client.isBlank() ? "(unknown)" : client;
            String key = kind + " " + c;
            Burst burst = bursts.get(key);
            if (burst != null && Duration.between(burst.last, now).compareTo(summaryInterval) > 0) {
                end(key, burst, records);
                burst = null;
            }
            if (burst == null && bursts.size() >= MAX_BURSTS) {
                expire(now, records);
                if (bursts.size() >= MAX_BURSTS) {
                    key = kind + " " + OTHER_CLIENTS;
                    c = OTHER_CLIENTS;
                    burst = bursts.get(key);
                }
            }
            if (burst == null) {
                burst = new Burst(kind, c, now);
                bursts.put(key, burst);
                records.add(AuditEvent.of("system", kind.first, subject, "client=" + c + "; " + reason
                        + (throttled ? " (refused unchecked while throttled)" : "")
                        + "; first failure of a burst: the next ones are counted and summarised in "
                        + kind.summary));
            } else {
                burst.last = now;
                burst.count(subject, reason, throttled);
                if (Duration.between(burst.lastRecord, now).compareTo(summaryInterval) >= 0) {
                    records.add(burst.summary(now, false));
                    burst.recorded(now);
                }
            }
        }
        write(records);
    }

    /** Records the summaries of bursts that ended and of long ones due one; run periodically. */
    void flush() {
        Instant now = clock.instant();
        List<AuditEvent> records = new ArrayList<>();
        synchronized (this) {
            expire(now, records);
            for (Burst b : bursts.values()) {
                if (b.pending > 0 && Duration.between(b.lastRecord, now).compareTo(summaryInterval) >= 0) {
                    records.add(b.summary(now, false));
                    b.recorded(now);
                }
            }
        }
        write(records);
    }

    /** Records every pending count, ended or not: at shutdown. */
    void flushAll() {
        List<AuditEvent> records = new ArrayList<>();
        synchronized (this) {
            for (Iterator<Map.Entry<String, Burst>> it = bursts.entrySet().iterator(); it.hasNext();) {
                Burst b = it.next().getValue();
                if (b.pending > 0) {
                    records.add(b.summary(clock.instant(), true));
                }
                it.remove();
            }
        }
        write(records);
    }

    synchronized int bursts() {
        return bursts.size();
    }

    private void expire(Instant now, List<AuditEvent> records) {
        for (Iterator<Map.Entry<String, Burst>> it = bursts.entrySet().iterator(); it.hasNext();) {
            Map.Entry<String, Burst> e = it.next();
            if (Duration.between(e.getValue().last, now).compareTo(summaryInterval) > 0) {
                if (e.getValue().pending > 0) {
                    records.add(e.getValue().summary(now, true));
                }
                it.remove();
            }
        }
    }

    private void end(String key, Burst burst, List<AuditEvent> records) {
        if (burst.pending > 0) {
            records.add(burst.summary(clock.instant(), true));
        }
        bursts.remove(key);
    }

    private void write(List<AuditEvent> records) {
        if (records.isEmpty()) {
            return;
        }
        try {
            database.inTransaction(c -> {
                for (AuditEvent e : records) {
                    audit.append(e);
                }
                return null;
            });
        } catch (RuntimeException e) {
            // the login was refused all the same; the counts of these records are lost, which the log says
            LOG.error("Could not write {} audit record(s) of failed logins: {}", records.size(), e.getMessage());
        }
    }
}
