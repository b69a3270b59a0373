/**
 * Operators: the accounts of the trust service provider's staff and integrators' API keys.
 *
 * <p>1.4.0: {@code Operator.hasAnyRole}, the one check of a page or an action open to several roles.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.4.0")
package io.cachet.api.operator;
