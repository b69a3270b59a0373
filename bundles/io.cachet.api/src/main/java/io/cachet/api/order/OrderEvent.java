package io.cachet.api.order;

import java.time.Instant;

/**
 * One transition of an order, as audited.
 *
 * @param sequence 1 for the submission, then one more per transition of this order
 * @param from the state before ({@code null} for the submission)
 * @param to the state after
 * @param actor who caused it, as the audit log names actors ({@code customer}, {@code api:<login>},
 *        {@code operator:<login>}, {@code check:<kind>}, {@code system})
 * @param reason why, may be empty
 */
public record OrderEvent(String orderId, long sequence, Instant at, OrderState from, OrderState to, String actor,
        String reason) {
}
