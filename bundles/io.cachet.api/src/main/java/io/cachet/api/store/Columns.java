package io.cachet.api.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * How a moment is kept in a {@code TIMESTAMP WITH TIME ZONE} column, the one way every module reads and writes one:
 * written as an {@link OffsetDateTime} in UTC and read back as an {@link Instant}, which H2 and PostgreSQL both map
 * without a driver-specific type and without the JVM's default time zone taking part. {@code null} stays
 * {@code null} both ways (a moment not reached yet).
 *
 * @since 1.6
 */
public final class Columns {

    private Columns() {
    }

    /** The value to bind for {@code t} ({@code PreparedStatement.setObject}); null for null. */
    public static OffsetDateTime time(Instant t) {
        return t == null ? null : OffsetDateTime.ofInstant(t, ZoneOffset.UTC);
    }

    /** The moment in {@code column} of the current row; null when the column is null. */
    public static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    /** The moment in column {@code index} (1 for the first) of the current row; null when the column is null. */
    public static Instant instant(ResultSet rs, int index) throws SQLException {
        OffsetDateTime t = rs.getObject(index, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }
}
