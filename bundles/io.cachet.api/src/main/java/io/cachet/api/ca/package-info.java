/**
 * The qualified CA as a service: issue and revoke qualified e-seal certificates, its CRL and the status of its
 * certificates, the key of its delegated OCSP signer ({@link io.cachet.api.ca.OcspKey}) for the OCSP responder, and
 * the key of its time-stamping unit ({@link io.cachet.api.ca.TimeStampKey}) for the RFC 3161 TSA that signature
 * levels T, LT and LTA rely on.
 *
 * <p>2.0: {@code CertificateAuthority.timestamp} and {@code timestampCertificate} are gone (time-stamping moved to
 * the bundle {@code io.cachet.tsa}, which signs with the {@code TimeStampKey} service the CA registers);
 * {@code CertificateAuthority.ocsp} is gone (the OCSP responder moved to the bundle {@code io.cachet.ca.status},
 * which signs with the {@code OcspKey} service the CA registers and asks {@code CertificateAuthority.status}).
 *
 * <p>2.1: the platform's own seal ({@link io.cachet.api.ca.PlatformSealKey}); idempotent issuance
 * ({@code CertificateAuthority.issue(request, actor, requestId)}); the one rule for a seal subject's organisation
 * ({@code SealCertificateRequest.Organisation.of}).
 *
 * <p>2.2: {@link io.cachet.api.ca.RevocationListener}, told of every revocation in the transaction that records it (a
 * new interface: minor).
 *
 * <p>2.3: {@link io.cachet.api.ca.RevocationReason#bySubscriber()}, the one list of the reasons a subscriber may give.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("2.3.0")
package io.cachet.api.ca;
