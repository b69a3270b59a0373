package io.cachet.portal.internal;

import static io.cachet.api.store.Columns.time;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cachet.api.audit.AuditEvent;
import io.cachet.api.audit.AuditLog;
import io.cachet.api.order.Order;
import io.cachet.api.order.OrderPage;
import io.cachet.api.order.Orders;
import io.cachet.api.store.Database;
import io.cachet.api.store.StoreException;

/**
 * The reminder before an order expires: once an open order's deadline ({@link Order#deadline()}) is less than
 * {@code ahead} away, each of its persons is e-mailed a fresh link to the status page and the deadline
 * ({@link OrderMailer#sendReminder}), once per order. An order submitted less than a day ago is left for a later
 * sweep, so that a short expiry does not send the reminder on the heels of the submission's e-mail.
 *
 * <p>Each order is reminded in its own transaction, which records it in {@code portal_reminder} (the primary key keeps
 * it to once when several nodes sweep), issues the links, queues the e-mails and writes the audit record
 * {@code portal.order.reminded}: all of it or none. Plain Java; thread-safe.
 */
final class OrderReminders {

    private static final Logger LOG = LoggerFactory.getLogger(OrderReminders.class);
    static final String ACTOR = "system";
    static final Duration MIN_AGE = Duration.ofDays(1);
    private static final int PAGE = 100;

    private final Database database;
    private final Orders orders;
    private final OrderMailer mailer;
    private final AuditLog audit;
    private final Clock clock;
    private final Duration ahead;

    /** @param ahead how long before the deadline the persons are reminded; zero for never */
    OrderReminders(Database database, Orders orders, OrderMailer mailer, AuditLog audit, Clock clock,
            Duration ahead) {
        this.database = Objects.requireNonNull(database);
        this.orders = Objects.requireNonNull(orders);
        this.mailer = Objects.requireNonNull(mailer);
        this.audit = Objects.requireNonNull(audit);
        this.clock = Objects.requireNonNull(clock);
        this.ahead = Objects.requireNonNull(ahead);
    }

    /** @return how many orders this sweep reminded */
    int remindDue() {
        if (ahead.isZero()) {
            return 0;
        }
        Instant now = clock.instant();
        int reminded = 0;
        String after = null;
        do {
            OrderPage page = orders.expiring(now.plus(ahead), after, PAGE);
            Set<String> done = reminded(page.orders());
            for (Order o : page.orders()) {
                if (done.contains(o.id()) || !due(o, now)) {
                    continue;
                }
                try {
                    if (remind(o.id(), now)) {
                        reminded++;
                    }
                } catch (RuntimeException e) {
                    // one order that cannot be reminded (its database row, its e-mail) must not hold up the others
                    LOG.warn("Order {} could not be reminded of its deadline; the next sweep tries again: {}", o.id(),
                            e.toString());
                }
            }
            after = page.next();
        } while (after != null);
        return reminded;
    }

    private boolean due(Order o, Instant now) {
        return o.deadline().map(d -> d.isAfter(now) && !d.isAfter(now.plus(ahead))).orElse(false)
                && !o.createdAt().isAfter(now.minus(MIN_AGE));
    }

    /** Reminds the order's persons unless it was done meanwhile or the order moved on; true when this call did. */
    private boolean remind(String orderId, Instant now) {
        try {
            return database.inTransaction(c -> {
                Optional<Order> order = orders.find(orderId);
                if (order.isEmpty() || !due(order.get(), now)) {
                    return false;
                }
                Instant deadline = order.get().deadline().orElseThrow();
                try (PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO portal_reminder (order_id, deadline, reminded_at) VALUES (?, ?, ?)")) {
                    ps.setString(1, orderId);
                    ps.setObject(2, time(deadline));
                    ps.setObject(3, time(now));
                    ps.executeUpdate();
                }
                mailer.sendReminder(order.get(), ACTOR);
                audit.append(AuditEvent.of(ACTOR, "portal.order.reminded", "order:" + orderId,
                        "deadline=" + deadline));
                return true;
            });
        } catch (StoreException e) {
            if (StoreException.isUniqueViolation(e)) {
                return false; // another node reminded it first
            }
            throw e;
        }
    }

    private Set<String> reminded(List<Order> page) {
        Set<String> out = new HashSet<>();
        if (page.isEmpty()) {
            return out;
        }
        String marks = String.join(", ", page.stream().map(o -> "?").toList());
        return database.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT order_id FROM portal_reminder WHERE order_id IN ("
                    + marks + ")")) {
                for (int i = 0; i < page.size(); i++) {
                    ps.setString(i + 1, page.get(i).id());
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(rs.getString(1));
                    }
                }
            }
            return out;
        });
    }
}
