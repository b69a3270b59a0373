package io.cachet.token.soft.internal;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import javax.security.auth.DestroyFailedException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cachet.api.token.KeyAlgorithm;
import io.cachet.api.token.TokenException;
import io.cachet.api.token.TokenException.Reason;
import io.cachet.api.token.TokenInfo;
import io.cachet.api.token.TokenInfo.Flag;
import io.cachet.api.token.TokenKey;

/**
 * One slot of the software token: its files and, while at least one {@link SoftToken} is logged in, the opened
 * key store shared by those sessions (so that a key generated or a PIN changed in one session is what the others
 * see and write). Every operation that reads or writes the files or the key store holds this object's lock;
 * signing only reads the private key cache.
 */
final class SlotState {

    private static final Logger LOG = LoggerFactory.getLogger(SlotState.class);

    static final String MANUFACTURER = "Cachet";
    static final String MODEL = "Software token";

    final int id;
    final TokenFiles files;
    private final SecureRandom random;

    // guarded by this
    private KeyStore keyStore;
    private char[] pin;
    private int sessions;

    /** Decrypted private keys of the open token, dropped with the last session. */
    private final ConcurrentMap<String, PrivateKey> privateKeys = new ConcurrentHashMap<>();

    SlotState(int id, TokenFiles files, SecureRandom random) {
        this.id = id;
        this.files = files;
        this.random = random;
    }

    synchronized Optional<TokenMetadata> readMetadata() {
        return files.readMetadata();
    }

    synchronized boolean hasSessions() {
        return sessions > 0;
    }

    TokenInfo blankInfo() {
        return new TokenInfo(id, "", "", MANUFACTURER, MODEL, Set.of(), OptionalInt.empty());
    }

    TokenInfo info(TokenMetadata m) {
        Set<Flag> flags = EnumSet.of(Flag.INITIALIZED, Flag.USER_PIN_INITIALIZED, Flag.LOGIN_REQUIRED);
        if (m.mustChange()) {
            flags.add(Flag.USER_PIN_TO_BE_CHANGED);
        }
        if (m.locked()) {
            flags.add(Flag.USER_PIN_LOCKED);
        } else if (m.failedTries() > 0) {
            flags.add(Flag.USER_PIN_COUNT_LOW);
            if (m.triesLeft() == 1) {
                flags.add(Flag.USER_PIN_FINAL_TRY);
            }
        }
        return new TokenInfo(id, m.label(), m.serial(), MANUFACTURER, MODEL, flags, OptionalInt.of(m.triesLeft()));
    }

    synchronized TokenInfo info() {
        return info(metadata());
    }

    // ------------------------------------------------------------------------------------ login and logout

    /**
     * Opens the token with {@code userPin}: counts a wrong PIN, refuses a locked one, resets the count on success.
     */
    synchronized void login(String serial, char[] userPin) {
        TokenMetadata m = files.readMetadata().filter(x -> x.serial().equals(serial)).orElseThrow(
                () -> new TokenException(Reason.NOT_FOUND, "No software token with serial " + serial));
        if (m.locked()) {
            throw locked(m);
        }
        KeyStore opened;
        try {
            opened = Pkcs12.load(files.readKeyStore(m), userPin, files.keyStoreFile());
        } catch (Pkcs12.WrongPin e) {
            throw wrongPin(m);
        }
        if (m.failedTries() > 0) {
            files.writeMetadata(m.withFailedTries(0));
        }
        if (sessions == 0) {
            keyStore = opened;
            pin = userPin.clone();
        }
        sessions++;
    }

    synchronized void logout() {
        if (sessions > 0 && --sessions == 0) {
            Pins.wipe(pin);
            pin = null;
            keyStore = null;
            privateKeys.clear();
        }
    }

    /** Records a wrong user PIN and returns what to throw: {@code WRONG_PIN} with the tries left, or the lock. */
    private TokenException wrongPin(TokenMetadata m) {
        TokenMetadata counted = m.withFailedTries(m.failedTries() + 1);
        files.writeMetadata(counted);
        if (counted.locked()) {
            LOG.warn("Software token {} in slot {}: user PIN locked after {} wrong tries", m.serial(), id,
                    counted.maxTries());
            return new TokenException(Reason.PIN_LOCKED, "Wrong PIN; the user PIN of token " + m.serial()
                    + " is now locked" + (m.unblockAllowed() ? ": the security officer can unblock it"
                            : " for good (its PIN policy allows no unblocking)"),
                    OptionalInt.of(0), null);
        }
        return new TokenException(Reason.WRONG_PIN, "Wrong PIN for token " + m.serial() + ": "
                + counted.triesLeft() + " tries left", OptionalInt.of(counted.triesLeft()), null);
    }

    private static TokenException locked(TokenMetadata m) {
        return new TokenException(Reason.PIN_LOCKED, "The user PIN of token " + m.serial() + " is locked"
                + (m.unblockAllowed() ? ": the security officer can unblock it"
                        : " for good (its PIN policy allows no unblocking)"),
                OptionalInt.of(0), null);
    }

    // -------------------------------------------------------------------------- operations of an open token

    synchronized List<TokenKey> keys() {
        open();
        List<TokenKey> keys = new ArrayList<>();
        try {
            List<String> aliases = Collections.list(keyStore.aliases());
            Collections.sort(aliases);
            for (String alias : aliases) {
                if (keyStore.isKeyEntry(alias)) {
                    keys.add(tokenKey(alias, keyStore.getCertificate(alias).getPublicKey()));
                }
            }
        } catch (GeneralSecurityException e) {
            throw deviceError("Reading the keys", e);
        }
        return keys;
    }

    synchronized void checkAbsent(String alias) {
        open();
        try {
            if (keyStore.containsAlias(alias)) {
                throw new TokenException(Reason.ALREADY_EXISTS, "Token " + metadata().serial()
                        + " already holds a key pair '" + alias + "'");
            }
        } catch (GeneralSecurityException e) {
            throw deviceError("Reading the keys", e);
        }
    }

    /** Stores a key pair generated outside the lock, with its placeholder certificate. */
    synchronized TokenKey add(String alias, KeyPair pair) {
        checkAbsent(alias);
        KeyStore.PasswordProtection protection = Pkcs12.protection(pin, random);
        try {
            X509Certificate placeholder = PlaceholderCertificate.create(alias, pair);
            keyStore.setEntry(alias, new KeyStore.PrivateKeyEntry(pair.getPrivate(), new Certificate[] {placeholder}),
                    protection);
            try {
                persist();
            } catch (RuntimeException e) {
                keyStore.deleteEntry(alias);
                throw e;
            }
        } catch (GeneralSecurityException e) {
            throw deviceError("Storing the key pair", e);
        } finally {
            destroy(protection);
        }
        privateKeys.put(alias, pair.getPrivate());
        return tokenKey(alias, pair.getPublic());
    }

    synchronized void importCertificate(String alias, X509Certificate certificate) {
        open();
        KeyStore.PasswordProtection protection = Pkcs12.protection(pin, random);
        try {
            if (!keyStore.isKeyEntry(alias)) {
                throw notFound(alias);
            }
            Certificate[] previous = keyStore.getCertificateChain(alias);
            if (!Arrays.equals(previous[0].getPublicKey().getEncoded(), certificate.getPublicKey().getEncoded())) {
                throw new IllegalArgumentException("The certificate does not certify the key pair '" + alias + "'");
            }
            PrivateKey key = (PrivateKey) keyStore.getKey(alias, pin);
            keyStore.setEntry(alias, new KeyStore.PrivateKeyEntry(key, new Certificate[] {certificate}), protection);
            try {
                persist();
            } catch (RuntimeException e) {
                keyStore.setEntry(alias, new KeyStore.PrivateKeyEntry(key, previous), protection);
                throw e;
            }
        } catch (GeneralSecurityException e) {
            throw deviceError("Storing the certificate", e);
        } finally {
            destroy(protection);
        }
    }

    synchronized Optional<X509Certificate> certificate(String alias) {
        open();
        try {
            if (!keyStore.isKeyEntry(alias)) {
                throw notFound(alias);
            }
            X509Certificate certificate = (X509Certificate) keyStore.getCertificate(alias);
            return PlaceholderCertificate.isPlaceholder(certificate, alias) ? Optional.empty()
                    : Optional.of(certificate);
        } catch (GeneralSecurityException e) {
            throw deviceError("Reading the certificate", e);
        }
    }

    /** The private key for signing: from the cache without the lock, decrypted under it the first time. */
    PrivateKey privateKey(String alias) {
        PrivateKey key = privateKeys.get(alias);
        if (key != null) {
            return key;
        }
        synchronized (this) {
            open();
            try {
                if (!keyStore.isKeyEntry(alias)) {
                    throw notFound(alias);
                }
                key = (PrivateKey) keyStore.getKey(alias, pin);
            } catch (GeneralSecurityException e) {
                throw deviceError("Reading the private key", e);
            }
            privateKeys.put(alias, key);
            return key;
        }
    }

    /** Re-encrypts the key store under {@code newPin} and clears the must-change flag. */
    synchronized void changePin(char[] currentPin, char[] newPin) {
        open();
        TokenMetadata m = metadata();
        if (m.locked()) {
            throw locked(m);
        }
        if (!Pins.equal(currentPin, pin)) {
            throw wrongPin(m);
        }
        Pins.checkRules(newPin, m.minLength(), "The new PIN");
        if (Pins.equal(currentPin, newPin)) {
            throw new TokenException(Reason.PIN_INVALID, "The new PIN must differ from the current one");
        }
        KeyStore next = Pkcs12.newStore();
        KeyStore.PasswordProtection current = new KeyStore.PasswordProtection(pin);
        KeyStore.PasswordProtection protection = null;
        try {
            for (String alias : Collections.list(keyStore.aliases())) {
                protection = Pkcs12.protection(newPin, random);
                next.setEntry(alias, keyStore.getEntry(alias, current), protection);
                destroy(protection);
            }
        } catch (GeneralSecurityException e) {
            throw deviceError("Re-encrypting the keys", e);
        } finally {
            destroy(current);
            destroy(protection);
        }
        byte[] content = Pkcs12.store(next, newPin, files.keyStoreFile());
        files.replaceKeyStore(m, content, m.withMustChange(false).withFailedTries(0));
        keyStore = next;
        Pins.wipe(pin);
        pin = newPin.clone();
    }

    // ------------------------------------------------------------------------------------------------ helpers

    /** The metadata on disk; a token whose metadata vanished while open is reported as removed. */
    private TokenMetadata metadata() {
        return files.readMetadata().orElseThrow(() -> new TokenException(Reason.TOKEN_REMOVED,
                "Software token file " + files.metadataFile() + " was removed"));
    }

    private void open() {
        if (keyStore == null) {
            throw new TokenException(Reason.CLOSED, "The software token in slot " + id + " is not logged in");
        }
    }

    private void persist() {
        TokenMetadata m = metadata();
        files.replaceKeyStore(m, Pkcs12.store(keyStore, pin, files.keyStoreFile()), m);
    }

    private TokenException notFound(String alias) {
        return new TokenException(Reason.NOT_FOUND, "No key pair '" + alias + "' on the software token in slot "
                + id);
    }

    private TokenException deviceError(String what, Exception e) {
        return new TokenException(Reason.DEVICE_ERROR, what + " of software token " + files.keyStoreFile()
                + " failed: " + e.getMessage(), e);
    }

    private static void destroy(KeyStore.PasswordProtection protection) {
        if (protection != null && !protection.isDestroyed()) {
            try {
                protection.destroy();
            } catch (DestroyFailedException ignored) {
                // PasswordProtection's destroy does not fail
            }
        }
    }

    static TokenKey tokenKey(String alias, PublicKey publicKey) {
        // generated in software and kept only in the PIN-encrypted file: never exported through the SPI
        return new TokenKey(alias, algorithmOf(publicKey), publicKey, true, false, true, true);
    }

    static KeyAlgorithm algorithmOf(PublicKey key) {
        int bits = key instanceof RSAPublicKey rsa ? rsa.getModulus().bitLength()
                : key instanceof ECPublicKey ec ? ec.getParams().getCurve().getField().getFieldSize() : -1;
        String family = key instanceof RSAPublicKey ? "RSA" : "EC";
        for (KeyAlgorithm algorithm : KeyAlgorithm.values()) {
            if (algorithm.family().equals(family) && algorithm.bits() == bits) {
                return algorithm;
            }
        }
        throw new TokenException(Reason.DEVICE_ERROR, "Unexpected " + key.getAlgorithm() + " key of " + bits
                + " bits on a software token");
    }
}
