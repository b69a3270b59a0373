package io.cachet.store.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cachet.api.store.StoreException;

/**
 * What a power cut leaves of the embedded H2 database: with {@link H2CommitSync} every commit Cachet answered for,
 * without it not even those. The power cut is {@link PowerCutFileSystem}'s: the file as it was at its last force.
 */
class H2CommitSyncTest {

    private static final int THREADS = 4;
    private static final int COMMITS_PER_THREAD = 60;

    @TempDir
    Path temp;

    @BeforeAll
    static void fileSystem() {
        PowerCutFileSystem.register();
    }

    @AfterEach
    void disk() {
        PowerCutFileSystem.failForce = false;
    }

    /** Housekeeping off: the commits' own writes only. */
    private JdbcDatabase open(String name, boolean sync) {
        return new JdbcDatabase("jdbc:h2:powercut:" + temp.resolve(name).resolve("db") + ";WRITE_DELAY=0", "sa",
                new char[0], THREADS + 1, 0, sync);
    }

    private static void createTable(JdbcDatabase db) {
        db.inTransaction(c -> {
            try (var s = c.createStatement()) {
                s.execute("CREATE TABLE cert(id INT PRIMARY KEY, der BYTEA)");
            }
            return null;
        });
    }

    private static int insert(Connection c, int id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO cert VALUES (?, ?)")) {
            ps.setInt(1, id);
            ps.setBytes(2, new byte[700]);
            return ps.executeUpdate();
        }
    }

    /**
     * Commits from several threads, half alone and half in shared transactions (group commit); returns the ids whose
     * commit was answered for.
     */
    private static Set<Integer> commitConcurrently(JdbcDatabase db) throws Exception {
        Set<Integer> acknowledged = ConcurrentHashMap.newKeySet();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < COMMITS_PER_THREAD; i++) {
                        int id = thread * 1_000 + i;
                        if (i % 2 == 0) {
                            db.inTransaction(c -> insert(c, id));
                        } else {
                            db.inSharedTransaction(c -> insert(c, id));
                        }
                        acknowledged.add(id);
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        return acknowledged;
    }

    /** Opens what the power cut left of {@code name}'s database (it stays open, as a power cut does not close it). */
    private Set<Integer> idsAfterPowerCut(String name) throws Exception {
        Path image = temp.resolve(name + "-after-power-cut").resolve("db");
        assertTrue(PowerCutFileSystem.image(temp.resolve(name).resolve("db.mv.db"),
                Path.of(image + ".mv.db")), "the file was forced at least once");
        Set<Integer> ids = new HashSet<>();
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + image, "sa", "");
                var s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT id FROM cert")) {
            while (rs.next()) {
                ids.add(rs.getInt(1));
            }
        }
        return ids;
    }

    @Test
    void everyAcknowledgedCommitSurvivesAPowerCut() throws Exception {
        try (JdbcDatabase db = open("synced", true)) {
            assertNotNull(db.commitSync());
            createTable(db);
            int forcesBefore = PowerCutFileSystem.FORCES.get();
            Set<Integer> acknowledged = commitConcurrently(db);
            assertEquals(THREADS * COMMITS_PER_THREAD, acknowledged.size());
            int forces = PowerCutFileSystem.FORCES.get() - forcesBefore;
            assertTrue(forces >= 1 && forces <= acknowledged.size(), "one force per commit at most: " + forces);

            Set<Integer> survived = idsAfterPowerCut("synced");
            Set<Integer> lost = new HashSet<>(acknowledged);
            lost.removeAll(survived);
            assertEquals(Set.of(), lost, "acknowledged commits lost to the power cut");
        }
    }

    /** The test above can fail: without the force, H2's writes stay with the system and a power cut takes them. */
    @Test
    void withoutTheForceAPowerCutLosesAcknowledgedCommits() throws Exception {
        try (JdbcDatabase db = open("unsynced", false)) {
            assertNull(db.commitSync());
            createTable(db);
            db.inTransaction(c -> {
                try (var s = c.createStatement()) {
                    s.execute("CHECKPOINT SYNC"); // the table on disk, as after a long quiet time
                }
                return null;
            });
            Set<Integer> acknowledged = commitConcurrently(db);

            Set<Integer> survived = idsAfterPowerCut("unsynced");
            assertTrue(survived.size() < acknowledged.size(),
                    "a power cut without forces kept " + survived.size() + " of " + acknowledged.size());
        }
    }

    @Test
    void aForceThatFailsIsReportedInsteadOfAcknowledged() throws Exception {
        try (JdbcDatabase db = open("failing", true)) {
            createTable(db);
            PowerCutFileSystem.failForce = true;
            StoreException alone = assertThrows(StoreException.class, () -> db.inTransaction(c -> insert(c, 1)));
            assertTrue(alone.getMessage().contains("could not be forced to disk"), alone.getMessage());
            assertTrue(alone.getMessage().contains("Input/output error"), alone.getMessage());
            StoreException shared = assertThrows(StoreException.class,
                    () -> db.inSharedTransaction(c -> insert(c, 2)));
            assertTrue(shared.getMessage().contains("could not be forced to disk"), shared.getMessage());

            // the changes were committed (the message says so): the disk, once well, takes the next force
            PowerCutFileSystem.failForce = false;
            db.inTransaction(c -> insert(c, 3));
            assertEquals(Set.of(1, 2, 3), idsAfterPowerCut("failing"));
        }
    }

    @Test
    void nothingToForceInMemory() {
        try (JdbcDatabase db = new JdbcDatabase("jdbc:h2:mem:commit-sync", "sa", new char[0], 2, 0, true)) {
            assertNull(db.commitSync());
            createTable(db);
            assertEquals(1, (int) db.inTransaction(c -> insert(c, 1)));
        }
    }

    @Test
    void turningTheForceOffIsAWarningInHealth() {
        try (JdbcDatabase off = open("off", false); JdbcDatabase on = open("on", true);
                JdbcDatabase memory = new JdbcDatabase("jdbc:h2:mem:commit-sync-off", "sa", new char[0], 2, 0, false)) {
            assertTrue(off.status().reachable());
            assertTrue(off.status().detail().startsWith("WARNING: h2SyncCommits is false"), off.status().detail());
            assertTrue(off.durabilityWarning().contains("power cut"), off.durabilityWarning());
            assertNull(on.durabilityWarning());
            assertFalse(on.status().detail().contains("WARNING"), on.status().detail());
            assertNull(memory.durabilityWarning()); // nothing of it survives a restart anyway
            assertFalse(memory.status().detail().contains("WARNING"), memory.status().detail());
        }
    }
}
