package io.cachet.bench;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;

import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.DefaultSignatureAlgorithmIdentifierFinder;

import io.cachet.api.token.SignatureAlgorithm;
import io.cachet.api.token.Token;

/**
 * A BouncyCastle {@link ContentSigner} over {@link Token#sign}, for the reference "build and sign" benchmark: the
 * CA's own signer is package-private. One instance per signature.
 */
final class TokenSigner implements ContentSigner {
    private final Token token;
    private final String alias;
    private final SignatureAlgorithm algorithm;
    private final AlgorithmIdentifier id;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(1024);

    TokenSigner(Token token, String alias, SignatureAlgorithm algorithm, AlgorithmIdentifier id) {
        this.token = token;
        this.alias = alias;
        this.algorithm = algorithm;
        this.id = id;
    }

    static AlgorithmIdentifier idOf(SignatureAlgorithm algorithm) {
        return new DefaultSignatureAlgorithmIdentifierFinder().find(algorithm.jcaName());
    }

    @Override
    public AlgorithmIdentifier getAlgorithmIdentifier() {
        return id;
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
