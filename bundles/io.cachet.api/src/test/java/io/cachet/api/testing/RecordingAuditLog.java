package io.cachet.api.testing;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import io.cachet.api.audit.AuditAnchor;
import io.cachet.api.audit.AuditEvent;
import io.cachet.api.audit.AuditLog;
import io.cachet.api.audit.AuditRecord;
import io.cachet.api.audit.AuditVerification;

/**
 * A real audit log that also keeps each appended event with its details, for tests that check what was audited (the
 * log itself keeps only the details' digest). Thread-safe.
 */
public class RecordingAuditLog implements AuditLog {

    private final AuditLog real;
    /** The events appended through this log, in order. */
    public final List<AuditEvent> events = new CopyOnWriteArrayList<>();

    public RecordingAuditLog(AuditLog real) {
        this.real = real;
    }

    /** The log this one appends to. */
    public AuditLog real() {
        return real;
    }

    @Override
    public AuditRecord append(AuditEvent event) {
        AuditRecord r = real.append(event);
        events.add(event);
        return r;
    }

    @Override
    public List<AuditRecord> read(long fromSequence, int max) {
        return real.read(fromSequence, max);
    }

    @Override
    public Optional<AuditRecord> head() {
        return real.head();
    }

    @Override
    public Optional<AuditAnchor> anchor() {
        return real.anchor();
    }

    @Override
    public AuditVerification verify() {
        return real.verify();
    }

    /** The actions appended, in order. */
    public List<String> actions() {
        return events.stream().map(AuditEvent::action).toList();
    }

    /** The details of the events of {@code action}, as text, in order. */
    public List<String> details(String action) {
        return events.stream().filter(e -> e.action().equals(action))
                .map(e -> new String(e.payload(), StandardCharsets.UTF_8)).toList();
    }

    /** The details of the last event of {@code action}, as text; null when there is none. */
    public String last(String action) {
        List<String> d = details(action);
        return d.isEmpty() ? null : d.get(d.size() - 1);
    }

    /** Every event as "actor action subject details", one a line. */
    public String all() {
        StringBuilder b = new StringBuilder();
        for (AuditEvent e : events) {
            b.append(e.actor()).append(' ').append(e.action()).append(' ').append(e.subject()).append(' ')
                    .append(new String(e.payload(), StandardCharsets.UTF_8)).append('\n');
        }
        return b.toString();
    }
}
