package io.cachet.api.order;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * An order as stored.
 *
 * @param id opaque id, safe in URLs (e.g. {@code ord_…}); not guessable
 * @param state current state
 * @param request what was ordered
 * @param reseller id of the reseller that submitted it, or null when the customer ordered directly
 * @param brand the brand its pages and e-mails use
 * @param language the customer's language for e-mails ({@code fr} or {@code en})
 * @param reason why it was rejected or cancelled (shown to the customer), else null
 * @param checks the checks of its current state (and of earlier states, for the record), oldest first
 * @param version incremented by every change; clients may use it as an ETag
 */
public record Order(String id, OrderState state, OrderRequest request, String reseller, String brand,
        String language, Instant createdAt, Instant updatedAt, Instant expiresAt, String reason,
        List<CheckState> checks, long version) {
    public Order {
        checks = checks == null ? List.of() : List.copyOf(checks);
    }

    /**
     * @return when the order expires if the customer's part is not done by then; empty once it no longer expires
     *         ({@link OrderState#expirable()}: from {@code ISSUANCE} on, or ended)
     * @since 1.3
     */
    public Optional<Instant> deadline() {
        return state.expirable() ? Optional.ofNullable(expiresAt) : Optional.empty();
    }
}
