package io.cachet.api.order;

/**
 * What is wrong with one field of an order.
 *
 * @param field the field's JSON path, e.g. {@code organisation.identifier}, {@code certificateManager.mobile},
 *        {@code organisation.address.lines[0]}
 * @param message what is wrong and how to fix it, in English (pages translate by {@link #code})
 * @param code a stable code for the kind of error, e.g. {@code required}, {@code invalid}, {@code luhn},
 *        {@code vat-mismatch}, {@code too-young}
 */
public record FieldError(String field, String code, String message) {
}
