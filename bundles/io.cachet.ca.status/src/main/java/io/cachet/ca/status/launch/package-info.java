/**
 * Plain-Java entry points of the revocation status services, for code that runs without an OSGi framework (the
 * benchmarks, other modules' tests): the RFC 6960 OCSP responder over the CA's delegated OCSP signer's key and its
 * register of certificates ({@link io.cachet.ca.status.launch.RevocationStatus#ocsp}). Inside OSGi the bundle serves
 * {@code /ocsp} itself, on the {@code OcspKey} and {@code CertificateAuthority} services the CA registers.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package io.cachet.ca.status.launch;
