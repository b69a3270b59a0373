package io.cachet.signature.internal;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import eu.europa.esig.dss.enumerations.DigestAlgorithm;
import eu.europa.esig.dss.enumerations.EncryptionAlgorithm;
import eu.europa.esig.dss.enumerations.SignatureAlgorithm;
import eu.europa.esig.dss.model.Digest;
import eu.europa.esig.dss.model.SignatureValue;
import eu.europa.esig.dss.model.ToBeSigned;
import eu.europa.esig.dss.model.x509.CertificateToken;
import eu.europa.esig.dss.token.DSSPrivateKeyEntry;
import eu.europa.esig.dss.token.SignatureTokenConnection;
import io.cachet.api.token.Token;
import io.cachet.api.token.TokenException;
import io.cachet.api.signature.SignatureException;
import io.cachet.api.signature.SignatureException.Reason;
import io.cachet.api.signature.SigningKey;

/**
 * DSS's {@link SignatureTokenConnection} over a Cachet {@link Token}: DSS hands over the data to be signed (or its
 * digest), this hashes it in Java with the JDK and lets the token sign the digest, so one code path serves the
 * software token, PKCS#11 tokens and HSMs, PKCS#12 files and any later driver.
 *
 * <p>The signature comes back as DSS expects it from a JCA signer: PKCS#1 or PSS bytes for RSA, DER
 * {@code ECDSA-Sig-Value} for ECDSA (DSS re-encodes it for XML signatures itself). {@link #close()} leaves the
 * token open: it belongs to the caller.
 */
public final class TokenConnection implements SignatureTokenConnection {
    private static final Map<List<X509Certificate>, KeyEntry> ENTRIES = new ConcurrentHashMap<>();

    private final Token token;
    private final String alias;
    private final KeyEntry entry;

    public TokenConnection(SigningKey key) {
        this(key.token(), key.alias(), key.certificate(), key.chain());
    }

    /** The connection of {@code key} with its certificate already read from the token. */
    TokenConnection(SigningKey key, X509Certificate certificate) {
        this(key.token(), key.alias(), certificate, key.chain());
    }

    TokenConnection(Token token, String alias, X509Certificate certificate, List<X509Certificate> chain) {
        this.token = token;
        this.alias = alias;
        this.entry = entry(certificate, chain);
    }

    /**
     * The key entry of {@code certificate} and its chain, made once per chain and then shared: DSS orders the chain
     * of every signature it builds by checking which certificate signed which ({@code CertificateReorderer}), and a
     * {@link CertificateToken} remembers the signer it has verified. With new tokens at every call those checks (six
     * signature verifications for a three-certificate chain) were ~60 % of a whole XAdES-B detached signature of a
     * 1 MiB file (profiled, BENCHMARKS.md); the verified issuer of a certificate is a fact of its bytes, so the
     * tokens are safe to keep.
     */
    private static KeyEntry entry(X509Certificate certificate, List<X509Certificate> chain) {
        List<X509Certificate> key = new ArrayList<>(chain.size() + 1);
        key.add(certificate);
        key.addAll(chain);
        KeyEntry cached = ENTRIES.get(key);
        if (cached != null) {
            return cached;
        }
        KeyEntry made = new KeyEntry(certificate, chain);
        if (ENTRIES.size() >= 256) {
            ENTRIES.clear(); // bounded: a platform signs with a few seal keys, not thousands
        }
        ENTRIES.put(List.copyOf(key), made);
        return made;
    }

    DSSPrivateKeyEntry entry() {
        return entry;
    }

    @Override
    public List<DSSPrivateKeyEntry> getKeys() {
        return List.of(entry);
    }

    @Override
    public SignatureValue sign(ToBeSigned toBeSigned, DigestAlgorithm digestAlgorithm, DSSPrivateKeyEntry key) {
        return sign(toBeSigned, SignatureAlgorithm.getAlgorithm(key.getEncryptionAlgorithm(), digestAlgorithm), key);
    }

    @Override
    public SignatureValue sign(ToBeSigned toBeSigned, SignatureAlgorithm algorithm, DSSPrivateKeyEntry key) {
        requireOwn(key);
        if (algorithm == null || algorithm.getDigestAlgorithm() == null) {
            throw new SignatureException(Reason.KEY_UNUSABLE, "no digest algorithm given to sign with");
        }
        byte[] digest = hash(algorithm.getDigestAlgorithm(), toBeSigned.getBytes());
        return signDigest(new Digest(algorithm.getDigestAlgorithm(), digest), algorithm, key);
    }

    @Override
    public SignatureValue signDigest(Digest digest, DSSPrivateKeyEntry key) {
        return signDigest(digest,
                SignatureAlgorithm.getAlgorithm(key.getEncryptionAlgorithm(), digest.getAlgorithm()), key);
    }

    @Override
    public SignatureValue signDigest(Digest digest, SignatureAlgorithm algorithm, DSSPrivateKeyEntry key) {
        requireOwn(key);
        io.cachet.api.token.SignatureAlgorithm tokenAlgorithm = Algorithms.toToken(algorithm);
        if (digest.getAlgorithm() != algorithm.getDigestAlgorithm()) {
            throw new SignatureException(Reason.KEY_UNUSABLE, "digest " + digest.getAlgorithm()
                    + " does not match the signature algorithm " + algorithm);
        }
        try {
            byte[] value = token.signDigest(alias, tokenAlgorithm, digest.getValue());
            return new SignatureValue(algorithm, value);
        } catch (TokenException e) {
            throw new SignatureException(Reason.KEY_UNUSABLE,
                    "the token could not sign with key '" + alias + "' (" + e.reason() + "): " + e.getMessage(), e);
        }
    }

    private void requireOwn(DSSPrivateKeyEntry key) {
        if (key != entry) {
            throw new SignatureException(Reason.KEY_UNUSABLE, "this connection signs only with key '" + alias + "'");
        }
    }

    static byte[] hash(DigestAlgorithm algorithm, byte[] data) {
        try {
            return MessageDigest.getInstance(algorithm.getJavaName()).digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new SignatureException(Reason.KEY_UNUSABLE, "digest " + algorithm + " is not available", e);
        }
    }

    /** Leaves the token open: the caller owns it. */
    @Override
    public void close() {
    }

    private static final class KeyEntry implements DSSPrivateKeyEntry {
        private final CertificateToken certificate;
        private final CertificateToken[] chain;
        private final EncryptionAlgorithm encryption;

        KeyEntry(X509Certificate certificate, List<X509Certificate> issuers) {
            this.certificate = new CertificateToken(certificate);
            List<CertificateToken> all = new ArrayList<>();
            all.add(this.certificate);
            for (X509Certificate c : issuers) {
                if (!c.equals(certificate)) {
                    all.add(new CertificateToken(c));
                }
            }
            this.chain = all.toArray(CertificateToken[]::new);
            this.encryption = EncryptionAlgorithm.forKey(certificate.getPublicKey());
        }

        @Override
        public CertificateToken getCertificate() {
            return certificate;
        }

        @Override
        public CertificateToken[] getCertificateChain() {
            return chain.clone();
        }

        @Override
        public EncryptionAlgorithm getEncryptionAlgorithm() {
            return encryption;
        }
    }
}
