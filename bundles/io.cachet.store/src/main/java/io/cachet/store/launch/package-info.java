/**
 * Plain-Java entry point of the store, for code that runs without an OSGi framework (the command line, benchmarks,
 * other modules' tests): {@link io.cachet.store.launch.Databases#open} opens a database the way the server's store
 * component does (connection pool, H2 or PostgreSQL by URL). Inside OSGi, use the {@code Database} service instead.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.cachet.store.launch;
