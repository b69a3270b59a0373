/**
 * Resellers: organisations that sell Cachet's certificates to their own customers through the API, under their
 * own brand. Each has an account with its own API keys and sees only its own orders.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package io.cachet.api.reseller;
