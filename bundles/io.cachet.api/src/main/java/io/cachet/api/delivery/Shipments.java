package io.cachet.api.delivery;

import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Registered-mail shipments of tokens. A service of the shipment module; thread-safe; safe with several nodes on one
 * database. Every change is audited (subject {@code order:<order id>}) and told to the {@link ShipmentListener}s
 * after it committed.
 */
@ProviderType
public interface Shipments {

    /**
     * Prepares the shipment of {@code reference} (a token's serial) for the order, addressed to the order's
     * beneficiary at its delivery address. Idempotent: while the order has a shipment of the same reference that is
     * not {@code LOST} or {@code RETURNED}, that one is returned.
     *
     * @throws DeliveryException {@code NOT_FOUND} for an unknown order, {@code CONFLICT} for an order without a
     *         delivery address (a cloud order)
     */
    Shipment prepare(String orderId, String reference, String actor);

    /** @return the shipment, if it exists */
    Optional<Shipment> find(String shipmentId);

    /** @return the order's shipments, oldest first (a lost letter, then its replacement) */
    List<Shipment> forOrder(String orderId);

    /** @return the order's newest shipment, if any */
    default Optional<Shipment> current(String orderId) {
        List<Shipment> all = forOrder(orderId);
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
    }

    /** @return shipments in {@code state}, oldest first, at most {@code limit} */
    List<Shipment> inState(ShipmentState state, int limit);

    /**
     * Moves the shipment to {@code state} (an operator's action or a carrier's report).
     *
     * @param trackingNumber required to move to {@code SENT} unless already known; else may be {@code null}
     * @param note free text kept with the change (at most 500 characters), may be {@code null}
     * @throws DeliveryException {@code NOT_FOUND}, {@code CONFLICT} for a move {@link ShipmentState#canMoveTo} refuses
     *         (the same state again is not a change: the shipment is returned as it is), {@code INVALID} for a
     *         missing or malformed tracking number
     */
    Shipment move(String shipmentId, ShipmentState state, String trackingNumber, String note, String actor);

    /**
     * The printable label and cover letter (PDF, A4): the beneficiary's name and delivery address placed for a
     * window envelope, the sender, the order and the guide's wording for a registered letter with acknowledgement of
     * receipt.
     *
     * @param language {@code fr} or {@code en}
     */
    byte[] label(String shipmentId, String language);

    /**
     * Attaches the scan of the signed acknowledgement of receipt (PDF, JPEG or PNG, checked by its content; at most
     * the configured size), stored encrypted. A new scan replaces the previous one.
     *
     * @throws DeliveryException {@code INVALID} for another type or an oversize file, {@code NOT_FOUND}
     */
    Shipment attachReceipt(String shipmentId, byte[] content, String actor);

    /** @return the receipt's scan as attached, if any */
    Optional<Receipt> receipt(String shipmentId);

    /**
     * @param content the scan
     * @param mediaType {@code application/pdf}, {@code image/jpeg} or {@code image/png}
     */
    record Receipt(byte[] content, String mediaType) {
    }
}
