package io.cachet.token.soft.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.Security;
import java.security.UnrecoverableKeyException;

import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.PBEParameterSpec;

import io.cachet.api.token.TokenException;

/**
 * The JDK's PKCS#12 key store with the strong protection the software token needs: private keys in
 * PBES2/PBKDF2-HMAC-SHA256/AES-256-CBC shrouded bags (set per entry here), certificates in AES-256 encrypted data
 * and an HMAC-SHA256 integrity MAC (the JDK 17 defaults, which only JVM-wide properties can change: a JVM set up
 * for weaker files is refused rather than written with).
 *
 * <p>The iteration counts are the JDK's (10,000): the MAC, whose count only a JVM-wide property sets, lets an
 * attacker holding the file test PIN guesses at that cost whatever the key bags use, so the strength of the file
 * is the strength of the PIN.
 */
final class Pkcs12 {

    static final String PROTECTION = "PBEWithHmacSHA256AndAES_256";
    static final String MAC = "HmacPBESHA256";
    private static final int ITERATIONS = 10_000;

    /** Thrown when the PIN does not open the file (its integrity MAC fails). */
    static final class WrongPin extends Exception {
        private static final long serialVersionUID = 1L;

        WrongPin() {
            super(null, null, false, false);
        }
    }

    private Pkcs12() {
    }

    static KeyStore newStore() {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            return store;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("the JDK has no PKCS12 key store", e);
        }
    }

    /** Thrown when the content is not a PKCS#12 file (truncated, damaged, another format). */
    static final class Unreadable extends Exception {
        private static final long serialVersionUID = 1L;

        Unreadable(Exception cause) {
            super(cause.toString(), cause);
        }
    }

    /**
     * Cachet's one way to open a PKCS#12 file (a software token's file, a customer's key file): a wrong password is
     * told apart from a damaged file by the structure of the JDK's failure, never by its wording.
     *
     * @throws WrongPin when {@code pin} does not open the file, or is empty (a PKCS#12 file opened without a
     *         password skips its integrity check)
     * @throws Unreadable when the content is not a PKCS#12 file
     */
    static KeyStore read(byte[] content, char[] pin) throws WrongPin, Unreadable {
        if (pin == null || pin.length == 0) {
            throw new WrongPin();
        }
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(new ByteArrayInputStream(content), pin);
            return store;
        } catch (IOException e) {
            // the JDK reports a failed MAC check or an undecryptable safe as an IOException caused by an
            // UnrecoverableKeyException
            if (e.getCause() instanceof UnrecoverableKeyException) {
                throw new WrongPin();
            }
            throw new Unreadable(e);
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new Unreadable(e);
        }
    }

    /**
     * A software token's file.
     *
     * @throws WrongPin when {@code pin} does not open the file
     * @throws TokenException {@code DEVICE_ERROR} naming {@code file} when the content is not a PKCS#12 file
     */
    static KeyStore load(byte[] content, char[] pin, Path file) throws WrongPin {
        try {
            return read(content, pin);
        } catch (Unreadable e) {
            throw unreadable(file, (Exception) e.getCause());
        }
    }

    static byte[] store(KeyStore store, char[] pin, Path file) {
        checkJvmSettings();
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            store.store(out, pin);
            return out.toByteArray();
        } catch (GeneralSecurityException | IOException e) {
            throw new TokenException(TokenException.Reason.DEVICE_ERROR,
                    "Writing software token " + file + " failed: " + e.getMessage(), e);
        }
    }

    /** Protection of one private key entry; {@link KeyStore.PasswordProtection#destroy()} it after use. */
    static KeyStore.PasswordProtection protection(char[] pin, SecureRandom random) {
        byte[] salt = new byte[16];
        byte[] iv = new byte[16];
        random.nextBytes(salt);
        random.nextBytes(iv);
        return new KeyStore.PasswordProtection(pin, PROTECTION,
                new PBEParameterSpec(salt, ITERATIONS, new IvParameterSpec(iv)));
    }

    /**
     * Refuses JVM-wide settings under which the JDK would write certificates or the MAC with legacy algorithms
     * (RC2, 3DES, SHA-1) or fewer iterations.
     */
    static void checkJvmSettings() {
        String problem = null;
        if (System.getProperty("keystore.pkcs12.legacy") != null) {
            problem = "keystore.pkcs12.legacy is set";
        } else if (!expected("keystore.pkcs12.certProtectionAlgorithm", PROTECTION)) {
            problem = "keystore.pkcs12.certProtectionAlgorithm is not " + PROTECTION;
        } else if (!expected("keystore.pkcs12.macAlgorithm", MAC)) {
            problem = "keystore.pkcs12.macAlgorithm is not " + MAC;
        } else if (below("keystore.pkcs12.certPbeIterationCount") || below("keystore.pkcs12.macIterationCount")) {
            problem = "a keystore.pkcs12.*IterationCount is below " + ITERATIONS;
        }
        if (problem != null) {
            throw new TokenException(TokenException.Reason.DEVICE_ERROR, "The software token refuses to write "
                    + "weakly protected PKCS#12 files: " + problem + " (system or java.security property); "
                    + "remove the setting");
        }
    }

    private static String setting(String name) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            value = Security.getProperty(name);
        }
        return value == null || value.isBlank() ? null : value.trim();
    }

    private static boolean expected(String name, String algorithm) {
        String value = setting(name);
        return value == null || value.equalsIgnoreCase(algorithm);
    }

    private static boolean below(String name) {
        String value = setting(name);
        if (value == null) {
            return false;
        }
        try {
            return Integer.parseInt(value) < ITERATIONS;
        } catch (NumberFormatException e) {
            return true;
        }
    }

    private static TokenException unreadable(Path file, Exception e) {
        return new TokenException(TokenException.Reason.DEVICE_ERROR, "Software token file " + file
                + " is corrupt or not a PKCS#12 file (" + e + "); restore it from a backup", e);
    }
}
