package io.cachet.signature.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.nist.NISTNamedCurves;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.DigestInfo;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

import io.cachet.api.token.KeyAlgorithm;
import io.cachet.api.token.SignatureAlgorithm;
import io.cachet.api.token.Token;
import io.cachet.api.token.TokenException;
import io.cachet.api.token.TokenInfo;
import io.cachet.api.token.TokenKey;
import io.cachet.api.signature.SignatureException;
import io.cachet.api.signature.SignatureException.Reason;

/**
 * A PKCS#12 key file as a read-only {@link Token}, so a key file signs through the same path as any token. The
 * key is decrypted in memory while the token is open; {@link #close()} drops it.
 */
public final class Pkcs12Token implements Token {
    private static final BouncyCastleProvider BC = new BouncyCastleProvider();

    private final String label;
    private final String alias;
    private final X509Certificate certificate;
    private final List<X509Certificate> chain;
    private final KeyAlgorithm algorithm;
    private volatile PrivateKey key;

    private Pkcs12Token(String label, String alias, PrivateKey key, X509Certificate certificate,
            List<X509Certificate> chain, KeyAlgorithm algorithm) {
        this.algorithm = algorithm;
        this.label = label;
        this.alias = alias;
        this.key = key;
        this.certificate = certificate;
        this.chain = List.copyOf(chain);
    }

    /**
     * Opens {@code file} with {@code password}.
     *
     * @param alias the key entry, {@code null} for the only one
     */
    public static Pkcs12Token open(Path file, char[] password, String alias) {
        KeyStore store;
        try (InputStream in = Files.newInputStream(file)) {
            store = KeyStore.getInstance("PKCS12");
            store.load(in, password);
        } catch (NoSuchFileException e) {
            throw new SignatureException(Reason.IO, "no such key file: " + file);
        } catch (IOException e) {
            // the JDK reports a failed MAC check or an undecryptable safe as an IOException caused by an
            // UnrecoverableKeyException: that structure, not the message's wording, says "wrong password"
            if (e.getCause() instanceof UnrecoverableKeyException) {
                throw new SignatureException(Reason.KEY_UNUSABLE, "wrong password for the key file " + file, e);
            }
            throw new SignatureException(Reason.KEY_UNUSABLE,
                    file + " is not a readable PKCS#12 key file: " + Failures.rootMessage(e), e);
        } catch (GeneralSecurityException e) {
            throw new SignatureException(Reason.KEY_UNUSABLE,
                    file + " is not a readable PKCS#12 key file: " + Failures.rootMessage(e), e);
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
                    throw new SignatureException(Reason.KEY_UNUSABLE,
                            "the key file " + file + " has no key '" + alias + "' (it has " + keys + ")");
                }
                chosen = alias;
            } else if (keys.size() == 1) {
                chosen = keys.get(0);
            } else {
                throw new SignatureException(Reason.KEY_UNUSABLE, keys.isEmpty()
                        ? "the key file " + file + " holds no private key"
                        : "the key file " + file + " holds several keys " + keys + ": name the one to use");
            }
            Key k = store.getKey(chosen, password);
            if (!(k instanceof PrivateKey privateKey)) {
                throw new SignatureException(Reason.KEY_UNUSABLE, "the entry '" + chosen + "' is not a private key");
            }
            Certificate[] certs = store.getCertificateChain(chosen);
            if (certs == null || certs.length == 0 || !(certs[0] instanceof X509Certificate leaf)) {
                throw new SignatureException(Reason.KEY_UNUSABLE,
                        "the key '" + chosen + "' in " + file + " has no X.509 certificate");
            }
            List<X509Certificate> issuers = new ArrayList<>();
            for (int i = 1; i < certs.length; i++) {
                issuers.add((X509Certificate) certs[i]);
            }
            KeyAlgorithm algorithm = keyAlgorithm(leaf.getPublicKey(), file);
            return new Pkcs12Token(file.getFileName().toString(), chosen, privateKey, leaf, issuers, algorithm);
        } catch (UnrecoverableKeyException e) {
            throw new SignatureException(Reason.KEY_UNUSABLE, "wrong password for the key in " + file, e);
        } catch (GeneralSecurityException e) {
            throw new SignatureException(Reason.KEY_UNUSABLE,
                    "the key in " + file + " cannot be read: " + Failures.rootMessage(e), e);
        }
    }

    public String alias() {
        return alias;
    }

    /** The issuer certificates stored with the key. */
    public List<X509Certificate> chain() {
        return chain;
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
            throw new SignatureException(Reason.KEY_UNUSABLE, "RSA-" + bits + " is not supported: "
                    + (bits < 2048 ? "at least 2048 bits" : "RSA keys of 2048, 3072 or 4096 bits") + " (key in "
                    + file + ")");
        }
        if (publicKey instanceof ECPublicKey) {
            ASN1Encodable parameters = SubjectPublicKeyInfo.getInstance(publicKey.getEncoded()).getAlgorithm()
                    .getParameters();
            if (!(parameters instanceof ASN1ObjectIdentifier curve)) {
                throw new SignatureException(Reason.KEY_UNUSABLE, "EC keys with explicit curve parameters are not"
                        + " supported: use a named curve, P-256 or P-384 (key in " + file + ")");
            }
            if (curve.equals(SECObjectIdentifiers.secp256r1)) {
                return KeyAlgorithm.EC_P256;
            }
            if (curve.equals(SECObjectIdentifiers.secp384r1)) {
                return KeyAlgorithm.EC_P384;
            }
            throw new SignatureException(Reason.KEY_UNUSABLE, "EC curve " + curveName(curve)
                    + " is not supported: use P-256 or P-384 (key in " + file + ")");
        }
        throw new SignatureException(Reason.KEY_UNUSABLE, publicKey.getAlgorithm()
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
        try {
            return signDigest(alias, algorithm, MessageDigest.getInstance(algorithm.hash()).digest(message));
        } catch (GeneralSecurityException e) {
            throw new TokenException(TokenException.Reason.UNSUPPORTED, "hash " + algorithm.hash() + " unavailable", e);
        }
    }

    @Override
    public byte[] signDigest(String alias, SignatureAlgorithm algorithm, byte[] digest) {
        PrivateKey privateKey = open();
        if (!this.alias.equals(alias)) {
            throw new TokenException(TokenException.Reason.NOT_FOUND, "no key '" + alias + "' in " + label);
        }
        String family = privateKey.getAlgorithm().startsWith("EC") ? "EC" : "RSA";
        if (!family.equals(algorithm.keyFamily())) {
            throw new TokenException(TokenException.Reason.UNSUPPORTED,
                    algorithm + " needs an " + algorithm.keyFamily() + " key; '" + alias + "' is " + family);
        }
        try {
            Signature signature;
            byte[] input = digest;
            if (algorithm.pss()) {
                signature = Signature.getInstance("RAWRSASSA-PSS", BC);
                signature.setParameter(new PSSParameterSpec(algorithm.hash(), "MGF1",
                        new MGF1ParameterSpec(algorithm.hash()), digest.length, PSSParameterSpec.TRAILER_FIELD_BC));
            } else if ("EC".equals(family)) {
                signature = Signature.getInstance("NONEwithECDSA");
            } else {
                signature = Signature.getInstance("NONEwithRSA");
                input = new DigestInfo(new AlgorithmIdentifier(switch (algorithm.hash()) {
                case "SHA-256" -> NISTObjectIdentifiers.id_sha256;
                case "SHA-384" -> NISTObjectIdentifiers.id_sha384;
                default -> NISTObjectIdentifiers.id_sha512;
                }, DERNull.INSTANCE), digest).getEncoded();
            }
            signature.initSign(privateKey);
            signature.update(input);
            return signature.sign();
        } catch (GeneralSecurityException | IOException e) {
            throw new TokenException(TokenException.Reason.DEVICE_ERROR,
                    "signing with the key file failed: " + e.getMessage(), e);
        }
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
            throw new TokenException(TokenException.Reason.CLOSED, "the key file " + label + " was closed");
        }
        return k;
    }

    private static TokenException readOnly() {
        return new TokenException(TokenException.Reason.UNSUPPORTED, "a PKCS#12 key file is read-only here");
    }
}
