package io.cachet.webhook.internal;

import static io.cachet.api.store.Columns.instant;
import static io.cachet.api.store.Columns.time;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.cachet.api.store.Database;
import io.cachet.api.store.DueRows;

/**
 * The tables {@code webhook_endpoint}, {@code webhook_delivery} and {@code webhook_attempt}: plain JDBC through
 * {@link Database}, H2 2.x and PostgreSQL alike. Methods taking a {@link Connection} work inside the caller's
 * transaction; the others open (or join) one.
 */
final class WebhookStore {

    enum Status { PENDING, DELIVERED, FAILED }

    /** An endpoint, without its secrets. */
    record Endpoint(String id, String reseller, String url, Instant createdAt, Instant rotatedAt,
            Instant previousUntil, Instant deletedAt) {
    }

    /** An endpoint with its sealed secrets (base64), for signing. */
    record Sealed(Endpoint endpoint, String secret, String previousSecret) {
    }

    record Delivery(String id, String endpoint, String orderId, long eventSequence, String type, String body,
            Status status, int attempts, Instant createdAt, Instant nextAttemptAt, Instant deliveredAt,
            Integer lastStatus, String lastError) {
    }

    record Attempt(String delivery, int attempt, Instant at, Integer statusCode, String error, long durationMillis,
            Instant nextAttemptAt, String node) {
    }

    private static final String ENDPOINT = "id, reseller, url, created_at, rotated_at, previous_until, deleted_at,"
            + " secret, previous_secret";
    private static final String DELIVERY = "id, endpoint, order_id, event_sequence, event_type, body, status, attempts,"
            + " created_at, next_attempt_at, delivered_at, last_status, last_error";
    private final Database database;
    private final String product;

    WebhookStore(Database database) {
        this.database = database;
        this.product = database.product();
        database.migrate("webhook", WebhookStore.class.getClassLoader(), "db/webhook");
    }

    Database database() {
        return database;
    }

    // ------------------------------------------------------------------ endpoints

    void insertEndpoint(Connection c, String id, String reseller, String url, String sealedSecret, Instant now)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO webhook_endpoint (id, reseller, url, secret,"
                + " created_at) VALUES (?, ?, ?, ?, ?)")) {
            ps.setString(1, id);
            ps.setString(2, reseller);
            ps.setString(3, url);
            ps.setString(4, sealedSecret);
            ps.setObject(5, time(now));
            ps.executeUpdate();
        }
    }

    /** @return the endpoint, deleted ones included; locked when asked */
    Optional<Sealed> endpoint(Connection c, String id, boolean lock) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + ENDPOINT + " FROM webhook_endpoint WHERE id = ?"
                + (lock ? " FOR UPDATE" : ""))) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(sealed(rs)) : Optional.empty();
            }
        }
    }

    /** @return the live endpoints of {@code reseller} (null: of every reseller), oldest first */
    List<Endpoint> endpoints(Connection c, String reseller) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + ENDPOINT + " FROM webhook_endpoint WHERE"
                + " deleted_at IS NULL" + (reseller == null ? "" : " AND reseller = ?") + " ORDER BY created_at, id")) {
            if (reseller != null) {
                ps.setString(1, reseller);
            }
            List<Endpoint> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(sealed(rs).endpoint());
                }
            }
            return out;
        }
    }

    void rotate(Connection c, String id, String sealedSecret, String sealedPrevious, Instant previousUntil, Instant now)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE webhook_endpoint SET secret = ?, previous_secret = ?,"
                + " previous_until = ?, rotated_at = ? WHERE id = ?")) {
            ps.setString(1, sealedSecret);
            ps.setString(2, sealedPrevious);
            ps.setObject(3, previousUntil == null ? null : time(previousUntil));
            ps.setObject(4, time(now));
            ps.setString(5, id);
            ps.executeUpdate();
        }
    }

    /** Marks the endpoint deleted and ends its pending deliveries (FAILED, saying why). */
    void delete(Connection c, String id, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE webhook_endpoint SET deleted_at = ?, secret = '',"
                + " previous_secret = NULL WHERE id = ?")) {
            ps.setObject(1, time(now));
            ps.setString(2, id);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE webhook_delivery SET status = 'FAILED', last_error = ?,"
                + " next_attempt_at = ? WHERE endpoint = ? AND status = 'PENDING'")) {
            ps.setString(1, "the webhook was deleted");
            ps.setObject(2, time(now));
            ps.setString(3, id);
            ps.executeUpdate();
        }
    }

    // ------------------------------------------------------------------ deliveries

    /** @return whether a delivery of this event to this endpoint is queued already (a transition recorded twice) */
    boolean queued(Connection c, String endpoint, String orderId, long sequence) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM webhook_delivery WHERE endpoint = ? AND"
                + " order_id = ? AND event_sequence = ?")) {
            ps.setString(1, endpoint);
            ps.setString(2, orderId);
            ps.setLong(3, sequence);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** The lowest event sequence of the deliveries of the order to the endpoint, 0 when there is none. */
    long lowestSequence(Connection c, String endpoint, String orderId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT MIN(event_sequence) FROM webhook_delivery WHERE"
                + " endpoint = ? AND order_id = ?")) {
            ps.setString(1, endpoint);
            ps.setString(2, orderId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                long min = rs.getLong(1);
                return rs.wasNull() ? 0 : min;
            }
        }
    }

    void insertDelivery(Connection c, String id, String endpoint, String orderId, long sequence, String type,
            String body, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO webhook_delivery (id, endpoint, order_id,"
                + " event_sequence, event_type, body, status, attempts, created_at, next_attempt_at) VALUES"
                + " (?, ?, ?, ?, ?, ?, 'PENDING', 0, ?, ?)")) {
            ps.setString(1, id);
            ps.setString(2, endpoint);
            ps.setString(3, orderId);
            ps.setLong(4, sequence);
            ps.setString(5, type);
            ps.setString(6, body);
            ps.setObject(7, time(now));
            ps.setObject(8, time(now));
            ps.executeUpdate();
        }
    }

    /**
     * Inside the caller's transaction: locks the oldest PENDING delivery due at {@code now} that no other transaction
     * holds ({@code FOR UPDATE SKIP LOCKED}); the lock lasts until the transaction ends ({@link DueRows}, shared with
     * the other queues).
     */
    Optional<Delivery> claimNext(Connection c, Instant now) throws SQLException {
        return DueRows.claimOldest(c, product, "webhook_delivery", DELIVERY, now, WebhookStore::delivery);
    }

    /** Records an attempt and the delivery's new state, inside the transaction that claimed it. */
    void recordAttempt(Connection c, Delivery d, Attempt a, Status status) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO webhook_attempt (delivery, attempt, attempted_at,"
                + " status_code, error, duration_ms, next_attempt_at, node) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, d.id());
            ps.setInt(2, a.attempt());
            ps.setObject(3, time(a.at()));
            ps.setObject(4, a.statusCode());
            ps.setString(5, truncate(a.error(), 1000));
            ps.setLong(6, a.durationMillis());
            ps.setObject(7, a.nextAttemptAt() == null ? null : time(a.nextAttemptAt()));
            ps.setString(8, truncate(a.node(), 100));
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE webhook_delivery SET status = ?, attempts = ?,"
                + " next_attempt_at = ?, delivered_at = ?, last_status = ?, last_error = ? WHERE id = ? AND"
                + " status = 'PENDING'")) {
            ps.setString(1, status.name());
            ps.setInt(2, a.attempt());
            ps.setObject(3, time(a.nextAttemptAt() == null ? a.at() : a.nextAttemptAt()));
            ps.setObject(4, status == Status.DELIVERED ? time(a.at()) : null);
            ps.setObject(5, a.statusCode());
            ps.setString(6, truncate(a.error(), 1000));
            ps.setString(7, d.id());
            if (ps.executeUpdate() != 1) {
                throw new SQLException("webhook delivery " + d.id() + " is no longer PENDING", "40001");
            }
        }
    }

    /** The deliveries of an endpoint, newest first, each with its attempts (oldest first). */
    Map<Delivery, List<Attempt>> deliveries(String endpoint, int offset, int limit) {
        return database.inTransaction(c -> {
            Map<Delivery, List<Attempt>> out = new LinkedHashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT " + DELIVERY + " FROM webhook_delivery WHERE"
                    + " endpoint = ? ORDER BY created_at DESC, id DESC OFFSET ? ROWS FETCH FIRST ? ROWS ONLY")) {
                ps.setString(1, endpoint);
                ps.setInt(2, offset);
                ps.setInt(3, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.put(delivery(rs), new ArrayList<>());
                    }
                }
            }
            for (Map.Entry<Delivery, List<Attempt>> e : out.entrySet()) {
                e.getValue().addAll(attempts(c, e.getKey().id()));
            }
            return out;
        });
    }

    Optional<Delivery> delivery(String id) {
        return database.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + DELIVERY + " FROM webhook_delivery WHERE id = ?")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(delivery(rs)) : Optional.empty();
                }
            }
        });
    }

    List<Attempt> attempts(Connection c, String delivery) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT delivery, attempt, attempted_at, status_code, error,"
                + " duration_ms, next_attempt_at, node FROM webhook_attempt WHERE delivery = ? ORDER BY attempt")) {
            ps.setString(1, delivery);
            List<Attempt> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    int code = rs.getInt(4);
                    Integer statusCode = rs.wasNull() ? null : code;
                    out.add(new Attempt(rs.getString(1), rs.getInt(2), instant(rs, 3), statusCode, rs.getString(5),
                            rs.getLong(6), instant(rs, 7), rs.getString(8)));
                }
            }
            return out;
        }
    }

    // ------------------------------------------------------------------ helpers

    private static Sealed sealed(ResultSet rs) throws SQLException {
        return new Sealed(new Endpoint(rs.getString(1), rs.getString(2), rs.getString(3), instant(rs, 4),
                instant(rs, 5), instant(rs, 6), instant(rs, 7)), rs.getString(8), rs.getString(9));
    }

    private static Delivery delivery(ResultSet rs) throws SQLException {
        int last = rs.getInt(12);
        Integer lastStatus = rs.wasNull() ? null : last;
        return new Delivery(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getString(5),
                rs.getString(6), Status.valueOf(rs.getString(7)), rs.getInt(8), instant(rs, 9), instant(rs, 10),
                instant(rs, 11), lastStatus, rs.getString(13));
    }

    static String truncate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
