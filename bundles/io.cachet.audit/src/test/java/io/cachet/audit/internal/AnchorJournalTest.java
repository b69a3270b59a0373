package io.cachet.audit.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.cachet.api.audit.AuditEvent;
import io.cachet.api.audit.AuditRecord;
import io.cachet.api.audit.AuditVerification;
import io.cachet.api.audit.AuditVerification.Kind;
import io.cachet.api.audit.AuditVerification.Problem;
import io.cachet.api.store.Database;
import io.cachet.store.testing.TestVaults;
import io.cachet.store.testing.TestDatabases;

/**
 * The attacks of issue 8 on a stopped server: the database is rewritten with SQL, the anchor journal in the data
 * directory is left alone (or edited, where said). Verification is done as {@code cachet-cli audit verify} does it:
 * with the public key and the journal, read only.
 */
class AnchorJournalTest {

    @TempDir
    Path data;

    static Stream<String> products() {
        return TestDatabases.products();
    }

    private Path journalFile() {
        return AnchorJournal.in(data);
    }

    /** The server: anchors go to the journal and the database; closed like at a stop. */
    private void serve(Database db, int records, int anchorEvery) {
        try (AnchorJournal journal = AnchorJournal.writer(journalFile())) {
            LocalAnchorSigner signer = new LocalAnchorSigner(data.resolve("keys"), TestVaults.embedded(data));
            JdbcAuditLog log = new JdbcAuditLog(db, Clock.systemUTC(), () -> List.of(signer), journal, line -> { });
            long start = log.head().map(AuditRecord::sequence).orElse(0L);
            for (long i = start + 1; i <= start + records; i++) {
                log.append(AuditEvent.of("operator:alice", "certificate.issued", "certificate:" + i, "details " + i));
                if (i % anchorEvery == 0) {
                    log.anchor().orElseThrow();
                }
            }
        }
    }

    /** What the CLI does: public key, journal read only. */
    private AuditVerification verify(Database db) {
        return new JdbcAuditLog(db, Clock.systemUTC(), () -> List.of(LocalAnchorSigner.verifier(data.resolve("keys"))),
                journalFile()).verify();
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

    private static List<AuditRecord> records(Database db) {
        return new JdbcAuditLog(db, Clock.systemUTC(), List::of).read(1, 10_000);
    }

    private static Set<Kind> kinds(AuditVerification v) {
        return v.problems().stream().map(Problem::kind).collect(Collectors.toSet());
    }

    private static String problems(AuditVerification v) {
        return v.problems().stream().map(p -> p.kind() + "@" + p.sequence() + " " + p.message())
                .collect(Collectors.joining("\n"));
    }

    /** Rewrites the chain from {@code from} on so that every record matches its hash again. */
    private static void rehash(Database db, long from) {
        List<AuditRecord> all = records(db);
        String previous = from == 1 ? AuditEncoding.GENESIS : all.get((int) from - 2).hash();
        for (AuditRecord r : all.subList((int) from - 1, all.size())) {
            String hash = AuditEncoding.recordHash(previous, r.time(), r.actor(), r.action(), r.subject(), r.payloadDigest());
            sql(db, "UPDATE audit_record SET previous_hash = ?, hash = ? WHERE seq = ?", previous, hash, r.sequence());
            previous = hash;
        }
        sql(db, "UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1", all.get(all.size() - 1).sequence(), previous);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("products")
    void aCleanLogIsIntactAndSaysHowManyRecordsAreNotYetAnchored(String product) {
        try (var h = TestDatabases.open(product, data)) {
            serve(h.database(), 10, 5);
            serve(h.database(), 3, 1000); // three more, no anchor
            AuditVerification v = verify(h.database());
            assertTrue(v.intact(), problems(v));
            assertEquals(13, v.recordsChecked());
            assertEquals(2, v.anchorsChecked());
            assertEquals(3, v.unanchoredRecords());
            assertEquals(List.of(), v.warnings());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("products")
    void deletingTheNewestRecordsAndTheirAnchorsAndMovingTheHeadBackFails(String product) {
        try (var h = TestDatabases.open(product, data)) {
            Database db = h.database();
            serve(db, 10, 5);
            sql(db, "DELETE FROM audit_record WHERE seq > 7");
            sql(db, "DELETE FROM audit_anchor WHERE seq > 7");
            sql(db, "UPDATE audit_head SET seq = 7, hash = ? WHERE id = 1", records(db).get(6).hash());
            AuditVerification v = verify(db);
            assertFalse(v.intact());
            assertTrue(v.problems().stream().anyMatch(p -> p.kind() == Kind.TRUNCATED && p.sequence() == 10
                    && p.message().contains("the log ends at 7")), problems(v));
            assertTrue(kinds(v).contains(Kind.ANCHOR_MISSING), problems(v));
            assertEquals(0, v.unanchoredRecords(), "records 1-7 are under an anchor, though a contradicted one");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("products")
    void deletingEveryAnchorFails(String product) {
        try (var h = TestDatabases.open(product, data)) {
            Database db = h.database();
            serve(db, 10, 5);
            assertTrue(verify(db).intact());
            sql(db, "DELETE FROM audit_anchor");
            AuditVerification v = verify(db);
            assertEquals(Set.of(Kind.ANCHOR_MISSING), kinds(v), problems(v));
            assertEquals(List.of(5L, 10L), v.problems().stream().map(Problem::sequence).toList());
            assertTrue(v.problems().get(0).message().contains("missing from the database"), problems(v));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("products")
    void modifyingARecordRehashingMovingTheHeadAndDeletingTheAnchorsFails(String product) {
        try (var h = TestDatabases.open(product, data)) {
            Database db = h.database();
            serve(db, 10, 5);
            sql(db, "UPDATE audit_record SET actor = 'operator:mallory' WHERE seq = 4");
            rehash(db, 4);
            sql(db, "DELETE FROM audit_anchor");
            AuditVerification v = verify(db);
            assertFalse(v.intact());
            // the chain is self-consistent now; only the journal still knows records 5 and 10
            assertTrue(v.problems().stream().anyMatch(p -> p.kind() == Kind.MODIFIED && p.sequence() == 5), problems(v));
            assertTrue(v.problems().stream().anyMatch(p -> p.kind() == Kind.MODIFIED && p.sequence() == 10), problems(v));

            // giving the database a new chain id (so that the journal seems to be another database's) fails too
            sql(db, "UPDATE audit_head SET chain_id = '00000000-0000-4000-8000-000000000000' WHERE id = 1");
            v = verify(db);
            assertFalse(v.intact());
            assertTrue(v.problems().stream().anyMatch(p -> p.message().contains("but not this database's chain")),
                    problems(v));
            sql(db, "UPDATE audit_head SET chain_id = NULL WHERE id = 1");
            v = verify(db);
            assertTrue(v.problems().stream().anyMatch(p -> p.message().contains("audit_head has no chain id")),
                    problems(v));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("products")
    void aRewrittenChainWithTheAnchorsLeftInPlaceFails(String product) {
        try (var h = TestDatabases.open(product, data)) {
            Database db = h.database();
            serve(db, 10, 5);
            sql(db, "UPDATE audit_record SET action = 'nothing.happened' WHERE seq = 2");
            rehash(db, 2);
            AuditVerification v = verify(db);
            assertTrue(kinds(v).contains(Kind.TRUNCATED), problems(v)); // the database's anchors contradict
            assertFalse(v.intact());
        }
    }

    @Test
    void removedReorderedOrEditedJournalLinesAreReported() throws Exception {
        try (var h = TestDatabases.open("h2", data)) {
            Database db = h.database();
            serve(db, 12, 3); // anchors of 3, 6, 9, 12
            List<String> lines = Files.readAllLines(journalFile());
            List<String> anchors = lines.stream().filter(l -> l.startsWith("anchor ")).toList();
            assertEquals(4, anchors.size());

            // a line removed from the middle: the next one no longer links; the database still has the anchor
            List<String> removed = new ArrayList<>(lines);
            removed.remove(anchors.get(1));
            Files.write(journalFile(), removed);
            AuditVerification v = verify(db);
            assertTrue(v.problems().stream().anyMatch(p -> p.kind() == Kind.ANCHOR_MISSING && p.sequence() == 9
                    && p.message().contains("journal entries were removed")), problems(v));

            // two lines swapped
            List<String> swapped = new ArrayList<>(lines);
            int a = swapped.indexOf(anchors.get(1));
            int b = swapped.indexOf(anchors.get(2));
            swapped.set(a, anchors.get(2));
            swapped.set(b, anchors.get(1));
            Files.write(journalFile(), swapped);
            v = verify(db);
            assertTrue(kinds(v).contains(Kind.ANCHOR_INVALID), problems(v));
            assertTrue(v.problems().stream().anyMatch(p -> p.message().contains("reordered")), problems(v));

            // a line edited: its field no longer parses, or its signature no longer verifies
            List<String> edited = new ArrayList<>(lines);
            edited.set(edited.indexOf(anchors.get(0)), anchors.get(0).replace(" 3 ", " 3x "));
            Files.write(journalFile(), edited);
            v = verify(db);
            assertTrue(v.problems().stream().anyMatch(p -> p.kind() == Kind.ANCHOR_INVALID
                    && p.message().contains("is damaged")), problems(v));

            // the newest lines removed while the database keeps their anchors
            List<String> cut = new ArrayList<>(lines);
            cut.remove(anchors.get(3));
            Files.write(journalFile(), cut);
            v = verify(db);
            assertTrue(v.problems().stream().anyMatch(p -> p.kind() == Kind.ANCHOR_MISSING && p.sequence() == 12
                    && p.message().contains("the journal lacks it")), problems(v));

            Files.write(journalFile(), lines);
            assertTrue(verify(db).intact(), "restored");
        }
    }

    @Test
    void aLineTornByACrashIsCutOffAtTheNextStartAndTheJournalIsOwnerOnly() throws Exception {
        try (var h = TestDatabases.open("h2", data)) {
            Database db = h.database();
            serve(db, 4, 2);
            byte[] before = Files.readAllBytes(journalFile());
            Files.write(journalFile(), "anchor 1234 half a li".getBytes(StandardCharsets.UTF_8), StandardOpenOption.APPEND);
            serve(db, 2, 2);
            String text = Files.readString(journalFile());
            assertTrue(text.startsWith(new String(before, StandardCharsets.UTF_8)));
            assertFalse(text.contains("half a li"), text);
            AuditVerification v = verify(db);
            assertTrue(v.intact(), problems(v));
            assertEquals(3, v.anchorsChecked());
            if (journalFile().getFileSystem().supportedFileAttributeViews().contains("posix")) {
                assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(journalFile())));
                assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(journalFile().getParent())));
            }
        }
    }

    @Test
    void withoutAJournalOrWithAnotherDatabasesJournalVerificationWarns() throws Exception {
        try (var h = TestDatabases.open("h2", data)) {
            Database db = h.database();
            serve(db, 4, 2);
            Files.move(journalFile(), journalFile().resolveSibling("kept"));
            AuditVerification v = verify(db);
            assertTrue(v.intact(), problems(v));
            assertEquals(1, v.warnings().size());
            assertTrue(v.warnings().get(0).startsWith("no anchor journal at " + journalFile()), v.warnings().toString());
            Files.move(journalFile().resolveSibling("kept"), journalFile());
        }
        // a switch to another database: the server names the new chain in the journal; the old anchors are left out
        try (var h = TestDatabases.open("h2", data.resolve("other"))) {
            serve(h.database(), 2, 2);
            AuditVerification v = verify(h.database());
            assertTrue(v.intact(), problems(v));
            assertEquals(1, v.anchorsChecked());
            assertEquals(1, v.warnings().size(), v.warnings().toString());
            assertTrue(v.warnings().get(0).contains("2 anchor(s) of other audit chains"), v.warnings().toString());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("products")
    void anchorsChainEvenWithoutAJournalSoADeletedOneIsSeen(String product) {
        try (var h = TestDatabases.open(product, data)) {
            Database db = h.database();
            LocalAnchorSigner signer = new LocalAnchorSigner(data.resolve("keys"), TestVaults.embedded(data));
            JdbcAuditLog log = new JdbcAuditLog(db, Clock.systemUTC(), () -> List.of(signer));
            for (int i = 1; i <= 9; i++) {
                log.append(AuditEvent.of("system", "test", "", "" + i));
                if (i % 3 == 0) {
                    log.anchor().orElseThrow();
                }
            }
            assertTrue(log.verify().intact());
            sql(db, "DELETE FROM audit_anchor WHERE seq = 6");
            AuditVerification v = log.verify();
            assertEquals("ANCHOR_MISSING@9", v.problems().stream().map(p -> p.kind() + "@" + p.sequence())
                    .collect(Collectors.joining(", ")), problems(v));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("products")
    void theNewestAnchorLostByTheDatabaseIsStoredFromTheJournalAtStartButDeletedOnesStayReported(String product) {
        try (var h = TestDatabases.open(product, data)) {
            Database db = h.database();
            serve(db, 10, 5);
            // the database lost the last anchor's commit (written to the journal first)
            sql(db, "DELETE FROM audit_anchor WHERE seq = 10");
            assertEquals(Set.of(Kind.ANCHOR_MISSING), kinds(verify(db)));
            serve(db, 0, 1); // the next start
            AuditVerification v = verify(db);
            assertTrue(v.intact(), problems(v));
            assertEquals(2, v.anchorsChecked());

            // whoever deletes every anchor while the server is stopped is still found out after a restart
            sql(db, "DELETE FROM audit_anchor");
            serve(db, 0, 1);
            v = verify(db);
            assertTrue(v.problems().stream().anyMatch(p -> p.kind() == Kind.ANCHOR_MISSING && p.sequence() == 5
                    && p.message().contains("missing from the database")), problems(v));
            // and the restored newest anchor names a predecessor the database no longer has
            assertTrue(v.problems().stream().anyMatch(p -> p.kind() == Kind.ANCHOR_MISSING && p.sequence() == 10
                    && p.message().contains("no longer in the database")), problems(v));
        }
    }
}
