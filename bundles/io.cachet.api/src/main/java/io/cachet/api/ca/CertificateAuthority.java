package io.cachet.api.ca;

import java.math.BigInteger;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The issuing CA for qualified e-seal certificates, with its CRL and OCSP responder. Every state change is written
 * to the audit log in the same transaction as the change itself. Time-stamps are not the CA's job: the CA holds the
 * time-stamping unit's key and certificate ({@link TimeStampKey}), and the time-stamping bundle answers with them.
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
     * Revokes a certificate this CA issued; the CRL is regenerated before this returns.
     *
     * @throws CertificateAuthorityException {@code NOT_FOUND} for a serial this CA did not issue,
     *         {@code CONFLICT} when it is already revoked
     */
    IssuedCertificate revoke(BigInteger serial, RevocationReason reason, String actor);

    /** A certificate this CA issued, with its revocation if any. */
    Optional<IssuedCertificate> find(BigInteger serial);

    /** The chain to publish: the issuing CA first, then the root. */
    List<X509Certificate> chain();

    /** The current CRL of the issuing CA (regenerated on every revocation and on a schedule). */
    X509CRL crl();

    /**
     * Answers a DER OCSPRequest (RFC 6960) with a DER OCSPResponse signed by the delegated OCSP signer. Never
     * throws: unreadable requests get {@code malformedRequest}, failures {@code internalError}.
     */
    byte[] ocsp(byte[] request);
}
