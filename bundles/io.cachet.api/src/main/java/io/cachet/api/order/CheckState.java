package io.cachet.api.order;

import java.time.Instant;

/**
 * A check recorded for an order in one state.
 *
 * @param kind the check's kind, e.g. {@code identity.certificate-manager}, {@code organisation}, {@code payment}
 * @param state the order state it belongs to
 * @param status where it stands
 * @param detail what the customer and operators are told about it (no personal data beyond the order's own), may be empty
 * @param updatedAt when it last changed
 */
public record CheckState(String kind, OrderState state, CheckStatus status, String detail, Instant updatedAt) {
}
