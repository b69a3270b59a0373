/**
 * Storage: the one relational database of a Cachet deployment (H2 embedded by default, PostgreSQL in
 * production), its transactions and per-module schema migrations.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.6.0")
package io.cachet.api.store;
