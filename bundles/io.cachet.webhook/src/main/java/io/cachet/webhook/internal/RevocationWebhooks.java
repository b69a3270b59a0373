package io.cachet.webhook.internal;

import java.math.BigInteger;
import java.util.Optional;
import java.util.function.Function;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cachet.api.ca.IssuedCertificate;
import io.cachet.api.ca.RevocationListener;
import io.cachet.api.issuance.OrderCertificates;
import io.cachet.api.order.Order;
import io.cachet.api.order.Orders;

/**
 * Tells a reseller that the certificate of one of its orders was revoked ({@code certificate.revoked}), whoever
 * revoked it: queued in the revocation's transaction ({@link RevocationListener}) beside the order's state changes.
 * The order of a certificate comes from the issuance module and the order's reseller from the order service; while
 * either is missing, the revocation is not told (and a WARN says so).
 */
@Component(service = RevocationListener.class)
public class RevocationWebhooks implements RevocationListener {
    private static final Logger LOG = LoggerFactory.getLogger(RevocationWebhooks.class);

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile OrderCertificates certificates;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile Orders orders;

    private final Function<BigInteger, Optional<String>> orderOf;
    private final Function<String, Optional<Order>> order;
    private final Webhooks webhooks;

    @Activate
    public RevocationWebhooks(@Reference WebhookComponent component) {
        this.orderOf = serial -> {
            OrderCertificates c = certificates;
            if (c == null) {
                throw new IllegalStateException("the issuance module is not available");
            }
            return c.orderOf(serial);
        };
        this.order = id -> {
            Orders o = orders;
            return o == null ? Optional.empty() : o.find(id);
        };
        this.webhooks = component.webhooks();
    }

    /**
     * @param orderOf the id of the order a certificate was issued for (throws IllegalStateException while that cannot
     *        be known)
     * @param order the order of an id, empty when unknown or while the order service is missing
     */
    RevocationWebhooks(Function<BigInteger, Optional<String>> orderOf, Function<String, Optional<Order>> order,
            Webhooks webhooks) {
        this.orderOf = orderOf;
        this.order = order;
        this.webhooks = webhooks;
    }

    @Override
    public void revoked(IssuedCertificate certificate, String actor) {
        Optional<String> orderId;
        try {
            orderId = orderOf.apply(certificate.serial());
        } catch (IllegalStateException e) {
            LOG.warn("The revocation of certificate {} is not told to webhooks: {}", certificate.serialHex(),
                    e.getMessage());
            return;
        }
        if (orderId.isEmpty()) {
            return; // issued for no order: no reseller to tell
        }
        Optional<Order> found = order.apply(orderId.get());
        if (found.isEmpty()) {
            LOG.warn("The revocation of certificate {} of order {} is not told to webhooks: the order service is not"
                    + " available", certificate.serialHex(), orderId.get());
            return;
        }
        webhooks.revoked(found.get(), certificate, actor);
    }
}
