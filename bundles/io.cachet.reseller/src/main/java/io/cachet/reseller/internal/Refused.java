package io.cachet.reseller.internal;

import java.util.List;

/**
 * A reseller field refused by {@link JdbcResellers}: still the {@link IllegalArgumentException} that
 * {@code Resellers.create} documents, with its English message for the REST API, and a code and the values it names
 * so that the console words it in the page's language ({@code reseller.error.<code>}).
 */
final class Refused extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    static final String NAME_REQUIRED = "name.required";
    static final String NAME_TOO_LONG = "name.too-long";
    static final String NAME_CONTROL = "name.control";
    static final String BRAND_UNKNOWN = "brand.unknown";
    static final String NOT_FOUND = "not-found";
    /** Every code, each worded in both languages of the console page (a test checks it). */
    static final List<String> CODES = List.of(NAME_REQUIRED, NAME_TOO_LONG, NAME_CONTROL, BRAND_UNKNOWN, NOT_FOUND);

    private final String code;
    private final List<String> args;

    Refused(String code, String message, String... args) {
        super(message);
        this.code = code;
        this.args = List.of(args);
    }

    String code() {
        return code;
    }

    List<String> args() {
        return args;
    }
}
