package io.cachet.api.token;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A token the user is logged in to. Thread-safe: several threads may sign at once (drivers pool their
 * sessions). {@link #close()} logs out; using a closed token throws {@code CLOSED}.
 *
 * <p>Implemented by every token driver (a vendor's too: {@link TokenDriver#login} returns the vendor's own
 * {@code Token}), hence {@link ConsumerType}: a method added here breaks those implementations, and is a major
 * change of this package.
 */
@ConsumerType
public interface Token extends AutoCloseable {

    /** Current state, read from the token (flags and tries left change with use). */
    TokenInfo info();

    /** Key pairs on the token with their public halves and security attributes. */
    List<TokenKey> keys();

    /**
     * Generates a key pair on the token: private half sensitive, not extractable, never leaving the token.
     *
     * @param alias label and id of the pair (unique on the token), e.g. {@code seal-2026}
     * @throws TokenException {@code ALREADY_EXISTS}, {@code UNSUPPORTED} for an algorithm the token lacks
     */
    TokenKey generateKeyPair(String alias, KeyAlgorithm algorithm);

    /** Stores a certificate next to the key pair {@code alias} (whose public key it must certify). */
    void importCertificate(String alias, X509Certificate certificate);

    /** The certificate stored for {@code alias}, if any. */
    Optional<X509Certificate> certificate(String alias);

    /**
     * Signs {@code message} with the private key {@code alias}; the message is hashed outside the token.
     *
     * @return the signature as X.509 and CMS expect it: PKCS#1 / PSS bytes for RSA, DER {@code ECDSA-Sig-Value}
     *         for EC
     */
    byte[] sign(String alias, SignatureAlgorithm algorithm, byte[] message);

    /** Like {@link #sign} for a digest already computed with {@code algorithm}'s hash. */
    byte[] signDigest(String alias, SignatureAlgorithm algorithm, byte[] digest);

    /** Changes the user PIN (also how a holder replaces an initialisation PIN). */
    void changePin(char[] currentPin, char[] newPin);

    /** Logs out and releases the sessions. Idempotent. */
    @Override
    void close();
}
