package io.cachet.api.delivery;

/**
 * Where a registered letter stands: {@code PREPARED -> SENT -> DELIVERED}, or {@code RETURNED} / {@code LOST} from
 * {@code SENT} (and {@code LOST} from {@code PREPARED}: a letter that never left). {@code DELIVERED},
 * {@code RETURNED} and {@code LOST} are final.
 */
public enum ShipmentState {
    PREPARED, SENT, DELIVERED, RETURNED, LOST;

    /** @return whether nothing can happen to the shipment any more */
    public boolean terminal() {
        return this == DELIVERED || this == RETURNED || this == LOST;
    }

    /** @return whether a shipment may move from this state to {@code next} */
    public boolean canMoveTo(ShipmentState next) {
        return switch (this) {
            case PREPARED -> next == SENT || next == LOST;
            case SENT -> next == DELIVERED || next == RETURNED || next == LOST;
            default -> false;
        };
    }
}
