package io.cachet.issuance.internal;

import static io.cachet.api.store.Columns.instant;
import static io.cachet.api.store.Columns.time;

import java.math.BigInteger;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cachet.api.ca.IssuedCertificate;
import io.cachet.api.ca.IssuedCertificate.Revocation;
import io.cachet.api.ca.RevocationListener;
import io.cachet.api.ca.RevocationReason;
import io.cachet.api.health.BackgroundJob;
import io.cachet.api.notify.Notification;
import io.cachet.api.notify.Notifier;
import io.cachet.api.order.Order;
import io.cachet.api.order.Orders;
import io.cachet.api.order.Person;
import io.cachet.api.store.Database;
import io.cachet.api.web.Pages;

/**
 * Tells an order's people that its certificate was revoked, whoever revoked it (an operator in the console or the API,
 * the holder): an e-mail ({@code issuance.revoked}) to the certificate manager and, when another person, to the
 * legal representative, in the order's language and brand. Queued in the revocation's own transaction
 * ({@link RevocationListener}), so it is sent if and only if the revocation is recorded; once per certificate and
 * person. While the order service is away (the order, its people and its language are unknown), the revocation is
 * queued instead, in the same transaction ({@code issuance_revocation_notice}), and a background job tells its people
 * once the service is back. Certificates issued for no order (straight through the CA's API) have nobody to tell, and
 * those of a discarded token ({@link IssuanceService#discard}: replaced before it was sent, or its letter lost) are
 * not told here: the holder never had that token, and the token delivery tells them of a lost letter in its own words.
 */
@Component(service = RevocationListener.class)
public class RevocationNotices implements RevocationListener {
    static final String TEMPLATE = "issuance.revoked";
    private static final Logger LOG = LoggerFactory.getLogger(RevocationNotices.class);

    private final Database database;
    private final Function<BigInteger, Optional<String>> orderOf;
    private final Supplier<Orders> orders;
    private final Notifier notifier;
    private final Clock clock;
    /** Tells the queue every {@value #QUEUE_SECONDS} s; only in the framework (tests call {@link #tellQueued}). */
    private BackgroundJob job;

    /** How often the queue of revocations not told yet is looked at. */
    private static final long QUEUE_SECONDS = 30;

    @Activate
    public RevocationNotices(@Reference Database database, @Reference IssuanceComponent issuance,
            @Reference Notifier notifier) {
        this(database, issuance::orderOf, issuance::ordersNow, notifier, Clock.systemUTC());
        job = new BackgroundJob("cachet-revocation-notices", () -> tellQueued(50),
                e -> LOG.warn("Telling queued revocations failed; it is tried again later: {}", e.toString()));
        job.schedule(QUEUE_SECONDS, QUEUE_SECONDS, TimeUnit.SECONDS);
    }

    /**
     * @param orderOf the order a certificate was issued for
     * @param orders the order service, or a supplier of null while it is missing
     */
    RevocationNotices(Database database, Function<BigInteger, Optional<String>> orderOf, Supplier<Orders> orders,
            Notifier notifier, Clock clock) {
        this.database = database;
        this.orderOf = orderOf;
        this.orders = orders;
        this.notifier = notifier;
        this.clock = clock;
    }

    @Deactivate
    void deactivate() {
        if (job != null) {
            job.stop(10, TimeUnit.SECONDS);
        }
    }

    @Override
    public void revoked(IssuedCertificate certificate, String actor) {
        if (IssuanceService.discarding(certificate.serial())) {
            return; // a discarded token: it never reached its holder, or its lost letter is told by the token delivery
        }
        Optional<String> orderId = orderOf.apply(certificate.serial());
        if (orderId.isEmpty()) {
            return;
        }
        Revocation revocation = certificate.revocation().orElse(new Revocation(clock.instant(),
                RevocationReason.UNSPECIFIED));
        Orders service = orders.get();
        if (service == null) {
            queue(certificate.serialHex(), orderId.get(), revocation);
            return;
        }
        Optional<Order> order = service.find(orderId.get());
        if (order.isEmpty()) {
            // the revocation stands; the CA's audit record holds it; the order is gone, nobody is left to tell
            LOG.warn("The revocation of certificate {} could not be told: its order {} is not found",
                    certificate.serialHex(), orderId.get());
            return;
        }
        tell(order.get(), certificate.serialHex(), revocation);
    }

    /**
     * Tells the people of up to {@code max} queued revocations, each in a transaction of its own that removes it
     * from the queue (so that two nodes never tell one twice); nothing while the order service is away.
     *
     * @return how many were told
     */
    int tellQueued(int max) {
        Orders service = orders.get();
        if (service == null) {
            return 0;
        }
        record Queued(String serial, String orderId, Revocation revocation) {
        }
        List<Queued> queued = database.inTransaction(c -> {
            List<Queued> l = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT serial, order_id, reason, revoked_at FROM"
                    + " issuance_revocation_notice ORDER BY queued_at")) {
                ps.setMaxRows(max);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        l.add(new Queued(rs.getString(1), rs.getString(2), new Revocation(instant(rs, 4),
                                RevocationReason.parse(rs.getString(3)).orElse(RevocationReason.UNSPECIFIED))));
                    }
                }
            }
            return l;
        });
        int told = 0;
        for (Queued q : queued) {
            Optional<Order> order = service.find(q.orderId());
            boolean mine = database.inTransaction(c -> {
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM issuance_revocation_notice"
                        + " WHERE serial = ?")) {
                    ps.setString(1, q.serial());
                    if (ps.executeUpdate() != 1) {
                        return false; // told by another node meanwhile
                    }
                }
                order.ifPresent(o -> tell(o, q.serial(), q.revocation()));
                return order.isPresent();
            });
            if (mine) {
                told++;
            } else if (order.isEmpty()) {
                LOG.warn("The revocation of certificate {} could not be told: its order {} is not found", q.serial(),
                        q.orderId());
            }
        }
        return told;
    }

    private void queue(String serialHex, String orderId, Revocation revocation) {
        database.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO issuance_revocation_notice (serial, order_id,"
                    + " reason, revoked_at, queued_at) SELECT ?, ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM"
                    + " issuance_revocation_notice WHERE serial = ?)")) {
                ps.setString(1, serialHex);
                ps.setString(2, orderId);
                ps.setString(3, revocation.reason().rfcName());
                ps.setObject(4, time(revocation.time()));
                ps.setObject(5, time(clock.instant()));
                ps.setString(6, serialHex);
                ps.executeUpdate();
            }
            return null;
        });
        LOG.info("The revocation of certificate {} of order {} is told to its people once the order service is"
                + " back", serialHex, orderId);
    }

    private void tell(Order o, String serialHex, Revocation revocation) {
        Set<Person> people = new LinkedHashSet<>();
        people.add(o.request().certificateManager());
        people.add(o.request().effectiveLegalRepresentative());
        Set<String> addresses = new LinkedHashSet<>();
        for (Person p : people) {
            if (!addresses.add(p.email().toLowerCase(java.util.Locale.ROOT))) {
                continue;
            }
            notifier.send(Notification.email(p.email(), TEMPLATE, o.language(), model(o, p, serialHex, revocation))
                    .withBrand(o.brand())
                    .withIdempotencyKey("issuance:" + o.id() + ":revoked:" + serialHex + ":"
                            + p.email().toLowerCase(java.util.Locale.ROOT)));
        }
    }

    private static Map<String, Object> model(Order o, Person p, String serialHex, Revocation revocation) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", p.fullName());
        m.put("orderId", o.id());
        m.put("organisation", o.request().organisation() == null ? "" : o.request().organisation().name());
        m.put("serial", serialHex);
        m.put("time", Pages.time(revocation.time()));
        m.put("reason", revocation.reason().rfcName());
        m.put("cloud", o.request().medium() != null && !o.request().medium().token());
        return m;
    }
}
