package io.cachet.api.signature;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

import io.cachet.api.token.Token;
import io.cachet.api.token.TokenException;

/**
 * A private key that signs: a key pair {@code alias} on a logged-in {@link Token} (software token, PKCS#11 token,
 * HSM, or a PKCS#12 key file opened as a read-only token), with the certificate stored next to it on the token.
 * The token stays the caller's: signing never closes it.
 *
 * @param token the logged-in token holding the key
 * @param alias the key pair's alias on the token
 * @param chain the issuer certificates of the signing certificate (issuing CA first, root last), put into the
 *        signature; may be empty, the issuers are then fetched from the certificate's AIA where needed
 */
public record SigningKey(Token token, String alias, List<X509Certificate> chain) {

    public SigningKey {
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(alias, "alias");
        chain = chain == null ? List.of() : List.copyOf(chain);
    }

    /** The key {@code alias} on {@code token}, its issuers to be found through the certificate's AIA. */
    public static SigningKey of(Token token, String alias) {
        return new SigningKey(token, alias, List.of());
    }

    /**
     * The signing certificate, as stored on the token.
     *
     * @throws SignatureException {@code KEY_UNUSABLE} when the token has no certificate for the key
     */
    public X509Certificate certificate() {
        try {
            return token.certificate(alias).orElseThrow(() -> new SignatureException(
                    SignatureException.Reason.KEY_UNUSABLE, "the key '" + alias
                            + "' has no certificate on the token: import the seal certificate first"));
        } catch (TokenException e) {
            throw new SignatureException(SignatureException.Reason.KEY_UNUSABLE,
                    "the token cannot read the certificate of key '" + alias + "': " + e.getMessage(), e);
        }
    }
}
