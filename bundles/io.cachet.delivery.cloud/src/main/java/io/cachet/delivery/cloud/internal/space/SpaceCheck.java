package io.cachet.delivery.cloud.internal.space;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.cachet.api.order.Medium;
import io.cachet.api.order.Order;
import io.cachet.api.order.OrderCheck;
import io.cachet.api.order.OrderRequest;
import io.cachet.api.order.OrderState;

/**
 * The check {@value SpaceService#CHECK} of cloud orders at DELIVERY: passes when the Certificate Manager has set the
 * password of their customer space (at once for a manager whose space is already active). Entering it opens the
 * space when {@code autoOpen} is configured; otherwise an operator opens it.
 */
@Component(service = OrderCheck.class, property = OrderCheck.KIND + "=" + SpaceService.CHECK)
public class SpaceCheck implements OrderCheck {

    private final SpaceService service;

    @Activate
    public SpaceCheck(@Reference SpaceComponent space) {
        this(space.service());
    }

    SpaceCheck(SpaceService service) {
        this.service = service;
    }

    @Override
    public String kind() {
        return SpaceService.CHECK;
    }

    @Override
    public OrderState state() {
        return OrderState.DELIVERY;
    }

    @Override
    public boolean appliesTo(OrderRequest order) {
        return order.medium() == Medium.CLOUD;
    }

    @Override
    public void entered(Order order) {
        service.entered(order);
    }
}
