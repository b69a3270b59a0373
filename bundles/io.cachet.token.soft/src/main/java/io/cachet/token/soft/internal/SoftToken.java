package io.cachet.token.soft.internal;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.AlgorithmParameterSpec;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.RSAKeyGenParameterSpec;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;

import io.cachet.api.token.KeyAlgorithm;
import io.cachet.api.token.SignatureAlgorithm;
import io.cachet.api.token.Token;
import io.cachet.api.token.TokenException;
import io.cachet.api.token.TokenException.Reason;
import io.cachet.api.token.TokenInfo;
import io.cachet.api.token.TokenKey;

/**
 * A logged-in session on a software token. Thread-safe; private keys are used here and never handed out.
 *
 * <p>Key aliases are lower case ({@code [a-z0-9][a-z0-9._-]{0,63}}): the JDK's PKCS#12 key store folds aliases to
 * lower case, so a mixed-case alias would not read back as given.
 */
final class SoftToken implements Token {

    private static final Pattern ALIAS = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

    private final SlotState slot;
    private final SecureRandom random;
    private final AtomicBoolean closed = new AtomicBoolean();

    SoftToken(SlotState slot, SecureRandom random) {
        this.slot = slot;
        this.random = random;
    }

    @Override
    public TokenInfo info() {
        ensureOpen();
        return slot.info();
    }

    @Override
    public List<TokenKey> keys() {
        ensureOpen();
        return slot.keys();
    }

    @Override
    public TokenKey generateKeyPair(String alias, KeyAlgorithm algorithm) {
        ensureOpen();
        checkAlias(alias);
        Objects.requireNonNull(algorithm, "algorithm");
        slot.checkAbsent(alias); // fail before spending seconds on an RSA key
        return slot.add(alias, generate(algorithm)); // generated outside the slot's lock: signing goes on meanwhile
    }

    @Override
    public void importCertificate(String alias, X509Certificate certificate) {
        ensureOpen();
        Objects.requireNonNull(certificate, "certificate");
        slot.importCertificate(checkAlias(alias), certificate);
    }

    @Override
    public Optional<X509Certificate> certificate(String alias) {
        ensureOpen();
        return slot.certificate(checkAlias(alias));
    }

    @Override
    public byte[] sign(String alias, SignatureAlgorithm algorithm, byte[] message) {
        ensureOpen();
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(message, "message");
        return signDigest(alias, algorithm, Signatures.digest(algorithm, message));
    }

    @Override
    public byte[] signDigest(String alias, SignatureAlgorithm algorithm, byte[] digest) {
        ensureOpen();
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(digest, "digest");
        if (digest.length != Signatures.digestLength(algorithm)) {
            throw new IllegalArgumentException("A " + algorithm.hash() + " digest has "
                    + Signatures.digestLength(algorithm) + " bytes, not " + digest.length);
        }
        PrivateKey key = slot.privateKey(checkAlias(alias));
        if (!algorithm.keyFamily().equals(key.getAlgorithm())) {
            throw new TokenException(Reason.UNSUPPORTED, "Key pair '" + alias + "' is " + key.getAlgorithm()
                    + "; " + algorithm + " needs an " + algorithm.keyFamily() + " key");
        }
        return Signatures.signDigest(key, algorithm, digest, random);
    }

    @Override
    public void changePin(char[] currentPin, char[] newPin) {
        ensureOpen();
        slot.changePin(currentPin, newPin);
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            slot.logout();
        }
    }

    private void ensureOpen() {
        if (closed.get()) {
            throw new TokenException(Reason.CLOSED, "This software token session was closed; log in again");
        }
    }

    private static String checkAlias(String alias) {
        if (alias == null || !ALIAS.matcher(alias).matches()) {
            throw new IllegalArgumentException("Key aliases of the software token are 1 to 64 lower-case letters, "
                    + "digits, '.', '_' or '-', starting with a letter or digit: " + alias);
        }
        return alias;
    }

    private KeyPair generate(KeyAlgorithm algorithm) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm.family());
            AlgorithmParameterSpec spec = switch (algorithm) {
                case RSA_2048, RSA_3072, RSA_4096 -> new RSAKeyGenParameterSpec(algorithm.bits(),
                        RSAKeyGenParameterSpec.F4);
                case EC_P256 -> new ECGenParameterSpec("secp256r1");
                case EC_P384 -> new ECGenParameterSpec("secp384r1");
            };
            generator.initialize(spec, random);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new TokenException(Reason.UNSUPPORTED, "This JDK cannot generate " + algorithm + " keys: "
                    + e.getMessage(), e);
        }
    }
}
