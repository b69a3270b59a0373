/**
 * Orders of seal certificates: the Enterprise+ order as customers and resellers submit it
 * ({@link io.cachet.api.order.OrderRequest}), its explicit state machine ({@link io.cachet.api.order.OrderState}),
 * the service that owns it ({@link io.cachet.api.order.Orders}), and the whiteboard through which other modules
 * take part without the order module knowing them: checks that must pass before an order leaves a state
 * ({@link io.cachet.api.order.OrderCheck}), listeners told of every transition inside its transaction
 * ({@link io.cachet.api.order.OrderListener}), and the actions modules add to a person's status page
 * ({@link io.cachet.api.order.StatusAction}).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.4.0")
package io.cachet.api.order;
