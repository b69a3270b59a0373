/**
 * The token compliance kit: {@link io.cachet.token.tck.TokenDriverCompliance} is a JUnit 5 suite that proves a
 * {@link io.cachet.api.token.TokenDriver} keeps the contract of {@code io.cachet.api.token}. A vendor extends it
 * in its own test sources, supplies the driver and a blank token, and runs it with its build.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.cachet.token.tck;
