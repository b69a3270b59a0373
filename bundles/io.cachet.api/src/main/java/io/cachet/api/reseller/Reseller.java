package io.cachet.api.reseller;

import java.time.Instant;

/**
 * A reseller.
 *
 * @param id opaque id, e.g. {@code rsl_…}; orders are tagged with it
 * @param name what operators call it
 * @param login the API account its keys belong to (an operator account with the single role {@code reseller}
 *        and no password)
 * @param brand the brand of its customers' pages and e-mails, or null for the active brand
 * @param disabledAt when operators disabled it (its keys are then refused), or null
 */
public record Reseller(String id, String name, String login, String brand, Instant createdAt, Instant disabledAt) {
}
