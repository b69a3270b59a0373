package io.cachet.api.operator;

/** A refused operator action; the message is safe to show to the operator. */
public class OperatorException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public OperatorException(String message) {
        super(message);
    }
}
