package io.cachet.portal.internal;

import static io.cachet.api.store.Columns.time;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

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
 * The reminders before an order expires: when an open order's deadline ({@link Order#deadline()}) comes within one of
 * the thresholds ({@code reminderDays}, e.g. 7 days and 1 day), each of its persons is e-mailed a fresh link to the
 * status page and the deadline ({@link OrderMailer#sendReminder}), once per order and threshold. An order that a sweep
 * first sees within several thresholds (a short expiry, a node down for days) gets one reminder, for the nearest, and
 * none for the farther ones afterwards. An order submitted less than a day ago is left for a later sweep, so that a
 * short expiry does not send a reminder on the heels of the submission's e-mail.
 *
 * <p>Each reminder is sent in its own transaction, which records it in {@code portal_reminder_sent} (the primary key,
 * order and threshold, keeps it to once when several nodes sweep), issues the links, queues the e-mails and writes
 * the audit record {@code portal.order.reminded}: all of it or none. Plain Java; thread-safe.
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
    private final List<Integer> days;

    /** @param days the thresholds, in days before the deadline (positive); none for no reminder */
    OrderReminders(Database database, Orders orders, OrderMailer mailer, AuditLog audit, Clock clock,
            List<Integer> days) {
        this.database = Objects.requireNonNull(database);
        this.orders = Objects.requireNonNull(orders);
        this.mailer = Objects.requireNonNull(mailer);
        this.audit = Objects.requireNonNull(audit);
        this.clock = Objects.requireNonNull(clock);
        if (days.stream().anyMatch(d -> d < 1)) {
            throw new IllegalArgumentException("a reminder comes a day or more before the deadline: " + days);
        }
        this.days = days.stream().distinct().sorted().toList();
    }

    /** @return how many reminders (one per order and threshold) this sweep sent */
    int remindDue() {
        if (days.isEmpty()) {
            return 0;
        }
        Instant now = clock.instant();
        Duration farthest = Duration.ofDays(days.get(days.size() - 1));
        int reminded = 0;
        String after = null;
        do {
            OrderPage page = orders.expiring(now.plus(farthest), after, PAGE);
            Map<String, Integer> nearestSent = nearestSent(page.orders());
            for (Order o : page.orders()) {
                OptionalInt due = due(o, now);
                Integer sent = nearestSent.get(o.id());
                if (due.isEmpty() || sent != null && sent <= due.getAsInt()) {
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

    /** The nearest threshold the order's deadline has come within, if it is open, old enough and not past it. */
    private OptionalInt due(Order o, Instant now) {
        Instant deadline = o.deadline().orElse(null);
        if (deadline == null || !deadline.isAfter(now) || o.createdAt().isAfter(now.minus(MIN_AGE))) {
            return OptionalInt.empty();
        }
        return days.stream().filter(d -> !deadline.isAfter(now.plus(Duration.ofDays(d)))).mapToInt(Integer::intValue)
                .findFirst();
    }

    /** Reminds the order's persons unless it was done meanwhile or the order moved on; true when this call did. */
    private boolean remind(String orderId, Instant now) {
        try {
            return database.inTransaction(c -> {
                Optional<Order> order = orders.find(orderId);
                OptionalInt due = order.isEmpty() ? OptionalInt.empty() : due(order.get(), now);
                if (due.isEmpty()) {
                    return false;
                }
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT 1 FROM portal_reminder_sent WHERE order_id = ? AND days <= ?")) {
                    ps.setString(1, orderId);
                    ps.setInt(2, due.getAsInt());
                    try (ResultSet rs = ps.executeQuery()) {
                        if (rs.next()) {
                            return false; // this reminder, or a nearer one, was sent meanwhile
                        }
                    }
                }
                Instant deadline = order.get().deadline().orElseThrow();
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO portal_reminder_sent (order_id, days,"
                        + " deadline, reminded_at) VALUES (?, ?, ?, ?)")) {
                    ps.setString(1, orderId);
                    ps.setInt(2, due.getAsInt());
                    ps.setObject(3, time(deadline));
                    ps.setObject(4, time(now));
                    ps.executeUpdate();
                }
                mailer.sendReminder(order.get(), due.getAsInt(), ACTOR);
                audit.append(AuditEvent.of(ACTOR, "portal.order.reminded", "order:" + orderId,
                        "deadline=" + deadline + "; days=" + due.getAsInt()));
                return true;
            });
        } catch (StoreException e) {
            if (StoreException.isUniqueViolation(e)) {
                return false; // another node reminded it first
            }
            throw e;
        }
    }

    /** For each order of the page already reminded, the nearest threshold it was reminded at. */
    private Map<String, Integer> nearestSent(List<Order> page) {
        Map<String, Integer> out = new HashMap<>();
        if (page.isEmpty()) {
            return out;
        }
        String marks = String.join(", ", page.stream().map(o -> "?").toList());
        return database.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT order_id, MIN(days) FROM portal_reminder_sent"
                    + " WHERE order_id IN (" + marks + ") GROUP BY order_id")) {
                for (int i = 0; i < page.size(); i++) {
                    ps.setString(i + 1, page.get(i).id());
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.put(rs.getString(1), rs.getInt(2));
                    }
                }
            }
            return out;
        });
    }
}
