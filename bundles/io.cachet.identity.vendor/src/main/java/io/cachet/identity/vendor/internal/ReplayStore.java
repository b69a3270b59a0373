package io.cachet.identity.vendor.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;

import io.cachet.api.store.Database;
import io.cachet.api.store.StoreException;

/**
 * The vendor webhook events already applied (table {@code identity_vendor_event}), so that none is applied twice.
 * {@link #remember} runs in the caller's transaction, the one that applies the event: both commit or neither.
 */
final class ReplayStore {

    static final String MODULE = "identity_vendor";

    private final Database database;

    ReplayStore(Database database) {
        this.database = database;
    }

    void migrate() {
        database.migrate(MODULE, ReplayStore.class.getClassLoader(), "db/identity_vendor");
    }

    /**
     * Records the event, inside the caller's transaction.
     *
     * @return false when it was recorded before (by a committed transaction, or by a concurrent one that then
     *         commits: the unique key makes the second insert fail); the caller must then roll back
     */
    boolean remember(Connection c, String provider, String eventId, String sessionId, String caseId, Instant now,
            Instant expiresAt) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "SELECT 1 FROM identity_vendor_event WHERE provider = ? AND event_id = ?")) {
            s.setString(1, provider);
            s.setString(2, eventId);
            try (ResultSet rs = s.executeQuery()) {
                if (rs.next()) {
                    return false;
                }
            }
        }
        try (PreparedStatement s = c.prepareStatement("INSERT INTO identity_vendor_event (provider, event_id,"
                + " session_id, case_id, received_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)")) {
            s.setString(1, provider);
            s.setString(2, eventId);
            s.setString(3, sessionId);
            s.setString(4, caseId);
            s.setTimestamp(5, Timestamp.from(now));
            s.setTimestamp(6, Timestamp.from(expiresAt));
            s.executeUpdate();
            return true;
        } catch (SQLException e) {
            if (StoreException.isUniqueViolation(e)) {
                return false;
            }
            throw e;
        }
    }

    /** @return whether the event is recorded (committed) */
    boolean seen(String provider, String eventId) {
        return database.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT 1 FROM identity_vendor_event WHERE provider = ? AND event_id = ?")) {
                s.setString(1, provider);
                s.setString(2, eventId);
                try (ResultSet rs = s.executeQuery()) {
                    return rs.next();
                }
            }
        });
    }

    /** Deletes the events whose expiry has passed; @return how many */
    int purge(Instant now) {
        return database.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement("DELETE FROM identity_vendor_event WHERE expires_at < ?")) {
                s.setTimestamp(1, Timestamp.from(now));
                return s.executeUpdate();
            }
        });
    }
}
