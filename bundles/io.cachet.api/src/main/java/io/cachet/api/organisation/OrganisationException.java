package io.cachet.api.organisation;

import java.util.List;

/**
 * An organisation operation refused; nothing was changed. {@link #code()} says what was wrong in a stable form that
 * pages turn into a message in the person's language (e.g. {@code extract.too-old} →
 * {@code organisation.error.extract.too-old}); {@link #getMessage()} says it in English for logs and APIs.
 */
public class OrganisationException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The kinds of refusal, for HTTP statuses. */
    public enum Reason {
        /** The input is wrong (file, date, reason): the caller may correct it. */
        INVALID,
        /** No such case, order or document. */
        NOT_FOUND,
        /** Not in this state (order not in verification, case already decided or not under review). */
        CONFLICT
    }

    private final Reason reason;
    private final String code;
    private final transient List<String> args;

    /**
     * @param code e.g. {@code file.type}, {@code file.too-large}, {@code file.empty}, {@code kind.unknown},
     *        {@code extract.too-old}, {@code extract.other-organisation}, {@code extract.date-missing},
     *        {@code reason.missing}, {@code basis.missing}, {@code case.not-in-review}, {@code order.not-open}
     * @param args values for the message ({0}, {1}…)
     */
    public OrganisationException(Reason reason, String code, String message, String... args) {
        super(message);
        this.reason = reason;
        this.code = code;
        this.args = List.of(args);
    }

    public Reason reason() {
        return reason;
    }

    public String code() {
        return code;
    }

    public List<String> args() {
        return args;
    }
}
