package io.cachet.acceptance.internal;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.cachet.api.order.Order;
import io.cachet.api.order.OrderCheck;
import io.cachet.api.order.OrderRequest;
import io.cachet.api.order.OrderRole;
import io.cachet.api.order.OrderState;

/**
 * The checks of an order's ACCEPTANCE: {@code acceptance.certificate-manager} (also the legal representative's
 * acceptance when they are the same person) and {@code acceptance.legal-representative} when the legal
 * representative is another person. Entering ACCEPTANCE opens the acceptance (the form, each person's link); each
 * check passes when its person has accepted.
 */
final class AcceptanceChecks {

    private AcceptanceChecks() {
    }

    abstract static class PersonCheck implements OrderCheck {
        private final AcceptancesComponent acceptances;
        private final OrderRole role;

        PersonCheck(AcceptancesComponent acceptances, OrderRole role) {
            this.acceptances = acceptances;
            this.role = role;
        }

        @Override
        public String kind() {
            return AcceptanceService.kind(role);
        }

        @Override
        public OrderState state() {
            return OrderState.ACCEPTANCE;
        }

        @Override
        public void entered(Order order) {
            acceptances.service().open(order);
            acceptances.service().reportDue(order.id());
        }
    }

    /** The certificate manager's acceptance (and the legal representative's, when they are the same person). */
    @Component(service = OrderCheck.class, property = OrderCheck.KIND + "=acceptance.certificate-manager")
    public static class Manager extends PersonCheck {
        @Activate
        public Manager(@Reference AcceptancesComponent acceptances) {
            super(acceptances, OrderRole.CERTIFICATE_MANAGER);
        }
    }

    /** The legal representative's acceptance, when they are not the certificate manager. */
    @Component(service = OrderCheck.class, property = OrderCheck.KIND + "=acceptance.legal-representative")
    public static class LegalRepresentative extends PersonCheck {
        @Activate
        public LegalRepresentative(@Reference AcceptancesComponent acceptances) {
            super(acceptances, OrderRole.LEGAL_REPRESENTATIVE);
        }

        @Override
        public boolean appliesTo(OrderRequest order) {
            return !order.managerIsLegalRepresentative();
        }
    }
}
