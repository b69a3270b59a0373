package io.cachet.ca.launch;

import org.bouncycastle.operator.ContentSigner;

import io.cachet.api.token.SignatureAlgorithm;
import io.cachet.api.token.Token;
import io.cachet.ca.internal.TokenContentSigner;

/**
 * BouncyCastle signers whose private key stays on a {@link Token}, for plain Java outside the CA (e.g. the command
 * line signing a certification request on a customer's token): the same signer the CA signs its certificates with.
 */
public final class TokenSigners {

    private TokenSigners() {
    }

    /**
     * A signer for one signature (BouncyCastle's contract) with key {@code alias} of {@code token}: BC streams the
     * to-be-signed bytes in, the token hashes and signs them.
     *
     * @throws RuntimeException for RSA-PSS, which this signer does not describe
     */
    public static ContentSigner of(Token token, String alias, SignatureAlgorithm algorithm) {
        return new TokenContentSigner(token, alias, algorithm);
    }
}
