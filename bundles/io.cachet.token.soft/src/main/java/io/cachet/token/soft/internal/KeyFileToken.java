package io.cachet.token.soft.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.nist.NISTNamedCurves;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;

import io.cachet.api.token.KeyAlgorithm;
import io.cachet.api.token.SignatureAlgorithm;
import io.cachet.api.token.Token;
import io.cachet.api.token.TokenException;
import io.cachet.api.token.TokenException.Reason;
import io.cachet.api.token.TokenInfo;
import io.cachet.api.token.TokenKey;

/**
 * A customer's PKCS#12 key file ({@code .p12}, {@code .pfx}) as a read-only {@link Token}, so that a key file signs
 * through the same path as any token. Read with the software token's PKCS#12 reading, signed with its signing: the
 * key is decrypted in memory while the token is open; {@link #close()} drops it. Thread-safe.
 */
public final class KeyFileToken implements Token {

    private final String label;
    private final String alias;
    private final X509Certificate certificate;
    private final List<X509Certificate> issuers;
    private final KeyAlgorithm algorithm;
    private final SecureRandom random = new SecureRandom();
    private volatile PrivateKey key;

    private KeyFileToken(String label, String alias, PrivateKey key, X509Certificate certificate,
            List<X509Certificate> issuers, KeyAlgorithm algorithm) {
        this.label = label;
        this.alias = alias;
        this.key = key;
        this.certificate = certificate;
        this.issuers = List.copyOf(issuers);
        this.algorithm = algorithm;
    }

    /**
     * Opens {@code file} with {@code password} (read, not kept: the caller wipes it).
     *
     * @param alias the key entry, {@code null} for the only one
     * @throws TokenException {@code NOT_FOUND} for a missing file or alias, {@code WRONG_PIN} for a wrong password,
     *         {@code UNSUPPORTED} for a key Cachet does not sign with or a file without exactly one key to choose,
     *         {@code DEVICE_ERROR} for a file that is not PKCS#12; each message names the file
     */
    public static KeyFileToken open(Path file, char[] password, String alias) {
        byte[] content;
        try {
            content = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new TokenException(Reason.NOT_FOUND, "no such key file: " + file);
        } catch (IOException e) {
            throw new TokenException(Reason.DEVICE_ERROR, "cannot read the key file " + file + ": " + e.getMessage(),
                    e);
        }
        KeyStore store;
        try {
            store = Pkcs12.read(content, password);
        } catch (Pkcs12.WrongPin e) {
            throw new TokenException(Reason.WRONG_PIN, "wrong password for the key file " + file);
        } catch (Pkcs12.Unreadable e) {
            throw new TokenException(Reason.DEVICE_ERROR, file + " is not a readable PKCS#12 key file: "
                    + rootMessage(e), e);
        } finally {
            Arrays.fill(content, (byte) 0);
        }
        try {
            List<String> keys = new ArrayList<>();
            for (String a : Collections.list(store.aliases())) {
                if (store.isKeyEntry(a)) {
                    keys.add(a);
                }
            }
            String chosen;
            if (alias != null) {
                if (!keys.contains(alias)) {
                    throw new TokenException(Reason.NOT_FOUND,
                            "the key file " + file + " has no key '" + alias + "' (it has " + keys + ")");
                }
                chosen = alias;
            } else if (keys.size() == 1) {
                chosen = keys.get(0);
            } else {
                throw new TokenException(Reason.UNSUPPORTED, keys.isEmpty()
                        ? "the key file " + file + " holds no private key"
                        : "the key file " + file + " holds several keys " + keys + ": name the one to use");
            }
            Key k = store.getKey(chosen, password);
            if (!(k instanceof PrivateKey privateKey)) {
                throw new TokenException(Reason.UNSUPPORTED, "the entry '" + chosen + "' is not a private key");
            }
            Certificate[] certs = store.getCertificateChain(chosen);
            if (certs == null || certs.length == 0 || !(certs[0] instanceof X509Certificate leaf)) {
                throw new TokenException(Reason.UNSUPPORTED,
                        "the key '" + chosen + "' in " + file + " has no X.509 certificate");
            }
            List<X509Certificate> issuers = new ArrayList<>();
            for (int i = 1; i < certs.length; i++) {
                issuers.add((X509Certificate) certs[i]);
            }
            return new KeyFileToken(file.getFileName().toString(), chosen, privateKey, leaf, issuers,
                    keyAlgorithm(leaf.getPublicKey(), file));
        } catch (UnrecoverableKeyException e) {
            throw new TokenException(Reason.WRONG_PIN, "wrong password for the key in " + file);
        } catch (GeneralSecurityException e) {
            throw new TokenException(Reason.DEVICE_ERROR,
                    "the key in " + file + " cannot be read: " + rootMessage(e), e);
        }
    }

    /** The alias of the file's key entry. */
    public String alias() {
        return alias;
    }

    /** The issuer certificates stored with the key, nearest first. */
    public List<X509Certificate> issuers() {
        return issuers;
    }

    /**
     * The key's algorithm from its real parameters: the RSA modulus length, the EC curve's OID. Keys Cachet does not
     * support (RSA below 2048 bits or of an odd size, curves other than P-256 and P-384, explicit curve parameters)
     * are refused by name.
     */
    static KeyAlgorithm keyAlgorithm(PublicKey publicKey, Path file) {
        if (publicKey instanceof RSAPublicKey rsa) {
            int bits = rsa.getModulus().bitLength();
            for (KeyAlgorithm a : KeyAlgorithm.values()) {
                if (a.family().equals("RSA") && a.bits() == bits) {
                    return a;
                }
            }
            throw new TokenException(Reason.UNSUPPORTED, "RSA-" + bits + " is not supported: "
                    + (bits < 2048 ? "at least 2048 bits" : "RSA keys of 2048, 3072 or 4096 bits") + " (key in "
                    + file + ")");
        }
        if (publicKey instanceof ECPublicKey) {
            ASN1Encodable parameters = SubjectPublicKeyInfo.getInstance(publicKey.getEncoded()).getAlgorithm()
                    .getParameters();
            if (!(parameters instanceof ASN1ObjectIdentifier curve)) {
                throw new TokenException(Reason.UNSUPPORTED, "EC keys with explicit curve parameters are not"
                        + " supported: use a named curve, P-256 or P-384 (key in " + file + ")");
            }
            if (curve.equals(SECObjectIdentifiers.secp256r1)) {
                return KeyAlgorithm.EC_P256;
            }
            if (curve.equals(SECObjectIdentifiers.secp384r1)) {
                return KeyAlgorithm.EC_P384;
            }
            throw new TokenException(Reason.UNSUPPORTED, "EC curve " + curveName(curve)
                    + " is not supported: use P-256 or P-384 (key in " + file + ")");
        }
        throw new TokenException(Reason.UNSUPPORTED, publicKey.getAlgorithm()
                + " keys are not supported: use RSA (2048 bits or more) or EC P-256/P-384 (key in " + file + ")");
    }

    private static String curveName(ASN1ObjectIdentifier curve) {
        String nist = NISTNamedCurves.getName(curve);
        if (nist != null) {
            String sec = ECNamedCurveTable.getName(curve);
            return nist + (sec == null ? "" : " (" + sec + ")");
        }
        String name = ECNamedCurveTable.getName(curve);
        return name != null ? name + " (" + curve.getId() + ")" : curve.getId();
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() != null ? t.getMessage() : t.toString();
    }

    @Override
    public TokenInfo info() {
        return new TokenInfo(0, label, label, "PKCS#12 file", "PKCS#12",
                EnumSet.of(TokenInfo.Flag.INITIALIZED, TokenInfo.Flag.USER_PIN_INITIALIZED), OptionalInt.empty());
    }

    @Override
    public List<TokenKey> keys() {
        open();
        return List.of(new TokenKey(alias, algorithm, certificate.getPublicKey(), false, true, false, false));
    }

    @Override
    public TokenKey generateKeyPair(String alias, KeyAlgorithm algorithm) {
        throw readOnly();
    }

    @Override
    public void importCertificate(String alias, X509Certificate certificate) {
        throw readOnly();
    }

    @Override
    public Optional<X509Certificate> certificate(String alias) {
        open();
        return this.alias.equals(alias) ? Optional.of(certificate) : Optional.empty();
    }

    @Override
    public byte[] sign(String alias, SignatureAlgorithm algorithm, byte[] message) {
        Objects.requireNonNull(algorithm, "algorithm");
        return signDigest(alias, algorithm, Signatures.digest(algorithm, Objects.requireNonNull(message, "message")));
    }

    @Override
    public byte[] signDigest(String alias, SignatureAlgorithm algorithm, byte[] digest) {
        PrivateKey privateKey = open();
        if (!this.alias.equals(alias)) {
            throw new TokenException(Reason.NOT_FOUND, "no key '" + alias + "' in " + label);
        }
        if (!this.algorithm.family().equals(algorithm.keyFamily())) {
            throw new TokenException(Reason.UNSUPPORTED,
                    algorithm + " needs an " + algorithm.keyFamily() + " key; '" + alias + "' is "
                            + this.algorithm.family());
        }
        if (digest.length != Signatures.digestLength(algorithm)) {
            throw new IllegalArgumentException("A " + algorithm.hash() + " digest has "
                    + Signatures.digestLength(algorithm) + " bytes, not " + digest.length);
        }
        return Signatures.signDigest(privateKey, algorithm, digest, random);
    }

    @Override
    public void changePin(char[] currentPin, char[] newPin) {
        throw readOnly();
    }

    @Override
    public void close() {
        key = null;
    }

    private PrivateKey open() {
        PrivateKey k = key;
        if (k == null) {
            throw new TokenException(Reason.CLOSED, "the key file " + label + " was closed");
        }
        return k;
    }

    private static TokenException readOnly() {
        return new TokenException(Reason.UNSUPPORTED, "a PKCS#12 key file is read-only here");
    }
}
