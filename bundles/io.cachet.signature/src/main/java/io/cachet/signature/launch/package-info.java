/**
 * Plain-Java entry points of the signature implementation, for code that runs without an OSGi framework (the
 * command line, benchmarks, tests): {@link io.cachet.signature.launch.Signatures} builds signers, validators and
 * trusted lists, and reads certificates. The contracts they return are in {@code io.cachet.api.signature}; this
 * package only constructs, and is the one place outside {@code internal} that knows the implementation classes.
 * (A PKCS#12 key file is a token like any other: the software token opens it, {@code SoftTokens.keyFile}.)
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.cachet.signature.launch;
