package io.cachet.api.order;

import java.util.List;

/**
 * An order operation refused: invalid input ({@link Reason#INVALID}, with the field errors), no such order
 * ({@link Reason#NOT_FOUND}, also for an order the caller may not see), or a transition the state machine does
 * not allow ({@link Reason#CONFLICT}). Nothing was changed.
 */
public class OrderException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public enum Reason { INVALID, NOT_FOUND, CONFLICT, FORBIDDEN }

    private final Reason reason;
    private final transient List<FieldError> errors;

    public OrderException(Reason reason, String message) {
        this(reason, message, List.of());
    }

    public OrderException(Reason reason, String message, List<FieldError> errors) {
        super(message);
        this.reason = reason;
        this.errors = List.copyOf(errors);
    }

    public Reason reason() {
        return reason;
    }

    /** The field errors of an {@link Reason#INVALID} order; empty otherwise. */
    public List<FieldError> errors() {
        return errors;
    }
}
