package io.cachet.audit.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

import io.cachet.api.audit.AuditAnchor;
import io.cachet.api.audit.AuditAnchorSigner;
import io.cachet.api.audit.AuditEvent;
import io.cachet.api.audit.AuditLog;
import io.cachet.api.audit.AuditRecord;
import io.cachet.api.audit.AuditVerification;
import io.cachet.api.store.Database;
import io.cachet.api.store.StoreException;

/**
 * {@link AuditLog} over the Cachet {@link Database}; plain Java, {@link AuditComponent} only wires it. The
 * encoding of hashes and anchor statements is documented in {@link AuditEncoding}.
 *
 * <p>Appends serialise on the single row of {@code audit_head} ({@code SELECT ... FOR UPDATE}). That row lock,
 * not a Java lock, keeps the chain gapless when several threads or several nodes share the database. The
 * price: an append joined to a caller's transaction holds the lock until that transaction ends, so
 * transactions that write audit records run one after the other and should be short.
 *
 * <p>Thread-safe: it holds no state of its own beyond what it was constructed with.
 */
public final class JdbcAuditLog implements AuditLog {

    static final int MAX_ACTOR = 200;
    static final int MAX_ACTION = 200;
    static final int MAX_SUBJECT = 1000;
    private static final int PAGE = 1000;
    private static final String RECORD_COLUMNS =
            "seq, recorded_at, actor, action, subject, payload_digest, previous_hash, hash";

    private final Database database;
    private final Clock clock;
    private final Supplier<List<AuditAnchorSigner>> signers;
    private final int window;
    private final int pageSize;

    private record Head(long sequence, String hash) {
    }

    private record StoredAnchor(long id, AuditAnchor anchor) {
    }

    /**
     * Migrates the audit tables.
     *
     * @param signers the signers installed now, best first: the first makes new anchors; all are used to
     *        check existing anchors by their {@link AuditAnchorSigner#id()}
     * @throws StoreException when the schema cannot be migrated
     */
    public JdbcAuditLog(Database database, Clock clock, Supplier<List<AuditAnchorSigner>> signers) {
        this(database, clock, signers, ChainVerifier.DEFAULT_WINDOW, PAGE);
    }

    /** With a smaller reorder window or page size, so that tests reach their limits with few records. */
    JdbcAuditLog(Database database, Clock clock, Supplier<List<AuditAnchorSigner>> signers, int window, int pageSize) {
        this.database = Objects.requireNonNull(database, "database");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.signers = Objects.requireNonNull(signers, "signers");
        this.window = window;
        this.pageSize = pageSize;
        database.migrate("audit", JdbcAuditLog.class.getClassLoader(), "db/audit");
    }

    @Override
    public AuditRecord append(AuditEvent event) {
        Objects.requireNonNull(event, "event");
        String actor = checked("actor", event.actor(), MAX_ACTOR);
        String action = checked("action", event.action(), MAX_ACTION);
        String subject = checked("subject", event.subject(), MAX_SUBJECT);
        String payloadDigest = AuditEncoding.sha256Hex(event.payload());
        return database.inTransaction(c -> {
            Head head = readHead(c, true);
            if (head == null) {
                throw new StoreException("The audit_head row is missing, so no audit record can be chained: "
                        + "the audit tables were tampered with; restore them from a backup");
            }
            // taken under the lock, so that time does not run backwards along the chain (on one node's clock)
            Instant time = AuditEncoding.truncate(clock.instant());
            long seq = head.sequence() + 1;
            String hash = AuditEncoding.recordHash(head.hash(), time, actor, action, subject, payloadDigest);
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO audit_record (" + RECORD_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                ps.setLong(1, seq);
                ps.setObject(2, OffsetDateTime.ofInstant(time, ZoneOffset.UTC));
                ps.setString(3, actor);
                ps.setString(4, action);
                ps.setString(5, subject);
                ps.setString(6, payloadDigest);
                ps.setString(7, head.hash());
                ps.setString(8, hash);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1")) {
                ps.setLong(1, seq);
                ps.setString(2, hash);
                ps.executeUpdate();
            }
            return new AuditRecord(seq, time, actor, action, subject, payloadDigest, head.hash(), hash);
        });
    }

    private static String checked(String name, String value, int max) {
        if (value.length() > max) {
            throw new IllegalArgumentException("audit event " + name + " longer than " + max + " characters");
        }
        // PostgreSQL refuses NUL in text; refuse it everywhere so both databases behave alike
        if (value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("audit event " + name + " contains a NUL character");
        }
        return value;
    }

    @Override
    public List<AuditRecord> read(long fromSequence, int max) {
        if (max < 0) {
            throw new IllegalArgumentException("max must not be negative: " + max);
        }
        if (max == 0) {
            return List.of();
        }
        return database.inTransaction(c -> records(c,
                "SELECT " + RECORD_COLUMNS + " FROM audit_record WHERE seq >= ? ORDER BY seq LIMIT ?",
                fromSequence, max));
    }

    @Override
    public Optional<AuditRecord> head() {
        return database.inTransaction(c -> records(c,
                "SELECT " + RECORD_COLUMNS + " FROM audit_record ORDER BY seq DESC LIMIT ?", 1))
                .stream().findFirst();
    }

    /** @throws IllegalStateException when the best signer cannot sign now (passed on from the signer) */
    @Override
    public Optional<AuditAnchor> anchor() {
        List<AuditAnchorSigner> available = signers.get();
        if (available.isEmpty()) {
            return Optional.empty();
        }
        AuditAnchorSigner signer = available.get(0);
        Head head = database.inTransaction(c -> readHead(c, false));
        if (head == null || head.sequence() == 0) {
            return Optional.empty();
        }
        Instant time = AuditEncoding.truncate(clock.instant());
        // signed outside any transaction of ours: a remote timestamp authority must not hold a connection
        byte[] token = signer.sign(AuditEncoding.anchorStatement(head.sequence(), head.hash(), time));
        AuditAnchor anchor = new AuditAnchor(head.sequence(), head.hash(), time, signer.id(), token);
        database.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO audit_anchor (seq, head_hash, anchored_at, signer, token) VALUES (?, ?, ?, ?, ?)")) {
                ps.setLong(1, anchor.sequence());
                ps.setString(2, anchor.headHash());
                ps.setObject(3, OffsetDateTime.ofInstant(time, ZoneOffset.UTC));
                ps.setString(4, anchor.signer());
                ps.setString(5, Base64.getEncoder().encodeToString(token));
                return ps.executeUpdate();
            }
        });
        return Optional.of(anchor);
    }

    /**
     * Anchors the head unless the newest anchor already vouches for it: what the periodic anchoring calls, so
     * that an idle log is not anchored again and again.
     */
    public Optional<AuditAnchor> anchorIfChanged() {
        boolean anchored = database.inTransaction(c -> {
            Head head = readHead(c, false);
            if (head == null || head.sequence() == 0) {
                return true; // nothing to anchor
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT seq, head_hash FROM audit_anchor ORDER BY seq DESC, id DESC LIMIT 1");
                    ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getLong(1) == head.sequence() && rs.getString(2).equals(head.hash());
            }
        });
        return anchored ? Optional.empty() : anchor();
    }

    @Override
    public AuditVerification verify() {
        // Read before the records: every anchor seen then names a record committed before the walk starts.
        Head head = database.inTransaction(c -> readHead(c, false));
        long anchorCutoff = database.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT MAX(id) FROM audit_anchor");
                    ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
        Map<String, AuditAnchorSigner> byId = new HashMap<>();
        for (AuditAnchorSigner s : signers.get()) {
            byId.putIfAbsent(s.id(), s);
        }
        ChainVerifier check = head == null ? new ChainVerifier(byId, -1, null, window)
                : new ChainVerifier(byId, head.sequence(), head.hash(), window);

        Pages<AuditRecord> records = new Pages<>(pageSize, last -> database.inTransaction(c -> records(c,
                "SELECT " + RECORD_COLUMNS + " FROM audit_record WHERE seq > ? ORDER BY seq LIMIT ?",
                last == null ? Long.MIN_VALUE : last.sequence(), pageSize)));
        Pages<StoredAnchor> anchors = new Pages<>(pageSize, last -> database.inTransaction(c -> anchors(c, anchorCutoff,
                last == null ? Long.MIN_VALUE : last.anchor().sequence(), last == null ? Long.MIN_VALUE : last.id(), pageSize)));
        long lastSequence = 0;
        for (AuditRecord r = records.next(); r != null; r = records.next()) {
            for (StoredAnchor a = anchors.peek(); a != null && a.anchor().sequence() < r.sequence(); a = anchors.peek()) {
                check.anchor(anchors.next().anchor(), null);
            }
            check.record(r);
            for (StoredAnchor a = anchors.peek(); a != null && a.anchor().sequence() == r.sequence(); a = anchors.peek()) {
                check.anchor(anchors.next().anchor(), r);
            }
            lastSequence = r.sequence();
        }
        for (StoredAnchor a = anchors.next(); a != null; a = anchors.next()) {
            check.anchorBeyondEnd(a.anchor(), lastSequence);
        }
        return check.finish();
    }

    private static Head readHead(Connection c, boolean lock) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT seq, hash FROM audit_head WHERE id = 1" + (lock ? " FOR UPDATE" : ""));
                ResultSet rs = ps.executeQuery()) {
            return rs.next() ? new Head(rs.getLong(1), rs.getString(2)) : null;
        }
    }

    private static List<AuditRecord> records(Connection c, String sql, long... parameters) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                ps.setLong(i + 1, parameters[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                List<AuditRecord> result = new ArrayList<>();
                while (rs.next()) {
                    result.add(new AuditRecord(rs.getLong(1), instant(rs, 2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8)));
                }
                return result;
            }
        }
    }

    private static List<StoredAnchor> anchors(Connection c, long cutoff, long afterSequence, long afterId, int max)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id, seq, head_hash, anchored_at, signer, token "
                + "FROM audit_anchor WHERE id <= ? AND (seq > ? OR (seq = ? AND id > ?)) ORDER BY seq, id LIMIT ?")) {
            ps.setLong(1, cutoff);
            ps.setLong(2, afterSequence);
            ps.setLong(3, afterSequence);
            ps.setLong(4, afterId);
            ps.setInt(5, max);
            try (ResultSet rs = ps.executeQuery()) {
                List<StoredAnchor> result = new ArrayList<>();
                while (rs.next()) {
                    byte[] token;
                    try {
                        token = Base64.getDecoder().decode(rs.getString(6));
                    } catch (IllegalArgumentException tampered) {
                        token = new byte[0]; // verifies with no signer: reported as ANCHOR_INVALID
                    }
                    result.add(new StoredAnchor(rs.getLong(1), new AuditAnchor(rs.getLong(2), rs.getString(3),
                            instant(rs, 4), rs.getString(5), token)));
                }
                return result;
            }
        }
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        return rs.getObject(column, OffsetDateTime.class).toInstant();
    }

    /** Reads a result page by page, so that verification holds one page, not the whole table, in memory. */
    private static final class Pages<T> {
        private final int size;
        private final Function<T, List<T>> after;
        private List<T> page = List.of();
        private int index;
        private T last;
        private boolean exhausted;

        /** @param after the page following the given element (null: the first page) */
        Pages(int size, Function<T, List<T>> after) {
            this.size = size;
            this.after = after;
        }

        T peek() {
            if (index == page.size()) {
                if (exhausted) {
                    return null;
                }
                page = after.apply(last);
                index = 0;
                exhausted = page.size() < size;
                if (page.isEmpty()) {
                    return null;
                }
            }
            return page.get(index);
        }

        T next() {
            T t = peek();
            if (t != null) {
                index++;
                last = t;
            }
            return t;
        }
    }
}
