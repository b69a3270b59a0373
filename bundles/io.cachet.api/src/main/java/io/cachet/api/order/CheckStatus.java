package io.cachet.api.order;

/** Where a check of an order stands. */
public enum CheckStatus {
    /** Waiting for someone (the customer, an operator, a vendor). */
    PENDING,
    /** Done; the order may go on once every check of its state has passed. */
    PASSED,
    /** Did not pass; the order waits in its state until the check passes after all, or an operator rejects it. */
    FAILED
}
