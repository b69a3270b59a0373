package io.cachet.delivery.token.internal;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.cachet.api.order.Order;
import io.cachet.api.order.OrderCheck;
import io.cachet.api.order.OrderRequest;
import io.cachet.api.order.OrderState;

/**
 * The checks of token orders: {@value TokenDeliveryService#PROVISIONING} at ISSUANCE (passes when the token is
 * provisioned and its letter prepared) and {@value TokenDeliveryService#DELIVERY} at DELIVERY (passes when the holder
 * activated the token). Cloud orders have neither.
 */
final class TokenChecks {

    private TokenChecks() {
    }

    abstract static class TokenCheck implements OrderCheck {
        final TokenDeliveriesComponent deliveries;

        TokenCheck(TokenDeliveriesComponent deliveries) {
            this.deliveries = deliveries;
        }

        @Override
        public boolean appliesTo(OrderRequest order) {
            return order.medium() != null && order.medium().token();
        }
    }

    /** Entering ISSUANCE puts the order in the provisioning queue. */
    @Component(service = OrderCheck.class, property = OrderCheck.KIND + "=" + TokenDeliveryService.PROVISIONING)
    public static class Provisioning extends TokenCheck {
        @Activate
        public Provisioning(@Reference TokenDeliveriesComponent deliveries) {
            super(deliveries);
        }

        @Override
        public String kind() {
            return TokenDeliveryService.PROVISIONING;
        }

        @Override
        public OrderState state() {
            return OrderState.ISSUANCE;
        }

        @Override
        public void entered(Order order) {
            deliveries.service().entered(order);
            deliveries.service().reportDue(order.id());
        }
    }

    /** Passes on the holder's activation. */
    @Component(service = OrderCheck.class, property = OrderCheck.KIND + "=" + TokenDeliveryService.DELIVERY)
    public static class Delivery extends TokenCheck {
        @Activate
        public Delivery(@Reference TokenDeliveriesComponent deliveries) {
            super(deliveries);
        }

        @Override
        public String kind() {
            return TokenDeliveryService.DELIVERY;
        }

        @Override
        public OrderState state() {
            return OrderState.DELIVERY;
        }

        @Override
        public void entered(Order order) {
            deliveries.service().reportDue(order.id());
        }
    }
}
