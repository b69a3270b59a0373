/**
 * Plain-Java entry points of the CA, for code that runs without an OSGi framework (the benchmarks, the command
 * line, other modules' tests): the key ceremony on a token ({@link io.cachet.ca.launch.LocalCa#create}), issuance,
 * revocation, CRL and OCSP over a database ({@link io.cachet.ca.launch.LocalCa#issuer}), the RFC 3161 TSA, and the
 * audit anchor signer time-stamped by it. Inside OSGi, use the {@code CertificateAuthority} service instead: these
 * parts leave out what the server adds around them (audit records, configuration, the CRL schedule).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.cachet.ca.launch;
