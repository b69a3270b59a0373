/**
 * Plain-Java entry point of the software token, for code that runs without an OSGi framework (benchmarks, the
 * command line's tests, other modules' tests): {@link io.cachet.token.soft.launch.SoftTokens#driver} opens the
 * driver on a directory. Inside OSGi, use its {@code TokenDriver} service instead.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.cachet.token.soft.launch;
