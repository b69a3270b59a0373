package io.cachet.token.pkcs11.internal;

import static org.xipki.pkcs11.wrapper.PKCS11Constants.*;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xipki.pkcs11.wrapper.AttributeVector;
import org.xipki.pkcs11.wrapper.KeyPairTemplate;
import org.xipki.pkcs11.wrapper.Mechanism;
import org.xipki.pkcs11.wrapper.PKCS11Exception;
import org.xipki.pkcs11.wrapper.PKCS11KeyPair;
import org.xipki.pkcs11.wrapper.Session;
import org.xipki.pkcs11.wrapper.Slot;
import org.xipki.pkcs11.wrapper.params.RSA_PKCS_PSS_PARAMS;

import org.bouncycastle.asn1.ASN1Integer;

import io.cachet.api.token.KeyAlgorithm;
import io.cachet.api.token.SignatureAlgorithm;
import io.cachet.api.token.Token;
import io.cachet.api.token.TokenCapability;
import io.cachet.api.token.TokenException;
import io.cachet.api.token.TokenException.Reason;
import io.cachet.api.token.TokenInfo;
import io.cachet.api.token.TokenKey;

/**
 * A token logged in through a {@link Pkcs11Driver}, with its pool of sessions. Key handles are looked up per login
 * and cached for it: a new login finds them again, as modules may hand out new handles after a logout.
 */
final class Pkcs11Token implements Token {

    private static final Logger LOG = LoggerFactory.getLogger(Pkcs11Token.class);

    private final Pkcs11Driver driver;
    private final Slot slot;
    private final String serial;
    private final SessionPool pool;
    private final Map<String, KeyRef> privateKeys = new ConcurrentHashMap<>();
    /** Serialises key creation so that two threads cannot both pass the duplicate check for one alias. */
    private final Object keyCreation = new Object();
    private volatile String gone;

    /** A private key found on the token: its handle for this login and its family ({@code RSA} or {@code EC}). */
    private record KeyRef(long handle, String family) {
    }

    @FunctionalInterface
    private interface Work<T> {
        T run(Session session) throws PKCS11Exception;
    }

    Pkcs11Token(Pkcs11Driver driver, Slot slot, String serial, SessionPool pool) {
        this.driver = driver;
        this.slot = slot;
        this.serial = serial;
        this.pool = pool;
    }

    String serial() {
        return serial;
    }

    SessionPool pool() {
        return pool;
    }

    /**
     * Runs {@code work} on a borrowed session. Once the module reports the token removed, every later call fails
     * the same way without touching the module: the login is lost and only a new login can bring the token back.
     */
    private <T> T call(String what, Work<T> work) {
        String removed = gone;
        if (removed != null && !pool.closed()) {
            throw new TokenException(Reason.TOKEN_REMOVED, removed);
        }
        Session session = pool.borrow();
        try {
            return work.run(session);
        } catch (PKCS11Exception e) {
            TokenException mapped = Errors.map(e, what + " on token " + serial);
            if (Errors.removal(e.getErrorCode())) {
                gone = mapped.getMessage();
                LOG.warn("{}", mapped.getMessage());
            }
            throw mapped;
        } finally {
            pool.giveBack(session);
        }
    }

    @Override
    public TokenInfo info() {
        return call("Reading the token information", s -> driver.info(slot, driver.triesLeft(s, slot.getSlotID())));
    }

    @Override
    public List<TokenKey> keys() {
        return call("Listing the keys", s -> {
            long[] handles = s.findAllObjectsSingle(new AttributeVector().class_(CKO_PRIVATE_KEY).token(true));
            List<TokenKey> keys = new ArrayList<>();
            for (long handle : handles) {
                TokenKey key = describe(s, handle, null, null);
                if (key != null) {
                    keys.add(key);
                }
            }
            keys.sort(Comparator.comparing(TokenKey::alias));
            return keys;
        });
    }

    @Override
    public TokenKey generateKeyPair(String alias, KeyAlgorithm algorithm) {
        checkAlias(alias);
        Objects.requireNonNull(algorithm, "algorithm");
        if (algorithm == KeyAlgorithm.RSA_4096) {
            requireCapability(TokenCapability.RSA_4096, algorithm.name());
        } else if (algorithm == KeyAlgorithm.EC_P384) {
            requireCapability(TokenCapability.EC_P384, algorithm.name());
        }
        byte[] id = alias.getBytes(StandardCharsets.UTF_8);
        synchronized (keyCreation) {
            return call("Generating " + algorithm + " key '" + alias + "'", s -> {
                if (exists(s, alias, id)) {
                    throw new TokenException(Reason.ALREADY_EXISTS, "Token " + serial + " already holds an object "
                            + "labelled or identified '" + alias + "'");
                }
                boolean rsa = algorithm.family().equals("RSA");
                long keyType = rsa ? CKK_RSA : CKK_EC;
                // every security attribute is set explicitly: token defaults differ and some are unsafe
                AttributeVector publicKey = new AttributeVector().class_(CKO_PUBLIC_KEY).keyType(keyType)
                        .token(true).private_(false).verify(true).encrypt(false).wrap(false).label(alias).id(id);
                AttributeVector privateKey = new AttributeVector().class_(CKO_PRIVATE_KEY).keyType(keyType)
                        .token(true).private_(true).sensitive(true).extractable(false).sign(true).decrypt(false)
                        .unwrap(false).label(alias).id(id);
                Mechanism mechanism;
                if (rsa) {
                    publicKey.modulusBits(algorithm.bits()).publicExponent(PublicKeys.F4);
                    mechanism = new Mechanism(CKM_RSA_PKCS_KEY_PAIR_GEN);
                } else {
                    publicKey.ecParams(PublicKeys.ecParams(algorithm));
                    privateKey.derive(false);
                    mechanism = new Mechanism(CKM_EC_KEY_PAIR_GEN);
                }
                PKCS11KeyPair pair = s.generateKeyPair(mechanism, new KeyPairTemplate(privateKey, publicKey));
                TokenKey key = describe(s, pair.getPrivateKey(), pair.getPublicKey(), alias);
                if (key == null || key.algorithm() != algorithm || !key.protectedOnToken()) {
                    destroyQuietly(s, pair.getPrivateKey());
                    destroyQuietly(s, pair.getPublicKey());
                    throw new TokenException(Reason.UNSUPPORTED, "Token " + serial + " generated key '" + alias
                            + "' but it is not protected as required (" + protection(key)
                            + "); the pair was destroyed");
                }
                privateKeys.put(alias, new KeyRef(pair.getPrivateKey(), algorithm.family()));
                LOG.info("Generated {} key '{}' on token {}", algorithm, alias, serial);
                return key;
            });
        }
    }

    private static String protection(TokenKey key) {
        if (key == null) {
            return "its attributes could not be read back";
        }
        return "algorithm=" + key.algorithm() + ", sensitive=" + key.sensitive() + ", extractable="
                + key.extractable() + ", alwaysSensitive=" + key.alwaysSensitive() + ", neverExtractable="
                + key.neverExtractable();
    }

    private boolean exists(Session s, String alias, byte[] id) throws PKCS11Exception {
        return s.findObjectsSingle(new AttributeVector().id(id), 1).length > 0
                || s.findObjectsSingle(new AttributeVector().label(alias), 1).length > 0;
    }

    @Override
    public void importCertificate(String alias, X509Certificate certificate) {
        checkAlias(alias);
        Objects.requireNonNull(certificate, "certificate");
        byte[] id = alias.getBytes(StandardCharsets.UTF_8);
        byte[] encoded;
        try {
            encoded = certificate.getEncoded();
        } catch (CertificateEncodingException e) {
            throw new IllegalArgumentException("The certificate for '" + alias + "' cannot be encoded", e);
        }
        synchronized (keyCreation) {
            call("Importing the certificate of '" + alias + "'", s -> {
                KeyRef ref = privateKey(s, alias);
                TokenKey key = describe(s, ref.handle(), null, null);
                if (key == null || !PublicKeys.same(key.publicKey(), certificate.getPublicKey())) {
                    throw new IllegalArgumentException("The certificate " + certificate.getSubjectX500Principal()
                            + " does not certify the public key of '" + alias + "' on token " + serial);
                }
                long[] previous = certificates(s, alias, id);
                s.createObject(new AttributeVector().class_(CKO_CERTIFICATE).certificateType(CKC_X_509)
                        .token(true).private_(false).label(alias).id(id)
                        .subject(certificate.getSubjectX500Principal().getEncoded())
                        .issuer(certificate.getIssuerX500Principal().getEncoded())
                        .serialNumber(Signatures.der(new ASN1Integer(certificate.getSerialNumber())))
                        .value(encoded));
                // the new one is stored before the old ones go, so a failure never leaves the key without one
                for (long old : previous) {
                    s.destroyObject(old);
                }
                return null;
            });
        }
    }

    @Override
    public Optional<X509Certificate> certificate(String alias) {
        checkAlias(alias);
        byte[] id = alias.getBytes(StandardCharsets.UTF_8);
        return call("Reading the certificate of '" + alias + "'", s -> {
            long[] found = certificates(s, alias, id);
            if (found.length == 0) {
                return Optional.empty();
            }
            return Optional.of(parse(s.getAttrValues(found[0], CKA_VALUE).value(), alias));
        });
    }

    private static long[] certificates(Session s, String alias, byte[] id) throws PKCS11Exception {
        long[] found = s.findAllObjectsSingle(new AttributeVector().class_(CKO_CERTIFICATE).id(id));
        return found.length > 0 ? found
                : s.findAllObjectsSingle(new AttributeVector().class_(CKO_CERTIFICATE).label(alias));
    }

    private X509Certificate parse(byte[] der, String alias) {
        if (der == null) {
            throw new TokenException(Reason.DEVICE_ERROR, "The certificate of '" + alias + "' on token " + serial
                    + " has no value");
        }
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(der));
        } catch (CertificateException e) {
            throw new TokenException(Reason.DEVICE_ERROR, "The certificate of '" + alias + "' on token " + serial
                    + " cannot be parsed: " + e.getMessage(), e);
        }
    }

    @Override
    public byte[] sign(String alias, SignatureAlgorithm algorithm, byte[] message) {
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(message, "message");
        try {
            return signDigest(alias, algorithm, MessageDigest.getInstance(algorithm.hash()).digest(message));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("The JDK lacks " + algorithm.hash(), e);
        }
    }

    @Override
    public byte[] signDigest(String alias, SignatureAlgorithm algorithm, byte[] digest) {
        checkAlias(alias);
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(digest, "digest");
        int length = Signatures.digestLength(algorithm.hash());
        if (digest.length != length) {
            throw new IllegalArgumentException("A " + algorithm.hash() + " digest has " + length + " bytes, not "
                    + digest.length);
        }
        if (algorithm.pss()) {
            requireCapability(TokenCapability.RSA_PSS, algorithm.name());
        }
        return call("Signing with '" + alias + "'", s -> {
            KeyRef key = privateKey(s, alias);
            if (!key.family().equals(algorithm.keyFamily())) {
                throw new TokenException(Reason.UNSUPPORTED, "Key '" + alias + "' is an " + key.family()
                        + " key; " + algorithm + " needs an " + algorithm.keyFamily() + " key");
            }
            try {
                return signRaw(s, key.handle(), algorithm, digest);
            } catch (PKCS11Exception e) {
                if (e.getErrorCode() != CKR_KEY_HANDLE_INVALID && e.getErrorCode() != CKR_OBJECT_HANDLE_INVALID) {
                    throw e;
                }
                // the handle went stale (e.g. the key was replaced by another application): look it up again
                privateKeys.remove(alias);
                return signRaw(s, privateKey(s, alias).handle(), algorithm, digest);
            }
        });
    }

    private static byte[] signRaw(Session s, long key, SignatureAlgorithm algorithm, byte[] digest)
            throws PKCS11Exception {
        if (algorithm.keyFamily().equals("EC")) {
            // CKM_ECDSA over our own digest: SoftHSM 2.6 has no CKM_ECDSA_SHA*, and it answers r‖s
            return Signatures.ecdsaDer(s.signSingle(new Mechanism(CKM_ECDSA), key, digest));
        }
        if (algorithm.pss()) {
            long[] hashAndMgf = switch (algorithm.hash()) {
                case "SHA-256" -> new long[] {CKM_SHA256, CKG_MGF1_SHA256};
                case "SHA-384" -> new long[] {CKM_SHA384, CKG_MGF1_SHA384};
                default -> new long[] {CKM_SHA512, CKG_MGF1_SHA512};
            };
            Mechanism pss = new Mechanism(CKM_RSA_PKCS_PSS,
                    new RSA_PKCS_PSS_PARAMS(hashAndMgf[0], hashAndMgf[1], digest.length));
            return s.signSingle(pss, key, digest);
        }
        return s.signSingle(new Mechanism(CKM_RSA_PKCS), key, Signatures.digestInfo(algorithm, digest));
    }

    private KeyRef privateKey(Session s, String alias) throws PKCS11Exception {
        KeyRef cached = privateKeys.get(alias);
        if (cached != null) {
            return cached;
        }
        long[] found = s.findObjectsSingle(new AttributeVector().class_(CKO_PRIVATE_KEY)
                .id(alias.getBytes(StandardCharsets.UTF_8)), 1);
        if (found.length == 0) {
            found = s.findObjectsSingle(new AttributeVector().class_(CKO_PRIVATE_KEY).label(alias), 1);
        }
        if (found.length == 0) {
            throw new TokenException(Reason.NOT_FOUND, "No private key '" + alias + "' on token " + serial);
        }
        Long keyType = s.getAttrValues(found[0], CKA_KEY_TYPE).keyType();
        String family = keyType != null && keyType == CKK_RSA ? "RSA" : keyType != null && keyType == CKK_EC ? "EC"
                : "unsupported";
        KeyRef ref = new KeyRef(found[0], family);
        privateKeys.put(alias, ref);
        return ref;
    }

    /**
     * The key pair of a private key, read back from the token; {@code null} for keys Cachet cannot use (no label,
     * other algorithms or sizes, no public half to be found).
     *
     * @param publicHandle the public key when known (just generated), else looked up by CKA_ID
     * @param alias the alias when known, else CKA_LABEL
     */
    private TokenKey describe(Session s, long privateHandle, Long publicHandle, String alias) throws PKCS11Exception {
        AttributeVector a = s.getAttrValues(privateHandle, CKA_LABEL, CKA_ID, CKA_KEY_TYPE, CKA_SENSITIVE,
                CKA_EXTRACTABLE, CKA_ALWAYS_SENSITIVE, CKA_NEVER_EXTRACTABLE);
        String name = alias != null ? alias : a.label();
        Long keyType = a.keyType();
        if (name == null || name.isBlank() || keyType == null) {
            return null;
        }
        Long pub = publicHandle;
        if (pub == null && a.id() != null) {
            long[] found = s.findObjectsSingle(new AttributeVector().class_(CKO_PUBLIC_KEY).id(a.id()), 1);
            pub = found.length > 0 ? found[0] : null;
        }
        KeyAlgorithm algorithm;
        PublicKey publicKey;
        if (keyType == CKK_RSA) {
            // an RSA private key carries its modulus and public exponent too, for when the public object is gone
            AttributeVector rsa = s.getAttrValues(pub != null ? pub : privateHandle, CKA_MODULUS,
                    CKA_PUBLIC_EXPONENT);
            BigInteger modulus = rsa.modulus();
            if (modulus == null || rsa.publicExponent() == null) {
                return null;
            }
            algorithm = PublicKeys.rsaAlgorithm(modulus);
            publicKey = algorithm == null ? null : PublicKeys.rsa(modulus, rsa.publicExponent());
        } else if (keyType == CKK_EC) {
            AttributeVector ec = s.getAttrValues(privateHandle, CKA_EC_PARAMS);
            algorithm = ec.ecParams() == null ? null : PublicKeys.ecAlgorithm(ec.ecParams());
            publicKey = algorithm == null ? null : ecPublicKey(s, pub, algorithm, name);
        } else {
            return null;
        }
        if (algorithm == null || publicKey == null) {
            return null;
        }
        // a sensitive attribute may read back as null (SoftHSM2): null counts as the unsafe answer
        return new TokenKey(name, algorithm, publicKey, Boolean.TRUE.equals(a.sensitive()),
                !Boolean.FALSE.equals(a.extractable()), Boolean.TRUE.equals(a.alwaysSensitive()),
                Boolean.TRUE.equals(a.neverExtractable()));
    }

    private PublicKey ecPublicKey(Session s, Long publicHandle, KeyAlgorithm algorithm, String alias)
            throws PKCS11Exception {
        if (publicHandle != null) {
            byte[] point = s.getAttrValues(publicHandle, CKA_EC_POINT).ecPoint();
            if (point != null) {
                return PublicKeys.ec(algorithm, point);
            }
        }
        // no public key object: the certificate stored with the key still has the point
        long[] certs = certificates(s, alias, alias.getBytes(StandardCharsets.UTF_8));
        if (certs.length > 0) {
            return parse(s.getAttrValues(certs[0], CKA_VALUE).value(), alias).getPublicKey();
        }
        return null;
    }

    @Override
    public void changePin(char[] currentPin, char[] newPin) {
        Objects.requireNonNull(currentPin, "currentPin");
        Objects.requireNonNull(newPin, "newPin");
        call("Changing the user PIN", s -> {
            try {
                s.setPIN(currentPin, newPin);
            } catch (PKCS11Exception e) {
                if (e.getErrorCode() == CKR_PIN_INCORRECT) {
                    throw Errors.map(e, "Changing the user PIN of token " + serial,
                            driver.triesLeft(s, slot.getSlotID()));
                }
                throw e;
            }
            LOG.info("Changed the user PIN of token {}", serial);
            return null;
        });
    }

    @Override
    public void close() {
        if (pool.closed()) {
            return;
        }
        List<Session> sessions = pool.close();
        try {
            if (gone == null) {
                try {
                    sessions.get(0).logout();
                } catch (PKCS11Exception e) {
                    LOG.debug("C_Logout on token {} failed with {}", serial, Errors.name(e.getErrorCode()));
                }
            }
            for (Session s : sessions) {
                Pkcs11Driver.closeQuietly(s);
            }
        } finally {
            privateKeys.clear();
            driver.closed(this);
        }
        LOG.debug("Logged out of token {}", serial);
    }

    private void checkAlias(String alias) {
        Objects.requireNonNull(alias, "alias");
        if (alias.isBlank()) {
            throw new IllegalArgumentException("A key alias must not be blank");
        }
    }

    private void requireCapability(TokenCapability capability, String what) {
        if (!driver.capabilities().contains(capability)) {
            throw new TokenException(Reason.UNSUPPORTED, "Driver " + driver.id() + " does not declare " + capability
                    + ": " + what + " is not available on its tokens");
        }
    }

    private static void destroyQuietly(Session s, long handle) {
        try {
            s.destroyObject(handle);
        } catch (PKCS11Exception e) {
            LOG.warn("Could not destroy object {}: {}", handle, Errors.name(e.getErrorCode()));
        }
    }

    @Override
    public String toString() {
        return "PKCS#11 token " + serial + " in slot " + slot.getSlotID();
    }
}
