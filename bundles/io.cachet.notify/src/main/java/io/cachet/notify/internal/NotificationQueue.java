package io.cachet.notify.internal;

import static io.cachet.api.store.Columns.instant;
import static io.cachet.api.store.Columns.time;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import io.cachet.api.notify.Channel;
import io.cachet.api.notify.NotificationRecord;
import io.cachet.api.notify.NotificationStatus;
import io.cachet.api.store.Database;
import io.cachet.api.store.StoreException;
import io.cachet.api.store.DueRows;

/**
 * The table {@code notify_message}: queueing (in the caller's transaction), claiming the next due message with
 * {@code SELECT ... FOR UPDATE SKIP LOCKED}, recording what an attempt gave, and reading for operators. Plain JDBC
 * through {@link Database}; H2 2.x and PostgreSQL alike.
 */
public final class NotificationQueue {

    private static final String COLUMNS = "id, channel, recipient, template, language, brand, subject, body, status,"
            + " attempts, created_at, next_attempt_at, sent_at, last_error";

    private final Database database;
    private final String product;

    public NotificationQueue(Database database) {
        this.database = database;
        this.product = database.product();
        database.migrate("notify", NotificationQueue.class.getClassLoader(), "db/notify");
    }

    /** The database the queue is in, for work that must commit with a queued message (its audit record). */
    Database database() {
        return database;
    }

    /** A rendered message to queue. */
    public record NewMessage(Channel channel, String recipient, String template, String language, String brand,
            String subject, String body, String idempotencyKey) {
    }

    /**
     * Inserts a PENDING message due now, joining the caller's transaction. With an idempotency key already used,
     * inserts nothing.
     *
     * @return the new id, or the id of the message queued earlier with the same key, and whether it is new
     */
    public Queued enqueue(NewMessage m, Instant now) {
        return database.inTransaction(c -> {
            if (m.idempotencyKey() != null) {
                Optional<String> existing = idByKey(c, m.idempotencyKey());
                if (existing.isPresent()) {
                    return new Queued(existing.get(), false);
                }
            }
            String id = UUID.randomUUID().toString();
            // a concurrent insert with the same key fails the statement: a savepoint keeps the caller's transaction
            // usable (PostgreSQL aborts a transaction on any failed statement) so that the winner's id can be read
            Savepoint savepoint = m.idempotencyKey() == null ? null : c.setSavepoint();
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO notify_message (id, channel, recipient,"
                    + " template, language, brand, subject, body, status, attempts, created_at, next_attempt_at,"
                    + " idempotency_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'PENDING', 0, ?, ?, ?)")) {
                ps.setString(1, id);
                ps.setString(2, m.channel().name());
                ps.setString(3, m.recipient());
                ps.setString(4, m.template());
                ps.setString(5, m.language());
                ps.setString(6, m.brand());
                ps.setString(7, m.subject());
                ps.setString(8, m.body());
                ps.setObject(9, time(now));
                ps.setObject(10, time(now));
                ps.setString(11, m.idempotencyKey());
                ps.executeUpdate();
            } catch (SQLException e) {
                if (savepoint != null && StoreException.isUniqueViolation(e)) {
                    c.rollback(savepoint);
                    return new Queued(idByKey(c, m.idempotencyKey()).orElseThrow(() -> e), false);
                }
                throw e;
            }
            if (savepoint != null) {
                c.releaseSavepoint(savepoint);
            }
            return new Queued(id, true);
        });
    }

    /** The outcome of {@link #enqueue}. */
    public record Queued(String id, boolean created) {
    }

    private static Optional<String> idByKey(Connection c, String key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM notify_message WHERE idempotency_key = ?")) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    /**
     * Inside the caller's transaction: locks the oldest PENDING message due at {@code now} that no other
     * transaction holds ({@code FOR UPDATE SKIP LOCKED}); the lock lasts until the transaction ends, so the
     * caller delivers it and records the result before committing ({@link DueRows}, shared with the other queues).
     */
    public Optional<NotificationRecord> claimNext(Connection c, Instant now) throws SQLException {
        return DueRows.claimOldest(c, product, "notify_message", COLUMNS, now, NotificationQueue::read);
    }

    /** Records the state an attempt led to, inside the transaction that claimed the message. */
    public void record(Connection c, String id, DeliveryState state, String node) throws SQLException {
        boolean done = state.status() == NotificationStatus.SENT || state.status() == NotificationStatus.OUTBOX;
        try (PreparedStatement ps = c.prepareStatement("UPDATE notify_message SET status = ?, attempts = ?,"
                + " next_attempt_at = ?, sent_at = ?, last_error = ?, delivered_by = ? WHERE id = ? AND status = 'PENDING'")) {
            ps.setString(1, state.status().name());
            ps.setInt(2, state.attempts());
            ps.setObject(3, time(state.nextAttemptAt()));
            ps.setObject(4, done ? time(state.nextAttemptAt()) : null);
            ps.setString(5, state.error() == null ? null : truncate(state.error(), 1000));
            ps.setString(6, truncate(node, 100));
            ps.setString(7, id);
            if (ps.executeUpdate() != 1) {
                throw new SQLException("notification " + id + " is no longer PENDING", "40001");
            }
        }
    }

    public Optional<NotificationRecord> find(String id) {
        return database.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM notify_message WHERE id = ?")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(read(rs)) : Optional.empty();
                }
            }
        });
    }

    /** Messages with {@code status}, of {@code channel} (null = all), newest first. */
    public List<NotificationRecord> list(NotificationStatus status, Channel channel, int offset, int limit) {
        return database.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM notify_message WHERE status = ?"
                    + (channel == null ? "" : " AND channel = ?")
                    + " ORDER BY created_at DESC, id DESC OFFSET ? ROWS FETCH FIRST ? ROWS ONLY")) {
                int i = 1;
                ps.setString(i++, status.name());
                if (channel != null) {
                    ps.setString(i++, channel.name());
                }
                ps.setInt(i++, offset);
                ps.setInt(i, limit);
                List<NotificationRecord> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(read(rs));
                    }
                }
                return out;
            }
        });
    }

    public long count(NotificationStatus status, Channel channel) {
        return database.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM notify_message WHERE status = ?"
                    + (channel == null ? "" : " AND channel = ?"))) {
                ps.setString(1, status.name());
                if (channel != null) {
                    ps.setString(2, channel.name());
                }
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    /** The queue at a glance, for the health report. */
    public record Backlog(long pending, Instant oldestPending, long failedSince) {
    }

    /** Pending messages (and the oldest one's queueing time), and messages that FAILED since {@code since}. */
    public Backlog backlog(Instant since) {
        return database.inTransaction(c -> {
            long pending;
            Instant oldest;
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*), MIN(created_at) FROM notify_message"
                    + " WHERE status = 'PENDING'"); ResultSet rs = ps.executeQuery()) {
                rs.next();
                pending = rs.getLong(1);
                OffsetDateTime t = rs.getObject(2, OffsetDateTime.class);
                oldest = t == null ? null : t.toInstant();
            }
            // a final state's next_attempt_at is the time it was reached
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM notify_message WHERE status = 'FAILED'"
                    + " AND next_attempt_at >= ?")) {
                ps.setObject(1, time(since));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return new Backlog(pending, oldest, rs.getLong(1));
                }
            }
        });
    }

    private static NotificationRecord read(ResultSet rs) throws SQLException {
        return new NotificationRecord(rs.getString("id"), Channel.valueOf(rs.getString("channel")),
                rs.getString("recipient"), rs.getString("template"), rs.getString("language"), rs.getString("brand"),
                rs.getString("subject"), rs.getString("body"), NotificationStatus.valueOf(rs.getString("status")),
                rs.getInt("attempts"), instant(rs, "created_at"), instant(rs, "next_attempt_at"),
                instant(rs, "sent_at"), rs.getString("last_error"));
    }

    static String truncate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
