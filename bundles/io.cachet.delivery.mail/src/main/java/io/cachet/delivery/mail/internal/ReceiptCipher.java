package io.cachet.delivery.mail.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import io.cachet.api.security.SecretVault;

/**
 * Receipt scans at rest, in the same format as the organisation documents and identity evidence (their ciphers are
 * private to their bundles): AES-256-GCM (JCA) under a random data key per shipment, the data key sealed with the
 * deployment's master key ({@link SecretVault}, purpose {@value #PURPOSE}, kept outside the database) and stored with
 * the shipment. The associated data binds each blob to its shipment and media type, so a blob moved to another row
 * does not open. A blob is {@code 1 ‖ nonce (12) ‖ ciphertext ‖ tag (16)}. Thread-safe.
 */
final class ReceiptCipher {

    static final String PURPOSE = "shipment.receipt-key";
    private static final byte VERSION = 1;
    private static final int NONCE = 12;
    private static final int TAG_BITS = 128;

    private final SecretVault vault;
    private final SecureRandom random;

    ReceiptCipher(SecretVault vault, SecureRandom random) {
        this.vault = vault;
        this.random = random;
    }

    /** A fresh data key, sealed (base64) for storage with a new shipment. */
    String newSealedKey() {
        byte[] key = new byte[32];
        random.nextBytes(key);
        try {
            return Base64.getEncoder().encodeToString(vault.seal(PURPOSE, key));
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    byte[] encrypt(String sealedKey, String shipmentId, String mediaType, byte[] plaintext) {
        byte[] key = open(sealedKey, shipmentId);
        try {
            byte[] nonce = new byte[NONCE];
            random.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(aad(shipmentId, mediaType));
            byte[] ct = cipher.doFinal(plaintext);
            return ByteBuffer.allocate(1 + NONCE + ct.length).put(VERSION).put(nonce).put(ct).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available: " + e.getMessage(), e);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    byte[] decrypt(String sealedKey, String shipmentId, String mediaType, byte[] blob) {
        if (blob == null || blob.length < 1 + NONCE + TAG_BITS / 8 || blob[0] != VERSION) {
            throw new IllegalStateException("The receipt of shipment " + shipmentId + " is not a blob of this format");
        }
        byte[] key = open(sealedKey, shipmentId);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"),
                    new GCMParameterSpec(TAG_BITS, blob, 1, NONCE));
            cipher.updateAAD(aad(shipmentId, mediaType));
            return cipher.doFinal(blob, 1 + NONCE, blob.length - 1 - NONCE);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("The receipt of shipment " + shipmentId
                    + " does not open with its key (altered or moved): " + e.getClass().getSimpleName());
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    private byte[] open(String sealedKey, String shipmentId) {
        try {
            return vault.open(PURPOSE, Base64.getDecoder().decode(sealedKey));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("The receipt key of shipment " + shipmentId
                    + " does not open with this master key: " + e.getMessage());
        }
    }

    private static byte[] aad(String shipmentId, String mediaType) {
        return ("cachet-shipment-receipt|" + shipmentId + "|" + mediaType).getBytes(StandardCharsets.UTF_8);
    }
}
