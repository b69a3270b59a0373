package io.cachet.delivery.token.internal;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cachet.api.delivery.Shipment;
import io.cachet.api.delivery.ShipmentListener;
import io.cachet.api.delivery.ShipmentState;

/**
 * Told of shipments' changes: a lost letter's token is discarded (its certificate revoked as compromised, its PIN
 * erased) and the order goes back to the provisioning queue.
 */
@Component(service = ShipmentListener.class)
public class LostTokens implements ShipmentListener {

    private static final Logger LOG = LoggerFactory.getLogger(LostTokens.class);
    private final TokenDeliveriesComponent deliveries;

    @Activate
    public LostTokens(@Reference TokenDeliveriesComponent deliveries) {
        this.deliveries = deliveries;
    }

    @Override
    public void changed(Shipment shipment, ShipmentState previous) {
        try {
            deliveries.service().shipmentChanged(shipment, previous);
        } catch (RuntimeException e) {
            LOG.error("Order {}: the lost letter {} could not be handled ({}); discard the token by provisioning a new"
                    + " one", shipment.orderId(), shipment.id(), e.getMessage());
            throw e;
        }
    }
}
