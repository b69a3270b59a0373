package io.cachet.cli;

import io.cachet.api.token.PinPolicy;
import io.cachet.api.token.Token;
import io.cachet.api.token.TokenInfo;
import io.cachet.ca.internal.CaHierarchy;
import io.cachet.ca.internal.CaSettings;
import io.cachet.ca.internal.Rfc3161AnchorSigner;
import io.cachet.ca.internal.TimeStampAuthority;
import io.cachet.ca.internal.http.Pem;
import io.cachet.token.soft.internal.SoftTokenDriver;

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
import io.cachet.audit.internal.JdbcAuditLog;
import io.cachet.audit.internal.LocalAnchorSigner;
import io.cachet.store.internal.JdbcDatabase;

class AuditVerifyTest {

    @TempDir
    Path data;

    /** Fills a data directory the way the server does: H2 in DATA/db, anchor key in DATA/keys. */
    private void serverWrites(int records) {
        try (JdbcDatabase db = new JdbcDatabase("jdbc:h2:file:" + data.resolve("db/cachet"), "", new char[0], 2)) {
            var signer = new LocalAnchorSigner(data.resolve("keys"));
            JdbcAuditLog log = new JdbcAuditLog(db, Clock.systemUTC(), () -> List.of(signer));
            for (int i = 0; i < records; i++) {
                log.append(AuditEvent.of("system", "test.event", "s" + i, "p" + i));
            }
            log.anchor();
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
    void anIntactLogVerifiesWithExitZero() {
        serverWrites(5);
        Run r = run("audit", "verify", "--data", data.toString());
        assertEquals(0, r.exit(), r.out() + r.err());
        assertTrue(r.out().contains("5 records, 1 anchors checked"), r.out());
        assertTrue(r.out().contains("INTACT"), r.out());
    }

    @Test
    void aModifiedRecordIsPinpointedWithExitOne() throws Exception {
        serverWrites(5);
        try (JdbcDatabase db = new JdbcDatabase("jdbc:h2:file:" + data.resolve("db/cachet"), "", new char[0], 2)) {
            db.inTransaction(c -> c.createStatement().executeUpdate("UPDATE audit_record SET actor = 'mallory' WHERE seq = 3"));
        }
        Run r = run("audit", "verify", "--data", data.toString());
        assertEquals(1, r.exit(), r.out());
        assertTrue(r.out().contains("MODIFIED") && r.out().contains("record 3"), r.out());
    }

    @Test
    void anchorsTimeStampedByTheCaTsaAreCheckedAgainstThePublishedChain() throws Exception {
        SoftTokenDriver driver = new SoftTokenDriver(data.resolve("tokens"), 1);
        TokenInfo info = driver.initialize(0, "so-pin-1234".toCharArray(), "pin-1234".toCharArray(), "ca",
                PinPolicy.TOKEN_DEFAULT);
        try (Token token = driver.login(info.serial(), "pin-1234".toCharArray());
                JdbcDatabase db = new JdbcDatabase("jdbc:h2:file:" + data.resolve("db/cachet"), "", new char[0], 2)) {
            CaHierarchy ca = CaHierarchy.create(token, CaSettings.defaults("Cachet Test", "NTRFR-123456789", "FR"));
            TimeStampAuthority tsa = new TimeStampAuthority(ca, "1.3.6.1.4.1.32473.1.2", Clock.systemUTC());
            var signer = new Rfc3161AnchorSigner(tsa::respond, () -> List.of(ca.issuing()));
            JdbcAuditLog log = new JdbcAuditLog(db, Clock.systemUTC(), () -> List.of(signer));
            for (int i = 0; i < 3; i++) {
                log.append(AuditEvent.of("system", "test.event", "s" + i, "p" + i));
            }
            assertEquals("rfc3161", log.anchor().orElseThrow().signer());
            Files.createDirectories(data.resolve("keys"));
            Files.writeString(data.resolve("keys/ca-chain.pem"), Pem.of(ca.issuing()) + Pem.of(ca.root()));
        }
        Run r = run("audit", "verify", "--data", data.toString());
        assertEquals(0, r.exit(), r.out() + r.err());
        assertTrue(r.out().contains("3 records, 1 anchors checked") && r.out().contains("INTACT"), r.out());

        // the anchor's time-stamp no longer matches a rewritten history
        try (JdbcDatabase db = new JdbcDatabase("jdbc:h2:file:" + data.resolve("db/cachet"), "", new char[0], 2)) {
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
