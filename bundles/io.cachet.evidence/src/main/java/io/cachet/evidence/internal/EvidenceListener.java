package io.cachet.evidence.internal;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.cachet.api.order.Order;
import io.cachet.api.order.OrderEvent;
import io.cachet.api.order.OrderListener;
import io.cachet.api.order.OrderState;

/** Queues an order's evidence file in its transition out of ISSUANCE (the certificate is issued then). */
@Component(service = OrderListener.class)
public class EvidenceListener implements OrderListener {
    private final EvidenceComponent evidence;

    @Activate
    public EvidenceListener(@Reference EvidenceComponent evidence) {
        this.evidence = evidence;
    }

    @Override
    public void transitioned(OrderEvent event, Order order) {
        if (event.from() == OrderState.ISSUANCE && event.to() == OrderState.DELIVERY) {
            evidence.issued(order.id());
            evidence.soon();
        }
    }
}
