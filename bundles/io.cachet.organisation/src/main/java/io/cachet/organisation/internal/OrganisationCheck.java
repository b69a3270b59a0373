package io.cachet.organisation.internal;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.cachet.api.order.Order;
import io.cachet.api.order.OrderCheck;
import io.cachet.api.order.OrderState;

/** The order's {@code organisation} check at VERIFICATION: entering it opens the order's case. */
@Component(service = OrderCheck.class, property = OrderCheck.KIND + "=" + OrganisationService.KIND)
public class OrganisationCheck implements OrderCheck {

    private final OrganisationComponent organisation;

    @Activate
    public OrganisationCheck(@Reference OrganisationComponent organisation) {
        this.organisation = organisation;
    }

    @Override
    public String kind() {
        return OrganisationService.KIND;
    }

    @Override
    public OrderState state() {
        return OrderState.VERIFICATION;
    }

    @Override
    public void entered(Order order) {
        if (order.state() == OrderState.VERIFICATION) {
            organisation.service().open(order);
        }
    }
}
