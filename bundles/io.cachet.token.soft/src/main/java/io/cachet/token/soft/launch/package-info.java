/**
 * Plain-Java entry point of the software token, for code that runs without an OSGi framework (benchmarks, the
 * command line's tests, other modules' tests): {@link io.cachet.token.soft.launch.SoftTokens#driver} opens the
 * driver on a directory; {@link io.cachet.token.soft.launch.SoftTokens#keyFile} opens a customer's PKCS#12 key file
 * as a read-only token (what {@code cachet-cli sign --key FILE.p12} signs with). Inside OSGi, use the
 * {@code TokenDriver} service instead.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.cachet.token.soft.launch;
