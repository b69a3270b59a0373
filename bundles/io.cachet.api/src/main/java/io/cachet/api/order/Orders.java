package io.cachet.api.order;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The orders: submission, look-up and the state machine. The only way an order's state changes. A service of the
 * order bundle; thread-safe; safe with several nodes on one database.
 *
 * <p>Every transition is one database transaction holding the new state, its {@link OrderEvent} and its audit
 * record, and calling the {@link OrderListener}s; a transition asked again once done is a no-op that returns the
 * order (idempotent), a transition the state machine refuses is an {@link OrderException} {@code CONFLICT}. Two
 * concurrent transitions of one order end in one state.
 */
@ProviderType
public interface Orders {

    /** @return the products customers may order, as configured */
    List<Product> catalogue();

    /**
     * Checks an order without storing it.
     *
     * @return the field errors, empty when it is valid
     */
    List<FieldError> validate(OrderRequest request);

    /**
     * Validates and stores an order ({@code SUBMITTED}), then moves it to {@code VERIFICATION}, recording the
     * checks installed for that state.
     *
     * @throws OrderException {@code INVALID} with every field error; {@code CONFLICT} when the idempotency key was
     *         used for another body
     */
    Order submit(OrderRequest request, Submission submission);

    /** @return the order, if it exists */
    Optional<Order> find(String id);

    /** @return a page of orders */
    OrderPage list(OrderQuery query);

    /**
     * The orders that can still expire ({@link OrderState#expirable()}) and whose {@link Order#expiresAt()} is before
     * {@code before}, soonest deadline first: what a reminder job reads.
     *
     * @param after the cursor of the previous page ({@link OrderPage#next()}), or null for the first
     * @param limit at most this many (1 to 200)
     * @throws OrderException {@code INVALID} for a limit out of range or a cursor this method did not give
     * @since 1.4
     */
    OrderPage expiring(Instant before, String after, int limit);

    /** @return the transitions of the order, oldest first (empty when there is no such order) */
    List<OrderEvent> events(String id);

    /**
     * Cancels an open order.
     *
     * @param byCustomer true when the customer or their reseller asks (refused from {@code ISSUANCE} on), false
     *        for an operator
     * @throws OrderException {@code NOT_FOUND}, or {@code CONFLICT} when the order can no longer be cancelled
     */
    Order cancel(String id, String actor, String reason, boolean byCustomer);

    /**
     * Rejects an open order (operators), with the reason shown to the customer.
     *
     * @throws OrderException {@code INVALID} without a reason, {@code NOT_FOUND}, {@code CONFLICT}
     */
    Order reject(String id, String actor, String reason);

    /**
     * Records where a check of the order's current state stands; when every check of the state has passed the
     * order moves to the next state in the same transaction (recording the checks of that state, whose
     * {@link OrderCheck#entered} is called after commit). A report for a state the order has left, or an
     * unchanged status, changes nothing.
     *
     * @param kind the check's kind, as its {@link OrderCheck} names it
     * @param detail what customers and operators are told, may be empty
     * @throws OrderException {@code NOT_FOUND} (no such order, or no such check recorded for it)
     */
    Order report(String id, String kind, CheckStatus status, String detail, String actor);
}
