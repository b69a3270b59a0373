package io.cachet.issuance.internal;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.cachet.api.order.Order;
import io.cachet.api.order.OrderCheck;
import io.cachet.api.order.OrderState;

/** The order check {@value IssuanceService#KIND} of ISSUANCE: passes once the order's certificate is issued. */
@Component(service = OrderCheck.class, property = OrderCheck.KIND + "=" + IssuanceService.KIND)
public class IssuanceCheck implements OrderCheck {
    private final IssuanceComponent issuance;

    @Activate
    public IssuanceCheck(@Reference IssuanceComponent issuance) {
        this.issuance = issuance;
    }

    @Override
    public String kind() {
        return IssuanceService.KIND;
    }

    @Override
    public OrderState state() {
        return OrderState.ISSUANCE;
    }

    @Override
    public void entered(Order order) {
        issuance.entered(order);
    }
}
