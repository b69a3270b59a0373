package io.cachet.api.security;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Large personal data at rest (identity evidence, organisation documents, evidence files, receipt scans): AES-256-GCM
 * (JCA) under a random <em>data key</em> per owner (a case, an order, a shipment). The data key is stored with its
 * owner, sealed with the deployment's master key ({@link SecretVault}) under this cipher's purpose; whoever has the
 * database but not the master key opens nothing. Dropping the sealed key makes every blob of its owner unreadable
 * (crypto-shredding).
 *
 * <p>The stored format is part of the contract of the data Cachet keeps and never changes for existing blobs:
 * <ul>
 * <li>a sealed data key is {@code vault.seal(purpose, key)} of 32 random bytes; it is bound to the purpose (a key
 * sealed for one purpose does not open for another), not to its owner. Where it is stored as text, it is its
 * standard Base64 ({@link #newSealedKeyText}).</li>
 * <li>a blob is {@code 1 ‖ nonce (12) ‖ ciphertext ‖ tag (16)}: format version 1, a fresh random nonce, the GCM
 * output with a 128-bit tag;</li>
 * <li>the caller's <em>associated data</em> is authenticated with each blob: it names the blob's place (owner, slot,
 * kind), so a blob copied to another row or slot does not open there. The caller computes it the same way for
 * {@link #encrypt} and {@link #decrypt}, and never changes how for stored blobs.</li>
 * </ul>
 *
 * <p>Errors are {@link IllegalStateException}s whose message names the blob with the caller's {@code what} (e.g.
 * {@code "the evidence selfie of case 42"}), says which check failed, and never contains a key or any content.
 * Keys are wiped after each use. Thread-safe; stateless besides its constructor arguments.
 *
 * @since 1.3
 */
public final class DataKeyCipher {

    /** The format version, the first byte of every blob. */
    public static final byte FORMAT = 1;
    /** Bytes of the random nonce that follows the format version. */
    public static final int NONCE_BYTES = 12;
    /** Bytes of the GCM authentication tag at the end of each blob. */
    public static final int TAG_BYTES = 16;
    private static final int KEY_BYTES = 32;

    private final SecretVault vault;
    private final String purpose;
    private final SecureRandom random;

    /**
     * @param vault the master-key vault that seals and opens the data keys
     * @param purpose non-empty, stable name of what the data keys protect (e.g. {@code identity.case-key}): the
     *        {@link SecretVault} purpose their keys are sealed under; never change it for stored keys
     * @param random the source of data keys and nonces
     * @throws NullPointerException when an argument is null
     * @throws IllegalArgumentException when {@code purpose} is empty
     */
    public DataKeyCipher(SecretVault vault, String purpose, SecureRandom random) {
        this.vault = Objects.requireNonNull(vault, "vault");
        this.purpose = Objects.requireNonNull(purpose, "purpose");
        this.random = Objects.requireNonNull(random, "random");
        if (purpose.isEmpty()) {
            throw new IllegalArgumentException("A data key cipher needs a purpose");
        }
    }

    /** The {@link SecretVault} purpose the data keys are sealed under. */
    public String purpose() {
        return purpose;
    }

    /** A fresh data key (32 random bytes), sealed for storage with a new owner. */
    public byte[] newSealedKey() {
        byte[] key = new byte[KEY_BYTES];
        random.nextBytes(key);
        try {
            return vault.seal(purpose, key);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    /** {@link #newSealedKey} as standard Base64, for a text column; give it back as it is to the {@code String} methods. */
    public String newSealedKeyText() {
        return Base64.getEncoder().encodeToString(newSealedKey());
    }

    /**
     * @param sealedKey the owner's sealed data key ({@link #newSealedKey}); null when it was purged (an error)
     * @param what the blob for messages, e.g. {@code "the evidence selfie of case 42"}; never a secret
     * @param associatedData the blob's place, authenticated with it; the same bytes must be given to {@link #decrypt}
     * @param plaintext the content; left as it is, for the caller to wipe
     * @return a new blob, {@code 1 ‖ nonce ‖ ciphertext ‖ tag} (a fresh nonce each time)
     * @throws IllegalStateException when the data key was purged or does not open with this master key and purpose
     */
    public byte[] encrypt(byte[] sealedKey, String what, byte[] associatedData, byte[] plaintext) {
        byte[] key = open(sealedKey, what);
        try {
            byte[] nonce = new byte[NONCE_BYTES];
            random.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BYTES * 8, nonce));
            cipher.updateAAD(associatedData);
            byte[] ct = cipher.doFinal(plaintext);
            return ByteBuffer.allocate(1 + NONCE_BYTES + ct.length).put(FORMAT).put(nonce).put(ct).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available: " + e.getMessage(), e);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    /** {@link #encrypt} with the sealed key as its Base64 text ({@link #newSealedKeyText}). */
    public byte[] encrypt(String sealedKeyText, String what, byte[] associatedData, byte[] plaintext) {
        return encrypt(decode(sealedKeyText, what), what, associatedData, plaintext);
    }

    /**
     * @param sealedKey the owner's sealed data key the blob was encrypted with; null when it was purged (an error)
     * @param what the blob for messages, e.g. {@code "the evidence selfie of case 42"}; never a secret
     * @param associatedData the blob's place, as given to {@link #encrypt}
     * @param blob a blob from {@link #encrypt}; left as it is
     * @return the content; the caller wipes it when it is done
     * @throws IllegalStateException when the blob is not of this format, the data key was purged or does not open
     *         with this master key and purpose, or the blob does not open with it (altered, or moved from another
     *         place or owner)
     */
    public byte[] decrypt(byte[] sealedKey, String what, byte[] associatedData, byte[] blob) {
        if (blob == null || blob.length < 1 + NONCE_BYTES + TAG_BYTES || blob[0] != FORMAT) {
            throw new IllegalStateException(capitalised(what) + " is not a blob of this format");
        }
        byte[] key = open(sealedKey, what);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"),
                    new GCMParameterSpec(TAG_BYTES * 8, blob, 1, NONCE_BYTES));
            cipher.updateAAD(associatedData);
            return cipher.doFinal(blob, 1 + NONCE_BYTES, blob.length - 1 - NONCE_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(capitalised(what) + " does not open with its key (altered or moved): "
                    + e.getClass().getSimpleName());
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    /** {@link #decrypt} with the sealed key as its Base64 text ({@link #newSealedKeyText}). */
    public byte[] decrypt(String sealedKeyText, String what, byte[] associatedData, byte[] blob) {
        return decrypt(decode(sealedKeyText, what), what, associatedData, blob);
    }

    private byte[] open(byte[] sealedKey, String what) {
        if (sealedKey == null) {
            throw new IllegalStateException("The data key of " + what + " was purged");
        }
        byte[] key;
        try {
            key = vault.open(purpose, sealedKey);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("The data key of " + what + " does not open with this master key ("
                    + purpose + "): " + e.getMessage());
        }
        if (key.length != KEY_BYTES) {
            Arrays.fill(key, (byte) 0);
            throw new IllegalStateException("The data key of " + what + " is not an AES-256 key (" + purpose + ")");
        }
        return key;
    }

    private static byte[] decode(String sealedKeyText, String what) {
        if (sealedKeyText == null) {
            return null;
        }
        try {
            return Base64.getDecoder().decode(sealedKeyText);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("The data key of " + what + " is not Base64: " + e.getMessage());
        }
    }

    private static String capitalised(String what) {
        return what.isEmpty() ? what : Character.toUpperCase(what.charAt(0)) + what.substring(1);
    }
}
