package io.cachet.issuance.internal;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import io.cachet.api.token.KeyAlgorithm;
import io.cachet.api.token.SignatureAlgorithm;
import io.cachet.api.token.Token;
import io.cachet.api.token.TokenException;
import io.cachet.api.token.TokenInfo;
import io.cachet.api.token.TokenKey;

/**
 * The cloud key token as one cloud order's signing key sees it: that key only, to list, read its certificate and
 * sign; making, importing, changing the PIN are refused and closing does nothing (the token is the platform's). Each
 * call goes through {@link TokenCloudKeys#use}, so a token reopened after a failure is picked up.
 */
final class CloudKeyView implements Token {
    private final TokenCloudKeys keys;
    private final String alias;

    CloudKeyView(TokenCloudKeys keys, String alias) {
        this.keys = keys;
        this.alias = alias;
    }

    private <T> T use(Function<Token, T> action) {
        return keys.use(action);
    }

    private void only(String requested) {
        if (!alias.equals(requested)) {
            throw new TokenException(TokenException.Reason.NOT_FOUND, "no key '" + requested + "' in this view");
        }
    }

    @Override
    public TokenInfo info() {
        return use(Token::info);
    }

    @Override
    public List<TokenKey> keys() {
        return use(t -> t.keys().stream().filter(k -> k.alias().equals(alias)).toList());
    }

    @Override
    public TokenKey generateKeyPair(String a, KeyAlgorithm algorithm) {
        throw refused("make keys");
    }

    @Override
    public void importCertificate(String a, X509Certificate certificate) {
        throw refused("import certificates");
    }

    @Override
    public Optional<X509Certificate> certificate(String requested) {
        return alias.equals(requested) ? use(t -> t.certificate(requested)) : Optional.empty();
    }

    @Override
    public byte[] sign(String requested, SignatureAlgorithm algorithm, byte[] message) {
        only(requested);
        return use(t -> t.sign(requested, algorithm, message));
    }

    @Override
    public byte[] signDigest(String requested, SignatureAlgorithm algorithm, byte[] digest) {
        only(requested);
        return use(t -> t.signDigest(requested, algorithm, digest));
    }

    @Override
    public void changePin(char[] currentPin, char[] newPin) {
        throw refused("change the PIN");
    }

    @Override
    public void close() {
        // the platform's token stays open for the other keys
    }

    private static TokenException refused(String what) {
        return new TokenException(TokenException.Reason.UNSUPPORTED, "a cloud order's key cannot " + what);
    }
}
