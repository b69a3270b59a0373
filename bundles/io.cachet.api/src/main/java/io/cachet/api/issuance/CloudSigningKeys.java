package io.cachet.api.issuance;

import org.osgi.annotation.versioning.ProviderType;

import io.cachet.api.signature.SigningKey;

/**
 * The keys of cloud orders' certificates, kept on the platform's cloud key token, for the one module that signs
 * on their holders' behalf (the customer space: Click&amp;Cert and the CSC API). Sole control is that module's duty:
 * it asks for a key only inside its holder's authenticated and re-authenticated request; nothing else in Cachet
 * references this service. A service of the issuance module; thread-safe.
 *
 * @since 1.2
 */
@ProviderType
public interface CloudSigningKeys {

    /**
     * The key of the certificate issued for cloud order {@code orderId}. Its token is a view of the cloud key token
     * limited to that one key: it lists the key, reads its certificate and signs with it (one signature at a time
     * across the platform's cloud keys, as the token allows); it cannot make, import or change anything, and closing
     * it does nothing. The key's chain holds the issuing CA's certificate.
     *
     * @throws IssuanceException {@code NOT_FOUND} when no certificate was issued for a cloud order of that id;
     *         {@code CONFLICT} when the certificate is revoked or expired (the key must not sign any more);
     *         {@code UNAVAILABLE} when the cloud key token cannot be used now (retry later)
     */
    SigningKey signingKey(String orderId);
}
