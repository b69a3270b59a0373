package io.cachet.audit.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.cachet.api.audit.AuditAnchor;
import io.cachet.api.audit.AuditAnchorSigner;
import io.cachet.api.audit.AuditEvent;
import io.cachet.api.audit.AuditRecord;
import io.cachet.api.audit.AuditVerification;
import io.cachet.api.audit.AuditVerification.Kind;
import io.cachet.api.audit.AuditVerification.Problem;
import io.cachet.api.security.Digests;
import io.cachet.api.store.Database;
import io.cachet.store.testing.TestVaults;
import io.cachet.store.testing.TestDatabases;

class JdbcAuditLogTest {

    @TempDir
    Path temp;

    static Stream<String> products() {
        return TestDatabases.products();
    }

    private LocalAnchorSigner signer() {
        return new LocalAnchorSigner(temp.resolve("keys"), TestVaults.embedded(temp));
    }

    private JdbcAuditLog log(Database db, AuditAnchorSigner... signers) {
        return new JdbcAuditLog(db, Clock.systemUTC(), () -> List.of(signers));
    }

    private static AuditEvent event(int i) {
        return AuditEvent.of("operator:alice", "certificate.issued", "certificate:" + i, "details " + i);
    }

    private static void appendMany(JdbcAuditLog log, int n) {
        for (int i = 1; i <= n; i++) {
            log.append(event(i));
        }
    }

    private static int sql(Database db, String sql, Object... parameters) {
        return db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 0; i < parameters.length; i++) {
                    ps.setObject(i + 1, parameters[i]);
                }
                return ps.executeUpdate();
            }
        });
    }

    private static long count(Database db, String table) {
        return db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM " + table); ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    private static String problems(AuditVerification v) {
        return v.problems().stream().map(p -> p.kind() + "@" + p.sequence()).collect(Collectors.joining(", "));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("products")
    void readsTheRecordsAboutSubjects(String product) {
        try (var h = TestDatabases.open(product, temp)) {
            JdbcAuditLog log = log(h.database());
            AuditRecord a1 = log.append(AuditEvent.of("system", "order.submitted", "order:a", null));
            log.append(AuditEvent.of("system", "order.submitted", "order:b", null));
            AuditRecord c1 = log.append(AuditEvent.of("system", "identity.case.opened", "identity-case:c", null));
            AuditRecord a2 = log.append(AuditEvent.of("system", "order.acceptance", "order:a", null));
            log.append(AuditEvent.of("system", "order.acceptance", "order:ab", null));

            assertEquals(List.of(a1, c1, a2), log.about(List.of("order:a", "identity-case:c"), 1, 10));
            assertEquals(List.of(c1, a2), log.about(List.of("order:a", "identity-case:c"), 2, 10));
            assertEquals(List.of(a1, c1), log.about(List.of("order:a", "identity-case:c", "order:a"), 1, 2));
            assertEquals(List.of(), log.about(List.of("order:zzz"), 1, 10));
            assertEquals(List.of(), log.about(List.of(), 1, 10));
            assertThrows(IllegalArgumentException.class, () -> log.about(List.of("order:a"), 1, -1));
            // the API's default (a scan of the log) answers the same as the index
            io.cachet.api.audit.AuditLog scanning = new io.cachet.api.audit.AuditLog() {
                public AuditRecord append(AuditEvent e) { throw new UnsupportedOperationException(); }
                public List<AuditRecord> read(long from, int max) { return log.read(from, max); }
                public java.util.Optional<AuditRecord> head() { return log.head(); }
                public java.util.Optional<AuditAnchor> anchor() { return java.util.Optional.empty(); }
                public AuditVerification verify() { return log.verify(); }
            };
            assertEquals(List.of(a1, c1, a2), scanning.about(List.of("order:a", "identity-case:c"), 1, 10));
            assertEquals(List.of(a1, c1), scanning.about(List.of("order:a", "identity-case:c"), 1, 2));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("products")
    void appendsChainReadAndHead(String product) {
        try (var h = TestDatabases.open(product, temp)) {
            // nanoseconds on purpose: stored and hashed at millisecond precision
            Instant now = Instant.parse("2026-05-06T07:08:09.123456789Z");
            JdbcAuditLog log = new JdbcAuditLog(h.database(), Clock.fixed(now, ZoneOffset.UTC), List::of);
            assertTrue(log.head().isEmpty());
            assertEquals(List.of(), log.read(1, 10));

            byte[] payload = "name=Alice Example".getBytes(StandardCharsets.UTF_8);
            AuditRecord first = log.append(new AuditEvent("operator:alice", "operator.password.changed", null, payload));
            AuditRecord second = log.append(event(2));
            AuditRecord third = log.append(event(3));

            assertEquals(1, first.sequence());
            assertEquals(Instant.parse("2026-05-06T07:08:09.123Z"), first.time());
            assertEquals("", first.subject());
            assertEquals(AuditEncoding.GENESIS, first.previousHash());
            assertEquals(Digests.sha256Hex(payload), first.payloadDigest());
            assertEquals(AuditEncoding.recordHash(AuditEncoding.GENESIS, first.time(), "operator:alice",
                    "operator.password.changed", "", first.payloadDigest()), first.hash());
            assertEquals(first.hash(), second.previousHash());
            assertEquals(second.hash(), third.previousHash());

            // what comes back from the database is exactly what was hashed
            assertEquals(List.of(first, second, third), log.read(1, 10));
            assertEquals(List.of(second, third), log.read(2, 10));
            assertEquals(List.of(first, second), log.read(0, 2));
            assertEquals(List.of(), log.read(4, 10));
            assertEquals(List.of(), log.read(1, 0));
            assertThrows(IllegalArgumentException.class, () -> log.read(1, -1));
            assertEquals(third, log.head().orElseThrow());

            // the payload itself is nowhere in the database
            long hits = h.database().inTransaction(c -> {
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT COUNT(*) FROM audit_record WHERE actor LIKE '%Alice Example%' OR subject LIKE '%Alice Example%'");
                        ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            });
            assertEquals(0, hits);
            assertTrue(log.verify().intact());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("products")
    void manyRecordsAndAnchorsVerifyAcrossPages(String product) {
        try (var h = TestDatabases.open(product, temp)) {
            LocalAnchorSigner signer = signer();
            // small pages and window: the paging and the window are what a long chain exercises
            JdbcAuditLog log = new JdbcAuditLog(h.database(), Clock.systemUTC(), () -> List.of(signer), 5, 3);
            for (int i = 1; i <= 25; i++) {
                log.append(event(i));
                if (i % 4 == 0) {
                    log.anchor().orElseThrow();
                    log.anchor().orElseThrow(); // two anchors of one record, possibly across a page boundary
                }
            }
            AuditVerification v = log.verify();
            assertEquals(List.of(), v.problems());
            assertEquals(25, v.recordsChecked());
            assertEquals(12, v.anchorsChecked());
            assertTrue(v.intact());
            assertEquals(25, new JdbcAuditLog(h.database(), Clock.systemUTC(), List::of).read(1, 100).size());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("products")
    void aModifiedRecordIsReportedAtItsSequence(String product) {
        try (var h = TestDatabases.open(product, temp)) {
            JdbcAuditLog log = log(h.database());
            appendMany(log, 10);
            assertEquals(1, sql(h.database(), "UPDATE audit_record SET actor = ? WHERE seq = ?", "operator:mallory", 4L));
            AuditVerification v = log.verify();
            assertEquals("MODIFIED@4", problems(v));
            assertEquals(10, v.recordsChecked());
            assertFalse(v.intact());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("products")
    void aDeletedRecordIsReportedWhereTheGapIs(String product) {
        try (var h = TestDatabases.open(product, temp)) {
            JdbcAuditLog log = log(h.database());
            appendMany(log, 10);
            sql(h.database(), "DELETE FROM audit_record WHERE seq = ?", 5L);
            AuditVerification v = log.verify();
            assertEquals("DELETED@6", problems(v));
            assertTrue(v.problems().get(0).message().contains("record 5 is missing"), v.problems().get(0).message());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("products")
    void deletedAndRenumberedRecordsAreReportedAsDeleted(String product) {
        try (var h = TestDatabases.open(product, temp)) {
            JdbcAuditLog log = log(h.database());
            appendMany(log, 6);
            // a careful attacker closes the gap: no sequence gap, but record 4 does not link to the new 3
            sql(h.database(), "DELETE FROM audit_record WHERE seq = ?", 3L);
            for (long seq = 4; seq <= 6; seq++) {
                sql(h.database(), "UPDATE audit_record SET seq = ? WHERE seq = ?", seq - 1, seq);
            }
            sql(h.database(), "UPDATE audit_head SET seq = 5 WHERE id = 1");
            assertEquals("DELETED@3", problems(log.verify()));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("products")
    void swappedRecordsAreReportedAsReordered(String product) {
        try (var h = TestDatabases.open(product, temp)) {
            JdbcAuditLog log = log(h.database());
            appendMany(log, 10);
            swap(h.database(), 3, 7);
            // 3 and 7 stand at the wrong place; 4 and 8 follow the wrong record
            assertEquals("REORDERED@3, REORDERED@4, REORDERED@7, REORDERED@8", problems(log.verify()));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("products")
    void adjacentSwapsAndRenumberingAreReportedAsReordered(String product) {
        try (var h = TestDatabases.open(product, temp)) {
            JdbcAuditLog log = log(h.database());
            appendMany(log, 6);
            swap(h.database(), 2, 3);
            assertEquals("REORDERED@2, REORDERED@3, REORDERED@4", problems(log.verify()));
            swap(h.database(), 2, 3);
            assertTrue(log.verify().intact(), "swapped back");
            sql(h.database(), "UPDATE audit_record SET seq = 60 WHERE seq = 6");
            assertEquals("REORDERED@60", problems(log.verify()));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("products")
    void aRecordMovedBeyondTheWindowIsStillReported(String product) {
        try (var h = TestDatabases.open(product, temp)) {
            JdbcAuditLog log = new JdbcAuditLog(h.database(), Clock.systemUTC(), List::of, 2, 1000);
            appendMany(log, 10);
            swap(h.database(), 2, 9);
            AuditVerification v = log.verify();
            assertFalse(v.intact());
            assertEquals(Set.of(2L, 3L, 9L, 10L), v.problems().stream().map(Problem::sequence).collect(Collectors.toSet()));
            assertTrue(v.problems().stream().noneMatch(p -> p.kind() == Kind.MODIFIED), problems(v));
        }
    }

    private static void swap(Database db, long a, long b) {
        String columns = "recorded_at, actor, action, subject, payload_digest, previous_hash, hash";
        db.inTransaction(c -> {
            List<Object[]> rows = new ArrayList<>();
            for (long seq : new long[] { a, b }) {
                try (PreparedStatement ps = c.prepareStatement("SELECT " + columns + " FROM audit_record WHERE seq = ?")) {
                    ps.setLong(1, seq);
                    try (ResultSet rs = ps.executeQuery()) {
                        assertTrue(rs.next());
                        Object[] row = new Object[7];
                        row[0] = rs.getObject(1, java.time.OffsetDateTime.class);
                        for (int i = 1; i < 7; i++) {
                            row[i] = rs.getString(i + 1);
                        }
                        rows.add(row);
                    }
                }
            }
            for (int k = 0; k < 2; k++) {
                try (PreparedStatement ps = c.prepareStatement("UPDATE audit_record SET recorded_at = ?, actor = ?, "
                        + "action = ?, subject = ?, payload_digest = ?, previous_hash = ?, hash = ? WHERE seq = ?")) {
                    Object[] row = rows.get(1 - k);
                    for (int i = 0; i < 7; i++) {
                        ps.setObject(i + 1, row[i]);
                    }
                    ps.setLong(8, k == 0 ? a : b);
                    ps.executeUpdate();
                }
            }
            return null;
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("products")
    void deletingTheNewestRecordsAfterAnAnchorIsReportedAsTruncated(String product) {
        try (var h = TestDatabases.open(product, temp)) {
            Database db = h.database();
            JdbcAuditLog log = log(db, signer());
            appendMany(log, 10);
            AuditAnchor anchor = log.anchor().orElseThrow();
            assertEquals(10, anchor.sequence());
            sql(db, "DELETE FROM audit_record WHERE seq >= 8");
            AuditVerification v = log.verify();
            assertEquals(7, v.recordsChecked());
            assertEquals(1, v.anchorsChecked());
            assertTrue(v.problems().stream().allMatch(p -> p.kind() == Kind.TRUNCATED && p.sequence() == 10), problems(v));

            // a careful attacker also rewinds the head row: only the anchor still tells
            String hash7 = log.read(7, 1).get(0).hash();
            sql(db, "UPDATE audit_head SET seq = 7, hash = ? WHERE id = 1", hash7);
            v = log.verify();
            assertEquals("TRUNCATED@10", problems(v));
            assertTrue(v.problems().get(0).message().contains("the log ends at 7"), v.problems().get(0).message());

            // ... and regrows the chain: record 10 is back, but not the anchored one
            appendMany(log, 3);
            v = log.verify();
            assertEquals("TRUNCATED@10", problems(v));
            assertTrue(v.problems().get(0).message().contains("no longer has the hash anchored"), v.problems().get(0).message());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("products")
    void aTamperedAnchorIsInvalid(String product) {
        try (var h = TestDatabases.open(product, temp)) {
            Database db = h.database();
            JdbcAuditLog log = log(db, signer());
            appendMany(log, 3);
            AuditAnchor anchor = log.anchor().orElseThrow();
            appendMany(log, 2);
            assertTrue(log.verify().intact());

            byte[] token = anchor.token();
            token[0] ^= 1;
            sql(db, "UPDATE audit_anchor SET token = ?", Base64.getEncoder().encodeToString(token));
            assertEquals("ANCHOR_INVALID@3", problems(log.verify()));

            sql(db, "UPDATE audit_anchor SET token = ?", "not base64!");
            assertEquals("ANCHOR_INVALID@3", problems(log.verify()));

            // a valid token, but over another head: rewriting an anchor to fit a rewritten chain does not work
            sql(db, "UPDATE audit_anchor SET token = ?, head_hash = ?", Base64.getEncoder().encodeToString(anchor.token()),
                    log.read(3, 1).get(0).previousHash());
            AuditVerification v = log.verify();
            assertEquals(Set.of(Kind.ANCHOR_INVALID, Kind.TRUNCATED), v.problems().stream().map(Problem::kind).collect(Collectors.toSet()));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("products")
    void anchorsOfAnUninstalledSignerAreReported(String product) {
        try (var h = TestDatabases.open(product, temp)) {
            Database db = h.database();
            JdbcAuditLog withSigner = log(db, signer());
            appendMany(withSigner, 2);
            withSigner.anchor().orElseThrow();

            JdbcAuditLog without = log(db);
            assertTrue(without.anchor().isEmpty(), "no signer, no anchor");
            AuditVerification v = without.verify();
            assertEquals("ANCHOR_INVALID@2", problems(v));
            assertTrue(v.problems().get(0).message().contains("'ed25519-local', which is not installed"),
                    v.problems().get(0).message());
        }
    }

    /** Stands for a higher-ranked signer such as a timestamp authority. */
    private static final class DigestSigner implements AuditAnchorSigner {
        @Override
        public String id() {
            return "test-digest";
        }

        @Override
        public byte[] sign(byte[] statement) {
            return Digests.sha256Hex(statement).getBytes(StandardCharsets.US_ASCII);
        }

        @Override
        public boolean verify(byte[] statement, byte[] token) {
            return java.util.Arrays.equals(sign(statement), token);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("products")
    void theFirstSignerMakesNewAnchorsAndAllVerify(String product) {
        try (var h = TestDatabases.open(product, temp)) {
            Database db = h.database();
            LocalAnchorSigner local = signer();
            JdbcAuditLog log = log(db, local);
            appendMany(log, 2);
            assertEquals("ed25519-local", log.anchor().orElseThrow().signer());

            JdbcAuditLog upgraded = log(db, new DigestSigner(), local);
            appendMany(upgraded, 1);
            AuditAnchor anchor = upgraded.anchor().orElseThrow();
            assertEquals("test-digest", anchor.signer());
            String previous = db.inTransaction(c -> {
                try (PreparedStatement ps = c.prepareStatement("SELECT previous_anchor FROM audit_anchor WHERE signer = ?")) {
                    ps.setString(1, "test-digest");
                    try (ResultSet rs = ps.executeQuery()) {
                        assertTrue(rs.next());
                        return rs.getString(1);
                    }
                }
            });
            assertArrayEquals(new DigestSigner().sign(AuditEncoding.anchorStatement(upgraded.chainId(false), 3,
                    anchor.headHash(), anchor.time(), previous)), anchor.token());
            AuditVerification v = upgraded.verify();
            assertTrue(v.intact(), problems(v));
            assertEquals(2, v.anchorsChecked());
            assertEquals("ANCHOR_INVALID@3", problems(log.verify()), "the older log lacks the digest signer");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("products")
    void anchorsOnlyWhenThereIsSomethingNew(String product) {
        try (var h = TestDatabases.open(product, temp)) {
            JdbcAuditLog log = log(h.database(), signer());
            assertTrue(log.anchor().isEmpty(), "empty log");
            assertTrue(log.anchorIfChanged().isEmpty());
            log.append(event(1));
            assertEquals(1, log.anchorIfChanged().orElseThrow().sequence());
            assertTrue(log.anchorIfChanged().isEmpty(), "head unchanged");
            log.append(event(2));
            assertEquals(2, log.anchorIfChanged().orElseThrow().sequence());
            assertEquals(2, count(h.database(), "audit_anchor"));
            assertEquals(2, log.anchor().orElseThrow().sequence(), "an explicit anchor is always made");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("products")
    void appendJoinsTheCallersTransaction(String product) {
        try (var h = TestDatabases.open(product, temp)) {
            Database db = h.database();
            JdbcAuditLog log = log(db);
            IllegalStateException boom = new IllegalStateException("the state change failed");
            assertThrows(IllegalStateException.class, () -> db.inTransaction(c -> {
                log.append(event(1));
                log.append(event(2));
                throw boom;
            }));
            assertTrue(log.head().isEmpty(), "the audit records rolled back with the caller's change");
            assertEquals(0, count(db, "audit_record"));

            db.inTransaction(c -> {
                log.append(event(1));
                return log.append(event(2));
            });
            assertEquals(AuditEncoding.GENESIS, log.read(1, 1).get(0).previousHash(), "the chain starts afresh");
            assertEquals(2, log.head().orElseThrow().sequence());
            assertTrue(log.verify().intact());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("products")
    void recordsDeferredToTheCommitComeAfterThoseTheTransactionAppendedItself(String product) {
        try (var h = TestDatabases.open(product, temp)) {
            Database db = h.database();
            JdbcAuditLog log = log(db);
            db.inTransaction(c -> {
                log.appendAtCommit(event(1));
                assertTrue(log.head().isEmpty(), "a deferred record is not chained before the commit");
                log.append(event(2));
                log.appendAtCommit(event(3));
                return log.append(event(4));
            });
            List<String> subjects = log.read(1, 10).stream().map(AuditRecord::subject).toList();
            assertEquals(List.of("certificate:2", "certificate:4", "certificate:1", "certificate:3"), subjects,
                    "AuditLog.appendAtCommit's documented order: the direct appends, then the deferred ones in turn");
            assertTrue(log.verify().intact());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("products")
    void concurrentAppendsFormOneGaplessChain(String product) throws Exception {
        try (var h = TestDatabases.open(product, temp)) {
            JdbcAuditLog log = log(h.database());
            int threads = 4;
            int each = 50;
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<List<Long>>> results = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int thread = t;
                    results.add(pool.submit(() -> {
                        start.await();
                        List<Long> sequences = new ArrayList<>();
                        for (int i = 0; i < each; i++) {
                            sequences.add(log.append(AuditEvent.of("system", "test.concurrent", "t" + thread, "" + i)).sequence());
                        }
                        return sequences;
                    }));
                }
                start.countDown();
                TreeSet<Long> all = new TreeSet<>();
                for (Future<List<Long>> f : results) {
                    all.addAll(f.get(2, TimeUnit.MINUTES)); // a bound against hanging, not a timing assertion
                }
                assertEquals(LongStream.rangeClosed(1, threads * each).boxed().collect(Collectors.toSet()), all);
            } finally {
                pool.shutdownNow();
            }
            List<AuditRecord> records = log.read(1, 1000);
            assertEquals(threads * each, records.size());
            AuditVerification v = log.verify();
            assertTrue(v.intact(), problems(v));
            assertEquals(threads * each, v.recordsChecked());
        }
    }

    /**
     * Records deferred to the commit of shared transactions ({@link Database#inSharedTransaction}), some of whose
     * works fail, while other threads append at once: one gapless chain that verifies, holding exactly the records of
     * the works that were kept, each group chained once per transaction.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("products")
    void recordsChainedAtSharedCommitsFormOneGaplessChainWithoutThoseOfFailedWork(String product) throws Exception {
        try (var h = TestDatabases.open(product, temp)) {
            Database db = h.database();
            JdbcAuditLog log = log(db);
            List<Long> groupEnds = java.util.Collections.synchronizedList(new ArrayList<>());
            log.whenChainedAtCommit(groupEnds::add);
            int threads = 6;
            int each = 60;
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            java.util.Set<String> kept = java.util.concurrent.ConcurrentHashMap.newKeySet();
            try {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<?>> results = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int thread = t;
                    results.add(pool.submit(() -> {
                        start.await();
                        for (int i = 0; i < each; i++) {
                            String subject = "t" + thread + "-" + i;
                            if (thread == 0) { // one thread appends at once, between the others' shared commits
                                log.append(AuditEvent.of("system", "test.direct", subject, ""));
                                kept.add(subject);
                                continue;
                            }
                            boolean fails = i % 5 == 0;
                            String payload = Integer.toString(i);
                            try {
                                db.inSharedTransaction(c -> {
                                    log.appendAtCommit(AuditEvent.of("system", "test.shared", subject, payload));
                                    if (fails) {
                                        throw new IllegalStateException("the state change failed");
                                    }
                                    return null;
                                });
                                kept.add(subject);
                            } catch (IllegalStateException expected) {
                                assertTrue(fails);
                            }
                        }
                        return null;
                    }));
                }
                start.countDown();
                for (Future<?> f : results) {
                    f.get(2, TimeUnit.MINUTES); // a bound against hanging, not a timing assertion
                }
            } finally {
                pool.shutdownNow();
            }
            List<AuditRecord> records = log.read(1, 10_000);
            assertEquals(kept, records.stream().map(AuditRecord::subject).collect(Collectors.toSet()));
            assertEquals(kept.size(), records.size(), "no record twice");
            assertEquals(LongStream.rangeClosed(1, records.size()).boxed().toList(),
                    records.stream().map(AuditRecord::sequence).toList());
            AuditVerification v = log.verify();
            assertTrue(v.intact(), problems(v));
            long shared = records.stream().filter(r -> r.action().equals("test.shared")).count();
            assertTrue(groupEnds.size() < shared, groupEnds.size() + " groups for " + shared + " shared records");
            assertEquals(records.stream().filter(r -> r.action().equals("test.shared")).map(AuditRecord::sequence)
                    .filter(groupEnds::contains).count(), groupEnds.size(), "each group ends on one of its records");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("products")
    void invalidEventsAreRefusedAndNothingIsStored(String product) {
        try (var h = TestDatabases.open(product, temp)) {
            JdbcAuditLog log = log(h.database());
            assertThrows(IllegalArgumentException.class, () -> log.append(AuditEvent.of("x".repeat(201), "a.b", "", "")));
            assertThrows(IllegalArgumentException.class, () -> log.append(AuditEvent.of("system", "a.b", "s".repeat(1001), "")));
            assertThrows(IllegalArgumentException.class, () -> log.append(AuditEvent.of("sys\0tem", "a.b", "", "")));
            assertThrows(NullPointerException.class, () -> log.append(null));
            assertTrue(log.head().isEmpty());
            // the limits themselves fit both databases
            AuditRecord r = log.append(AuditEvent.of("a".repeat(200), "b".repeat(200), "ü".repeat(1000), "x"));
            assertEquals(r, log.head().orElseThrow());
            assertTrue(log.verify().intact());
        }
    }
}
