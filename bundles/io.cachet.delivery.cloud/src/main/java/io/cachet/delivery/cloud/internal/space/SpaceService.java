package io.cachet.delivery.cloud.internal.space;

import static io.cachet.api.store.Columns.instant;
import static io.cachet.api.store.Columns.time;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cachet.api.audit.AuditEvent;
import io.cachet.api.audit.AuditLog;
import io.cachet.api.delivery.DeliveryException;
import io.cachet.api.delivery.DeliveryException.Kind;
import io.cachet.api.notify.Notification;
import io.cachet.api.notify.Notifier;
import io.cachet.api.order.CheckStatus;
import io.cachet.api.order.Medium;
import io.cachet.api.order.Order;
import io.cachet.api.order.OrderException;
import io.cachet.api.order.OrderState;
import io.cachet.api.order.Orders;
import io.cachet.api.security.Digests;
import io.cachet.api.security.RandomTokens;
import io.cachet.api.security.SecretHash;
import io.cachet.api.security.SecretVault;
import io.cachet.api.store.Database;
import io.cachet.api.store.StoreException;
import io.cachet.api.web.Pages;
import io.cachet.delivery.cloud.internal.AuthOutcome;
import io.cachet.delivery.cloud.internal.AuthOutcome.Failure;
import io.cachet.delivery.cloud.internal.Holder;
import io.cachet.delivery.cloud.internal.HolderSession;
import io.cachet.delivery.cloud.internal.factor.Passkeys;
import io.cachet.delivery.cloud.internal.factor.Totp;

/**
 * The customer space's accounts as plain Java: opening the space of a cloud order (the account of its Certificate
 * Manager's e-mail, a single-use link to set the password), passwords, sessions, second factors and throttling.
 *
 * <p>Every change is one transaction with its audit record (and the e-mail it sends: the notifier joins the
 * transaction). Secrets are stored hashed (link and cookie secrets: SHA-256 of 256 random bits; passwords:
 * {@link SecretHash}) or sealed (TOTP keys: {@link SecretVault}); the audit log never holds one. The order's check
 * {@value #CHECK} is told PASSED after the commit that makes the space active; a report that failed is made again by
 * {@link #reportDue}. Thread-safe; safe with several nodes on one database.
 */
final class SpaceService {

    private static final Logger LOG = LoggerFactory.getLogger(SpaceService.class);

    static final String CHECK = "cloud-space";
    static final String SYSTEM = "system";
    static final String TOTP = "totp";
    static final String WEBAUTHN = "webauthn";
    static final String TOTP_PURPOSE = "cloudspace.totp";
    /** How long a login waits for its second factor. */
    static final Duration FACTOR_WAIT = Duration.ofMinutes(5);
    /** How long a WebAuthn challenge may be answered. */
    static final Duration CHALLENGE_VALIDITY = Duration.ofMinutes(5);
    /** Password links an account may be sent in an hour through "forgot password". */
    static final int RESETS_PER_ACCOUNT_HOUR = 3;
    private static final String SECRET = "[A-Za-z0-9_-]{43}";

    private final Database database;
    private final AuditLog audit;
    private final Supplier<Orders> orders;
    private final Notifier notifier;
    private final SecretVault vault;
    private final Supplier<SpaceSettings> settings;
    private final Clock clock;
    private final SecureRandom random;
    private final Passkeys passkeys = new Passkeys();

    SpaceService(Database database, AuditLog audit, Supplier<Orders> orders, Notifier notifier, SecretVault vault,
            Supplier<SpaceSettings> settings, Clock clock, SecureRandom random) {
        this.database = Objects.requireNonNull(database);
        this.audit = Objects.requireNonNull(audit);
        this.orders = Objects.requireNonNull(orders);
        this.notifier = Objects.requireNonNull(notifier);
        this.vault = Objects.requireNonNull(vault);
        this.settings = Objects.requireNonNull(settings);
        this.clock = Objects.requireNonNull(clock);
        this.random = Objects.requireNonNull(random);
    }

    static void migrate(Database database) {
        database.migrate("cloudspace", SpaceService.class.getClassLoader(), "db/cloudspace");
    }

    SpaceSettings settings() {
        return settings.get();
    }

    Clock clock() {
        return clock;
    }

    // ------------------------------------------------------------------ accounts

    /** An account as stored. */
    record Account(String id, String email, String name, String language, String brand, String passwordHash,
            boolean disabled) {
        Holder holder() {
            return new Holder(id, email, name, language);
        }

        String actor() {
            return "holder:" + email;
        }

        String subject() {
            return "space:" + id;
        }
    }

    private static final String ACCOUNT = "id, email, name, language, brand, password_hash, disabled";

    private static Account account(ResultSet rs) throws SQLException {
        return new Account(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getString(6), rs.getBoolean(7));
    }

    private static Optional<Account> accountWhere(Connection c, String column, String value, boolean lock)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + ACCOUNT + " FROM space_account WHERE " + column
                + " = ?" + (lock ? " FOR UPDATE" : ""))) {
            ps.setString(1, value);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(account(rs)) : Optional.empty();
            }
        }
    }

    Optional<Account> account(String id) {
        return id == null ? Optional.empty() : database.inTransaction(c -> accountWhere(c, "id", id, false));
    }

    Optional<Account> accountByEmail(String email) {
        String e = normalise(email);
        return e.isEmpty() ? Optional.empty() : database.inTransaction(c -> accountWhere(c, "email", e, false));
    }

    /** The holder of an open account; empty for an unknown or closed one (its CSC tokens stop at once). */
    Optional<Holder> holder(String id) {
        return account(id).filter(a -> !a.disabled()).map(Account::holder);
    }

    List<String> orderIds(String accountId) {
        return database.inTransaction(c -> {
            List<String> l = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT order_id FROM space_account_order WHERE account_id"
                    + " = ? ORDER BY opened_at DESC, order_id DESC")) {
                ps.setString(1, accountId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        l.add(rs.getString(1));
                    }
                }
            }
            return l;
        });
    }

    static String normalise(String email) {
        return email == null ? "" : email.strip().toLowerCase(Locale.ROOT);
    }

    // ------------------------------------------------------------------ opening the space of an order

    /** Where an order's customer space stands. */
    enum SpaceState {
        /** Not opened yet (the order waits for an operator, or has not reached DELIVERY). */
        NOT_OPENED,
        /** Opened; the holder has not set a password yet. */
        LINK_SENT,
        /** The holder has set a password. */
        ACTIVE,
        /** An operator closed the account: no login, no session, no signature until it is reopened. */
        CLOSED
    }

    /**
     * @param email the account's login, null when not opened
     * @param linkExpiresAt when the open password link expires, null when none is open
     */
    record SpaceView(String orderId, SpaceState state, String email, String accountId, Instant openedAt,
            Instant linkExpiresAt) {
    }

    /** Where the order's space stands (NOT_OPENED for an order this module does not know). */
    SpaceView view(String orderId) {
        return database.inTransaction(c -> view(c, orderId));
    }

    private SpaceView view(Connection c, String orderId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT a.id, a.email, a.password_hash, o.opened_at,"
                + " a.disabled FROM space_account_order o JOIN space_account a ON a.id = o.account_id WHERE"
                + " o.order_id = ?")) {
            ps.setString(1, orderId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return new SpaceView(orderId, SpaceState.NOT_OPENED, null, null, null, null);
                }
                String account = rs.getString(1);
                if (rs.getBoolean(5)) {
                    return new SpaceView(orderId, SpaceState.CLOSED, rs.getString(2), account, instant(rs, 4), null);
                }
                boolean active = rs.getString(3) != null;
                return new SpaceView(orderId, active ? SpaceState.ACTIVE : SpaceState.LINK_SENT, rs.getString(2),
                        account, instant(rs, 4), active ? null : openLinkExpiry(c, account));
            }
        }
    }

    private Instant openLinkExpiry(Connection c, String accountId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT MAX(expires_at) FROM space_password_link WHERE"
                + " account_id = ? AND used_at IS NULL AND ended_at IS NULL AND expires_at > ?")) {
            ps.setString(1, accountId);
            ps.setObject(2, time(now()));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? instant(rs, 1) : null;
            }
        }
    }

    /**
     * The order's check was entered (DELIVERY): opens the space at once when so configured, and tells the check what
     * is already known (a space already active). Idempotent; nothing for a token order or another state.
     */
    void entered(Order order) {
        if (order.request().medium() != Medium.CLOUD || order.state() != OrderState.DELIVERY) {
            return;
        }
        if (settings.get().autoOpen()) {
            open(order.id(), SYSTEM);
        } else {
            reportDue(order.id());
        }
    }

    /**
     * Opens the order's customer space: the account of its Certificate Manager's e-mail (found or made), the order
     * linked to it, and an e-mail: a link to set the password, or (an account that already has one) "a new seal is
     * in your space", and then the check passes at once. Idempotent: an order already opened is left as it is.
     *
     * @throws DeliveryException NOT_FOUND (no order), CONFLICT (a token order, or one not in DELIVERY), UNAVAILABLE
     */
    SpaceView open(String orderId, String actor) {
        Order order = order(orderId);
        if (order.request().medium() != Medium.CLOUD) {
            throw new DeliveryException(Kind.CONFLICT, "Order " + orderId + " is a token order: it has no customer"
                    + " space.");
        }
        SpaceView before = view(orderId);
        if (before.state() != SpaceState.NOT_OPENED) {
            reportDue(orderId);
            return before;
        }
        if (order.state() != OrderState.DELIVERY) {
            throw new DeliveryException(Kind.CONFLICT, "Order " + orderId + " is " + order.state() + ": its customer"
                    + " space opens when it reaches DELIVERY.");
        }
        for (int attempt = 1;; attempt++) {
            try {
                database.inTransaction(c -> {
                    opened(c, order, actor);
                    return null;
                });
                break;
            } catch (StoreException e) {
                if (view(orderId).state() != SpaceState.NOT_OPENED) {
                    break; // another node opened it at the same time
                }
                if (attempt == 2) {
                    throw e;
                }
                // another order of the same manager made the account at the same time: this attempt finds it
            }
        }
        reportDue(orderId);
        return view(orderId);
    }

    private void opened(Connection c, Order order, String actor) throws SQLException {
        var manager = order.request().certificateManager();
        String email = normalise(manager.email());
        Instant now = now();
        Account account = accountWhere(c, "email", email, true).orElse(null);
        if (account == null) {
            String id = UUID.randomUUID().toString();
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO space_account (id, email, name, language,"
                    + " brand, created_at, updated_at, disabled) VALUES (?, ?, ?, ?, ?, ?, ?, FALSE)")) {
                ps.setString(1, id);
                ps.setString(2, email);
                ps.setString(3, clip(manager.fullName(), 300));
                ps.setString(4, "en".equals(order.language()) ? "en" : "fr");
                ps.setString(5, order.brand());
                ps.setObject(6, time(now));
                ps.setObject(7, time(now));
                ps.executeUpdate();
            }
            account = accountWhere(c, "id", id, true).orElseThrow();
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO space_account_order (order_id, account_id,"
                + " opened_at, opened_by, reported) VALUES (?, ?, ?, ?, FALSE)")) {
            ps.setString(1, order.id());
            ps.setString(2, account.id());
            ps.setObject(3, time(now));
            ps.setString(4, clip(actor, 200));
            ps.executeUpdate();
        }
        audit.append(AuditEvent.of(actor, "space.opened", subject(order.id()), "account=" + account.id()
                + (account.passwordHash() == null ? "; password to set" : "; account already active")));
        if (account.passwordHash() == null) {
            sendLink(c, account, "set", order, actor);
        } else {
            Map<String, Object> model = model(account, order);
            model.put("spaceUrl", settings.get().baseUrl() + "/space/");
            notifier.send(Notification.email(account.email(), "cloudspace.seal.added", account.language(), model)
                    .withBrand(order.brand()).withIdempotencyKey("cloudspace:" + order.id() + ":seal-added"));
        }
    }

    /** A new set-password link for the order's holder; the links sent before stop opening. */
    SpaceView newLink(String orderId, String actor) {
        Order order = order(orderId);
        database.inTransaction(c -> {
            SpaceView v = view(c, orderId);
            if (v.state() == SpaceState.NOT_OPENED) {
                throw new DeliveryException(Kind.CONFLICT, "The customer space of order " + orderId + " is not open:"
                        + " open it first.");
            }
            if (v.state() == SpaceState.CLOSED) {
                throw new DeliveryException(Kind.CONFLICT, "The account of order " + orderId + "'s space is closed:"
                        + " reopening it sends a new link.");
            }
            Account a = accountWhere(c, "id", v.accountId(), true).orElseThrow();
            if (a.passwordHash() != null) {
                throw new DeliveryException(Kind.CONFLICT, "The holder of order " + orderId + " has set their"
                        + " password already: if they lost it, they ask for a new one at /space/forgot.");
            }
            sendLink(c, a, "set", order, actor);
            return null;
        });
        return view(orderId);
    }

    /**
     * Closes the account that holds the order's space, with every seal in it (one account per e-mail: other cloud
     * orders of the same manager too), for an account that must stop at once: its holder left the organisation, it
     * may be compromised, the contract ended. Its sessions and unused links end in the same transaction; logins,
     * re-authentications (so Click&amp;Cert's and the CSC API's signatures) and password resets are refused until
     * it is {@linkplain #reopen reopened}. The holder is e-mailed; the reason stays in the audit log
     * ({@code space.closed}).
     *
     * @throws DeliveryException INVALID (no reason), NOT_FOUND (no order), CONFLICT (the space is not opened, or
     *         closed already), UNAVAILABLE
     */
    SpaceView close(String orderId, String reason, String actor) {
        String why = reason == null || reason.isBlank() ? null : clip(reason.strip(), 500);
        if (why == null) {
            throw new DeliveryException(Kind.INVALID, "'reason' is required: why the account is closed (kept in the"
                    + " audit log).");
        }
        Order order = order(orderId);
        database.inTransaction(c -> {
            Account a = openedAccount(c, orderId);
            if (a.disabled()) {
                throw new DeliveryException(Kind.CONFLICT, "The account of order " + orderId + "'s space is closed"
                        + " already.");
            }
            Instant now = now();
            try (PreparedStatement ps = c.prepareStatement("UPDATE space_account SET disabled = TRUE, updated_at = ?"
                    + " WHERE id = ?")) {
                ps.setObject(1, time(now));
                ps.setString(2, a.id());
                ps.executeUpdate();
            }
            int sessions = endSessions(c, a.id(), now);
            endLinks(c, a.id(), now);
            audit.append(AuditEvent.of(actor, "space.closed", a.subject(), "order=" + orderId + "; sessions ended="
                    + sessions + "; reason=" + why));
            Map<String, Object> model = model(a, order);
            model.put("time", Pages.time(now));
            notifier.send(Notification.email(a.email(), "cloudspace.account.closed", a.language(), model)
                    .withBrand(order.brand()).withIdempotencyKey("cloudspace:" + a.id() + ":closed:"
                            + now.toEpochMilli()));
            return null;
        });
        return view(orderId);
    }

    /**
     * Reopens a closed account: its password is dropped and a new single-use link to set one is e-mailed, since a
     * closed account may have been compromised; its second factors stay. Audited ({@code space.reopened}).
     *
     * @throws DeliveryException NOT_FOUND (no order), CONFLICT (not opened, or not closed), UNAVAILABLE
     */
    SpaceView reopen(String orderId, String actor) {
        Order order = order(orderId);
        database.inTransaction(c -> {
            Account a = openedAccount(c, orderId);
            if (!a.disabled()) {
                throw new DeliveryException(Kind.CONFLICT, "The account of order " + orderId + "'s space is not"
                        + " closed.");
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE space_account SET disabled = FALSE, password_hash"
                    + " = NULL, updated_at = ? WHERE id = ?")) {
                ps.setObject(1, time(now()));
                ps.setString(2, a.id());
                ps.executeUpdate();
            }
            audit.append(AuditEvent.of(actor, "space.reopened", a.subject(), "order=" + orderId + "; password"
                    + " dropped, a new link sent"));
            sendLink(c, accountWhere(c, "id", a.id(), true).orElseThrow(), "set", order, actor);
            return null;
        });
        return view(orderId);
    }

    /** The locked account of the order's space, or CONFLICT when none is opened. */
    private Account openedAccount(Connection c, String orderId) throws SQLException {
        SpaceView v = view(c, orderId);
        if (v.state() == SpaceState.NOT_OPENED) {
            throw new DeliveryException(Kind.CONFLICT, "The customer space of order " + orderId + " is not open.");
        }
        return accountWhere(c, "id", v.accountId(), true).orElseThrow();
    }

    /** Ends the account's unused links, stores a new one and e-mails it (in the caller's transaction). */
    private void sendLink(Connection c, Account a, String purpose, Order order, String actor) throws SQLException {
        Instant now = now();
        endLinks(c, a.id(), now);
        String secret = secret();
        String id = UUID.randomUUID().toString();
        Instant expires = now.plus("set".equals(purpose) ? settings.get().linkValidity()
                : settings.get().resetValidity());
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO space_password_link (id, secret_hash, account_id,"
                + " purpose, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, id);
            ps.setString(2, Digests.sha256Hex(secret));
            ps.setString(3, a.id());
            ps.setString(4, purpose);
            ps.setObject(5, time(now));
            ps.setObject(6, time(expires));
            ps.executeUpdate();
        }
        Map<String, Object> model = model(a, order);
        model.put("link", settings.get().baseUrl() + SpaceServlet.PASSWORD + "/" + secret);
        model.put("expires", Pages.time(expires));
        String brand = order == null ? a.brand() : order.brand();
        notifier.send(Notification.email(a.email(), "cloudspace.password." + purpose, a.language(), model)
                .withBrand(brand).withIdempotencyKey("cloudspace:link:" + id));
        audit.append(AuditEvent.of(actor, "space.link-sent", a.subject(), "purpose=" + purpose + "; link=" + id
                + "; expires=" + expires + (order == null ? "" : "; order=" + order.id())));
    }

    private static void endLinks(Connection c, String accountId, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE space_password_link SET ended_at = ? WHERE account_id"
                + " = ? AND used_at IS NULL AND ended_at IS NULL")) {
            ps.setObject(1, time(now));
            ps.setString(2, accountId);
            ps.executeUpdate();
        }
    }

    /**
     * Tells the holder by e-mail that the security of their space changed (in the caller's transaction), so that a
     * change they did not make does not go unnoticed.
     *
     * @param change {@code password}, {@code factor-added} or {@code factor-removed}
     */
    private void securityMail(Account a, String change, String kind, Instant at) {
        Map<String, Object> model = model(a, null);
        model.put("change", change);
        model.put("kind", kind == null ? "" : kind);
        model.put("time", Pages.time(at));
        model.put("spaceUrl", settings.get().baseUrl() + SpaceServlet.SECURITY);
        model.put("forgotUrl", settings.get().baseUrl() + SpaceServlet.FORGOT);
        notifier.send(Notification.email(a.email(), "cloudspace.security.changed", a.language(), model)
                .withBrand(a.brand()).withIdempotencyKey("cloudspace:" + a.id() + ":" + change + ":"
                        + at.toEpochMilli()));
    }

    private static Map<String, Object> model(Account a, Order order) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", a.name());
        m.put("email", a.email());
        m.put("orderId", order == null ? "" : order.id());
        m.put("organisation", order == null ? "" : order.request().organisation().name());
        return m;
    }

    /**
     * Tells the orders' checks that their space is active (the holder has a password), for the linked orders not
     * told yet.
     *
     * @param onlyOrder one order, or null for all
     * @return how many were told
     */
    int reportDue(String onlyOrder) {
        Orders o = orders.get();
        if (o == null) {
            return 0;
        }
        List<String> due = database.inTransaction(c -> {
            List<String> l = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT o.order_id FROM space_account_order o JOIN"
                    + " space_account a ON a.id = o.account_id WHERE o.reported = FALSE AND a.password_hash IS NOT"
                    + " NULL" + (onlyOrder == null ? "" : " AND o.order_id = ?") + " FETCH FIRST 200 ROWS ONLY")) {
                if (onlyOrder != null) {
                    ps.setString(1, onlyOrder);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        l.add(rs.getString(1));
                    }
                }
            }
            return l;
        });
        int n = 0;
        for (String id : due) {
            try {
                o.report(id, CHECK, CheckStatus.PASSED, "customer space active", "check:" + CHECK);
            } catch (OrderException e) {
                if (e.reason() != OrderException.Reason.NOT_FOUND) {
                    LOG.warn("Order {}: check {} could not be told yet: {}", id, CHECK, e.getMessage());
                    continue;
                }
                // the order has no such check (or is gone): nothing to tell
            } catch (RuntimeException e) {
                LOG.warn("Order {}: check {} could not be told yet: {}", id, CHECK, e.toString());
                continue;
            }
            database.inTransaction(c -> {
                try (PreparedStatement ps = c.prepareStatement("UPDATE space_account_order SET reported = TRUE"
                        + " WHERE order_id = ?")) {
                    ps.setString(1, id);
                    return ps.executeUpdate();
                }
            });
            n++;
        }
        return n;
    }

    /**
     * Opens the spaces of cloud orders waiting in DELIVERY whose opening failed when their check was entered (the
     * database or the e-mail was unavailable), when spaces open at once.
     *
     * @return how many were opened
     */
    int openDue() {
        Orders o = orders.get();
        if (o == null || !settings.get().autoOpen()) {
            return 0;
        }
        int n = 0;
        for (Order order : o.list(new io.cachet.api.order.OrderQuery(OrderState.DELIVERY, null, null, null, null,
                null, 200)).orders()) {
            if (order.request().medium() == Medium.CLOUD && view(order.id()).state() == SpaceState.NOT_OPENED) {
                try {
                    open(order.id(), SYSTEM);
                    n++;
                } catch (RuntimeException e) {
                    LOG.warn("The customer space of order {} could not be opened yet: {}", order.id(), e.toString());
                }
            }
        }
        return n;
    }

    /**
     * Deletes what no longer serves: sessions ended or expired a day ago, links used or expired a week ago,
     * challenges expired, failure counts not touched for a day and not locked.
     *
     * @return how many rows were deleted
     */
    int purge() {
        Instant now = now();
        SpaceSettings s = settings.get();
        return database.inTransaction(c -> {
            int n = 0;
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM space_session WHERE ended_at < ? OR"
                    + " last_seen_at < ? OR created_at < ?")) {
                ps.setObject(1, time(now.minus(Duration.ofDays(1))));
                ps.setObject(2, time(now.minus(s.idle()).minus(Duration.ofDays(1))));
                ps.setObject(3, time(now.minus(s.absolute()).minus(Duration.ofDays(1))));
                n += ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM space_password_link WHERE expires_at < ?")) {
                ps.setObject(1, time(now.minus(Duration.ofDays(7))));
                n += ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM space_challenge WHERE expires_at < ?")) {
                ps.setObject(1, time(now));
                n += ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM space_failure WHERE updated_at < ? AND"
                    + " (locked_until IS NULL OR locked_until < ?)")) {
                ps.setObject(1, time(now.minus(Duration.ofDays(1))));
                ps.setObject(2, time(now));
                n += ps.executeUpdate();
            }
            return n;
        });
    }

    /** The cloud orders in DELIVERY or ACTIVE with where their space stands, newest first (the console). */
    List<Map.Entry<Order, SpaceView>> cloudOrders(int limit) {
        Orders o = orders.get();
        if (o == null) {
            throw new DeliveryException(Kind.UNAVAILABLE, "The order service is not available now; try again later.");
        }
        List<Map.Entry<Order, SpaceView>> l = new ArrayList<>();
        for (OrderState s : List.of(OrderState.DELIVERY, OrderState.ACTIVE)) {
            for (Order order : o.list(new io.cachet.api.order.OrderQuery(s, null, null, null, null, null, limit))
                    .orders()) {
                if (order.request().medium() == Medium.CLOUD) {
                    l.add(Map.entry(order, view(order.id())));
                }
            }
        }
        l.sort((a, b) -> b.getKey().updatedAt().compareTo(a.getKey().updatedAt()));
        return l.size() > limit ? l.subList(0, limit) : l;
    }

    /** The order, or NOT_FOUND / UNAVAILABLE. */
    Order find(String orderId) {
        return order(orderId);
    }

    private Order order(String orderId) {
        Orders o = orders.get();
        if (o == null) {
            throw new DeliveryException(Kind.UNAVAILABLE, "The order service is not available now; try again later.");
        }
        return o.find(orderId).orElseThrow(() -> new DeliveryException(Kind.NOT_FOUND, "No order "
                + shown(orderId) + "."));
    }

    // ------------------------------------------------------------------ password links

    /** What a password link is. */
    enum LinkState {
        VALID, USED, EXPIRED, UNKNOWN
    }

    /** A password link as its page shows it (the account only when the link is valid). */
    record LinkView(LinkState state, Account account, String purpose, Instant expiresAt) {
    }

    LinkView link(String secret) {
        if (secret == null || !secret.matches(SECRET)) {
            return new LinkView(LinkState.UNKNOWN, null, null, null);
        }
        return database.inTransaction(c -> link(c, secret, false));
    }

    private LinkView link(Connection c, String secret, boolean lock) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT account_id, purpose, expires_at, used_at, ended_at"
                + " FROM space_password_link WHERE secret_hash = ?" + (lock ? " FOR UPDATE" : ""))) {
            ps.setString(1, Digests.sha256Hex(secret));
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return new LinkView(LinkState.UNKNOWN, null, null, null);
                }
                Instant expires = instant(rs, 3);
                if (rs.getObject(4) != null || rs.getObject(5) != null) {
                    return new LinkView(LinkState.USED, null, rs.getString(2), expires);
                }
                if (!now().isBefore(expires)) {
                    return new LinkView(LinkState.EXPIRED, null, rs.getString(2), expires);
                }
                Account a = accountWhere(c, "id", rs.getString(1), lock).orElse(null);
                return a == null || a.disabled() ? new LinkView(LinkState.UNKNOWN, null, null, null)
                        : new LinkView(LinkState.VALID, a, rs.getString(2), expires);
            }
        }
    }

    /** What setting a password did: {@code weakness} when refused for the policy. */
    record PasswordOutcome(LinkState link, PasswordPolicy.Weakness weakness, Account account) {
        boolean ok() {
            return link == LinkState.VALID && weakness == null;
        }
    }

    /**
     * Sets the password through a link: refused (nothing changes, the link still opens) for a weak password; the
     * link is used up, the account's other links end, its sessions end, and every order waiting for the space is
     * told that its check passed (they become ACTIVE).
     */
    PasswordOutcome setPassword(String secret, char[] password, String client) {
        LinkView first = link(secret);
        if (first.state() != LinkState.VALID) {
            audit.append(AuditEvent.of("client:" + client, "space.password-refused", "", "link="
                    + first.state().name().toLowerCase(Locale.ROOT)));
            return new PasswordOutcome(first.state(), null, null);
        }
        Optional<PasswordPolicy.Weakness> weak = PasswordPolicy.check(password, first.account().email());
        if (weak.isPresent()) {
            audit.append(AuditEvent.of(first.account().actor(), "space.password-refused", first.account().subject(),
                    "weakness=" + weak.get().name().toLowerCase(Locale.ROOT)));
            return new PasswordOutcome(LinkState.VALID, weak.get(), first.account());
        }
        String hash = SecretHash.hash(password, random);
        PasswordOutcome done = database.inTransaction(c -> {
            LinkView v = link(c, secret, true);
            if (v.state() != LinkState.VALID) {
                return new PasswordOutcome(v.state(), null, null);
            }
            Instant now = now();
            Account a = v.account();
            try (PreparedStatement ps = c.prepareStatement("UPDATE space_account SET password_hash = ?, updated_at = ?"
                    + " WHERE id = ?")) {
                ps.setString(1, hash);
                ps.setObject(2, time(now));
                ps.setString(3, a.id());
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE space_password_link SET used_at = ? WHERE"
                    + " secret_hash = ?")) {
                ps.setObject(1, time(now));
                ps.setString(2, Digests.sha256Hex(secret));
                ps.executeUpdate();
            }
            endLinks(c, a.id(), now);
            int ended = endSessions(c, a.id(), now);
            audit.append(AuditEvent.of(a.actor(), "space.password-set", a.subject(), "purpose=" + v.purpose()
                    + (ended > 0 ? "; sessions ended=" + ended : "")));
            if (a.passwordHash() != null) {
                securityMail(a, "password", null, now);
            }
            return new PasswordOutcome(LinkState.VALID, null, a);
        });
        if (done.ok()) {
            for (String id : orderIds(done.account().id())) {
                reportDue(id);
            }
        }
        return done;
    }

    /** What a forgotten-password request did (the page says the same in every case but LIMITED). */
    enum ForgotOutcome {
        SENT, NOT_SENT, LIMITED
    }

    /**
     * Sends a reset link to the account of {@code email} (a set-password link when the holder never set one), unless
     * {@value #RESETS_PER_ACCOUNT_HOUR} links of any kind were sent to it in the last hour; nothing for an unknown or
     * disabled account. Audited either way.
     */
    ForgotOutcome forgot(String email, String client) {
        String e = normalise(email);
        if (e.isEmpty() || e.length() > 254 || !e.contains("@")) {
            return ForgotOutcome.NOT_SENT;
        }
        return database.inTransaction(c -> {
            Account a = accountWhere(c, "email", e, true).orElse(null);
            if (a == null || a.disabled()) {
                audit.append(AuditEvent.of("client:" + client, "space.reset-requested", "", "no account"));
                return ForgotOutcome.NOT_SENT;
            }
            int recent;
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM space_password_link WHERE account_id"
                    + " = ? AND created_at > ?")) {
                ps.setString(1, a.id());
                ps.setObject(2, time(now().minus(Duration.ofHours(1))));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    recent = rs.getInt(1);
                }
            }
            if (recent >= RESETS_PER_ACCOUNT_HOUR) {
                audit.append(AuditEvent.of(a.actor(), "space.reset-requested", a.subject(), "client=" + client
                        + "; not sent: " + recent + " links in the last hour"));
                return ForgotOutcome.NOT_SENT;
            }
            audit.append(AuditEvent.of(a.actor(), "space.reset-requested", a.subject(), "client=" + client));
            sendLink(c, a, a.passwordHash() == null ? "set" : "reset", null, a.actor());
            return ForgotOutcome.SENT;
        });
    }

    // ------------------------------------------------------------------ throttling

    /** Until when a subject is locked out; null when it is not. */
    private Instant lockedUntil(Connection c, List<String> subjects) throws SQLException {
        Instant now = now();
        Instant until = null;
        for (String s : subjects) {
            try (PreparedStatement ps = c.prepareStatement("SELECT locked_until FROM space_failure WHERE subject = ?")) {
                ps.setString(1, s);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        Instant t = instant(rs, 1);
                        if (t != null && t.isAfter(now) && (until == null || t.isAfter(until))) {
                            until = t;
                        }
                    }
                }
            }
        }
        return until;
    }

    /** Counts a failure of each subject; past the limit, locks it out for a time that doubles with each failure. */
    /**
     * Counts a failure against {@code subjects} in a transaction of its own. Two failures of one subject at the same
     * moment can both find no row and both insert one: the loser's transaction fails on the subject's key and is
     * run again, which then finds the row and counts on it.
     */
    private void countFailure(List<String> subjects) {
        try {
            database.inTransaction(c -> {
                failed(c, subjects);
                return null;
            });
        } catch (StoreException e) {
            if (!StoreException.isUniqueViolation(e)) {
                throw e;
            }
            database.inTransaction(c -> {
                failed(c, subjects);
                return null;
            });
        }
    }

    private void failed(Connection c, List<String> subjects) throws SQLException {
        SpaceSettings s = settings.get();
        Instant now = now();
        for (String subject : subjects) {
            int failures;
            try (PreparedStatement ps = c.prepareStatement("SELECT failures FROM space_failure WHERE subject = ?"
                    + " FOR UPDATE")) {
                ps.setString(1, subject);
                try (ResultSet rs = ps.executeQuery()) {
                    failures = rs.next() ? rs.getInt(1) : -1;
                }
            }
            int n = Math.max(0, failures) + 1;
            Instant until = null;
            if (n >= s.maxFailures()) {
                int doublings = Math.min(30, n - s.maxFailures());
                Duration lock = s.firstLockout().multipliedBy(1L << doublings);
                until = now.plus(lock.compareTo(s.maxLockout()) > 0 ? s.maxLockout() : lock);
            }
            try (PreparedStatement ps = c.prepareStatement(failures < 0
                    ? "INSERT INTO space_failure (failures, locked_until, updated_at, subject) VALUES (?, ?, ?, ?)"
                    : "UPDATE space_failure SET failures = ?, locked_until = ?, updated_at = ? WHERE subject = ?")) {
                ps.setInt(1, n);
                ps.setObject(2, time(until));
                ps.setObject(3, time(now));
                ps.setString(4, subject);
                ps.executeUpdate();
            }
        }
    }

    private static void cleared(Connection c, String subject) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM space_failure WHERE subject = ?")) {
            ps.setString(1, subject);
            ps.executeUpdate();
        }
    }

    /**
     * What a failure counts against: the client's address, and the login (the e-mail address given, hashed: an
     * address without an account is locked out like one with, so the lockout tells nobody which exist).
     */
    private static List<String> subjects(String email, String client) {
        return List.of("client:" + clip(client == null ? "" : client, 100), login(email));
    }

    private static String login(String email) {
        return "login:" + Digests.sha256Hex(normalise(email));
    }

    private AuthOutcome throttled(Account a, String client, Instant until, String what) {
        audit.append(AuditEvent.of(a == null ? "client:" + client : a.actor(), "space.throttled", a == null ? ""
                : a.subject(), what + "; client=" + client + "; until=" + until));
        return AuthOutcome.refused(Failure.THROTTLED, "Too many failed attempts: try again after "
                + Pages.time(until.plusSeconds(59).truncatedTo(ChronoUnit.MINUTES)) + ".");
    }

    /** Until when this account or client is locked out (for the pages), null when neither is. */
    Instant lockedUntil(String email, String client) {
        return database.inTransaction(c -> lockedUntil(c, subjects(email, client)));
    }

    // ------------------------------------------------------------------ login and sessions

    /**
     * What a login did.
     *
     * @param cookie the cookie's secret to set: a live session's when ok, a login waiting for its second factor's
     *        when {@code FACTOR_REQUIRED}; null otherwise
     * @param session the live session when ok
     * @param lockedUntil when THROTTLED, until when
     */
    record Login(AuthOutcome outcome, String cookie, HolderSession session, Instant lockedUntil) {
    }

    /** Checks a login's e-mail and password only (the CSC API's HTTP Basic login). */
    AuthOutcome checkPassword(String email, char[] password, String client) {
        Account a = accountByEmail(email).orElse(null);
        Instant until = database.inTransaction(c -> lockedUntil(c, subjects(email, client)));
        if (until != null) {
            return throttled(a, client, until, "login");
        }
        if (!passwordMatches(a, password)) {
            return wrongPassword(a, email, client, "space.login-failed");
        }
        if (a.disabled()) {
            audit.append(AuditEvent.of(a.actor(), "space.login-failed", a.subject(), "disabled; client=" + client));
            return AuthOutcome.refused(Failure.DISABLED, "This account is closed.");
        }
        rehashIfNeeded(a, password);
        database.inTransaction(c -> {
            cleared(c, login(a.email()));
            return null;
        });
        audit.append(AuditEvent.of(a.actor(), "space.login", a.subject(), "password only; client=" + client));
        return AuthOutcome.ok(a.holder());
    }

    /** Stores a fresh hash of a password just verified against one made with weaker parameters than today's. */
    private void rehashIfNeeded(Account a, char[] password) {
        if (!SecretHash.needsRehash(a.passwordHash())) {
            return;
        }
        String fresh = SecretHash.hash(password, random);
        database.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE space_account SET password_hash = ? WHERE id = ?"
                    + " AND password_hash = ?")) {
                ps.setString(1, fresh);
                ps.setString(2, a.id());
                ps.setString(3, a.passwordHash());
                return ps.executeUpdate();
            }
        });
    }

    private static boolean passwordMatches(Account a, char[] password) {
        boolean known = a != null && a.passwordHash() != null;
        // an unknown e-mail costs as long as a known one: the time does not tell which accounts exist
        boolean right = known ? SecretHash.verify(password, a.passwordHash()) : SecretHash.verifyUnknown(password);
        return known && right;
    }

    private AuthOutcome wrongPassword(Account a, String email, String client, String action) {
        countFailure(subjects(email, client));
        audit.append(AuditEvent.of(a == null ? "client:" + client : a.actor(), action, a == null ? "" : a.subject(),
                "wrong password; client=" + client));
        return AuthOutcome.refused(Failure.WRONG_PASSWORD, "Wrong e-mail address or password.");
    }

    /**
     * A login (the page and {@code /space/api/session}): the password, then the second factor when one is enrolled.
     * Without a factor given, a login waiting for it is stored ({@code FACTOR_REQUIRED}, its cookie returned) and
     * completed by {@link #completeLogin}.
     */
    Login login(String email, char[] password, String factorKind, String factorResponse, String origin,
            String client) {
        Account a = accountByEmail(email).orElse(null);
        Instant until = database.inTransaction(c -> lockedUntil(c, subjects(email, client)));
        if (until != null) {
            return new Login(throttled(a, client, until, "login"), null, null, until);
        }
        if (!passwordMatches(a, password)) {
            return new Login(wrongPassword(a, email, client, "space.login-failed"), null, null, null);
        }
        if (a.disabled()) {
            audit.append(AuditEvent.of(a.actor(), "space.login-failed", a.subject(), "disabled; client=" + client));
            return new Login(AuthOutcome.refused(Failure.DISABLED, "This account is closed."), null, null, null);
        }
        rehashIfNeeded(a, password);
        if (factors(a.id()).isEmpty()) {
            return started(a, false, client, "password");
        }
        if (factorKind == null || factorKind.isBlank()) {
            String cookie = secret();
            Instant now = now();
            database.inTransaction(c -> insertSession(c, a.id(), cookie, "FACTOR", now, false));
            audit.append(AuditEvent.of(a.actor(), "space.login-factor-asked", a.subject(), "client=" + client));
            return new Login(AuthOutcome.refused(Failure.FACTOR_REQUIRED, "Give your second factor."), cookie, null,
                    null);
        }
        return factorLogin(a, factorKind, factorResponse, origin, client, null);
    }

    /** The second step of a login waiting for its factor (its cookie): a live session with a new cookie. */
    Login completeLogin(String pendingCookie, String factorKind, String factorResponse, String origin, String client) {
        Optional<String[]> pending = pending(pendingCookie);
        if (pending.isEmpty()) {
            return new Login(AuthOutcome.refused(Failure.WRONG_PASSWORD, "Log in again."), null, null, null);
        }
        Account a = account(pending.get()[1]).orElse(null);
        if (a == null || a.disabled()) {
            return new Login(AuthOutcome.refused(Failure.DISABLED, "This account is closed."), null, null, null);
        }
        Instant until = database.inTransaction(c -> lockedUntil(c, subjects(a.email(), client)));
        if (until != null) {
            return new Login(throttled(a, client, until, "login"), null, null, until);
        }
        return factorLogin(a, factorKind, factorResponse, origin, client, pending.get()[0]);
    }

    /** The pending login of a cookie: {id, account id}, when it waits for its factor and is recent. */
    Optional<String[]> pending(String cookie) {
        if (cookie == null || !cookie.matches(SECRET)) {
            return Optional.empty();
        }
        return database.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT id, account_id, created_at FROM space_session WHERE"
                    + " secret_hash = ? AND stage = 'FACTOR' AND ended_at IS NULL")) {
                ps.setString(1, Digests.sha256Hex(cookie));
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next() && now().isBefore(instant(rs, 3).plus(FACTOR_WAIT))) {
                        return Optional.of(new String[] { rs.getString(1), rs.getString(2) });
                    }
                }
            }
            return Optional.<String[]>empty();
        });
    }

    /** The holder id of a pending login's cookie, and its csrf token (the second step's page and options call). */
    Optional<String[]> pendingCsrf(String cookie) {
        return pending(cookie).map(p -> database.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT account_id, csrf FROM space_session WHERE id = ?")) {
                ps.setString(1, p[0]);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return new String[] { rs.getString(1), rs.getString(2) };
                }
            }
        }));
    }

    private Login factorLogin(Account a, String kind, String response, String origin, String client,
            String pendingId) {
        if (!checkFactor(a, kind, response, origin)) {
            countFailure(subjects(a.email(), client));
            audit.append(AuditEvent.of(a.actor(), "space.login-failed", a.subject(), "wrong second factor (" + kind
                    + "); client=" + client));
            return new Login(AuthOutcome.refused(Failure.WRONG_FACTOR, "The second factor is wrong or was already"
                    + " used."), null, null, null);
        }
        if (pendingId != null) {
            database.inTransaction(c -> {
                try (PreparedStatement ps = c.prepareStatement("UPDATE space_session SET ended_at = ? WHERE id = ?")) {
                    ps.setObject(1, time(now()));
                    ps.setString(2, pendingId);
                    return ps.executeUpdate();
                }
            });
        }
        return started(a, true, client, kind);
    }

    private Login started(Account a, boolean secondFactor, String client, String how) {
        String cookie = secret();
        Instant now = now();
        String id = database.inTransaction(c -> {
            cleared(c, login(a.email()));
            cleared(c, "client:" + clip(client == null ? "" : client, 100));
            String sid = insertSession(c, a.id(), cookie, "LIVE", now, secondFactor);
            audit.append(AuditEvent.of(a.actor(), "space.login", a.subject(), "session=" + sid + "; with=" + how
                    + "; client=" + client));
            return sid;
        });
        return new Login(AuthOutcome.ok(a.holder()), cookie, session(cookie).orElseThrow(), null);
    }

    private String insertSession(Connection c, String accountId, String cookie, String stage, Instant now,
            boolean secondFactor) throws SQLException {
        String id = UUID.randomUUID().toString();
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO space_session (id, secret_hash, account_id, csrf,"
                + " stage, created_at, last_seen_at, second_factor) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, id);
            ps.setString(2, Digests.sha256Hex(cookie));
            ps.setString(3, accountId);
            ps.setString(4, secret());
            ps.setString(5, stage);
            ps.setObject(6, time(now));
            ps.setObject(7, time(now));
            ps.setBoolean(8, secondFactor);
            ps.executeUpdate();
        }
        return id;
    }

    /**
     * The live session of a cookie's secret, its idle timer refreshed; empty when unknown, logged out, expired (idle
     * or absolute limit: then it is ended) or its account closed.
     */
    Optional<HolderSession> session(String cookie) {
        if (cookie == null || !cookie.matches(SECRET)) {
            return Optional.empty();
        }
        SpaceSettings s = settings.get();
        return database.inTransaction(c -> {
            String id;
            String accountId;
            String csrf;
            Instant created;
            Instant seen;
            boolean factor;
            try (PreparedStatement ps = c.prepareStatement("SELECT id, account_id, csrf, created_at, last_seen_at,"
                    + " second_factor FROM space_session WHERE secret_hash = ? AND stage = 'LIVE' AND ended_at IS"
                    + " NULL")) {
                ps.setString(1, Digests.sha256Hex(cookie));
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.<HolderSession>empty();
                    }
                    id = rs.getString(1);
                    accountId = rs.getString(2);
                    csrf = rs.getString(3);
                    created = instant(rs, 4);
                    seen = instant(rs, 5);
                    factor = rs.getBoolean(6);
                }
            }
            Instant now = now();
            Account a = accountWhere(c, "id", accountId, false).orElse(null);
            boolean idle = !now.isBefore(seen.plus(s.idle()));
            boolean old = !now.isBefore(created.plus(s.absolute()));
            if (a == null || a.disabled() || idle || old) {
                try (PreparedStatement ps = c.prepareStatement("UPDATE space_session SET ended_at = ? WHERE id = ?")) {
                    ps.setObject(1, time(now));
                    ps.setString(2, id);
                    ps.executeUpdate();
                }
                audit.append(AuditEvent.of(SYSTEM, "space.session-expired", a == null ? "" : a.subject(), "session="
                        + id + "; " + (old ? "absolute limit" : idle ? "idle limit" : "account closed")));
                return Optional.<HolderSession>empty();
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE space_session SET last_seen_at = ? WHERE id = ?")) {
                ps.setObject(1, time(now));
                ps.setString(2, id);
                ps.executeUpdate();
            }
            return Optional.of(new HolderSession(id, a.holder(), csrf, created, factor));
        });
    }

    /** Ends the session of a cookie's secret (live or waiting for its factor); false when there was none. */
    boolean logout(String cookie) {
        if (cookie == null || !cookie.matches(SECRET)) {
            return false;
        }
        return database.inTransaction(c -> {
            String id;
            String accountId;
            try (PreparedStatement ps = c.prepareStatement("SELECT id, account_id FROM space_session WHERE secret_hash"
                    + " = ? AND ended_at IS NULL FOR UPDATE")) {
                ps.setString(1, Digests.sha256Hex(cookie));
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return false;
                    }
                    id = rs.getString(1);
                    accountId = rs.getString(2);
                }
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE space_session SET ended_at = ? WHERE id = ?")) {
                ps.setObject(1, time(now()));
                ps.setString(2, id);
                ps.executeUpdate();
            }
            Account a = accountWhere(c, "id", accountId, false).orElse(null);
            audit.append(AuditEvent.of(a == null ? SYSTEM : a.actor(), "space.logout", a == null ? "" : a.subject(),
                    "session=" + id));
            return true;
        });
    }

    private int endSessions(Connection c, String accountId, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE space_session SET ended_at = ? WHERE account_id = ?"
                + " AND ended_at IS NULL")) {
            ps.setObject(1, time(now));
            ps.setString(2, accountId);
            return ps.executeUpdate();
        }
    }

    /**
     * Re-authentication before a signature or a change of factors: the password again, and the second factor when
     * one is enrolled. Throttled like logins (a missing factor is not counted), audited.
     */
    AuthOutcome confirm(String accountId, char[] password, String factorKind, String factorResponse, String origin,
            String client) {
        Account a = account(accountId).orElse(null);
        if (a == null || a.disabled()) {
            return AuthOutcome.refused(Failure.DISABLED, "This account is closed.");
        }
        Instant until = database.inTransaction(c -> lockedUntil(c, subjects(a.email(), client)));
        if (until != null) {
            return throttled(a, client, until, "re-authentication");
        }
        if (!passwordMatches(a, password)) {
            return wrongPassword(a, a.email(), client, "space.reauthentication-failed");
        }
        if (!factors(a.id()).isEmpty()) {
            if (factorKind == null || factorKind.isBlank()) {
                audit.append(AuditEvent.of(a.actor(), "space.reauthentication-failed", a.subject(), "second factor"
                        + " missing; client=" + client));
                return AuthOutcome.refused(Failure.FACTOR_REQUIRED, "Give your second factor as well.");
            }
            if (!checkFactor(a, factorKind, factorResponse, origin)) {
                countFailure(subjects(a.email(), client));
                audit.append(AuditEvent.of(a.actor(), "space.reauthentication-failed", a.subject(), "wrong second"
                        + " factor (" + factorKind + "); client=" + client));
                return AuthOutcome.refused(Failure.WRONG_FACTOR, "The second factor is wrong or was already used.");
            }
        }
        database.inTransaction(c -> {
            cleared(c, login(a.email()));
            return null;
        });
        audit.append(AuditEvent.of(a.actor(), "space.reauthenticated", a.subject(), "client=" + client
                + (factorKind == null || factorKind.isBlank() ? "" : "; factor=" + factorKind)));
        return AuthOutcome.ok(a.holder());
    }

    // ------------------------------------------------------------------ second factors

    /** A second factor as the security page lists it. */
    record Factor(String id, String kind, String name, Instant createdAt, Instant lastUsedAt) {
    }

    /** The confirmed factors' kinds: {@code totp} and/or {@code webauthn}. */
    List<String> factors(String accountId) {
        return factorList(accountId).stream().map(Factor::kind).distinct().sorted().toList();
    }

    List<Factor> factorList(String accountId) {
        return database.inTransaction(c -> {
            List<Factor> l = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id, kind, name, created_at, last_used_at FROM"
                    + " space_factor WHERE account_id = ? AND confirmed = TRUE ORDER BY created_at, id")) {
                ps.setString(1, accountId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        l.add(new Factor(rs.getString(1), rs.getString(2), rs.getString(3), instant(rs, 4),
                                instant(rs, 5)));
                    }
                }
            }
            return l;
        });
    }

    private boolean checkFactor(Account a, String kind, String response, String origin) {
        try {
            if (TOTP.equals(kind)) {
                return checkTotp(a.id(), response);
            }
            if (WEBAUTHN.equals(kind)) {
                return checkWebAuthn(a.id(), response, origin);
            }
        } catch (RuntimeException e) {
            LOG.info("A second factor of account {} could not be checked: {}", a.id(), e.toString());
        }
        return false;
    }

    /** A TOTP code of a confirmed factor, never one of a step already used (the row is locked: no replay race). */
    private boolean checkTotp(String accountId, String code) {
        Instant now = now();
        return database.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT id, totp_secret, last_step FROM space_factor WHERE"
                    + " account_id = ? AND kind = 'totp' AND confirmed = TRUE FOR UPDATE")) {
                ps.setString(1, accountId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        byte[] key = openTotp(rs.getString(2));
                        try {
                            OptionalLong step = Totp.verify(key, code, now, rs.getLong(3));
                            if (step.isPresent()) {
                                used(c, rs.getString(1), step.getAsLong(), null, now);
                                return true;
                            }
                        } finally {
                            Arrays.fill(key, (byte) 0);
                        }
                    }
                }
            }
            return false;
        });
    }

    private static void used(Connection c, String factorId, Long step, Long signCount, Instant now)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE space_factor SET last_used_at = ?"
                + (step != null ? ", last_step = ?" : "") + (signCount != null ? ", sign_count = ?" : "")
                + " WHERE id = ?")) {
            int i = 1;
            ps.setObject(i++, time(now));
            if (step != null) {
                ps.setLong(i++, step);
            }
            if (signCount != null) {
                ps.setLong(i++, signCount);
            }
            ps.setString(i, factorId);
            ps.executeUpdate();
        }
    }

    private byte[] openTotp(String sealed) {
        try {
            return vault.open(TOTP_PURPOSE, Base64.getDecoder().decode(sealed));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("A TOTP key does not open with this master key: " + e.getMessage());
        }
    }

    /** A TOTP enrolment under way: the factor's id and its key (for the QR code and the manual entry). */
    record TotpEnrolment(String factorId, byte[] key, String uri) {
    }

    /**
     * Starts (or continues) enrolling an authenticator app: an unconfirmed factor with a new key, replacing an
     * unconfirmed one. The key is shown until {@link #confirmTotp}.
     */
    TotpEnrolment startTotp(String accountId, String issuer) {
        Account a = account(accountId).orElseThrow();
        if (factors(accountId).contains(TOTP)) {
            throw new DeliveryException(Kind.CONFLICT, "An authenticator app is enrolled already: remove it first.");
        }
        byte[] key = new byte[20];
        random.nextBytes(key);
        String id = UUID.randomUUID().toString();
        String sealed = Base64.getEncoder().encodeToString(vault.seal(TOTP_PURPOSE, key));
        Instant now = now();
        database.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM space_factor WHERE account_id = ? AND kind ="
                    + " 'totp' AND confirmed = FALSE")) {
                ps.setString(1, accountId);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO space_factor (id, account_id, kind, name,"
                    + " confirmed, totp_secret, last_step, created_at) VALUES (?, ?, 'totp', ?, FALSE, ?, 0, ?)")) {
                ps.setString(1, id);
                ps.setString(2, accountId);
                ps.setString(3, "Authenticator app");
                ps.setString(4, sealed);
                ps.setObject(5, time(now));
                ps.executeUpdate();
            }
            return null;
        });
        return new TotpEnrolment(id, key, Totp.uri(issuer, a.email(), key));
    }

    /** The unconfirmed TOTP enrolment of the account, if one is under way. */
    Optional<TotpEnrolment> pendingTotp(String accountId, String issuer) {
        Account a = account(accountId).orElseThrow();
        return database.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT id, totp_secret FROM space_factor WHERE account_id"
                    + " = ? AND kind = 'totp' AND confirmed = FALSE")) {
                ps.setString(1, accountId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.<TotpEnrolment>empty();
                    }
                    byte[] key = openTotp(rs.getString(2));
                    return Optional.of(new TotpEnrolment(rs.getString(1), key, Totp.uri(issuer, a.email(), key)));
                }
            }
        });
    }

    /** Confirms the enrolment under way with a code of the app; false (nothing changes) for a wrong code. */
    boolean confirmTotp(String accountId, String code) {
        Account a = account(accountId).orElseThrow();
        Instant now = now();
        return database.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT id, totp_secret FROM space_factor WHERE account_id"
                    + " = ? AND kind = 'totp' AND confirmed = FALSE FOR UPDATE")) {
                ps.setString(1, accountId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return false;
                    }
                    byte[] key = openTotp(rs.getString(2));
                    try {
                        OptionalLong step = Totp.verify(key, code, now, 0);
                        if (step.isEmpty()) {
                            audit.append(AuditEvent.of(a.actor(), "space.factor-refused", a.subject(), "kind=totp;"
                                    + " wrong code at enrolment"));
                            return false;
                        }
                        String id = rs.getString(1);
                        try (PreparedStatement up = c.prepareStatement("UPDATE space_factor SET confirmed = TRUE,"
                                + " last_step = ?, last_used_at = ? WHERE id = ?")) {
                            up.setLong(1, step.getAsLong());
                            up.setObject(2, time(now));
                            up.setString(3, id);
                            up.executeUpdate();
                        }
                        audit.append(AuditEvent.of(a.actor(), "space.factor-enrolled", a.subject(), "kind=totp;"
                                + " factor=" + id));
                        securityMail(a, "factor-added", TOTP, now);
                        return true;
                    } finally {
                        Arrays.fill(key, (byte) 0);
                    }
                }
            }
        });
    }

    /** Removes a factor of the account (after a re-authentication the caller made); false when there is none. */
    boolean removeFactor(String accountId, String factorId, String actor) {
        Account a = account(accountId).orElseThrow();
        return database.inTransaction(c -> {
            String kind;
            try (PreparedStatement ps = c.prepareStatement("SELECT kind FROM space_factor WHERE id = ? AND account_id"
                    + " = ? AND confirmed = TRUE")) {
                ps.setString(1, factorId);
                ps.setString(2, accountId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return false;
                    }
                    kind = rs.getString(1);
                }
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM space_factor WHERE id = ?")) {
                ps.setString(1, factorId);
                ps.executeUpdate();
            }
            audit.append(AuditEvent.of(actor == null ? a.actor() : actor, "space.factor-removed", a.subject(),
                    "kind=" + kind + "; factor=" + factorId));
            securityMail(a, "factor-removed", kind, now());
            return true;
        });
    }

    // ------------------------------------------------------------------ WebAuthn

    /**
     * A fresh assertion challenge for the account's authenticators ({@code PublicKeyCredentialRequestOptions} JSON),
     * remembered for the next check; empty when the account has none.
     */
    Optional<String> factorChallenge(String accountId) {
        List<String> ids = credentials(accountId).stream().map(r -> r[1]).toList();
        if (ids.isEmpty()) {
            return Optional.empty();
        }
        String challenge = challenge(accountId, "get");
        return Optional.of(passkeys.requestOptions(challenge, settings.get().host(), ids));
    }

    /** The creation options for a new authenticator ({@code PublicKeyCredentialCreationOptions} JSON). */
    String registrationOptions(String accountId, String rpName) {
        Account a = account(accountId).orElseThrow();
        List<String> exclude = credentials(accountId).stream().map(r -> r[1]).toList();
        String challenge = challenge(accountId, "create");
        return passkeys.creationOptions(challenge, settings.get().host(), rpName, a.id(), a.email(), a.name(),
                exclude);
    }

    /**
     * Registers an authenticator from {@code navigator.credentials.create}'s answer to the last creation options;
     * false (audited) when it does not verify.
     */
    boolean registerWebAuthn(String accountId, String name, String credentialJson, String origin) {
        Account a = account(accountId).orElseThrow();
        String challenge = takeChallenge(accountId, "create");
        Passkeys.Registered r;
        try {
            if (challenge == null) {
                throw new IllegalArgumentException("no challenge is open (ask for the options again)");
            }
            r = passkeys.register(credentialJson, challenge, expectedOrigins(origin), settings.get().host());
        } catch (RuntimeException e) {
            audit.append(AuditEvent.of(a.actor(), "space.factor-refused", a.subject(), "kind=webauthn; "
                    + clip(e.getMessage(), 300)));
            return false;
        }
        String label = name == null || name.isBlank() ? "Security key" : clip(name.strip().replaceAll("\\p{Cntrl}",
                " "), 100);
        Instant now = now();
        String id = UUID.randomUUID().toString();
        database.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO space_factor (id, account_id, kind, name,"
                    + " confirmed, credential_id, public_key, sign_count, created_at) VALUES (?, ?, 'webauthn', ?,"
                    + " TRUE, ?, ?, ?, ?)")) {
                ps.setString(1, id);
                ps.setString(2, accountId);
                ps.setString(3, label);
                ps.setString(4, r.credentialId());
                ps.setString(5, r.publicKey());
                ps.setLong(6, r.signCount());
                ps.setObject(7, time(now));
                ps.executeUpdate();
            }
            audit.append(AuditEvent.of(a.actor(), "space.factor-enrolled", a.subject(), "kind=webauthn; factor=" + id
                    + "; credential=" + r.credentialId()));
            securityMail(a, "factor-added", WEBAUTHN, now);
            return null;
        });
        return true;
    }

    private boolean checkWebAuthn(String accountId, String assertionJson, String origin) {
        String challenge = takeChallenge(accountId, "get");
        if (challenge == null) {
            return false;
        }
        String credentialId = passkeys.credentialId(assertionJson);
        Instant now = now();
        return database.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT id, public_key, sign_count FROM space_factor WHERE"
                    + " account_id = ? AND kind = 'webauthn' AND confirmed = TRUE AND credential_id = ? FOR UPDATE")) {
                ps.setString(1, accountId);
                ps.setString(2, credentialId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return false;
                    }
                    long count = passkeys.verify(assertionJson, challenge, expectedOrigins(origin),
                            settings.get().host(), credentialId, rs.getString(2), rs.getLong(3));
                    used(c, rs.getString(1), null, count, now);
                    return true;
                }
            }
        });
    }

    /** The origins an authenticator's answer may come from: the public base URL's, and the request's own. */
    private List<String> expectedOrigins(String requestOrigin) {
        String mine = settings.get().origin();
        return requestOrigin == null || requestOrigin.isBlank() || requestOrigin.equals(mine) ? List.of(mine)
                : sameHost(requestOrigin) ? List.of(mine, requestOrigin) : List.of(mine);
    }

    private boolean sameHost(String origin) {
        try {
            return settings.get().host().equalsIgnoreCase(java.net.URI.create(origin).getHost());
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** {factor id, credential id} of the account's authenticators. */
    private List<String[]> credentials(String accountId) {
        return database.inTransaction(c -> {
            List<String[]> l = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id, credential_id FROM space_factor WHERE account_id"
                    + " = ? AND kind = 'webauthn' AND confirmed = TRUE ORDER BY created_at")) {
                ps.setString(1, accountId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        l.add(new String[] { rs.getString(1), rs.getString(2) });
                    }
                }
            }
            return l;
        });
    }

    private String challenge(String accountId, String purpose) {
        String challenge = secret();
        Instant expires = now().plus(CHALLENGE_VALIDITY);
        database.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM space_challenge WHERE account_id = ? AND"
                    + " purpose = ?")) {
                ps.setString(1, accountId);
                ps.setString(2, purpose);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO space_challenge (account_id, purpose,"
                    + " challenge, expires_at) VALUES (?, ?, ?, ?)")) {
                ps.setString(1, accountId);
                ps.setString(2, purpose);
                ps.setString(3, challenge);
                ps.setObject(4, time(expires));
                ps.executeUpdate();
            }
            return null;
        });
        return challenge;
    }

    /** The open challenge of the account for {@code purpose}, used up; null when none is open. */
    private String takeChallenge(String accountId, String purpose) {
        return database.inTransaction(c -> {
            String challenge = null;
            try (PreparedStatement ps = c.prepareStatement("SELECT challenge, expires_at FROM space_challenge WHERE"
                    + " account_id = ? AND purpose = ? FOR UPDATE")) {
                ps.setString(1, accountId);
                ps.setString(2, purpose);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next() && now().isBefore(instant(rs, 2))) {
                        challenge = rs.getString(1);
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM space_challenge WHERE account_id = ? AND"
                    + " purpose = ?")) {
                ps.setString(1, accountId);
                ps.setString(2, purpose);
                ps.executeUpdate();
            }
            return challenge;
        });
    }

    // ------------------------------------------------------------------ helpers

    /** 256 random bits, Base64url without padding (43 characters). */
    String secret() {
        return RandomTokens.urlSafe(random, 32);
    }

    static String subject(String orderId) {
        return "order:" + orderId;
    }

    private static String clip(String s, int max) {
        return s == null ? "" : s.length() <= max ? s : s.substring(0, max);
    }

    private static String shown(String id) {
        return id == null ? "" : id.length() > 40 ? id.substring(0, 40) + "…" : id;
    }

    /** Milliseconds: both databases store them exactly. */
    Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
