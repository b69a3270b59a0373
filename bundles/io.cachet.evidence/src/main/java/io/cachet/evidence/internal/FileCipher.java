package io.cachet.evidence.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import io.cachet.api.security.SecretVault;

/**
 * Evidence files at rest, as identity evidence is kept: AES-256-GCM (JCA) under a random data key per file, sealed
 * with the deployment's master key ({@link SecretVault}, purpose {@value #PURPOSE}) and stored beside it; the
 * associated data binds the content to its order and version, so a blob moved to another order or version does not
 * open. A blob is {@code 1 ‖ nonce (12) ‖ ciphertext ‖ tag (16)}. Thread-safe.
 */
final class FileCipher {

    static final String PURPOSE = "evidence.file-key";
    private static final byte VERSION = 1;
    private static final int NONCE = 12;
    private static final int TAG_BITS = 128;

    private final SecretVault vault;
    private final SecureRandom random;

    FileCipher(SecretVault vault, SecureRandom random) {
        this.vault = vault;
        this.random = random;
    }

    /** A fresh data key, sealed for storage. */
    byte[] newSealedKey() {
        byte[] key = new byte[32];
        random.nextBytes(key);
        try {
            return vault.seal(PURPOSE, key);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    byte[] encrypt(byte[] sealedKey, String orderId, int version, byte[] plaintext) {
        byte[] key = open(sealedKey, orderId);
        try {
            byte[] nonce = new byte[NONCE];
            random.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(aad(orderId, version));
            byte[] ct = cipher.doFinal(plaintext);
            return ByteBuffer.allocate(1 + NONCE + ct.length).put(VERSION).put(nonce).put(ct).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available: " + e.getMessage(), e);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    byte[] decrypt(byte[] sealedKey, String orderId, int version, byte[] blob) {
        if (blob == null || blob.length < 1 + NONCE + TAG_BITS / 8 || blob[0] != VERSION) {
            throw new IllegalStateException("The evidence file of order " + orderId + " is not a blob of this format");
        }
        byte[] key = open(sealedKey, orderId);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS, blob, 1, NONCE));
            cipher.updateAAD(aad(orderId, version));
            return cipher.doFinal(blob, 1 + NONCE, blob.length - 1 - NONCE);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("The evidence file of order " + orderId
                    + " does not open with its key (altered or moved): " + e.getClass().getSimpleName());
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    private byte[] open(byte[] sealedKey, String orderId) {
        try {
            return vault.open(PURPOSE, sealedKey);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("The key of the evidence file of order " + orderId
                    + " does not open with this master key: " + e.getMessage());
        }
    }

    private static byte[] aad(String orderId, int version) {
        return ("cachet.evidence.v1|" + orderId + "|" + version).getBytes(StandardCharsets.UTF_8);
    }
}
