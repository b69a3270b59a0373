/**
 * Personal links: the unguessable, expiring, revocable links through which a person named by an order reaches
 * what concerns them (the order's status page, the identity flow, the acceptance form, the PIN reveal, the
 * customer space's password) without an account.
 *
 * <p>1.1.0: {@link io.cachet.api.link.PersonalLinks#tokenIn} (a static method: minor), the one reading of a link's
 * token from a page's path.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package io.cachet.api.link;
