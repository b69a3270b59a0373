package io.cachet.api.ca;

import java.security.cert.X509Certificate;
import java.time.Duration;

import org.osgi.annotation.versioning.ProviderType;

import io.cachet.api.token.SignatureAlgorithm;

/**
 * The key of the CA's delegated OCSP signer (RFC 6960 §4.2.2.2): made by the CA's key ceremony on the CA token,
 * certified by the issuing CA (extended key usage {@code OCSPSigning}, with {@code id-pkix-ocsp-nocheck}), and kept
 * by the CA, which registers this service once the token is open. An OCSP responder signs its answers about the
 * issuing CA's certificates with it, and looks their status up with {@link CertificateAuthority#status}; the key
 * itself never leaves the token. Thread-safe.
 *
 * @since 2.0
 */
@ProviderType
public interface OcspKey {

    /** The OCSP signer's certificate, which the answers carry and are verified with. */
    X509Certificate certificate();

    /** The issuing CA that certified {@link #certificate()}: the responder answers for its certificates only. */
    X509Certificate issuer();

    /**
     * How long an answer holds: its nextUpdate minus its thisUpdate. Positive; the server's CA keeps it within the
     * validity of its CRL ({@code ocspValidityMinutes} of its configuration).
     */
    Duration validity();

    /** The algorithm {@link #sign} uses (it follows the key: ECDSA with SHA-256/384, or RSA PKCS#1 SHA-256). */
    SignatureAlgorithm algorithm();

    /**
     * Signs {@code data} (hashed on the way, as {@link #algorithm()} says) with the OCSP signer's key.
     *
     * @return the signature as the algorithm encodes it (DER for ECDSA)
     * @throws CertificateAuthorityException {@code UNAVAILABLE} when the key cannot be used now
     */
    byte[] sign(byte[] data);
}
