package io.cachet.api.order;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A check an order must pass before it leaves a state, contributed by the module that owns it (identity of each
 * person, organisation, acceptance, issuance, delivery, or an integrator's own, e.g. a payment). Register it as an
 * OSGi service (whiteboard). The order module never knows the modules behind its checks.
 *
 * <p>When an order enters {@link #state()}, the order service records one check per installed {@code OrderCheck}
 * of that state ({@code PENDING}) in the transition's transaction; after commit it calls {@link #entered}, which
 * starts the work (send a link, queue a review…) and later reports through {@link Orders#report}. A check
 * installed while orders already wait in its state is not added to them. {@link #entered} may be called again
 * for the same order (after a node restart, say): it must be idempotent.
 */
@ConsumerType
public interface OrderCheck {

    /** Service property naming the check's {@link #kind()}, for filters and the console. */
    String KIND = "cachet.order.check.kind";

    /** The check's kind, unique among installed checks: lower case letters, digits, '.', '-'. */
    String kind();

    /** The state whose exit this check guards: {@code VERIFICATION}, {@code ACCEPTANCE}, {@code ISSUANCE} or {@code DELIVERY}. */
    OrderState state();

    /**
     * Whether this check applies to {@code order}, e.g. the legal representative's identity only when they are
     * another person, token shipping only for token media. Default: always.
     */
    default boolean appliesTo(OrderRequest order) {
        return true;
    }

    /**
     * The order entered {@link #state()} with this check {@code PENDING}. Runs after the transition committed,
     * outside any transaction; may report at once through {@link Orders#report}. Exceptions are logged and the
     * check stays pending.
     */
    void entered(Order order);
}
