/**
 * Plain-Java entry points of the CA, for code that runs without an OSGi framework (the benchmarks, the command
 * line, other modules' tests): the key ceremony on a token ({@link io.cachet.ca.launch.LocalCa#create}), issuance,
 * revocation, CRL and certificate status over a database ({@link io.cachet.ca.launch.LocalCa#issuer}), the key of
 * the delegated OCSP signer ({@link io.cachet.ca.launch.LocalCa#ocspKey}) for the OCSP responder of
 * {@code io.cachet.ca.status.launch}, and the key of the time-stamping unit
 * ({@link io.cachet.ca.launch.LocalCa#timeStampKey}) for the RFC 3161 TSA and audit anchor signer of
 * {@code io.cachet.tsa.launch}. Inside OSGi, use the {@code CertificateAuthority}, {@code OcspKey} and
 * {@code TimeStampKey} services instead: these parts leave out what the server adds around them (audit records,
 * configuration, the CRL schedule).
 *
 * <p>2.0: {@code LocalCa.timeStampAuthority} and {@code LocalCa.timeStampAnchorSigner} moved to
 * {@code io.cachet.tsa.launch.TimeStamping} (time-stamping is a bundle of its own); {@code Issuer.ocsp} gave way to
 * {@code Issuer.status} and {@code io.cachet.ca.status.launch.RevocationStatus} (the OCSP responder is a bundle of
 * its own).
 *
 * <p>2.1: {@code LocalCa.authority}, the CA service (idempotent issuance, audited) for other modules' tests.
 *
 * <p>2.3: {@code LocalCa.authority} with revocation listeners, told as the server tells its
 * {@code RevocationListener} services.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("2.3.0")
package io.cachet.ca.launch;
