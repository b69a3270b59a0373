/** Operators: the accounts of the trust service provider's staff and integrators' API keys. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.3.0")
package io.cachet.api.operator;
