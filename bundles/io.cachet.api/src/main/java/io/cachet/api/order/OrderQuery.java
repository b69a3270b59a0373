package io.cachet.api.order;

import java.time.Instant;

/**
 * A page of orders, newest first.
 *
 * @param state only orders in this state, or null for all
 * @param reseller only this reseller's orders, or null for all (a reseller's query always names itself)
 * @param from only orders created at or after, or null
 * @param to only orders created before, or null
 * @param text only orders whose id, organisation name or identifier, or a person's name or e-mail contains this
 *        (ignoring case), or null
 * @param after the cursor of the previous page ({@link OrderPage#next()}), or null for the first
 * @param limit at most this many (1 to 200)
 */
public record OrderQuery(OrderState state, String reseller, Instant from, Instant to, String text, String after,
        int limit) {
}
