package io.cachet.store.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.TimeZone;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.cachet.api.store.Columns;
import io.cachet.store.testing.TestDatabases;

/**
 * A moment written with {@link Columns#time} into a {@code TIMESTAMP WITH TIME ZONE} column comes back the same
 * moment with {@link Columns#instant}, on H2 and PostgreSQL, whatever the JVM's time zone; null stays null.
 */
class ColumnsTest {

    @TempDir
    Path temp;

    static java.util.stream.Stream<String> products() {
        return TestDatabases.products();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("products")
    void aMomentComesBackTheSameMomentAndNullStaysNull(String product) {
        Instant moment = Instant.parse("2026-03-29T01:30:00.123456Z"); // within a DST change in Paris
        TimeZone jvm = TimeZone.getDefault();
        TimeZone.setDefault(TimeZone.getTimeZone("Europe/Paris"));
        try (var h = TestDatabases.open(product, temp)) {
            assertEquals(ZoneOffset.UTC, Columns.time(moment).getOffset());
            assertNull(Columns.time(null));
            h.database().inTransaction(c -> {
                try (PreparedStatement ps = c.prepareStatement("CREATE TABLE columns_test (id INT PRIMARY KEY,"
                        + " at TIMESTAMP WITH TIME ZONE)")) {
                    ps.executeUpdate();
                }
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO columns_test VALUES (?, ?), (?, ?)")) {
                    ps.setInt(1, 1);
                    ps.setObject(2, Columns.time(moment));
                    ps.setInt(3, 2);
                    ps.setObject(4, Columns.time(null));
                    ps.executeUpdate();
                }
                try (PreparedStatement ps = c.prepareStatement("SELECT id, at FROM columns_test ORDER BY id");
                        ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    assertEquals(moment, Columns.instant(rs, "at"));
                    assertEquals(moment, Columns.instant(rs, 2));
                    rs.next();
                    assertNull(Columns.instant(rs, "at"));
                    assertNull(Columns.instant(rs, 2));
                }
                return null;
            });
        } finally {
            TimeZone.setDefault(jvm);
        }
    }
}
