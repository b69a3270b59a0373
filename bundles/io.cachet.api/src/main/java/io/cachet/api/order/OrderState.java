package io.cachet.api.order;

import java.util.EnumSet;
import java.util.Set;

/**
 * The states of an order. The order service is the only way to change one, along these transitions:
 *
 * <pre>
 * SUBMITTED -&gt; VERIFICATION -&gt; ACCEPTANCE -&gt; ISSUANCE -&gt; DELIVERY -&gt; ACTIVE
 * any open state -&gt; CANCELLED (the customer before ISSUANCE, an operator at any open state)
 * any open state -&gt; REJECTED (an operator, with a reason shown to the customer)
 * SUBMITTED, VERIFICATION or ACCEPTANCE -&gt; EXPIRED (the customer's part not completed in time; a background job)
 * </pre>
 *
 * Once in {@code ISSUANCE} an order no longer expires: what is left (issuing, provisioning, the post, the holder's
 * first use) is the provider's work or follows a certificate already issued, and an expired order would leave that
 * certificate with no way for its holder to receive it. An operator can still cancel or reject it.
 *
 * An order leaves {@code VERIFICATION}, {@code ACCEPTANCE}, {@code ISSUANCE} and {@code DELIVERY} when every
 * {@link OrderCheck} recorded for it in that state has {@link CheckStatus#PASSED}; a state for which no check is
 * installed waits (an order never skips a step because a module is missing).
 */
public enum OrderState {
    SUBMITTED, VERIFICATION, ACCEPTANCE, ISSUANCE, DELIVERY, ACTIVE, CANCELLED, REJECTED, EXPIRED;

    /** @return whether the order is still under way (not {@code ACTIVE} and not ended) */
    public boolean open() {
        return this == SUBMITTED || this == VERIFICATION || this == ACCEPTANCE || this == ISSUANCE || this == DELIVERY;
    }

    /** @return whether nothing can happen to the order any more (ACTIVE orders may still expire with their certificate later; that is not an order transition) */
    public boolean ended() {
        return this == CANCELLED || this == REJECTED || this == EXPIRED;
    }

    /** @return the state that follows this one when its checks have passed, or null for {@code ACTIVE} and ended states */
    public OrderState next() {
        return switch (this) {
            case SUBMITTED -> VERIFICATION;
            case VERIFICATION -> ACCEPTANCE;
            case ACCEPTANCE -> ISSUANCE;
            case ISSUANCE -> DELIVERY;
            case DELIVERY -> ACTIVE;
            default -> null;
        };
    }

    /** @return whether the customer (or their reseller) may still cancel: before issuance */
    public boolean cancellableByCustomer() {
        return this == SUBMITTED || this == VERIFICATION || this == ACCEPTANCE;
    }

    /**
     * @return whether the order still expires when not completed in time: until the customer's part is done (before
     *         {@code ISSUANCE})
     * @since 1.3
     */
    public boolean expirable() {
        return this == SUBMITTED || this == VERIFICATION || this == ACCEPTANCE;
    }

    /** @return the states this one may move to */
    public Set<OrderState> successors() {
        if (!open()) {
            return Set.of();
        }
        EnumSet<OrderState> s = EnumSet.of(CANCELLED, REJECTED);
        if (expirable()) {
            s.add(EXPIRED);
        }
        s.add(next());
        return s;
    }
}
