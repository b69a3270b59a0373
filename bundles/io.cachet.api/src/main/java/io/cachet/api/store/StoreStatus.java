package io.cachet.api.store;

/**
 * What {@link Database#status()} found.
 *
 * @param reachable whether a connection could be opened and used
 * @param product database product ({@code H2}, {@code PostgreSQL})
 * @param detail one line for an operator: the URL without credentials, or what failed and what to do
 */
public record StoreStatus(boolean reachable, String product, String detail) {
}
