/**
 * Personal links: the unguessable, expiring, revocable links through which a person named by an order reaches
 * what concerns them (the order's status page, the identity flow, the acceptance form, the PIN reveal, the
 * customer space's password) without an account.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.cachet.api.link;
