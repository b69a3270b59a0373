package io.cachet.audit.internal;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import io.cachet.api.audit.AuditVerification;
import io.cachet.api.security.Digests;
import io.cachet.api.store.Database;
import io.cachet.store.testing.TestDatabases;

/**
 * A process with a small heap (its caller sets {@code -Xmx}) that writes an audit chain of {@code count} records into
 * the server's embedded H2 database in {@code dataDir}, hashed by {@link AuditEncoding} and inserted in batches (as
 * the appends would have made them, faster), then verifies it, tampers with the record in the middle and verifies
 * again. Prints {@code first intact=... checked=...} and {@code tampered intact=... at=SEQUENCES}. Args: data
 * directory, record count.
 */
public final class LargeChainMain {

    private LargeChainMain() {
    }

    public static void main(String[] args) throws Exception {
        Path data = Path.of(args[0]);
        long count = Long.parseLong(args[1]);
        try (TestDatabases.Handle h = TestDatabases.embedded(data)) {
            Database db = h.database();
            JdbcAuditLog log = new JdbcAuditLog(db, Clock.systemUTC(), List::of);
            fill(db, count);
            AuditVerification first = log.verify();
            System.out.println("first intact=" + first.intact() + " checked=" + first.recordsChecked());
            db.inTransaction(c -> {
                try (PreparedStatement ps = c.prepareStatement("UPDATE audit_record SET actor = ? WHERE seq = ?")) {
                    ps.setString(1, "api:mallory");
                    ps.setLong(2, count / 2);
                    return ps.executeUpdate();
                }
            });
            AuditVerification tampered = log.verify();
            System.out.println("tampered intact=" + tampered.intact() + " at="
                    + tampered.problems().stream().map(p -> Long.toString(p.sequence())).distinct().toList());
        }
    }

    private static void fill(Database db, long count) {
        Instant time = AuditEncoding.truncate(Instant.now());
        String[] hash = { AuditEncoding.GENESIS };
        for (long from = 1; from <= count; from += 1000) {
            long start = from;
            db.inTransaction(c -> {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO audit_record (seq, recorded_at, actor,"
                        + " action, subject, payload_digest, previous_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
                        PreparedStatement head = c.prepareStatement("UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1")) {
                    long seq = start;
                    for (; seq < start + 1000 && seq <= count; seq++) {
                        String subject = "certificate:" + Long.toHexString(seq * 0x9E3779B97F4A7C15L);
                        String digest = Digests.sha256Hex(("profile=qscd\nn=" + seq).getBytes(StandardCharsets.UTF_8));
                        String next = AuditEncoding.recordHash(hash[0], time, "api:alice", "ca.certificate.issued",
                                subject, digest);
                        ps.setLong(1, seq);
                        ps.setObject(2, time.atOffset(ZoneOffset.UTC));
                        ps.setString(3, "api:alice");
                        ps.setString(4, "ca.certificate.issued");
                        ps.setString(5, subject);
                        ps.setString(6, digest);
                        ps.setString(7, hash[0]);
                        ps.setString(8, next);
                        ps.addBatch();
                        hash[0] = next;
                    }
                    ps.executeBatch();
                    head.setLong(1, seq - 1);
                    head.setString(2, hash[0]);
                    head.executeUpdate();
                }
                return null;
            });
        }
    }
}
