package io.cachet.api.delivery;

/** A delivery operation was refused; {@link #kind()} says why and the message what to do. */
public class DeliveryException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Why. */
    public enum Kind {
        /** No such order, shipment or provisioning. */
        NOT_FOUND,
        /** Not possible in the current state (order, shipment, provisioning, PIN). */
        CONFLICT,
        /** Bad input: malformed, oversize, not matching. */
        INVALID,
        /** Too many tries: locked until support reopens. */
        LOCKED,
        /** A service needed is not available now; nothing changed, try again later. */
        UNAVAILABLE
    }

    private final Kind kind;

    public DeliveryException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public DeliveryException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
