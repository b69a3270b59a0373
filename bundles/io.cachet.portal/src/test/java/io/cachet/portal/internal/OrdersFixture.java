package io.cachet.portal.internal;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.cachet.api.audit.AuditLog;
import io.cachet.api.notify.Notification;
import io.cachet.api.order.Order;
import io.cachet.api.order.OrderListener;
import io.cachet.api.order.OrderRequest;
import io.cachet.api.order.OrderState;
import io.cachet.api.order.Orders;
import io.cachet.api.order.Organisation;
import io.cachet.api.order.Submission;
import io.cachet.api.testing.MutableClock;
import io.cachet.audit.launch.AuditLogs;
import io.cachet.order.launch.OrderServices;
import io.cachet.store.testing.TestDatabases;
import io.cachet.web.testing.RecordingNotifier;

/**
 * The real order service and link store on a test database (H2 or PostgreSQL), the portal's e-mails listening to the
 * orders, a clock the test moves and a notifier that records what it is asked to queue (and refuses the messages
 * of the orders listed in {@link #refused}).
 */
final class OrdersFixture implements AutoCloseable {

    static final Instant T0 = Instant.parse("2026-12-02T10:00:00Z");

    final TestDatabases.Handle db;
    final MutableClock clock = new MutableClock(T0);
    final RecordingNotifier notifier = new RecordingNotifier();
    /** The orders whose messages the notifier refuses. */
    final List<String> refused = new CopyOnWriteArrayList<>();
    final AuditLog audit;
    final LinkStore links;
    final OrderMailer mailer;
    final Orders orders;

    /** @param expiry how long an order may stay open (the order service's expiryDays) */
    OrdersFixture(Path dir, String product, Duration expiry) {
        db = TestDatabases.open(product, dir);
        notifier.refuses = n -> refused.contains(n.model().get("orderId"));
        audit = AuditLogs.open(db.database(), List.of());
        LinkStore.migrate(db.database());
        links = new LinkStore(db.database(), audit, clock, new SecureRandom(), "https://cachet.example", id -> false);
        mailer = new OrderMailer(links, notifier, Duration.ofDays(30));
        List<OrderListener> listeners = List.of(mailer);
        orders = OrderServices.open(db.database(), audit, () -> List.of(Orders4Test.PRODUCT), List::of,
                () -> listeners, () -> "default", clock, expiry);
    }

    /** Submits an order of the portal tests' persons for {@code organisation}, in English. */
    Order submit(String organisation, boolean samePerson) {
        return submit(organisation, samePerson, null);
    }

    /** The same, submitted by {@code reseller}'s key (null: a direct customer). */
    Order submit(String organisation, boolean samePerson, String reseller) {
        OrderRequest r = Orders4Test.order("x", OrderState.SUBMITTED, samePerson, List.of(), null).request();
        return orders.submit(new OrderRequest(r.product(), r.validityYears(), r.medium(), r.certificateManager(),
                r.legalRepresentative(), new Organisation(organisation, "FR", "552100554", "FR96552100554",
                        r.organisation().address()), r.delivery()), new Submission(reseller == null ? "customer" : "api:" + reseller, reseller,
                        null, "en", null));
    }

    /** The token of the newest link e-mailed to {@code email} with {@code template}. */
    String tokenOf(String template, String email) {
        List<Notification> to = notifier.of(template).stream().filter(n -> n.recipient().equals(email)).toList();
        String url = (String) to.get(to.size() - 1).model().get("link");
        return url.substring(url.lastIndexOf('/') + 1);
    }

    @Override
    public void close() {
        db.close();
    }
}
