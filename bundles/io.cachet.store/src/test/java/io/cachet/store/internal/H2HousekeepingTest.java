package io.cachet.store.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * H2 with every commit written at once keeps a chunk per commit unless something compacts: what an issuance does to
 * it (single-row commits under random keys), with and without {@link H2Housekeeping}.
 */
class H2HousekeepingTest {

    private static final int COMMITS = 1_500;

    @TempDir
    Path temp;

    /** RETENTION_TIME=0 lets chunks be rewritten at once instead of after H2's 45 s, so that the test is short. */
    private JdbcDatabase open(String name, int housekeepingMillis) {
        return new JdbcDatabase("jdbc:h2:file:" + temp.resolve(name).resolve("db") + ";WRITE_DELAY=0;RETENTION_TIME=0",
                "sa", new char[0], 4, housekeepingMillis);
    }

    private static void commitRandomRows(JdbcDatabase db, long seed) {
        db.inTransaction(c -> {
            try (var s = c.createStatement()) {
                s.execute("CREATE TABLE IF NOT EXISTS cert(serial VARCHAR(40) PRIMARY KEY, subject VARCHAR(200), der BYTEA)");
            }
            return null;
        });
        Random random = new Random(seed);
        for (int i = 0; i < COMMITS; i++) {
            String serial = Long.toHexString(random.nextLong());
            byte[] der = new byte[1_000]; // about a certificate's size, so that the rows fill many pages
            random.nextBytes(der);
            db.inTransaction(c -> {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO cert VALUES (?, ?, ?)")) {
                    ps.setString(1, serial);
                    ps.setString(2, "CN=Seal " + serial + ",O=Organisation,C=FR");
                    ps.setBytes(3, der);
                    return ps.executeUpdate();
                }
            });
        }
    }

    private static long info(JdbcDatabase db, String name) {
        return Long.parseLong(JdbcDatabaseTest.h2Setting(db, "info." + name));
    }

    private static int rows(JdbcDatabase db) {
        return db.read(c -> {
            try (var s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM cert")) {
                rs.next();
                return rs.getInt(1);
            }
        });
    }

    /** Waits until H2 has at most {@code most} chunks, filled to {@code fill} % at least; false on timeout. */
    private static boolean awaitCompacted(JdbcDatabase db, long most, long fill, long timeoutMillis)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
        while (info(db, "CHUNK_COUNT") > most || info(db, "CHUNKS_FILL_RATE") < fill) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(20); // polling a condition, bounded by the deadline
        }
        return true;
    }

    @Test
    void housekeepingFreesTheChunksThatCommitsLeaveBehind() throws Exception {
        long offFile;
        try (JdbcDatabase db = open("off", 0)) {
            commitRandomRows(db, 1);
            long chunks = info(db, "CHUNK_COUNT");
            long fill = info(db, "CHUNKS_FILL_RATE");
            offFile = info(db, "FILE_SIZE");
            assertTrue(chunks > COMMITS / 5 && fill < 30, "without housekeeping a random insert keeps a live page in"
                    + " most chunks: " + chunks + " chunks for " + COMMITS + " commits, " + fill + " % live");
            assertFalse(awaitCompacted(db, 50, 60, 500), "and nothing else frees them");
        }
        try (JdbcDatabase db = open("on", 20)) {
            commitRandomRows(db, 1);
            assertTrue(awaitCompacted(db, 50, 60, 30_000), "old chunks compacted and freed: "
                    + info(db, "CHUNK_COUNT") + " chunks left, " + info(db, "CHUNKS_FILL_RATE") + " % live");
            long onFile = info(db, "FILE_SIZE");
            assertTrue(onFile * 3 / 2 < offFile, "the freed space is used again: a file of " + onFile
                    + " bytes against " + offFile + " for the same commits without housekeeping");
            assertEquals(COMMITS, rows(db));
        }
        // what was moved is all there after a reopen
        try (JdbcDatabase db = open("on", 0)) {
            assertEquals(COMMITS, rows(db));
        }
    }

    @Test
    void theStoreIsReachedOnThisH2AndTheThreadEndsWithTheDatabase() throws SQLException, ReflectiveOperationException {
        try (JdbcDatabase db = open("reach", 0); Connection c = db.dataSource().getConnection()) {
            assertNotNull(H2Housekeeping.storeOf(c).getFileStore());
        }
        JdbcDatabase db = open("thread", 20);
        H2Housekeeping housekeeping = db.housekeeping();
        assertNotNull(housekeeping, "started with the database");
        assertFalse(housekeeping.stopped());
        db.close();
        assertTrue(housekeeping.stopped(), "stopped with the database");
    }

    @Test
    void aDatabaseInMemoryOrReadOnlyHasNothingToKeep() {
        try (JdbcDatabase db = new JdbcDatabase("jdbc:h2:mem:housekeeping", "sa", new char[0], 2, 20)) {
            assertNull(db.housekeeping());
        }
        try (JdbcDatabase db = open("read-only", 20)) {
            assertNotNull(db.housekeeping());
            db.inTransaction(c -> {
                try (var s = c.createStatement()) {
                    return s.executeUpdate("CREATE TABLE t(id INT)");
                }
            });
        }
        try (JdbcDatabase db = new JdbcDatabase("jdbc:h2:file:" + temp.resolve("read-only").resolve("db")
                + ";ACCESS_MODE_DATA=r", "sa", new char[0], 2, 20)) {
            assertNull(db.housekeeping());
        }
    }
}
