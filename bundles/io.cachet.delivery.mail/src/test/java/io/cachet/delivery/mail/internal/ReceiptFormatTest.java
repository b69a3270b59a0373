package io.cachet.delivery.mail.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cachet.api.security.DataKeyCipher;
import io.cachet.api.security.SecretVault;
import io.cachet.api.testing.ReplayedRandom;
import io.cachet.store.testing.TestVaults;

class ReceiptFormatTest {

    private static final HexFormat HEX = HexFormat.of();
    /** The master key of the vectors, as {@code CACHET_MASTER_KEY} gives it: bytes 0 to 31. */
    private static final String MASTER = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
    private static final byte[] DATA_KEY = HEX.parseHex("a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf");
    private static final byte[] NONCE = HEX.parseHex("c0c1c2c3c4c5c6c7c8c9cacb");
    private static final byte[] PLAIN = "personal data, kept since 2026".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    @Test
    void theFormerCipherAndTheSharedOneReadAndWriteTheSameBlobs() throws Exception {
        SecretVault vault = TestVaults.withKey(MASTER, dir);
        ReceiptCipher old = new ReceiptCipher(vault, new ReplayedRandom(DATA_KEY, NONCE));
        String sealed = old.newSealedKey();
        byte[] oldBlob = old.encrypt(sealed, "shipment-1", "application/pdf", PLAIN);
        byte[] aad = ShipmentService.receiptAad("shipment-1", "application/pdf");
        DataKeyCipher shared = new DataKeyCipher(vault, ShipmentService.KEY_PURPOSE, new ReplayedRandom(NONCE));
        assertArrayEquals(oldBlob, shared.encrypt(sealed, "the receipt of shipment shipment-1", aad, PLAIN), "the same bytes");
        assertArrayEquals(PLAIN, new DataKeyCipher(vault, ShipmentService.KEY_PURPOSE, new SecureRandom())
                .decrypt(sealed, "the receipt of shipment shipment-1", aad, oldBlob));

        DataKeyCipher fresh = new DataKeyCipher(vault, ShipmentService.KEY_PURPOSE, new SecureRandom());
        String newKey = fresh.newSealedKeyText();
        byte[] newBlob = fresh.encrypt(newKey, "the receipt of shipment shipment-1", aad, PLAIN);
        assertArrayEquals(PLAIN, old.decrypt(newKey, "shipment-1", "application/pdf", newBlob), "the former cipher reads the new blobs");
        ReceiptCipher other = new ReceiptCipher(vault, new SecureRandom());
        String oldKey = other.newSealedKey();
        byte[] oldBlob2 = other.encrypt(oldKey, "shipment-1", "application/pdf", PLAIN);
        assertArrayEquals(PLAIN, fresh.decrypt(oldKey, "the receipt of shipment shipment-1", aad, oldBlob2), "keys sealed by the former cipher");
        assertThrows(IllegalStateException.class, () -> fresh.decrypt(oldKey, "the receipt of shipment shipment-1", ShipmentService.receiptAad("shipment-2", "application/pdf"), oldBlob2));
        assertThrows(IllegalStateException.class, () -> other.decrypt(newKey, "shipment-1", "application/pdf", fresh.encrypt(newKey,
                "the receipt of shipment shipment-1", ShipmentService.receiptAad("shipment-2", "application/pdf"), PLAIN)));
        System.out.println("VECTOR ReceiptFormatTest SEALED_KEY=" + sealed + " BLOB=" + HEX.formatHex(oldBlob));
    }
}
