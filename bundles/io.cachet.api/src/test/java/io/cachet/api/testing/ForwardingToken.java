package io.cachet.api.testing;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

import io.cachet.api.token.KeyAlgorithm;
import io.cachet.api.token.SignatureAlgorithm;
import io.cachet.api.token.Token;
import io.cachet.api.token.TokenInfo;
import io.cachet.api.token.TokenKey;

/**
 * A token that passes every call to a real one; a test overrides the calls it changes (a token that lies about its
 * keys, one that fails at a chosen step). For the modules' tests; see {@link ForwardingTokenDriver}.
 */
public class ForwardingToken implements Token {
    protected final Token delegate;

    public ForwardingToken(Token delegate) {
        this.delegate = delegate;
    }

    @Override
    public TokenInfo info() {
        return delegate.info();
    }

    @Override
    public List<TokenKey> keys() {
        return delegate.keys();
    }

    @Override
    public TokenKey generateKeyPair(String alias, KeyAlgorithm algorithm) {
        return delegate.generateKeyPair(alias, algorithm);
    }

    @Override
    public void importCertificate(String alias, X509Certificate certificate) {
        delegate.importCertificate(alias, certificate);
    }

    @Override
    public Optional<X509Certificate> certificate(String alias) {
        return delegate.certificate(alias);
    }

    @Override
    public byte[] sign(String alias, SignatureAlgorithm algorithm, byte[] message) {
        return delegate.sign(alias, algorithm, message);
    }

    @Override
    public byte[] signDigest(String alias, SignatureAlgorithm algorithm, byte[] digest) {
        return delegate.signDigest(alias, algorithm, digest);
    }

    @Override
    public void changePin(char[] currentPin, char[] newPin) {
        delegate.changePin(currentPin, newPin);
    }

    @Override
    public void close() {
        delegate.close();
    }
}
