package io.cachet.ca.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cachet.store.testing.TestDatabases;

/**
 * The CRL reads the revoked rows through the index on (issuer, revoked_at), not every certificate of the issuer
 * through the primary key. Checked on H2 only, whose plan for this statement does not depend on the table's
 * statistics (PostgreSQL's planner rightly scans a small table instead).
 */
class CrlQueryPlanTest {
    @TempDir
    Path dir;

    @Test
    void theCrlQueryWalksTheRevocationIndexOnH2() throws Exception {
        CaHierarchy ca = CaHierarchy.create(new JcaTestToken(), CaSettings.defaults("Cachet Test", CaTest.ORG_ID, "FR"));
        try (TestDatabases.Handle h = TestDatabases.open("h2", dir)) {
            new JdbcCertificateRepository(h.database(), ca.issuing());
            String plan = h.database().inTransaction(c -> {
                try (PreparedStatement ps = c.prepareStatement("EXPLAIN " + JdbcCertificateRepository.REVOKED)) {
                    ps.setString(1, "0".repeat(64));
                    ps.setObject(2, Instant.EPOCH.atOffset(ZoneOffset.UTC));
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        return rs.getString(1);
                    }
                }
            });
            assertTrue(plan.contains("CA_CERTIFICATE_REVOKED:"), plan);
        }
    }
}
