package io.cachet.audit.internal;

import static io.cachet.api.store.Columns.instant;

import java.io.IOException;
import java.nio.file.Path;
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
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cachet.api.audit.AuditAnchor;
import io.cachet.api.audit.AuditAnchorSigner;
import io.cachet.api.audit.AuditEvent;
import io.cachet.api.audit.AuditLog;
import io.cachet.api.audit.AuditRecord;
import io.cachet.api.audit.AuditVerification;
import io.cachet.api.security.Digests;
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
 * <p>Anchors: each signs the previous one's hash and the database's chain id; with an {@link AnchorJournal} it is
 * written to the journal (forced to disk) before the database, and {@link #verify()} cross-checks the two, so
 * that a database rewound or rewritten while Cachet was stopped is contradicted by the journal. Anchors are made
 * one at a time (a Java lock: each names the one before in this node's journal); appends never wait for them.
 *
 * <p>Thread-safe.
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
    private final AnchorJournal journal;
    private final boolean journalWritable;
    private final Consumer<String> onJournalLine;
    /** Serialises the making of anchors (each names the one before) and lets verification see a settled pair. */
    private final Object anchoring = new Object();
    private ChainedAnchor unstored; // guarded by anchoring: in the journal, its database write failed
    private static final Logger LOG = LoggerFactory.getLogger(JdbcAuditLog.class);

    private record Head(long sequence, String hash) {
    }

    private record StoredAnchor(long id, ChainedAnchor anchor) {
    }

    /**
     * Migrates the audit tables.
     *
     * @param signers the signers installed now, best first: the first makes new anchors; all are used to
     *        check existing anchors by their {@link AuditAnchorSigner#id()}
     * @throws StoreException when the schema cannot be migrated
     */
    public JdbcAuditLog(Database database, Clock clock, Supplier<List<AuditAnchorSigner>> signers) {
        this(database, clock, signers, ChainVerifier.DEFAULT_WINDOW, PAGE, null, false, line -> { });
    }

    /**
     * Verifies against the anchor journal {@code journalFile} without writing anything to it or to the database
     * (what {@code cachet-cli audit verify} does).
     */
    public JdbcAuditLog(Database database, Clock clock, Supplier<List<AuditAnchorSigner>> signers, Path journalFile) {
        this(database, clock, signers, ChainVerifier.DEFAULT_WINDOW, PAGE, AnchorJournal.reader(journalFile), false,
                line -> { });
    }

    /**
     * Writes every anchor to {@code journal} too (before the database), names this database's chain in it, and
     * passes each new journal line to {@code onJournalLine} (the remote witness).
     */
    public JdbcAuditLog(Database database, Clock clock, Supplier<List<AuditAnchorSigner>> signers,
            AnchorJournal journal, Consumer<String> onJournalLine) {
        this(database, clock, signers, ChainVerifier.DEFAULT_WINDOW, PAGE, journal, true, onJournalLine);
    }

    /** With a smaller reorder window or page size, so that tests reach their limits with few records. */
    JdbcAuditLog(Database database, Clock clock, Supplier<List<AuditAnchorSigner>> signers, int window, int pageSize) {
        this(database, clock, signers, window, pageSize, null, false, line -> { });
    }

    private JdbcAuditLog(Database database, Clock clock, Supplier<List<AuditAnchorSigner>> signers, int window,
            int pageSize, AnchorJournal journal, boolean journalWritable, Consumer<String> onJournalLine) {
        this.database = Objects.requireNonNull(database, "database");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.signers = Objects.requireNonNull(signers, "signers");
        this.window = window;
        this.pageSize = pageSize;
        this.journal = journal;
        this.journalWritable = journalWritable;
        this.onJournalLine = Objects.requireNonNull(onJournalLine, "onJournalLine");
        database.migrate("audit", JdbcAuditLog.class.getClassLoader(), "db/audit");
        if (journalWritable) {
            String chain = chainId(true);
            journal.last(chain).ifPresent(this::storeIfLost);
            boolean others = journal.knowsOtherChains(chain);
            if (journal.startChain(chain, AuditEncoding.truncate(clock.instant())) && others) {
                LOG.warn("The audit log's database (audit chain {}) is not the one the anchor journal {} anchored "
                        + "before: a switch to another database, or a database replaced while Cachet was stopped. "
                        + "The journal's older anchors are no longer checked", chain, journal.file());
            }
        }
    }

    @Override
    public AuditRecord append(AuditEvent event) {
        Unchained record = unchained(event);
        return database.inTransaction(c -> chain(c, List.of(record)).get(0));
    }

    /**
     * Like {@link #append}, the record chained just before the caller's transaction commits, together with the other
     * records deferred to it ({@link Database#deferToCommit}): the chain's head is then held from that moment to the
     * commit, instead of from this call on. Without a transaction, appends at once.
     */
    @Override
    public void appendAtCommit(AuditEvent event) {
        database.deferToCommit(atCommit, unchained(event));
    }

    /**
     * Tells {@code listener} the sequence number of the last record of each group {@link #appendAtCommit} chained
     * (inside the transaction, before its commit).
     */
    public void whenChainedAtCommit(java.util.function.LongConsumer listener) {
        this.chainedAtCommit = Objects.requireNonNull(listener, "listener");
    }

    private volatile java.util.function.LongConsumer chainedAtCommit = sequence -> { };
    /** One flush object, so that {@link Database#deferToCommit} gathers a transaction's records into one chaining. */
    private final io.cachet.api.store.CommitFlush<Unchained> atCommit = (c, items) -> {
        List<AuditRecord> done = chain(c, items);
        chainedAtCommit.accept(done.get(done.size() - 1).sequence());
    };

    /** An event checked and digested, waiting for its place in the chain. */
    private record Unchained(String actor, String action, String subject, String payloadDigest) {
    }

    private static Unchained unchained(AuditEvent event) {
        Objects.requireNonNull(event, "event");
        return new Unchained(checked("actor", event.actor(), MAX_ACTOR), checked("action", event.action(), MAX_ACTION),
                checked("subject", event.subject(), MAX_SUBJECT), Digests.sha256Hex(event.payload()));
    }

    /**
     * Chains {@code records} after the head, in order, in {@code c}'s transaction: the head row locked, the records
     * inserted in one batch (one round trip on PostgreSQL), the head moved once.
     */
    private List<AuditRecord> chain(Connection c, List<Unchained> records) throws SQLException {
        Head head = readHead(c, true);
        if (head == null) {
            throw new StoreException("The audit_head row is missing, so no audit record can be chained: "
                    + "the audit tables were tampered with; restore them from a backup");
        }
        // taken under the lock, so that time does not run backwards along the chain (on one node's clock)
        Instant time = AuditEncoding.truncate(clock.instant());
        List<AuditRecord> chained = new ArrayList<>(records.size());
        long seq = head.sequence();
        String previous = head.hash();
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO audit_record (" + RECORD_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (Unchained r : records) {
                seq++;
                String hash = AuditEncoding.recordHash(previous, time, r.actor(), r.action(), r.subject(),
                        r.payloadDigest());
                ps.setLong(1, seq);
                ps.setObject(2, OffsetDateTime.ofInstant(time, ZoneOffset.UTC));
                ps.setString(3, r.actor());
                ps.setString(4, r.action());
                ps.setString(5, r.subject());
                ps.setString(6, r.payloadDigest());
                ps.setString(7, previous);
                ps.setString(8, hash);
                if (records.size() == 1) {
                    ps.executeUpdate();
                } else {
                    ps.addBatch();
                }
                chained.add(new AuditRecord(seq, time, r.actor(), r.action(), r.subject(), r.payloadDigest(),
                        previous, hash));
                previous = hash;
            }
            if (records.size() > 1) {
                ps.executeBatch();
            }
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1")) {
            ps.setLong(1, seq);
            ps.setString(2, previous);
            ps.executeUpdate();
        }
        return chained;
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

    /** Answered from the index on (subject, seq) (migration V3), a page of at most 1000 subjects at a time. */
    @Override
    public List<AuditRecord> about(Collection<String> subjects, long fromSequence, int max) {
        if (max < 0) {
            throw new IllegalArgumentException("max must not be negative: " + max);
        }
        List<String> wanted = List.copyOf(new LinkedHashSet<>(subjects));
        if (max == 0 || wanted.isEmpty()) {
            return List.of();
        }
        if (wanted.size() > 1000) {
            throw new IllegalArgumentException("at most 1000 subjects at a time: " + wanted.size());
        }
        String marks = String.join(", ", java.util.Collections.nCopies(wanted.size(), "?"));
        return database.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + RECORD_COLUMNS
                    + " FROM audit_record WHERE subject IN (" + marks + ") AND seq >= ? ORDER BY seq LIMIT ?")) {
                int i = 1;
                for (String subject : wanted) {
                    ps.setString(i++, subject);
                }
                ps.setLong(i++, fromSequence);
                ps.setInt(i, max);
                try (ResultSet rs = ps.executeQuery()) {
                    List<AuditRecord> result = new ArrayList<>();
                    while (rs.next()) {
                        result.add(new AuditRecord(rs.getLong(1), instant(rs, 2), rs.getString(3), rs.getString(4),
                                rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8)));
                    }
                    return result;
                }
            }
        });
    }

    @Override
    public Optional<AuditRecord> head() {
        return database.inTransaction(c -> records(c,
                "SELECT " + RECORD_COLUMNS + " FROM audit_record ORDER BY seq DESC LIMIT ?", 1))
                .stream().findFirst();
    }

    /**
     * Signs the head with the first signer that can sign now, writes the anchor to the journal (forced to disk)
     * and then to the database.
     *
     * @throws IllegalStateException when no signer can sign now (with the signers' reasons), or the journal cannot
     *         be written
     */
    @Override
    public Optional<AuditAnchor> anchor() {
        synchronized (anchoring) {
            List<AuditAnchorSigner> available = signers.get();
            if (available.isEmpty()) {
                return Optional.empty();
            }
            Head head = database.inTransaction(c -> readHead(c, false));
            if (head == null || head.sequence() == 0) {
                return Optional.empty();
            }
            String chain = chainId(true);
            String previous = journalWritable ? journal.previous(chain) : newestAnchorHash(chain);
            Instant time = AuditEncoding.truncate(clock.instant());
            byte[] statement = AuditEncoding.anchorStatement(chain, head.sequence(), head.hash(), time, previous);
            // signed outside any transaction of ours: a remote timestamp authority must not hold a connection
            AuditAnchor anchor = null;
            StringBuilder failures = new StringBuilder();
            for (AuditAnchorSigner signer : available) {
                try {
                    anchor = new AuditAnchor(head.sequence(), head.hash(), time, signer.id(), signer.sign(statement));
                    break;
                } catch (RuntimeException e) { // a signer that cannot sign now: the next one anchors
                    failures.append(failures.length() == 0 ? "" : "; ").append(signer.id()).append(": ")
                            .append(e.getMessage());
                }
            }
            if (anchor == null) {
                throw new IllegalStateException("no audit anchor signer could sign (" + failures + ")");
            }
            if (failures.length() > 0) {
                LOG.warn("Audit anchor of record {} made by {}, as the signers before it failed: {}", anchor.sequence(),
                        anchor.signer(), failures);
            }
            if (unstored != null) {
                insert(unstored);
                unstored = null;
            }
            ChainedAnchor chained = new ChainedAnchor(chain, anchor, previous);
            String line = journalWritable ? journal.append(chained) : null;
            try {
                insert(chained);
            } catch (RuntimeException e) {
                // in the journal, not in the database: stored at the next anchor or start, not reported as deleted
                unstored = chained;
                throw e;
            }
            if (line != null) {
                onJournalLine.accept(line);
            }
            return Optional.of(anchor);
        }
    }

    private void insert(ChainedAnchor chained) {
        database.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO audit_anchor (seq, head_hash, anchored_at, "
                    + "signer, token, previous_anchor) VALUES (?, ?, ?, ?, ?, ?)")) {
                ps.setLong(1, chained.anchor().sequence());
                ps.setString(2, chained.anchor().headHash());
                ps.setObject(3, OffsetDateTime.ofInstant(chained.anchor().time(), ZoneOffset.UTC));
                ps.setString(4, chained.anchor().signer());
                ps.setString(5, Base64.getEncoder().encodeToString(chained.anchor().token()));
                ps.setString(6, chained.previous());
                return ps.executeUpdate();
            }
        });
    }

    /**
     * Stores the journal's newest anchor when the database lacks it: the database write after the journal's failed,
     * or was lost (a database that acknowledges commits it has not written yet, then the process ended). Only the
     * newest: older anchors missing from the database were deleted, and stay reported.
     */
    private void storeIfLost(ChainedAnchor newest) {
        boolean stored = database.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT id, seq, head_hash, anchored_at, signer, token, "
                    + "previous_anchor FROM audit_anchor WHERE seq = ?")) {
                ps.setLong(1, newest.sequence());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        if (newest.hash().equals(storedAnchor(rs, newest.chainId()).anchor().hash())) {
                            return true;
                        }
                    }
                    return false;
                }
            }
        });
        if (!stored) {
            insert(newest);
            LOG.warn("Stored the anchor of audit record {} that the anchor journal has but the database lacked (its "
                    + "write failed or was lost when Cachet stopped)", newest.sequence());
        }
    }

    /** The highest record sequence an anchor in the database names; 0 when there is none. */
    long newestAnchoredSequence() {
        return database.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT MAX(seq) FROM audit_anchor");
                    ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    /** Without a journal, an anchor follows the newest chained anchor in the database. */
    private String newestAnchorHash(String chain) {
        return database.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT id, seq, head_hash, anchored_at, signer, token, "
                    + "previous_anchor FROM audit_anchor WHERE previous_anchor IS NOT NULL ORDER BY id DESC LIMIT 1");
                    ResultSet rs = ps.executeQuery()) {
                return rs.next() ? storedAnchor(rs, chain).anchor().hash() : AuditEncoding.GENESIS;
            }
        });
    }

    /**
     * This database's audit chain id, made (a random UUID) on first need when {@code create}; null when it has
     * none and {@code create} is false.
     */
    String chainId(boolean create) {
        return database.inTransaction(c -> {
            String id = readChainId(c);
            if (id == null && create) {
                try (PreparedStatement ps = c.prepareStatement(
                        "UPDATE audit_head SET chain_id = ? WHERE id = 1 AND chain_id IS NULL")) {
                    ps.setString(1, UUID.randomUUID().toString());
                    ps.executeUpdate();
                }
                id = readChainId(c);
                if (id == null) {
                    throw new StoreException("The audit_head row is missing, so the audit log cannot be anchored: "
                            + "the audit tables were tampered with; restore them from a backup");
                }
            }
            return id;
        });
    }

    private static String readChainId(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT chain_id FROM audit_head WHERE id = 1");
                ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getString(1) : null;
        }
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
        // Read before the records: every anchor seen then names a record committed before the walk starts. Under
        // the anchoring lock, so that the journal and the database are read at a point where they agree.
        Head head;
        long anchorCutoff;
        long journalLines;
        synchronized (anchoring) {
            head = database.inTransaction(c -> readHead(c, false));
            anchorCutoff = database.inTransaction(c -> {
                try (PreparedStatement ps = c.prepareStatement("SELECT MAX(id) FROM audit_anchor");
                        ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            });
            journalLines = journal == null ? 0 : journal.lines();
        }
        String chain = chainId(false);
        Map<String, AuditAnchorSigner> byId = new HashMap<>();
        for (AuditAnchorSigner s : signers.get()) {
            byId.putIfAbsent(s.id(), s);
        }
        boolean journalPresent = journal != null && journal.exists();
        ChainVerifier check = new ChainVerifier(byId, head == null ? -1 : head.sequence(),
                head == null ? null : head.hash(), window, chain, journal == null ? null : journal.file(),
                journalPresent);

        Pages<AuditRecord> records = new Pages<>(pageSize, last -> database.inTransaction(c -> records(c,
                "SELECT " + RECORD_COLUMNS + " FROM audit_record WHERE seq > ? ORDER BY seq LIMIT ?",
                last == null ? Long.MIN_VALUE : last.sequence(), pageSize)));
        Pages<StoredAnchor> anchors = new Pages<>(pageSize, last -> database.inTransaction(c -> anchors(c, chain,
                anchorCutoff, last == null ? Long.MIN_VALUE : last.anchor().sequence(),
                last == null ? Long.MIN_VALUE : last.id(), pageSize)));
        try (JournalFeed feed = new JournalFeed(journalPresent ? journal : null, journalLines, check)) {
            long lastSequence = 0;
            for (AuditRecord r = records.next(); r != null; r = records.next()) {
                for (long s = nextAnchored(anchors, feed); s >= 0 && s < r.sequence(); s = nextAnchored(anchors, feed)) {
                    check.anchors(s, take(anchors, s), feed.take(s), null, lastSequence);
                }
                check.record(r);
                check.anchors(r.sequence(), take(anchors, r.sequence()), feed.take(r.sequence()), r, r.sequence());
                lastSequence = r.sequence();
            }
            for (long s = nextAnchored(anchors, feed); s >= 0; s = nextAnchored(anchors, feed)) {
                check.anchors(s, take(anchors, s), feed.take(s), null, lastSequence);
            }
        }
        return check.finish();
    }

    /** The lowest sequence the next database or journal anchor names; -1 when both are exhausted. */
    private static long nextAnchored(Pages<StoredAnchor> anchors, JournalFeed feed) {
        StoredAnchor a = anchors.peek();
        AnchorJournal.Entry e = feed.peek();
        if (a == null) {
            return e == null ? -1 : e.anchor().sequence();
        }
        return e == null ? a.anchor().sequence() : Math.min(a.anchor().sequence(), e.anchor().sequence());
    }

    private static List<ChainedAnchor> take(Pages<StoredAnchor> anchors, long sequence) {
        List<ChainedAnchor> result = new ArrayList<>(1);
        for (StoredAnchor a = anchors.peek(); a != null && a.anchor().sequence() == sequence; a = anchors.peek()) {
            result.add(anchors.next().anchor());
        }
        return result;
    }

    /** The journal's anchors of this database's chain, in sequence order, as far as the verifier admits them. */
    private static final class JournalFeed implements AutoCloseable {
        private final AnchorJournal.Reader reader;
        private final long maxLines;
        private final ChainVerifier check;
        private AnchorJournal.Entry peeked;

        JournalFeed(AnchorJournal journal, long maxLines, ChainVerifier check) {
            try {
                this.reader = journal == null ? null : journal.read();
            } catch (IOException e) {
                throw new IllegalStateException("The audit anchor journal " + journal.file() + " cannot be read ("
                        + AnchorJournal.describe(e) + "): make it readable", e);
            }
            this.maxLines = maxLines;
            this.check = check;
        }

        AnchorJournal.Entry peek() {
            while (peeked == null && reader != null) {
                AnchorJournal.Entry e;
                try {
                    e = reader.next();
                } catch (IOException x) {
                    throw new IllegalStateException("Reading the audit anchor journal failed ("
                            + AnchorJournal.describe(x) + ")", x);
                }
                // a journal being written: only the lines that existed when verification started
                if (e == null || (maxLines > 0 && e.line() > maxLines)) {
                    return null;
                }
                if (check.admit(e)) {
                    peeked = e;
                }
            }
            return peeked;
        }

        List<AnchorJournal.Entry> take(long sequence) {
            List<AnchorJournal.Entry> result = new ArrayList<>(1);
            for (AnchorJournal.Entry e = peek(); e != null && e.anchor().sequence() == sequence; e = peek()) {
                result.add(e);
                peeked = null;
            }
            return result;
        }

        @Override
        public void close() {
            if (reader != null) {
                try {
                    reader.close();
                } catch (IOException e) {
                    // read only; nothing to lose
                }
            }
        }
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

    private static List<StoredAnchor> anchors(Connection c, String chain, long cutoff, long afterSequence,
            long afterId, int max) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id, seq, head_hash, anchored_at, signer, token, "
                + "previous_anchor FROM audit_anchor WHERE id <= ? AND (seq > ? OR (seq = ? AND id > ?)) "
                + "ORDER BY seq, id LIMIT ?")) {
            ps.setLong(1, cutoff);
            ps.setLong(2, afterSequence);
            ps.setLong(3, afterSequence);
            ps.setLong(4, afterId);
            ps.setInt(5, max);
            try (ResultSet rs = ps.executeQuery()) {
                List<StoredAnchor> result = new ArrayList<>();
                while (rs.next()) {
                    result.add(storedAnchor(rs, chain));
                }
                return result;
            }
        }
    }

    /** Columns id, seq, head_hash, anchored_at, signer, token, previous_anchor. */
    private static StoredAnchor storedAnchor(ResultSet rs, String chain) throws SQLException {
        byte[] token;
        try {
            token = Base64.getDecoder().decode(rs.getString(6));
        } catch (IllegalArgumentException tampered) {
            token = new byte[0]; // verifies with no signer: reported as ANCHOR_INVALID
        }
        // the chain id is the database's own: anchors moved in from another database do not verify
        return new StoredAnchor(rs.getLong(1), new ChainedAnchor(chain == null ? "" : chain, new AuditAnchor(
                rs.getLong(2), rs.getString(3), instant(rs, 4), rs.getString(5), token), rs.getString(7)));
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
