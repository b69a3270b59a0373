package io.cachet.api.ca;

import java.math.BigInteger;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The issuing CA for qualified e-seal certificates, with its CRL. Every state change is written to the audit log in
 * the same transaction as the change itself. Time-stamps and OCSP answers are not the CA's job: the CA holds the
 * keys and certificates of its time-stamping unit ({@link TimeStampKey}) and of its delegated OCSP signer
 * ({@link OcspKey}), and the time-stamping and revocation status bundles answer with them (the latter with
 * {@link #status}).
 */
@ProviderType
public interface CertificateAuthority {

    /**
     * Issues a qualified e-seal certificate (ETSI EN 319 412-1/-3/-5) for the key of the CSR.
     *
     * @param actor who asks, as the audit log names actors ({@code operator:<login>}, {@code api:<login>}, ...)
     * @throws CertificateAuthorityException {@code INVALID_REQUEST} for a bad CSR, key or subject;
     *         {@code UNAVAILABLE} when the CA key cannot be used now
     */
    IssuedCertificate issue(SealCertificateRequest request, String actor);

    /**
     * Issues like {@link #issue(SealCertificateRequest, String)}, at most once per {@code requestId}: the request is
     * recorded under this id in the same transaction as the certificate, so a retried call (after a time-out, a
     * crash, on another node) with the same id and the same request returns the certificate already issued
     * instead of issuing a second one. Concurrent calls with one id issue once.
     *
     * @param requestId the caller's key for this issuance (e.g. the order id), 1 to 128 characters
     * @throws CertificateAuthorityException {@code CONFLICT} when {@code requestId} was used for a different
     *         request (another CSR, profile, name, organisation or validity); otherwise as
     *         {@link #issue(SealCertificateRequest, String)}
     * @since 2.1
     */
    IssuedCertificate issue(SealCertificateRequest request, String actor, String requestId);

    /**
     * Revokes a certificate this CA issued; {@link #status} says so at once, and every {@link #crl()} called after this
     * returns lists it (the CRL is made again at the first call after one or more revocations).
     *
     * @throws CertificateAuthorityException {@code NOT_FOUND} for a serial this CA did not issue,
     *         {@code CONFLICT} when it is already revoked
     */
    IssuedCertificate revoke(BigInteger serial, RevocationReason reason, String actor);

    /** A certificate this CA issued, with its revocation if any. */
    Optional<IssuedCertificate> find(BigInteger serial);

    /** The chain to publish: the issuing CA first, then the root. */
    List<X509Certificate> chain();

    /**
     * The current CRL of the issuing CA: made again on a schedule, and at the first call after a revocation (one CRL
     * for however many revocations came before the call).
     */
    X509CRL crl();

    /**
     * The revocation status of the certificate with this serial that this CA issued: the certificates of
     * {@link #find} and the CA's own time-stamping unit (good while the CA runs), for an OCSP responder.
     *
     * @return empty when this CA issued no certificate with this serial (OCSP {@code unknown})
     * @throws CertificateAuthorityException {@code UNAVAILABLE} when the register cannot be read now
     * @since 2.0
     */
    Optional<CertificateStatus> status(BigInteger serial);
}
