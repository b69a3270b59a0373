package io.cachet.api.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Claims work from a queue table that several nodes share: the background senders of messages, webhooks and the
 * like. One implementation of the claim, because its H2 variant is subtle (below). Plain Java; thread-safe.
 *
 * <p>The table has a text primary key {@code id}, a {@code status} column whose value {@code 'PENDING'} marks work
 * to do, and a {@code next_attempt_at} timestamp (with time zone) from which it is due.
 *
 * @since 1.1
 */
public final class DueRows {

    /** How many due rows an H2 claim looks at. */
    private static final int H2_CANDIDATES = 16;

    /** Reads the claimed row. */
    @FunctionalInterface
    public interface RowReader<T> {
        T read(ResultSet row) throws SQLException;
    }

    private DueRows() {
    }

    /**
     * Inside the caller's transaction, locks the oldest {@code PENDING} row due at {@code now} that no other
     * transaction holds ({@code FOR UPDATE SKIP LOCKED}). The lock lasts until the transaction ends, so the caller
     * does the work and records its result before committing; another node's claim meanwhile takes another row.
     *
     * <p>PostgreSQL takes the first unlocked due row in one statement, and re-checks the condition on the row it
     * locks. H2 2.x supports {@code SKIP LOCKED} too, but applies {@code FETCH FIRST} before skipping: with the
     * oldest row locked, the same statement finds nothing. On H2 a few candidates are therefore read without a lock
     * and locked one by one, each in a new statement that reads the latest committed row (one another transaction
     * finished is no longer {@code PENDING}).
     *
     * @param product {@link Database#product()}
     * @param table the queue table; a constant of the caller, never input
     * @param columns the columns to read, comma-separated; a constant of the caller, never input
     * @return the claimed row as {@code reader} reads it, or empty when nothing is due or every due row is taken
     */
    public static <T> Optional<T> claimOldest(Connection c, String product, String table, String columns, Instant now,
            RowReader<T> reader) throws SQLException {
        OffsetDateTime due = OffsetDateTime.ofInstant(now, ZoneOffset.UTC);
        if ("PostgreSQL".equals(product)) {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + columns + " FROM " + table + " WHERE status ="
                    + " 'PENDING' AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT 1 FOR UPDATE SKIP LOCKED")) {
                ps.setObject(1, due);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(reader.read(rs)) : Optional.empty();
                }
            }
        }
        List<String> candidates = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM " + table + " WHERE status = 'PENDING' AND"
                + " next_attempt_at <= ? ORDER BY next_attempt_at, id FETCH FIRST " + H2_CANDIDATES + " ROWS ONLY")) {
            ps.setObject(1, due);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    candidates.add(rs.getString(1));
                }
            }
        }
        for (String id : candidates) {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + columns + " FROM " + table + " WHERE id = ?"
                    + " AND status = 'PENDING' FOR UPDATE SKIP LOCKED")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        return Optional.of(reader.read(rs));
                    }
                }
            }
        }
        return Optional.empty();
    }
}
