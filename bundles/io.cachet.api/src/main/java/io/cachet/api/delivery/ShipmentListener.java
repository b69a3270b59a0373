package io.cachet.api.delivery;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Told of each change of a shipment's state after it committed (whiteboard): e.g. the token delivery offers the
 * initialisation PIN once the letter is {@code DELIVERED} and revokes the certificate of a {@code LOST} token. Called
 * on the changing thread; an exception is logged and does not undo the change. A listener that must not miss a change
 * also reads {@link Shipments#forOrder} when it needs to know.
 */
@ConsumerType
public interface ShipmentListener {

    void changed(Shipment shipment, ShipmentState previous);
}
