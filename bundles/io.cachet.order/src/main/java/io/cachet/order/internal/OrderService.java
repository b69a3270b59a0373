package io.cachet.order.internal;

import static io.cachet.api.store.Columns.instant;
import static io.cachet.api.store.Columns.time;

import java.nio.charset.StandardCharsets;
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
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cachet.api.audit.AuditEvent;
import io.cachet.api.audit.AuditLog;
import io.cachet.api.order.CheckState;
import io.cachet.api.order.CheckStatus;
import io.cachet.api.order.FieldError;
import io.cachet.api.order.Order;
import io.cachet.api.order.OrderCheck;
import io.cachet.api.order.OrderEvent;
import io.cachet.api.order.OrderException;
import io.cachet.api.order.OrderListener;
import io.cachet.api.order.OrderPage;
import io.cachet.api.order.OrderQuery;
import io.cachet.api.order.OrderRequest;
import io.cachet.api.order.OrderState;
import io.cachet.api.order.Orders;
import io.cachet.api.order.Product;
import io.cachet.api.order.Submission;
import io.cachet.api.security.Digests;
import io.cachet.api.store.Database;
import io.cachet.api.store.StoreException;

/**
 * The orders on the database: the state machine, its events and audit records, the checks and listeners of the
 * whiteboard, the idempotency keys and the expiry sweep. Plain Java; thread-safe; several nodes may share the
 * database: every transition locks the order's row ({@code SELECT ... FOR UPDATE}) and reads its state under the
 * lock, so two concurrent transitions of one order run one after the other and the second sees the first's
 * outcome.
 */
public final class OrderService implements Orders {

    private static final Logger LOG = LoggerFactory.getLogger(OrderService.class);

    static final int MAX_REASON = 1000;
    static final int MAX_DETAIL = 1000;
    static final int MAX_KEY = 200;
    private static final String COLUMNS = "id, state, reseller, brand, language, request_json, created_at, updated_at,"
            + " expires_at, reason, version";
    /** The states in which an order expires, as an SQL list: those {@link OrderState#expirable()} says. */
    private static final String EXPIRABLE_STATES = java.util.Arrays.stream(OrderState.values())
            .filter(OrderState::expirable).map(s -> "'" + s.name() + "'")
            .collect(java.util.stream.Collectors.joining(", ", "(", ")"));
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] BASE32 = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();

    private final Database database;
    private final AuditLog audit;
    private final OrderValidator validator;
    private final Supplier<List<Product>> catalogue;
    private final Supplier<? extends Collection<OrderCheck>> checks;
    private final Supplier<? extends Collection<OrderListener>> listeners;
    private final Supplier<String> activeBrand;
    private final Clock clock;
    private volatile Duration expiry;

    public OrderService(Database database, AuditLog audit, Supplier<List<Product>> catalogue,
            Supplier<? extends Collection<OrderCheck>> checks, Supplier<? extends Collection<OrderListener>> listeners,
            Supplier<String> activeBrand, Clock clock, Duration expiry) {
        this.database = database;
        this.audit = audit;
        this.catalogue = catalogue;
        this.checks = checks;
        this.listeners = listeners;
        this.activeBrand = activeBrand;
        this.clock = clock;
        this.expiry = expiry;
        this.validator = new OrderValidator(catalogue, clock);
        database.migrate("order", OrderService.class.getClassLoader(), "db/order");
    }

    void expiry(Duration expiry) {
        this.expiry = expiry;
    }

    @Override
    public List<Product> catalogue() {
        return catalogue.get();
    }

    @Override
    public List<FieldError> validate(OrderRequest request) {
        return validator.check(request).errors();
    }

    /** What {@link #submitted} gave: the order, and whether it is new (false: an idempotent replay). */
    public record Submitted(Order order, boolean created) {
    }

    @Override
    public Order submit(OrderRequest request, Submission submission) {
        return submitted(request, submission).order();
    }

    /**
     * {@link #submit}, saying whether the order is new or the one an earlier request with the same idempotency
     * key made.
     */
    public Submitted submitted(OrderRequest request, Submission submission) {
        OrderValidator.Result checked = validator.check(request);
        if (!checked.valid()) {
            throw new OrderException(OrderException.Reason.INVALID, "The order is invalid: "
                    + checked.errors().size() + " field(s) to correct.", checked.errors());
        }
        OrderRequest valid = checked.request();
        String language = "en".equalsIgnoreCase(submission.language()) ? "en" : "fr";
        String brand = submission.brand() == null || submission.brand().isBlank() ? activeBrand.get()
                : submission.brand();
        String key = submission.idempotencyKey();
        if (key != null && (key.isBlank() || key.length() > MAX_KEY)) {
            throw new OrderException(OrderException.Reason.INVALID, "The Idempotency-Key must be 1 to " + MAX_KEY
                    + " characters.", List.of(new FieldError("Idempotency-Key", "invalid", "1 to " + MAX_KEY
                            + " characters.")));
        }
        String scope = submission.reseller() != null ? "reseller:" + submission.reseller() : submission.actor();
        String hash = Digests.sha256Hex(OrderJson.write(valid) + "\n" + language + "\n" + brand);
        List<Runnable> after = new ArrayList<>();
        Submitted result;
        try {
            result = database.inTransaction(c -> {
                if (key != null) {
                    Optional<Submitted> earlier = replay(c, scope, key, hash);
                    if (earlier.isPresent()) {
                        return earlier.get();
                    }
                }
                Order order = insert(c, valid, submission, language, brand, after);
                if (key != null) {
                    try (PreparedStatement ps = c.prepareStatement("INSERT INTO cachet_order_idempotency (scope,"
                            + " idem_key, body_hash, order_id, created_at) VALUES (?, ?, ?, ?, ?)")) {
                        ps.setString(1, scope);
                        ps.setString(2, key);
                        ps.setString(3, hash);
                        ps.setString(4, order.id());
                        ps.setObject(5, time(now()));
                        ps.executeUpdate();
                    }
                }
                return new Submitted(order, true);
            });
        } catch (StoreException e) {
            if (key == null || !StoreException.isUniqueViolation(e)) {
                throw e;
            }
            // the same key raced in: the other request's order won; answer as a replay of it
            after.clear();
            result = database.inTransaction(c -> replay(c, scope, key, hash)).orElseThrow(() -> e);
        }
        after.forEach(Runnable::run);
        return result;
    }

    private Optional<Submitted> replay(Connection c, String scope, String key, String hash) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT body_hash, order_id FROM cachet_order_idempotency"
                + " WHERE scope = ? AND idem_key = ?")) {
            ps.setString(1, scope);
            ps.setString(2, key);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                if (!rs.getString(1).equals(hash)) {
                    throw new OrderException(OrderException.Reason.CONFLICT, "This Idempotency-Key was used for"
                            + " another order: use a new key for a new order, or send the same body again.");
                }
                return Optional.of(new Submitted(read(c, rs.getString(2), false).orElseThrow(), false));
            }
        }
    }

    /** Stores the order SUBMITTED and moves it on to VERIFICATION, in the caller's transaction. */
    private Order insert(Connection c, OrderRequest r, Submission s, String language, String brand,
            List<Runnable> after) throws SQLException {
        String id = newId();
        Instant now = now();
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO cachet_order (id, state, reseller, brand, language,"
                + " product, validity_years, medium, request_json, search_text, created_at, updated_at, expires_at,"
                + " reason, version) VALUES (?, 'SUBMITTED', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, 1)")) {
            ps.setString(1, id);
            ps.setString(2, s.reseller());
            ps.setString(3, brand);
            ps.setString(4, language);
            ps.setString(5, r.product());
            ps.setInt(6, r.validityYears());
            ps.setString(7, r.medium().id());
            ps.setString(8, OrderJson.write(r));
            ps.setString(9, searchText(id, r));
            ps.setObject(10, time(now));
            ps.setObject(11, time(now));
            ps.setObject(12, time(now.plus(expiry)));
            ps.executeUpdate();
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("product", r.product());
        details.put("validityYears", r.validityYears());
        details.put("medium", r.medium().id());
        details.put("reseller", s.reseller());
        details.put("brand", brand);
        OrderEvent submitted = event(c, id, null, OrderState.SUBMITTED, s.actor(), null, now, details);
        Order order = read(c, id, false).orElseThrow();
        tell(submitted, order);
        return move(c, order, OrderState.VERIFICATION, s.actor(), null, after);
    }

    /**
     * Moves the (locked) order to {@code to}: the new state, its event, its audit record, the checks of the new
     * state, the listeners; the checks' {@link OrderCheck#entered} go to {@code after}, for after the commit.
     */
    private Order move(Connection c, Order from, OrderState to, String actor, String reason, List<Runnable> after)
            throws SQLException {
        Instant now = now();
        try (PreparedStatement ps = c.prepareStatement("UPDATE cachet_order SET state = ?, updated_at = ?,"
                + " reason = ?, version = version + 1 WHERE id = ? AND version = ?")) {
            ps.setString(1, to.name());
            ps.setObject(2, time(now));
            ps.setString(3, to == OrderState.CANCELLED || to == OrderState.REJECTED || to == OrderState.EXPIRED
                    ? reason : from.reason());
            ps.setString(4, from.id());
            ps.setLong(5, from.version());
            if (ps.executeUpdate() != 1) {
                // the row is locked by this transaction: only a change outside the order service gets here
                throw new SQLException("order " + from.id() + " changed under its lock", "40001");
            }
        }
        List<OrderCheck> entering = new ArrayList<>();
        if (to.next() != null) {
            for (OrderCheck check : checks.get()) {
                if (check.state() == to && applies(check, from.request()) && entering.stream()
                        .noneMatch(e -> e.kind().equals(check.kind()))) {
                    try (PreparedStatement ps = c.prepareStatement("INSERT INTO cachet_order_check (order_id, state,"
                            + " kind, status, detail, created_at, updated_at) VALUES (?, ?, ?, 'PENDING', '', ?, ?)")) {
                        ps.setString(1, from.id());
                        ps.setString(2, to.name());
                        ps.setString(3, check.kind());
                        ps.setObject(4, time(now));
                        ps.setObject(5, time(now));
                        ps.executeUpdate();
                    }
                    entering.add(check);
                }
            }
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("checks", entering.stream().map(OrderCheck::kind).toList());
        OrderEvent event = event(c, from.id(), from.state(), to, actor, reason, now, details);
        Order order = read(c, from.id(), false).orElseThrow();
        tell(event, order);
        for (OrderCheck check : entering) {
            after.add(() -> enter(check, order));
        }
        return order;
    }

    private static boolean applies(OrderCheck check, OrderRequest request) {
        try {
            return check.appliesTo(request);
        } catch (RuntimeException e) {
            // a check that cannot say is recorded: the order waits for it rather than skipping it
            LOG.warn("Order check {} failed to say whether it applies; recorded as applying", check.kind(), e);
            return true;
        }
    }

    private static void enter(OrderCheck check, Order order) {
        try {
            check.entered(order);
        } catch (RuntimeException e) {
            LOG.warn("Order check {} failed on entering order {} in {}; the check stays pending", check.kind(),
                    order.id(), order.state(), e);
        }
    }

    private void tell(OrderEvent event, Order order) {
        for (OrderListener listener : listeners.get()) {
            listener.transitioned(event, order);
        }
    }

    /** Records the event and its audit record (no personal data: ids, states, kinds only). */
    private OrderEvent event(Connection c, String id, OrderState from, OrderState to, String actor, String reason,
            Instant at, Map<String, Object> details) throws SQLException {
        long sequence;
        try (PreparedStatement ps = c.prepareStatement("SELECT COALESCE(MAX(sequence), 0) + 1 FROM cachet_order_event"
                + " WHERE order_id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                sequence = rs.getLong(1);
            }
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO cachet_order_event (order_id, sequence, happened_at,"
                + " from_state, to_state, actor, reason) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, id);
            ps.setLong(2, sequence);
            ps.setObject(3, time(at));
            ps.setString(4, from == null ? null : from.name());
            ps.setString(5, to.name());
            ps.setString(6, actor);
            ps.setString(7, reason);
            ps.executeUpdate();
        }
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("order", id);
        all.put("sequence", sequence);
        all.put("from", from == null ? null : from.name());
        all.put("to", to.name());
        all.putAll(details);
        audit.append(AuditEvent.of(actor, from == null ? "order.submitted" : "order." + to.name().toLowerCase(Locale.ROOT),
                "order:" + id, json(all)));
        return new OrderEvent(id, sequence, at, from, to, actor, reason == null ? "" : reason);
    }

    // ---- transitions asked from outside

    @Override
    public Order cancel(String id, String actor, String reason, boolean byCustomer) {
        String why = reason(reason, false);
        return transition(id, (c, order, after) -> {
            if (order.state() == OrderState.CANCELLED) {
                return order;
            }
            if (!order.state().open()) {
                throw conflict(order, "cancelled");
            }
            if (byCustomer && !order.state().cancellableByCustomer()) {
                throw new OrderException(OrderException.Reason.CONFLICT, "The order is in " + order.state()
                        + ": from issuance on, only an operator can cancel it.");
            }
            return move(c, order, OrderState.CANCELLED, actor, why, after);
        });
    }

    @Override
    public Order reject(String id, String actor, String reason) {
        String why = reason(reason, true);
        return transition(id, (c, order, after) -> {
            if (order.state() == OrderState.REJECTED) {
                return order;
            }
            if (!order.state().open()) {
                throw conflict(order, "rejected");
            }
            return move(c, order, OrderState.REJECTED, actor, why, after);
        });
    }

    /** Expires an order still in the customer's part (the background job; tests). */
    Order expire(String id, String actor) {
        return transition(id, (c, order, after) -> {
            if (order.state() == OrderState.EXPIRED) {
                return order;
            }
            if (!order.state().expirable()) {
                throw conflict(order, "expired");
            }
            return move(c, order, OrderState.EXPIRED, actor, "Not completed within " + expiry.toDays() + " days.", after);
        });
    }

    @Override
    public Order report(String id, String kind, CheckStatus status, String detail, String actor) {
        String text = detail == null ? "" : detail.strip();
        if (text.length() > MAX_DETAIL) {
            text = text.substring(0, MAX_DETAIL);
        }
        String newDetail = text;
        return transition(id, (c, order, after) -> {
            CheckStatus current = null;
            String currentDetail = null;
            try (PreparedStatement ps = c.prepareStatement("SELECT status, detail FROM cachet_order_check WHERE order_id = ?"
                    + " AND state = ? AND kind = ?")) {
                ps.setString(1, id);
                ps.setString(2, order.state().name());
                ps.setString(3, kind);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        current = CheckStatus.valueOf(rs.getString(1));
                        currentDetail = rs.getString(2);
                    }
                }
            }
            if (current == null) {
                if (order.checks().stream().anyMatch(k -> k.kind().equals(kind))) {
                    return order; // a report for a state the order has left
                }
                throw new OrderException(OrderException.Reason.NOT_FOUND, "No check '" + kind + "' for order " + id + ".");
            }
            if (current == status && currentDetail.equals(newDetail)) {
                return order;
            }
            Instant now = now();
            try (PreparedStatement ps = c.prepareStatement("UPDATE cachet_order_check SET status = ?, detail = ?,"
                    + " updated_at = ? WHERE order_id = ? AND state = ? AND kind = ?")) {
                ps.setString(1, status.name());
                ps.setString(2, newDetail);
                ps.setObject(3, time(now));
                ps.setString(4, id);
                ps.setString(5, order.state().name());
                ps.setString(6, kind);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE cachet_order SET updated_at = ?, version = version + 1"
                    + " WHERE id = ?")) {
                ps.setObject(1, time(now));
                ps.setString(2, id);
                ps.executeUpdate();
            }
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("order", id);
            details.put("state", order.state().name());
            details.put("kind", kind);
            details.put("status", status.name());
            audit.append(AuditEvent.of(actor, "order.check." + status.name().toLowerCase(Locale.ROOT), "order:" + id,
                    json(details)));
            Order updated = read(c, id, false).orElseThrow();
            List<CheckState> ofState = updated.checks().stream().filter(k -> k.state() == updated.state()).toList();
            if (!ofState.isEmpty() && ofState.stream().allMatch(k -> k.status() == CheckStatus.PASSED)) {
                return move(c, updated, updated.state().next(), actor, "", after);
            }
            return updated;
        });
    }

    private static OrderException conflict(Order order, String verb) {
        return new OrderException(OrderException.Reason.CONFLICT, "The order is " + order.state()
                + " and can no longer be " + verb + ".");
    }

    private static String reason(String reason, boolean required) {
        String r = reason == null ? "" : reason.strip();
        if (required && r.isEmpty()) {
            throw new OrderException(OrderException.Reason.INVALID, "Give the reason, which the customer is shown.",
                    List.of(new FieldError("reason", "required", "Give the reason, which the customer is shown.")));
        }
        if (r.length() > MAX_REASON || r.chars().anyMatch(ch -> ch != '\n' && Character.isISOControl(ch))) {
            throw new OrderException(OrderException.Reason.INVALID, "The reason is at most " + MAX_REASON
                    + " characters.", List.of(new FieldError("reason", "too-long", "At most " + MAX_REASON
                            + " characters, without control characters.")));
        }
        return r;
    }

    private interface Step {
        Order apply(Connection c, Order locked, List<Runnable> after) throws SQLException;
    }

    /** One transaction: locks the order, runs {@code step}; after commit, the entered checks. */
    private Order transition(String id, Step step) {
        List<Runnable> after = new ArrayList<>();
        Order order = database.inTransaction(c -> {
            Order locked = read(c, id, true).orElseThrow(
                    () -> new OrderException(OrderException.Reason.NOT_FOUND, "No order " + id + "."));
            return step.apply(c, locked, after);
        });
        after.forEach(Runnable::run);
        return order;
    }

    // ---- expiry

    /**
     * Expires the orders past their time that are still in the customer's part, each in its own transaction; several
     * nodes may run it at once.
     */
    int expireDue(int max) {
        Instant now = now();
        List<String> due = database.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM cachet_order WHERE expires_at <= ? AND state IN "
                    + EXPIRABLE_STATES + " ORDER BY expires_at, id FETCH FIRST " + max + " ROWS ONLY")) {
                ps.setObject(1, time(now));
                List<String> ids = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getString(1));
                    }
                }
                return ids;
            }
        });
        int expired = 0;
        for (String id : due) {
            List<Runnable> after = new ArrayList<>();
            // claimed with SKIP LOCKED: an order another node (or a customer) is changing right now is left to it;
            // one row per statement, as H2 applies FETCH FIRST before skipping locked rows
            boolean done = database.inTransaction(c -> {
                try (PreparedStatement ps = c.prepareStatement("SELECT id FROM cachet_order WHERE id = ? AND"
                        + " expires_at <= ? AND state IN " + EXPIRABLE_STATES + " FOR UPDATE SKIP LOCKED")) {
                    ps.setString(1, id);
                    ps.setObject(2, time(now));
                    try (ResultSet rs = ps.executeQuery()) {
                        if (!rs.next()) {
                            return false;
                        }
                    }
                }
                Order order = read(c, id, false).orElseThrow();
                move(c, order, OrderState.EXPIRED, "system",
                        "Not completed within " + expiry.toDays() + " days.", after);
                return true;
            });
            if (done) {
                expired++;
            }
        }
        return expired;
    }

    // ---- reading

    @Override
    public OrderPage expiring(Instant before, String after, int limit) {
        if (limit < 1 || limit > 200) {
            throw new OrderException(OrderException.Reason.INVALID, "limit must be 1 to 200.",
                    List.of(new FieldError("limit", "invalid", "1 to 200.")));
        }
        Objects.requireNonNull(before, "before");
        Cursor from = after == null || after.isBlank() ? null : Cursor.parseDeadline(after);
        String sql = "SELECT " + COLUMNS + " FROM cachet_order WHERE expires_at < ? AND state IN " + EXPIRABLE_STATES
                + (from == null ? "" : " AND (expires_at > ? OR (expires_at = ? AND id > ?))")
                + " ORDER BY expires_at, id FETCH FIRST " + (limit + 1) + " ROWS ONLY";
        return database.inTransaction(c -> {
            List<Order> orders = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setObject(1, time(before));
                if (from != null) {
                    ps.setObject(2, time(from.at()));
                    ps.setObject(3, time(from.at()));
                    ps.setString(4, from.id());
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        orders.add(row(rs, List.of()));
                    }
                }
            }
            String next = null;
            if (orders.size() > limit) {
                orders = orders.subList(0, limit);
                Order last = orders.get(orders.size() - 1);
                next = new Cursor(last.expiresAt(), last.id()).deadline();
            }
            Map<String, List<CheckState>> checksOf = checks(c, orders.stream().map(Order::id).toList());
            return new OrderPage(orders.stream().map(o -> withChecks(o, checksOf.getOrDefault(o.id(), List.of())))
                    .toList(), next);
        });
    }

    @Override
    public Optional<Order> find(String id) {
        if (id == null || id.length() > 40) {
            return Optional.empty();
        }
        return database.inTransaction(c -> read(c, id, false));
    }

    @Override
    public List<OrderEvent> events(String id) {
        return database.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT sequence, happened_at, from_state, to_state, actor,"
                    + " reason FROM cachet_order_event WHERE order_id = ? ORDER BY sequence")) {
                ps.setString(1, id);
                List<OrderEvent> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String from = rs.getString(3);
                        String reason = rs.getString(6);
                        out.add(new OrderEvent(id, rs.getLong(1), instant(rs, 2), from == null ? null
                                : OrderState.valueOf(from), OrderState.valueOf(rs.getString(4)), rs.getString(5),
                                reason == null ? "" : reason));
                    }
                }
                return out;
            }
        });
    }

    @Override
    public OrderPage list(OrderQuery q) {
        if (q.limit() < 1 || q.limit() > 200) {
            throw new OrderException(OrderException.Reason.INVALID, "limit must be 1 to 200.",
                    List.of(new FieldError("limit", "invalid", "1 to 200.")));
        }
        Cursor after = q.after() == null || q.after().isBlank() ? null : Cursor.parse(q.after());
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM cachet_order WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (q.state() != null) {
            sql.append(" AND state = ?");
            args.add(q.state().name());
        }
        if (q.reseller() != null) {
            sql.append(" AND reseller = ?");
            args.add(q.reseller());
        }
        if (q.from() != null) {
            sql.append(" AND created_at >= ?");
            args.add(time(q.from()));
        }
        if (q.to() != null) {
            sql.append(" AND created_at < ?");
            args.add(time(q.to()));
        }
        if (q.text() != null && !q.text().isBlank()) {
            sql.append(" AND search_text LIKE ? ESCAPE '!'");
            String t = q.text().strip().toLowerCase(Locale.ROOT).replace("!", "!!").replace("%", "!%").replace("_", "!_");
            args.add("%" + t + "%");
        }
        if (after != null) {
            sql.append(" AND (created_at < ? OR (created_at = ? AND id < ?))");
            args.add(time(after.at()));
            args.add(time(after.at()));
            args.add(after.id());
        }
        sql.append(" ORDER BY created_at DESC, id DESC FETCH FIRST ").append(q.limit() + 1).append(" ROWS ONLY");
        return database.inTransaction(c -> {
            List<Order> orders = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                for (int i = 0; i < args.size(); i++) {
                    ps.setObject(i + 1, args.get(i));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        orders.add(row(rs, List.of()));
                    }
                }
            }
            String next = null;
            if (orders.size() > q.limit()) {
                orders = orders.subList(0, q.limit());
                Order last = orders.get(orders.size() - 1);
                next = new Cursor(last.createdAt(), last.id()).toString();
            }
            Map<String, List<CheckState>> checksOf = checks(c, orders.stream().map(Order::id).toList());
            List<Order> withChecks = orders.stream().map(o -> withChecks(o, checksOf.getOrDefault(o.id(), List.of())))
                    .toList();
            return new OrderPage(withChecks, next);
        });
    }

    /**
     * Where a page ended: the last order's creation time ({@link #list}) or deadline ({@link #expiring}) and its id,
     * opaque to clients. The deadline's cursor is tagged, so that one listing's cursor is refused by the other.
     */
    record Cursor(Instant at, String id) {
        private static final String DEADLINE = "deadline:";

        @Override
        public String toString() {
            return encode("");
        }

        String deadline() {
            return encode(DEADLINE);
        }

        private String encode(String tag) {
            return Base64.getUrlEncoder().withoutPadding().encodeToString((tag + at.getEpochSecond() + "."
                    + at.getNano() + "." + id).getBytes(StandardCharsets.UTF_8));
        }

        static Cursor parse(String s) {
            return parse(s, "");
        }

        static Cursor parseDeadline(String s) {
            return parse(s, DEADLINE);
        }

        private static Cursor parse(String s, String tag) {
            try {
                String text = new String(Base64.getUrlDecoder().decode(s), StandardCharsets.UTF_8);
                if (!text.startsWith(tag) || (tag.isEmpty() && text.startsWith(DEADLINE))) {
                    throw new IllegalArgumentException("another listing's cursor");
                }
                String[] p = text.substring(tag.length()).split("\\.", 3);
                return new Cursor(Instant.ofEpochSecond(Long.parseLong(p[0]), Long.parseLong(p[1])), p[2]);
            } catch (RuntimeException e) {
                throw new OrderException(OrderException.Reason.INVALID, "after is not a cursor this API gave.",
                        List.of(new FieldError("after", "invalid", "Give the 'next' of the previous page.")));
            }
        }
    }

    private static Order withChecks(Order o, List<CheckState> checks) {
        return new Order(o.id(), o.state(), o.request(), o.reseller(), o.brand(), o.language(), o.createdAt(),
                o.updatedAt(), o.expiresAt(), o.reason(), checks, o.version());
    }

    private Optional<Order> read(Connection c, String id, boolean lock) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM cachet_order WHERE id = ?"
                + (lock ? " FOR UPDATE" : ""))) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(row(rs, checks(c, List.of(id)).getOrDefault(id, List.of())));
            }
        }
    }

    private static Map<String, List<CheckState>> checks(Connection c, List<String> ids) throws SQLException {
        if (ids.isEmpty()) {
            return Map.of();
        }
        String marks = ids.stream().map(i -> "?").collect(Collectors.joining(", "));
        try (PreparedStatement ps = c.prepareStatement("SELECT order_id, kind, state, status, detail, updated_at FROM"
                + " cachet_order_check WHERE order_id IN (" + marks + ") ORDER BY created_at, kind")) {
            for (int i = 0; i < ids.size(); i++) {
                ps.setString(i + 1, ids.get(i));
            }
            Map<String, List<CheckState>> out = new LinkedHashMap<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(new CheckState(rs.getString(2),
                            OrderState.valueOf(rs.getString(3)), CheckStatus.valueOf(rs.getString(4)), rs.getString(5),
                            instant(rs, 6)));
                }
            }
            return out;
        }
    }

    private static Order row(ResultSet rs, List<CheckState> checks) throws SQLException {
        return new Order(rs.getString("id"), OrderState.valueOf(rs.getString("state")),
                OrderJson.read(rs.getString("request_json")), rs.getString("reseller"), rs.getString("brand"),
                rs.getString("language"), instant(rs, "created_at"), instant(rs, "updated_at"),
                instant(rs, "expires_at"), rs.getString("reason"), checks, rs.getLong("version"));
    }

    // ---- small things

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    static String newId() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        StringBuilder s = new StringBuilder("ord_");
        int buffer = 0;
        int bits = 0;
        for (byte x : b) {
            buffer = (buffer << 8) | (x & 0xff);
            bits += 8;
            while (bits >= 5) {
                s.append(BASE32[(buffer >> (bits - 5)) & 31]);
                bits -= 5;
            }
        }
        if (bits > 0) {
            s.append(BASE32[(buffer << (5 - bits)) & 31]);
        }
        return s.toString();
    }

    private static String searchText(String id, OrderRequest r) {
        List<String> parts = new ArrayList<>(List.of(id, r.organisation().name(), r.organisation().identifier()));
        for (var p : List.of(r.certificateManager(), r.effectiveLegalRepresentative())) {
            parts.add(p.fullName());
            parts.add(p.email());
        }
        String s = String.join(" | ", parts).toLowerCase(Locale.ROOT);
        return s.length() > 2000 ? s.substring(0, 2000) : s;
    }

    private static String json(Map<String, Object> details) {
        try {
            return OrderJson.MAPPER.writeValueAsString(details);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

}
