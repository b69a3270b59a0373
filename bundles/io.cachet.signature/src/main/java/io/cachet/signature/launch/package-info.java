/**
 * Plain-Java entry points of the signature implementation, for code that runs without an OSGi framework (the
 * command line, benchmarks, tests): {@link io.cachet.signature.launch.Signatures} builds signers, validators,
 * trusted lists and PKCS#12 keys. The contracts they return are in {@code io.cachet.api.signature}; this package
 * only constructs, and is the one place outside {@code internal} that knows the implementation classes.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.cachet.signature.launch;
