package io.cachet.api.identity;

import java.util.List;

/**
 * An identity operation refused; nothing was changed. {@link #code()} says what was wrong in a stable form that
 * pages turn into a message in the person's language (e.g. {@code image.too-small} →
 * {@code identity-mobile.error.image.too-small}); {@link #getMessage()} says it in English for logs and APIs,
 * never with personal data from the evidence.
 */
public class IdentityException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The kinds of refusal, for HTTP statuses. */
    public enum Reason {
        /** The input is wrong (image, MRZ, document type): the person may correct it. */
        INVALID,
        /** No such case or flow, or not this caller's. */
        NOT_FOUND,
        /** Not in this state (case under review, ended, attempts used up). */
        CONFLICT,
        /** A provider or vendor is unavailable: try again later. */
        UNAVAILABLE
    }

    private final Reason reason;
    private final String code;
    private final transient List<String> args;

    /**
     * @param code e.g. {@code mrz.check-digit}, {@code image.not-an-image}, {@code image.too-small},
     *        {@code image.too-large}, {@code document.expired}, {@code document.type-not-accepted},
     *        {@code name.mismatch}, {@code birth-date.mismatch}, {@code case.not-open}, {@code case.attempts-exhausted},
     *        {@code provider.unavailable}
     * @param args values for the message ({0}, {1}…): never evidence content beyond what the person typed
     */
    public IdentityException(Reason reason, String code, String message, String... args) {
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
