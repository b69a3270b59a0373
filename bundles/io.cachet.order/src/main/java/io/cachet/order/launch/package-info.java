/**
 * Plain-Java entry point of the order service, for code that runs without an OSGi framework: the tests of modules
 * that take part in orders (identity, organisation…) drive the real state machine on a real database. Inside OSGi,
 * use the {@code Orders} service instead. Everything returned is a contract of {@code io.cachet.api.order}.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.cachet.order.launch;
