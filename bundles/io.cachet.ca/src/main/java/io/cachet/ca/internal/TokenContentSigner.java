package io.cachet.ca.internal;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;

import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.DefaultSignatureAlgorithmIdentifierFinder;

import io.cachet.api.token.KeyAlgorithm;
import io.cachet.api.token.SignatureAlgorithm;
import io.cachet.api.token.Token;

/**
 * BouncyCastle {@link ContentSigner} whose private key stays on a {@link Token}: BC streams the to-be-signed
 * bytes in, the token hashes and signs them. One instance per signature (BC's contract); cheap to create.
 */
public final class TokenContentSigner implements ContentSigner {
    private final Token token;
    private final String alias;
    private final SignatureAlgorithm algorithm;
    private final AlgorithmIdentifier algorithmId;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(1024);

    public TokenContentSigner(Token token, String alias, SignatureAlgorithm algorithm) {
        if (algorithm.pss()) {
            // PSS needs explicit parameters in the AlgorithmIdentifier; not used by the CA yet.
            throw new CaException("RSA-PSS is not supported by the CA signer");
        }
        this.token = token;
        this.alias = alias;
        this.algorithm = algorithm;
        this.algorithmId = new DefaultSignatureAlgorithmIdentifierFinder().find(algorithm.jcaName());
    }

    /** The signature algorithm the CA uses with a key of this kind. */
    static SignatureAlgorithm algorithmFor(KeyAlgorithm key) {
        switch (key) {
        case EC_P256:
            return SignatureAlgorithm.ECDSA_SHA256;
        case EC_P384:
            return SignatureAlgorithm.ECDSA_SHA384;
        default:
            return SignatureAlgorithm.RSA_PKCS1_SHA256;
        }
    }

    @Override
    public AlgorithmIdentifier getAlgorithmIdentifier() {
        return algorithmId;
    }

    @Override
    public OutputStream getOutputStream() {
        return buffer;
    }

    @Override
    public byte[] getSignature() {
        return token.sign(alias, algorithm, buffer.toByteArray());
    }
}
