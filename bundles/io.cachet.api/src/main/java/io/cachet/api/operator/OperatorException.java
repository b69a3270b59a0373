package io.cachet.api.operator;

import java.util.Objects;

/** A refused operator action; the message is safe to show to the operator. */
public class OperatorException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Why the action was refused, so that callers map it (e.g. to HTTP) without reading the message.
     *
     * @since 1.1
     */
    public enum Reason {
        /** The request breaks a rule (policy, format, limit) or a credential is wrong: fix the input. */
        INVALID,
        /** What the action names does not exist (for this operator). */
        NOT_FOUND,
        /** The thing exists but its state forbids the action (e.g. already revoked). */
        CONFLICT
    }

    private final Reason reason;

    public OperatorException(String message) {
        this(Reason.INVALID, message);
    }

    /** @since 1.1 */
    public OperatorException(Reason reason, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /** @since 1.1 */
    public Reason reason() {
        return reason;
    }
}
