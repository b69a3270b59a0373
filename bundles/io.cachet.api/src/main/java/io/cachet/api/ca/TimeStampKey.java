package io.cachet.api.ca;

import java.security.cert.X509Certificate;
import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

import io.cachet.api.token.SignatureAlgorithm;

/**
 * The key of the CA's time-stamping unit: made by the CA's key ceremony on the CA token, certified by the issuing
 * CA (time-stamping only), and kept by the CA, which registers this service once the token is open. A time-stamping
 * authority signs its tokens with it; the key itself never leaves the token.
 *
 * @since 2.0
 */
@ProviderType
public interface TimeStampKey {

    /** The time-stamping unit's certificate (extended key usage {@code timeStamping}, critical). */
    X509Certificate certificate();

    /** The chain above {@link #certificate()}: the issuing CA first, then the root. */
    List<X509Certificate> chain();

    /** The TSA policy (an OID) that the tokens signed with this key are issued under. */
    String policyOid();

    /** The algorithm {@link #sign} uses (it follows the key: ECDSA with SHA-256/384, or RSA PKCS#1 SHA-256). */
    SignatureAlgorithm algorithm();

    /**
     * Signs {@code data} (hashed on the way, as {@link #algorithm()} says) with the time-stamping unit's key.
     *
     * @return the signature as the algorithm encodes it (DER for ECDSA)
     * @throws CertificateAuthorityException {@code UNAVAILABLE} when the key cannot be used now
     */
    byte[] sign(byte[] data);
}
