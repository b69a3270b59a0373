package io.cachet.issuance.internal;

import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cachet.api.ca.IssuedCertificate;
import io.cachet.api.ca.RevocationListener;
import io.cachet.api.notify.Notification;
import io.cachet.api.notify.Notifier;
import io.cachet.api.order.Order;
import io.cachet.api.order.Orders;
import io.cachet.api.order.Person;
import io.cachet.api.web.Pages;

/**
 * Tells an order's people that its certificate was revoked, whoever revoked it (an operator in the console or the API,
 * the holder): an e-mail ({@code issuance.revoked}) to the certificate manager and, when another person, to the
 * legal representative, in the order's language and brand. Queued in the revocation's own transaction
 * ({@link RevocationListener}), so it is sent if and only if the revocation is recorded; once per certificate and
 * person. Certificates issued for no order (straight through the CA's API) have nobody to tell, and those of a
 * discarded token ({@link IssuanceService#discard}: replaced before it was sent, or its letter lost) are not told
 * here: the holder never had that token, and the token delivery tells them of a lost letter in its own words.
 */
@Component(service = RevocationListener.class)
public class RevocationNotices implements RevocationListener {
    static final String TEMPLATE = "issuance.revoked";
    private static final Logger LOG = LoggerFactory.getLogger(RevocationNotices.class);

    private final Function<BigInteger, Optional<String>> orderOf;
    private final Supplier<Orders> orders;
    private final Notifier notifier;

    @Activate
    public RevocationNotices(@Reference IssuanceComponent issuance, @Reference Notifier notifier) {
        this(issuance::orderOf, issuance::ordersNow, notifier);
    }

    /**
     * @param orderOf the order a certificate was issued for
     * @param orders the order service, or a supplier of null while it is missing
     */
    RevocationNotices(Function<BigInteger, Optional<String>> orderOf, Supplier<Orders> orders, Notifier notifier) {
        this.orderOf = orderOf;
        this.orders = orders;
        this.notifier = notifier;
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
        Orders service = orders.get();
        Optional<Order> order = service == null ? Optional.empty() : service.find(orderId.get());
        if (order.isEmpty()) {
            // the revocation stands; the CA's audit record holds it, the people are not told
            LOG.warn("The revocation of certificate {} of order {} could not be told to its people: the order service"
                    + " is not available", certificate.serialHex(), orderId.get());
            return;
        }
        Order o = order.get();
        Set<Person> people = new LinkedHashSet<>();
        people.add(o.request().certificateManager());
        people.add(o.request().effectiveLegalRepresentative());
        Set<String> addresses = new LinkedHashSet<>();
        for (Person p : people) {
            if (!addresses.add(p.email().toLowerCase(java.util.Locale.ROOT))) {
                continue;
            }
            notifier.send(Notification.email(p.email(), TEMPLATE, o.language(), model(o, p, certificate))
                    .withBrand(o.brand())
                    .withIdempotencyKey("issuance:" + o.id() + ":revoked:" + certificate.serialHex() + ":"
                            + p.email().toLowerCase(java.util.Locale.ROOT)));
        }
    }

    private static Map<String, Object> model(Order o, Person p, IssuedCertificate c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", p.fullName());
        m.put("orderId", o.id());
        m.put("organisation", o.request().organisation() == null ? "" : o.request().organisation().name());
        m.put("serial", c.serialHex());
        m.put("time", c.revocation().map(r -> Pages.time(r.time())).orElse(""));
        m.put("reason", c.revocation().map(r -> r.reason().rfcName()).orElse("unspecified"));
        m.put("cloud", o.request().medium() != null && !o.request().medium().token());
        return m;
    }
}
