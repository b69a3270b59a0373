package io.cachet.portal.internal;

import static io.cachet.api.store.Columns.instant;
import static io.cachet.api.store.Columns.time;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import io.cachet.api.audit.AuditEvent;
import io.cachet.api.audit.AuditLog;
import io.cachet.api.link.IssuedLink;
import io.cachet.api.link.PersonalLink;
import io.cachet.api.link.PersonalLinks;
import io.cachet.api.order.OrderRole;
import io.cachet.api.security.Digests;
import io.cachet.api.security.RandomTokens;
import io.cachet.api.store.Database;

/**
 * Personal links in the database (table {@code portal_link}). Thread-safe; safe with several nodes on one database.
 *
 * <p>A token is 32 random bytes (256 bits) from {@link SecureRandom}, URL-safe base64 without padding. Only its
 * SHA-256 is stored: a token carries far more entropy than any password, so a fast hash is enough (a slow,
 * salted hash protects low-entropy secrets from guessing; nobody can enumerate 2^256 tokens), and it lets a token
 * be found by an index look-up. The row is found by its hash; the stored hash is then compared with the computed
 * one in constant time ({@link MessageDigest#isEqual}). Timing of the index look-up can at most tell about the
 * hash, never about a token.
 *
 * <p>Issuing, renewing and revoking each write their audit record in the same transaction (never the token, never
 * the address).
 */
public final class LinkStore implements PersonalLinks {

    static final int TOKEN_BYTES = 32;
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{43}");
    private static final Pattern PURPOSE = Pattern.compile("[a-z][a-z0-9-]{0,31}");
    private static final Pattern PATH = Pattern.compile("/[A-Za-z0-9/_.-]{0,199}");

    private final Database database;
    private final AuditLog audit;
    private final Clock clock;
    private final SecureRandom random;
    private final String baseUrl;
    private final Predicate<String> orderEnded;

    /**
     * @param baseUrl public base URL links start with, e.g. {@code https://cachet.example.fr} (no trailing slash)
     * @param orderEnded whether an order has ended (no fresh link is then sent)
     */
    public LinkStore(Database database, AuditLog audit, Clock clock, SecureRandom random, String baseUrl,
            Predicate<String> orderEnded) {
        this.database = Objects.requireNonNull(database);
        this.audit = Objects.requireNonNull(audit);
        this.clock = Objects.requireNonNull(clock);
        this.random = Objects.requireNonNull(random);
        this.baseUrl = baseUrl.replaceAll("/+$", "");
        this.orderEnded = Objects.requireNonNull(orderEnded);
    }

    /** Applies this module's migrations. */
    public static void migrate(Database database) {
        database.migrate("portal", LinkStore.class.getClassLoader(), "db/portal");
    }

    public String baseUrl() {
        return baseUrl;
    }

    @Override
    public IssuedLink issue(String orderId, OrderRole role, String purpose, String email, String path,
            Duration validity, String actor) {
        check(orderId, role, purpose, email, path, validity, actor);
        return database.inTransaction(c -> {
            revokeLive(c, orderId, role, purpose);
            IssuedLink link = insert(c, orderId, role, purpose, email, path, validity);
            audit.append(AuditEvent.of(actor, "portal.link.issued", "order:" + orderId, details(link.link())));
            return link;
        });
    }

    @Override
    public Opened open(String token, String purpose) {
        if (token == null || !TOKEN.matcher(token).matches() || purpose == null) {
            return new Opened(Outcome.UNKNOWN, null);
        }
        byte[] hash = Digests.sha256(token);
        return database.inTransaction(c -> {
            Optional<Row> found = byHash(c, HexFormat.of().formatHex(hash));
            if (found.isEmpty() || !MessageDigest.isEqual(hash, HexFormat.of().parseHex(found.get().tokenHash))
                    || !found.get().link.purpose().equals(purpose)) {
                return new Opened(Outcome.UNKNOWN, null);
            }
            PersonalLink link = found.get().link;
            Instant now = clock.instant();
            if (link.revokedAt() != null) {
                return new Opened(Outcome.REVOKED, link);
            }
            if (!now.isBefore(link.expiresAt())) {
                return new Opened(Outcome.EXPIRED, link);
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE portal_link SET used_at = ? WHERE id = ?")) {
                ps.setObject(1, time(now));
                ps.setString(2, link.id());
                ps.executeUpdate();
            }
            return new Opened(Outcome.VALID, new PersonalLink(link.id(), link.orderId(), link.role(), link.purpose(),
                    link.email(), link.createdAt(), link.expiresAt(), now, null));
        });
    }

    @Override
    public Optional<IssuedLink> renew(String linkId, Duration validity, String actor) {
        if (linkId == null || validity == null || validity.isNegative() || validity.isZero()) {
            return Optional.empty();
        }
        return database.inTransaction(c -> {
            Optional<Row> old = byId(c, linkId);
            if (old.isEmpty() || orderEnded.test(old.get().link.orderId())) {
                return Optional.empty();
            }
            PersonalLink o = old.get().link;
            revokeLive(c, o.orderId(), o.role(), o.purpose());
            IssuedLink link = insert(c, o.orderId(), o.role(), o.purpose(), o.email(), old.get().path, validity);
            audit.append(AuditEvent.of(actor, "portal.link.renewed", "order:" + o.orderId(),
                    details(link.link()) + " replaces=" + o.id()));
            return Optional.of(link);
        });
    }

    @Override
    public void revokeAll(String orderId, String actor) {
        Objects.requireNonNull(orderId, "orderId");
        database.inTransaction(c -> {
            List<String> ids = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT id FROM portal_link WHERE order_id = ? AND revoked_at IS NULL ORDER BY id FOR UPDATE")) {
                ps.setString(1, orderId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getString(1));
                    }
                }
            }
            if (!ids.isEmpty()) {
                try (PreparedStatement ps = c.prepareStatement("UPDATE portal_link SET revoked_at = ?, live_key = NULL"
                        + " WHERE order_id = ? AND revoked_at IS NULL")) {
                    ps.setObject(1, time(clock.instant()));
                    ps.setString(2, orderId);
                    ps.executeUpdate();
                }
                audit.append(AuditEvent.of(actor, "portal.link.revoked", "order:" + orderId, "links=" + ids));
            }
            return null;
        });
    }

    @Override
    public List<PersonalLink> links(String orderId) {
        return database.inTransaction(c -> {
            List<PersonalLink> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS
                    + " FROM portal_link WHERE order_id = ? ORDER BY created_at DESC, id DESC")) {
                ps.setString(1, orderId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(row(rs).link);
                    }
                }
            }
            return out;
        });
    }

    private void revokeLive(Connection c, String orderId, OrderRole role, String purpose) throws SQLException {
        String live = liveKey(orderId, role, purpose);
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT id FROM portal_link WHERE live_key = ? FOR UPDATE")) {
            ps.setString(1, live);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return;
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE portal_link SET revoked_at = ?, live_key = NULL WHERE live_key = ?")) {
            ps.setObject(1, time(clock.instant()));
            ps.setString(2, live);
            ps.executeUpdate();
        }
    }

    private IssuedLink insert(Connection c, String orderId, OrderRole role, String purpose, String email,
            String path, Duration validity) throws SQLException {
        String token = RandomTokens.urlSafe(random, TOKEN_BYTES);
        Instant now = clock.instant();
        PersonalLink link = new PersonalLink("lnk_" + UUID.randomUUID().toString().replace("-", ""), orderId, role,
                purpose, email, now, now.plus(validity), null, null);
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO portal_link (id, token_hash, order_id, role,"
                + " purpose, email, path, created_at, expires_at, live_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, link.id());
            ps.setString(2, Digests.sha256Hex(token));
            ps.setString(3, orderId);
            ps.setString(4, role.id());
            ps.setString(5, purpose);
            ps.setString(6, email);
            ps.setString(7, path);
            ps.setObject(8, time(now));
            ps.setObject(9, time(link.expiresAt()));
            ps.setString(10, liveKey(orderId, role, purpose));
            ps.executeUpdate();
        }
        return new IssuedLink(link, token, baseUrl + path + "/" + token);
    }

    private static String details(PersonalLink link) {
        return "link=" + link.id() + " role=" + link.role().id() + " purpose=" + link.purpose() + " expires="
                + link.expiresAt();
    }

    private static String liveKey(String orderId, OrderRole role, String purpose) {
        return orderId + "|" + role.id() + "|" + purpose;
    }

    private static void check(String orderId, OrderRole role, String purpose, String email, String path,
            Duration validity, String actor) {
        if (orderId == null || orderId.isBlank() || orderId.length() > 64) {
            throw new IllegalArgumentException("orderId must be 1 to 64 characters");
        }
        Objects.requireNonNull(role, "role");
        if (purpose == null || !PURPOSE.matcher(purpose).matches()) {
            throw new IllegalArgumentException("purpose must be lower case letters, digits and '-', e.g. status");
        }
        if (email == null || email.isBlank() || email.length() > 320) {
            throw new IllegalArgumentException("email is required");
        }
        if (path == null || !PATH.matcher(path).matches() || path.contains("..") || path.endsWith("/")) {
            throw new IllegalArgumentException("path must be a page of this server, e.g. /order/status");
        }
        if (validity == null || validity.isNegative() || validity.isZero()) {
            throw new IllegalArgumentException("validity must be positive");
        }
        if (actor == null || actor.isBlank()) {
            throw new IllegalArgumentException("actor is required");
        }
    }

    private static final String COLUMNS = "id, token_hash, order_id, role, purpose, email, path, created_at,"
            + " expires_at, used_at, revoked_at";

    private record Row(PersonalLink link, String tokenHash, String path) {
    }

    private static Optional<Row> byHash(Connection c, String hash) throws SQLException {
        return one(c, "SELECT " + COLUMNS + " FROM portal_link WHERE token_hash = ?", hash);
    }

    private static Optional<Row> byId(Connection c, String id) throws SQLException {
        return one(c, "SELECT " + COLUMNS + " FROM portal_link WHERE id = ?", id);
    }

    private static Optional<Row> one(Connection c, String sql, String value) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, value);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(row(rs)) : Optional.empty();
            }
        }
    }

    private static Row row(ResultSet rs) throws SQLException {
        OrderRole role = OrderRole.valueOf(rs.getString("role").toUpperCase(Locale.ROOT).replace('-', '_'));
        PersonalLink link = new PersonalLink(rs.getString("id"), rs.getString("order_id"), role,
                rs.getString("purpose"), rs.getString("email"), instant(rs, "created_at"), instant(rs, "expires_at"),
                instant(rs, "used_at"), instant(rs, "revoked_at"));
        return new Row(link, rs.getString("token_hash"), rs.getString("path"));
    }
}
