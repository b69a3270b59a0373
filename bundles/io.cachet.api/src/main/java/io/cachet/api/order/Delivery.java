package io.cachet.api.order;

/**
 * Where a physical token is shipped by registered mail.
 *
 * @param beneficiary the person named on the registered letter, who signs its receipt
 */
public record Delivery(String beneficiary, PostalAddress address) {
}
