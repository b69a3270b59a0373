package io.cachet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cachet.api.audit.AuditEvent;
import io.cachet.api.token.KeyAlgorithm;
import io.cachet.api.token.PinPolicy;
import io.cachet.api.token.Token;
import io.cachet.api.token.TokenDriver;
import io.cachet.api.token.TokenInfo;
import io.cachet.audit.launch.AuditLogs;
import io.cachet.audit.launch.ClosableAuditLog;
import io.cachet.ca.launch.LocalCa;
import io.cachet.tsa.launch.TimeStamping;
import io.cachet.signature.testing.TestPki;
import io.cachet.store.launch.Databases;
import io.cachet.store.launch.LocalDatabase;
import io.cachet.store.testing.TestVaults;
import io.cachet.token.soft.launch.SoftTokens;

class AuditVerifyTest {

    @TempDir
    Path data;

    /**
     * Fills a data directory the way the server does: H2 in DATA/db, anchor key in DATA/keys (sealed with the
     * master key in DATA/secrets), anchors also in DATA/audit/anchors.journal; {@code unanchored} records follow
     * the anchor.
     */
    private void serverWrites(int records, int unanchored) {
        try (LocalDatabase db = Databases.open("jdbc:h2:file:" + data.resolve("db/cachet"), "", new char[0], 2);
                ClosableAuditLog log = AuditLogs.writer(db,
                        List.of(AuditLogs.localAnchorSigner(data.resolve("keys"), TestVaults.embedded(data))), data)) {
            for (int i = 0; i < records; i++) {
                log.append(AuditEvent.of("system", "test.event", "s" + i, "p" + i));
            }
            log.anchor();
            for (int i = 0; i < unanchored; i++) {
                log.append(AuditEvent.of("system", "test.event", "later" + i, "p" + i));
            }
        }
    }

    private void serverWrites(int records) {
        serverWrites(records, 0);
    }

    private void sql(String statement) {
        try (LocalDatabase db = Databases.open("jdbc:h2:file:" + data.resolve("db/cachet"), "", new char[0], 2)) {
            db.inTransaction(c -> c.createStatement().executeUpdate(statement));
        }
    }

    private record Run(int exit, String out, String err) {
    }

    private static Run run(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            int code = CachetCli.run(args);
            return new Run(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    @Test
    void anIntactLogVerifiesWithExitZeroWithoutTheMasterKeyAndSaysWhatIsNotYetAnchored() throws Exception {
        serverWrites(5, 2);
        // verifying needs the public key only: the master key may live elsewhere (or be absent here)
        Files.delete(data.resolve("secrets/master.key"));
        Run r = run("audit", "verify", "--data", data.toString());
        assertEquals(0, r.exit(), r.out() + r.err());
        assertTrue(r.out().contains("7 records, 1 anchors checked"), r.out());
        assertTrue(r.out().contains("warning: 2 record(s) after the last anchor are not yet anchored"), r.out());
        assertTrue(r.out().strip().endsWith("INTACT"), r.out());
    }

    @Test
    void aRewoundDatabaseFailsAgainstTheJournal() {
        serverWrites(6);
        // the newest records, their anchor, and the head moved back: the database alone looks consistent
        sql("DELETE FROM audit_record WHERE seq > 3");
        sql("DELETE FROM audit_anchor");
        sql("UPDATE audit_head SET seq = 3, hash = (SELECT hash FROM audit_record WHERE seq = 3) WHERE id = 1");
        Run r = run("audit", "verify", "--data", data.toString());
        assertEquals(1, r.exit(), r.out());
        assertTrue(r.out().contains("TRUNCATED") && r.out().contains("the log ends at 3"), r.out());
        assertTrue(r.out().contains("ANCHOR_MISSING"), r.out());
    }

    @Test
    void deletingEveryAnchorFailsAndAWitnessCopyOfTheJournalCanBeGiven() throws Exception {
        serverWrites(4);
        Path witnessCopy = Files.copy(AuditLogs.journalIn(data), data.resolveSibling(data.getFileName() + "-witness.journal"));
        sql("DELETE FROM audit_anchor");
        Files.delete(AuditLogs.journalIn(data)); // whoever could, removed the local journal too
        Run local = run("audit", "verify", "--data", data.toString());
        assertEquals(0, local.exit(), "the database alone cannot tell: " + local.out());
        assertTrue(local.out().contains("warning: no anchor journal at"), local.out());
        Run r = run("audit", "verify", "--data", data.toString(), "--journal", witnessCopy.toString());
        assertEquals(1, r.exit(), r.out());
        assertTrue(r.out().contains("ANCHOR_MISSING") && r.out().contains("missing from the database"), r.out());
        Run missing = run("audit", "verify", "--data", data.toString(), "--journal", data.resolve("nope").toString());
        assertEquals(2, missing.exit());
        assertTrue(missing.err().startsWith("cachet-cli: No anchor journal at"), missing.err());
    }

    @Test
    void aModifiedRecordIsPinpointedWithExitOne() throws Exception {
        serverWrites(5);
        try (LocalDatabase db = Databases.open("jdbc:h2:file:" + data.resolve("db/cachet"), "", new char[0], 2)) {
            db.inTransaction(c -> c.createStatement().executeUpdate("UPDATE audit_record SET actor = 'mallory' WHERE seq = 3"));
        }
        Run r = run("audit", "verify", "--data", data.toString());
        assertEquals(1, r.exit(), r.out());
        assertTrue(r.out().contains("MODIFIED") && r.out().contains("record 3"), r.out());
    }

    @Test
    void anchorsTimeStampedByTheCaTsaAreCheckedAgainstThePublishedChain() throws Exception {
        TokenDriver driver = SoftTokens.driver(data.resolve("tokens"), 1);
        TokenInfo info = driver.initialize(0, "so-pin-1234".toCharArray(), "pin-1234".toCharArray(), "ca",
                PinPolicy.TOKEN_DEFAULT);
        try (Token token = driver.login(info.serial(), "pin-1234".toCharArray());
                LocalDatabase db = Databases.open("jdbc:h2:file:" + data.resolve("db/cachet"), "", new char[0], 2)) {
            LocalCa ca = LocalCa.create(token, "Cachet Test", "NTRFR-123456789", "FR", KeyAlgorithm.EC_P256);
            var signer = TimeStamping.anchorSigner(TimeStamping.authority(
                    ca.timeStampKey("1.3.6.1.4.1.32473.1.2"), Clock.systemUTC()), () -> List.of(ca.issuing()));
            try (ClosableAuditLog log = AuditLogs.writer(db, List.of(signer), data)) {
                for (int i = 0; i < 3; i++) {
                    log.append(AuditEvent.of("system", "test.event", "s" + i, "p" + i));
                }
                assertEquals("rfc3161", log.anchor().orElseThrow().signer());
            }
            Files.createDirectories(data.resolve("keys"));
            Files.writeString(data.resolve("keys/ca-chain.pem"), TestPki.pem(ca.issuing(), ca.root()));
        }
        Run r = run("audit", "verify", "--data", data.toString());
        assertEquals(0, r.exit(), r.out() + r.err());
        assertTrue(r.out().contains("3 records, 1 anchors checked") && r.out().contains("INTACT"), r.out());
        assertTrue(!r.out().contains("not yet anchored") && !r.out().contains("journal"), "the journal agrees: " + r.out());

        // the anchor's time-stamp no longer matches a rewritten history
        try (LocalDatabase db = Databases.open("jdbc:h2:file:" + data.resolve("db/cachet"), "", new char[0], 2)) {
            db.inTransaction(c -> c.createStatement().executeUpdate(
                    "UPDATE audit_anchor SET head_hash = '" + "0".repeat(64) + "'"));
        }
        Run tampered = run("audit", "verify", "--data", data.toString());
        assertEquals(1, tampered.exit(), tampered.out());
        assertTrue(tampered.out().contains("ANCHOR_INVALID"), tampered.out());
    }

    @Test
    void aMissingDataDirectoryGivesOneLineAndExitTwo() {
        Run r = run("audit", "verify", "--data", data.resolve("nope").toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().startsWith("cachet-cli: No Cachet data directory at"), r.err());
        assertEquals(1, r.err().strip().lines().count(), "one line, no stack trace: " + r.err());
    }

    @Test
    void aDataDirectoryWithoutDatabaseIsNotSilentlyCreated() throws Exception {
        Files.createDirectories(data.resolve("deploy"));
        Run r = run("audit", "verify", "--data", data.toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("db/cachet.mv.db is missing"), r.err());
        assertTrue(Files.notExists(data.resolve("db/cachet.mv.db")));
    }
}
