/**
 * Delivery of a token order's seal: registered-mail shipments ({@link io.cachet.api.delivery.Shipments}, with
 * carriers plugged in as {@link io.cachet.api.delivery.Carrier} services) and the token's provisioning, custody of
 * its initialisation PIN and activation ({@link io.cachet.api.delivery.TokenDeliveries}).
 *
 * <p>A token order is provisioned at an operator's station while in {@code ISSUANCE} (the certificate is issued from
 * the request made on the token, and the order moves to {@code DELIVERY}), shipped by registered mail, and becomes
 * {@code ACTIVE} when its holder has replaced the initialisation PIN, which the certificate manager retrieves once,
 * after the shipment was delivered.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.cachet.api.delivery;
