package io.cachet.identity.mobile.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.cachet.api.audit.AuditLog;
import io.cachet.api.security.SecretVault;
import io.cachet.audit.launch.AuditLogs;
import io.cachet.store.testing.TestDatabases;
import io.cachet.store.testing.TestVaults;
import io.cachet.web.testing.FakeHttp;

/** Short links and the form key on H2 and PostgreSQL: durable, hashed, sealed, expiring, one key per deployment. */
class ShortLinksTest {

    static final String FLOW = "flow_" + "Q".repeat(38);

    @TempDir
    Path dir;

    static java.util.stream.Stream<String> products() {
        return TestDatabases.products();
    }

    @ParameterizedTest
    @MethodSource("products")
    void codesAreStoredHashedWithTheFlowSealedAndExpire(String product) throws Exception {
        try (TestDatabases.Handle db = TestDatabases.open(product, dir)) {
            ShortLinks.migrate(db.database());
            SecretVault vault = TestVaults.embedded(dir);
            AuditLog audit = AuditLogs.open(db.database(), List.of());
            Instant t0 = Instant.parse("2030-01-01T10:00:00Z");
            ShortLinks at0 = new ShortLinks(db.database(), vault, audit, Clock.fixed(t0, ZoneOffset.UTC),
                    new SecureRandom(), Duration.ofMinutes(20));
            String code = at0.issue("case-9", FLOW, "en");
            assertTrue(code.matches("[2-9A-HJ-NP-Z]{8}"), code);
            assertEquals(new ShortLinks.Target("case-9", FLOW, "en"), at0.resolve(code).orElseThrow());
            assertEquals(FLOW, at0.resolve(ShortLinks.display(code).toLowerCase()).orElseThrow().flowToken());
            // stored: neither the code nor the flow token in clear
            String[] row = db.database().inTransaction(c -> {
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT code_hash, flow_sealed FROM identity_mobile_short");
                        ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return new String[] {rs.getString(1), rs.getString(2)};
                }
            });
            assertNotEquals(code, row[0]);
            assertTrue(!row[1].contains(FLOW) && row[0].length() == 64);
            // a restart (a new instance on the same database) still knows it; after 20 minutes nobody does
            ShortLinks later = new ShortLinks(db.database(), vault, audit,
                    Clock.fixed(t0.plus(Duration.ofMinutes(19)), ZoneOffset.UTC), new SecureRandom(),
                    Duration.ofMinutes(20));
            assertTrue(later.resolve(code).isPresent());
            ShortLinks expired = new ShortLinks(db.database(), vault, audit,
                    Clock.fixed(t0.plus(Duration.ofMinutes(21)), ZoneOffset.UTC), new SecureRandom(),
                    Duration.ofMinutes(20));
            assertTrue(expired.resolve(code).isEmpty());
            expired.issue("case-9", FLOW, "en"); // deletes the expired rows
            int rows = db.database().inTransaction(c -> {
                try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM identity_mobile_short");
                        ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getInt(1);
                }
            });
            assertEquals(1, rows);
            assertNull(ShortLinks.normalise("ABCD-EFG1"), "1 is not in the alphabet");
            assertNull(ShortLinks.normalise("ABC"));

            // the form key: made once, the same for a second node
            FormTokens first = FormTokens.load(db.database(), vault, new SecureRandom());
            FormTokens second = FormTokens.load(db.database(), vault, new SecureRandom());
            FakeHttp.Request r = MobileServletTest.phone("GET", MobileServlet.PATH, "/x");
            FakeHttp.Response out = new FakeHttp.Response();
            String token = first.token(r.build(), out.proxy, "f");
            assertTrue(second.valid(MobileServletTest.phone("POST", MobileServlet.PATH, "/x")
                    .cookie(FormTokens.COOKIE, out.cookie(FormTokens.COOKIE)).build(), "f", token));
            assertTrue(!second.valid(MobileServletTest.phone("POST", MobileServlet.PATH, "/x")
                    .cookie(FormTokens.COOKIE, out.cookie(FormTokens.COOKIE)).build(), "g", token), "bound to its form");
        }
    }
}
