/**
 * Plain-Java entry points of the time-stamping authority, for code that runs without an OSGi framework (the
 * benchmarks, the command line's offline {@code audit verify}, other modules' tests): the RFC 3161 TSA over a
 * time-stamping unit's key ({@link io.cachet.tsa.launch.TimeStamping#authority}) and the audit anchor signer
 * time-stamped by it ({@link io.cachet.tsa.launch.TimeStamping#anchorSigner}). Inside OSGi the bundle serves
 * {@code /tsa} and registers the anchor signer itself.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.cachet.tsa.launch;
