package io.cachet.api.operator;

import java.util.List;
import java.util.Objects;

/**
 * A refused operator action; the message is safe to show to the operator. It is in English; a page in another
 * language words the refusal from its {@link #code} and {@link #args} when it knows the code.
 */
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
    private final String code;
    private final List<String> args;

    public OperatorException(String message) {
        this(Reason.INVALID, message);
    }

    /** @since 1.1 */
    public OperatorException(Reason reason, String message) {
        this(reason, null, message);
    }

    /**
     * @param code what was refused, e.g. {@code password.too-short}, {@code login.taken}, {@code apikey.not-found}
     *        (the implementation documents its codes); null for none
     * @param message the refusal in English
     * @param args the values the message names, in order ({0}, {1}… of a translated message)
     * @since 1.3
     */
    public OperatorException(Reason reason, String code, String message, String... args) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
        this.code = code;
        this.args = List.of(args);
    }

    /** @since 1.1 */
    public Reason reason() {
        return reason;
    }

    /** @return the refusal's code, or null when it has none; @since 1.3 */
    public String code() {
        return code;
    }

    /** @return the values the message names, in order; @since 1.3 */
    public List<String> args() {
        return args;
    }
}
