package io.cachet.console.internal;

import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import io.cachet.api.audit.AuditAnchor;
import io.cachet.api.audit.AuditEvent;
import io.cachet.api.audit.AuditLog;
import io.cachet.api.audit.AuditRecord;
import io.cachet.api.audit.AuditVerification;
import io.cachet.api.store.Database;
import io.cachet.api.store.StoreException;

/**
 * Test double for the audit log: like the real one it writes through {@link Database#inTransaction}, so it
 * joins the caller's transaction and a rolled-back change leaves no record. It can be told to fail on one
 * action, to show that the change then is not committed either.
 */
final class TableAuditLog implements AuditLog {

    private final Database db;
    private final AtomicLong sequence = new AtomicLong();
    private volatile String failOn;

    TableAuditLog(Database db) {
        this.db = db;
        db.inTransaction(c -> {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE test_audit (id BIGINT NOT NULL PRIMARY KEY, actor VARCHAR(200) NOT NULL, "
                        + "action VARCHAR(100) NOT NULL, subject VARCHAR(200) NOT NULL, details VARCHAR(4000) NOT NULL)");
            }
            return null;
        });
    }

    void failOn(String action) {
        this.failOn = action;
    }

    @Override
    public AuditRecord append(AuditEvent event) {
        if (event.action().equals(failOn)) {
            throw new StoreException("audit log unavailable (test)");
        }
        long seq = sequence.incrementAndGet();
        String details = new String(event.payload(), StandardCharsets.UTF_8);
        db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO test_audit VALUES (?, ?, ?, ?, ?)")) {
                ps.setLong(1, seq);
                ps.setString(2, event.actor());
                ps.setString(3, event.action());
                ps.setString(4, event.subject());
                ps.setString(5, details);
                return ps.executeUpdate();
            }
        });
        return new AuditRecord(seq, Instant.now(), event.actor(), event.action(), event.subject(), "", "", "");
    }

    /** Committed records as "actor action subject details", in order. */
    List<String> committed() {
        return db.inTransaction(c -> {
            List<String> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT actor, action, subject, details FROM test_audit ORDER BY id");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1) + " " + rs.getString(2) + " " + rs.getString(3) + " " + rs.getString(4));
                }
            }
            return out;
        });
    }

    /** Committed actions, in order. */
    List<String> actions() {
        return committed().stream().map(r -> r.split(" ")[1]).toList();
    }

    @Override
    public List<AuditRecord> read(long fromSequence, int max) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Optional<AuditRecord> head() {
        throw new UnsupportedOperationException();
    }

    @Override
    public Optional<AuditAnchor> anchor() {
        throw new UnsupportedOperationException();
    }

    @Override
    public AuditVerification verify() {
        throw new UnsupportedOperationException();
    }
}
