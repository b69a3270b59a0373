/**
 * Plain-Java entry points of the audit log, for code that runs without an OSGi framework: {@code cachet-cli audit
 * verify} checks a stopped server's log offline, tests fill a data directory the way the server does. Inside OSGi,
 * use the {@code AuditLog} service instead. Everything returned is a contract of {@code io.cachet.api.audit}.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package io.cachet.audit.launch;
