package io.cachet.ca.internal;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.bouncycastle.jce.provider.BouncyCastleProvider;

import io.cachet.api.token.KeyAlgorithm;
import io.cachet.api.token.SignatureAlgorithm;
import io.cachet.api.token.Token;
import io.cachet.api.token.TokenException;
import io.cachet.api.token.TokenInfo;
import io.cachet.api.token.TokenKey;

/** Test-only token over in-memory JCA keys (BouncyCastle provider). Never used by production code. */
final class JcaTestToken implements Token {
    private static final BouncyCastleProvider BC = new BouncyCastleProvider();
    private final Map<String, KeyPair> keys = new ConcurrentHashMap<>();
    private final Map<String, KeyAlgorithm> algorithms = new ConcurrentHashMap<>();
    private final Map<String, X509Certificate> certificates = new ConcurrentHashMap<>();

    @Override
    public TokenInfo info() {
        return new TokenInfo(0, "test", "test-0", "Cachet tests", "JCA", Set.of(TokenInfo.Flag.INITIALIZED),
                OptionalInt.empty());
    }

    @Override
    public List<TokenKey> keys() {
        List<TokenKey> list = new ArrayList<>();
        keys.forEach((a, k) -> list.add(key(a)));
        return list;
    }

    private TokenKey key(String alias) {
        return new TokenKey(alias, algorithms.get(alias), keys.get(alias).getPublic(), true, false, true, true);
    }

    @Override
    public TokenKey generateKeyPair(String alias, KeyAlgorithm algorithm) {
        if (keys.containsKey(alias)) {
            throw new TokenException(TokenException.Reason.ALREADY_EXISTS, alias);
        }
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance(algorithm.family(), BC);
            if (algorithm.family().equals("EC")) {
                g.initialize(new ECGenParameterSpec(algorithm.bits() == 256 ? "secp256r1" : "secp384r1"));
            } else {
                g.initialize(algorithm.bits());
            }
            keys.put(alias, g.generateKeyPair());
            algorithms.put(alias, algorithm);
            return key(alias);
        } catch (Exception e) {
            throw new TokenException(TokenException.Reason.DEVICE_ERROR, "keygen", e);
        }
    }

    @Override
    public void importCertificate(String alias, X509Certificate certificate) {
        if (!keys.get(alias).getPublic().equals(certificate.getPublicKey())) {
            throw new TokenException(TokenException.Reason.NOT_FOUND, "certificate does not match " + alias);
        }
        certificates.put(alias, certificate);
    }

    @Override
    public Optional<X509Certificate> certificate(String alias) {
        return Optional.ofNullable(certificates.get(alias));
    }

    @Override
    public byte[] sign(String alias, SignatureAlgorithm algorithm, byte[] message) {
        KeyPair kp = keys.get(alias);
        if (kp == null) {
            throw new TokenException(TokenException.Reason.NOT_FOUND, alias);
        }
        try {
            Signature s = Signature.getInstance(algorithm.jcaName(), BC);
            s.initSign(kp.getPrivate());
            s.update(message);
            return s.sign();
        } catch (Exception e) {
            throw new TokenException(TokenException.Reason.DEVICE_ERROR, "sign", e);
        }
    }

    @Override
    public byte[] signDigest(String alias, SignatureAlgorithm algorithm, byte[] digest) {
        throw new TokenException(TokenException.Reason.UNSUPPORTED, "not needed by the CA");
    }

    @Override
    public void changePin(char[] currentPin, char[] newPin) {
        throw new TokenException(TokenException.Reason.UNSUPPORTED, "no PIN");
    }

    @Override
    public void close() {
    }

    static byte[] sha256(byte[] data) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(data);
    }
}
