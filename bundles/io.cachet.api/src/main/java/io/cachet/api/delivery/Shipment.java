package io.cachet.api.delivery;

import java.time.Instant;
import java.util.Optional;

import io.cachet.api.order.PostalAddress;

/**
 * A registered letter with acknowledgement of receipt carrying one token to its beneficiary.
 *
 * @param id the shipment's id (opaque, URL-safe)
 * @param orderId the order whose token it carries
 * @param reference what is shipped, e.g. the token's serial number
 * @param recipient the name on the letter (the order's beneficiary)
 * @param address the delivery address of the order
 * @param carrier the {@link Carrier#id()} handling it ({@code manual} by default)
 * @param trackingNumber the carrier's number, once known
 * @param state where it stands
 * @param receiptAttached whether the scan of the signed acknowledgement of receipt is attached
 * @param note the last operator's or carrier's note, empty when none
 * @param createdAt when it was prepared
 * @param updatedAt when its state last changed
 * @param sentAt when it was handed to the carrier
 * @param deliveredAt when it was delivered (as the carrier or the operator reported)
 */
public record Shipment(String id, String orderId, String reference, String recipient, PostalAddress address,
        String carrier, Optional<String> trackingNumber, ShipmentState state, boolean receiptAttached,
        Optional<String> note, Instant createdAt, Instant updatedAt, Optional<Instant> sentAt,
        Optional<Instant> deliveredAt) {
}
