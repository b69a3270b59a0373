package io.cachet.identity.internal;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cachet.api.order.Order;
import io.cachet.api.order.OrderCheck;
import io.cachet.api.order.OrderEvent;
import io.cachet.api.order.OrderListener;
import io.cachet.api.order.OrderRequest;
import io.cachet.api.order.OrderRole;
import io.cachet.api.order.OrderState;

/**
 * The identity checks of an order's VERIFICATION ({@code identity.certificate-manager}, and
 * {@code identity.legal-representative} when the legal representative is another person), and the listener that
 * ends the cases of an ended order.
 */
final class IdentityChecks {

    private static final Logger LOG = LoggerFactory.getLogger(IdentityChecks.class);

    private IdentityChecks() {
    }

    static void entered(IdentityComponent identity, Order order, OrderRole role) {
        if (order.state() != OrderState.VERIFICATION) {
            return;
        }
        identity.cases().open(order, role);
        LOG.debug("Identity case of the {} of order {} open", role.id(), order.id());
    }

    /** The identity check of one person of the order: its kind names the role. */
    abstract static class PersonCheck implements OrderCheck {
        private final IdentityComponent identity;
        private final OrderRole role;

        PersonCheck(IdentityComponent identity, OrderRole role) {
            this.identity = identity;
            this.role = role;
        }

        @Override
        public String kind() {
            return CaseService.kind(role);
        }

        @Override
        public OrderState state() {
            return OrderState.VERIFICATION;
        }

        @Override
        public void entered(Order order) {
            IdentityChecks.entered(identity, order, role);
        }
    }

    /** The certificate manager's identity (and the legal representative's, when they are the same person). */
    @Component(service = OrderCheck.class, property = OrderCheck.KIND + "=identity.certificate-manager")
    public static class Manager extends PersonCheck {
        @Activate
        public Manager(@Reference IdentityComponent identity) {
            super(identity, OrderRole.CERTIFICATE_MANAGER);
        }
    }

    /** The legal representative's identity, when they are not the certificate manager. */
    @Component(service = OrderCheck.class, property = OrderCheck.KIND + "=identity.legal-representative")
    public static class LegalRepresentative extends PersonCheck {
        @Activate
        public LegalRepresentative(@Reference IdentityComponent identity) {
            super(identity, OrderRole.LEGAL_REPRESENTATIVE);
        }

        @Override
        public boolean appliesTo(OrderRequest order) {
            return !order.managerIsLegalRepresentative();
        }
    }

    /** Cancels the open cases of an order that ended; starts the retention of the evidence of any ended order. */
    @Component(service = OrderListener.class)
    public static class Listener implements OrderListener {
        private final IdentityComponent identity;

        @Activate
        public Listener(@Reference IdentityComponent identity) {
            this.identity = identity;
        }

        @Override
        public void transitioned(OrderEvent event, Order order) {
            identity.cases().orderTransitioned(event, order);
        }
    }
}
