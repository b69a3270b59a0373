package io.cachet.ca.launch;

import java.math.BigInteger;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

import io.cachet.api.ca.CertificateStatus;
import io.cachet.api.ca.RevocationReason;
import io.cachet.api.ca.SealCertificateRequest;

/**
 * Issuance, revocation, CRL and certificate status of one issuing CA over a database (every certificate issued is recorded
 * before it is returned). Thread-safe. Failures are {@link io.cachet.api.ca.CertificateAuthorityException}s whose
 * message says why (a bad request, a key that cannot be used now).
 */
@ProviderType
public interface Issuer {

    /** A qualified e-seal certificate for the CSR's key, the subject from the request's organisation. */
    X509Certificate issue(SealCertificateRequest request);

    /** Revokes a certificate this CA issued; the next {@link #crl()} and {@link #status} say so. */
    void revoke(BigInteger serial, RevocationReason reason);

    /** A freshly signed CRL of the issuing CA. */
    X509CRL crl();

    /**
     * The revocation status of a certificate this CA issued (its TSA certificate included), empty for a serial it
     * did not issue: what an OCSP responder ({@code io.cachet.ca.status.launch.RevocationStatus}) answers with.
     */
    Optional<CertificateStatus> status(BigInteger serial);
}
