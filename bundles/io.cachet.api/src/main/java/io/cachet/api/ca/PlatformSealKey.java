package io.cachet.api.ca;

import java.net.URI;
import java.security.cert.X509Certificate;
import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

import io.cachet.api.signature.SigningKey;

/**
 * The platform's own seal: a key pair {@code ca-seal} on the CA token, made by the key ceremony (or at the first
 * start of a CA that has none), certified by the issuing CA, and kept by the CA, which registers this service once
 * the token is open. Cachet seals with it what it produces itself: signed acceptance forms, evidence files. The key
 * never leaves the token: {@link #signingKey()} is a view of the CA token that exposes this one key only. Thread-safe.
 *
 * @since 2.1
 */
@ProviderType
public interface PlatformSealKey {

    /** The platform seal certificate (an e-seal certificate issued by the issuing CA to the platform's operator). */
    X509Certificate certificate();

    /** The seal certificate, the issuing CA, the root: in that order. */
    List<X509Certificate> chain();

    /**
     * The key, ready for {@code Signer.sign}: a restricted token that holds the seal key and its certificate only,
     * with the issuing CA and the root as the chain. Signing never closes the CA token.
     */
    SigningKey signingKey();

    /** Cachet's own RFC 3161 time-stamp authority, for levels T, LT and LTA. */
    URI timeStampAuthority();

    /**
     * What a validator should trust for the platform's seals (and for the revocation data and time-stamps in
     * them): the certificates to pass as trust anchors to {@code SignOptions.withTrustAnchors} and to validation.
     */
    List<X509Certificate> trustAnchors();
}
