package io.cachet.api.delivery;

import java.util.Map;
import java.util.Optional;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A postal carrier integration (whiteboard, service property {@link #ID}). Without one, shipments use the built-in
 * {@code manual} carrier: the operator types the tracking number and reports each state. A carrier reports states by
 * being polled ({@link #track}) and/or by webhooks ({@link #event}), which the shipment module receives at
 * {@code POST /api/v1/carriers/<id>/events}.
 */
@ConsumerType
public interface Carrier {

    /** Service property naming the carrier. */
    String ID = "cachet.carrier";

    /** Stable identifier, lower case, e.g. {@code laposte}. */
    String id();

    /** Name shown to operators. */
    String name();

    /**
     * The carrier's current state of a letter, polled for {@code SENT} shipments.
     *
     * @return empty when the carrier has nothing new or is not reachable now (polled again later)
     */
    default Optional<CarrierEvent> track(String trackingNumber) {
        return Optional.empty();
    }

    /**
     * Reads a webhook call of the carrier, after checking that the carrier sent it (signature, shared secret).
     *
     * @param headers request headers, names in lower case
     * @param body the raw body
     * @return the event, empty when the call is genuine but carries nothing for Cachet
     * @throws SecurityException when the call is not proven to come from the carrier (answered 401, audited)
     * @throws IllegalArgumentException when the body cannot be read (answered 400)
     */
    default Optional<CarrierEvent> event(Map<String, String> headers, byte[] body) {
        throw new SecurityException("carrier " + id() + " does not accept webhooks");
    }

    /**
     * @param trackingNumber the letter
     * @param state {@code SENT}, {@code DELIVERED}, {@code RETURNED} or {@code LOST}
     * @param note what the carrier said, may be empty
     */
    record CarrierEvent(String trackingNumber, ShipmentState state, String note) {
    }
}
