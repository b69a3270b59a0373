package io.cachet.evidence.internal;

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

class FileFormatTest {

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
        FileCipher old = new FileCipher(vault, new ReplayedRandom(DATA_KEY, NONCE));
        byte[] sealed = old.newSealedKey();
        byte[] oldBlob = old.encrypt(sealed, "order-1", 2, PLAIN);
        byte[] aad = EvidenceService.fileAad("order-1", 2);
        DataKeyCipher shared = new DataKeyCipher(vault, EvidenceService.KEY_PURPOSE, new ReplayedRandom(NONCE));
        assertArrayEquals(oldBlob, shared.encrypt(sealed, "the evidence file of order order-1", aad, PLAIN), "the same bytes");
        assertArrayEquals(PLAIN, new DataKeyCipher(vault, EvidenceService.KEY_PURPOSE, new SecureRandom())
                .decrypt(sealed, "the evidence file of order order-1", aad, oldBlob));

        DataKeyCipher fresh = new DataKeyCipher(vault, EvidenceService.KEY_PURPOSE, new SecureRandom());
        byte[] newKey = fresh.newSealedKey();
        byte[] newBlob = fresh.encrypt(newKey, "the evidence file of order order-1", aad, PLAIN);
        assertArrayEquals(PLAIN, old.decrypt(newKey, "order-1", 2, newBlob), "the former cipher reads the new blobs");
        FileCipher other = new FileCipher(vault, new SecureRandom());
        byte[] oldKey = other.newSealedKey();
        byte[] oldBlob2 = other.encrypt(oldKey, "order-1", 2, PLAIN);
        assertArrayEquals(PLAIN, fresh.decrypt(oldKey, "the evidence file of order order-1", aad, oldBlob2), "keys sealed by the former cipher");
        assertThrows(IllegalStateException.class, () -> fresh.decrypt(oldKey, "the evidence file of order order-1", EvidenceService.fileAad("order-1", 3), oldBlob2));
        assertThrows(IllegalStateException.class, () -> other.decrypt(newKey, "order-1", 2, fresh.encrypt(newKey,
                "the evidence file of order order-1", EvidenceService.fileAad("order-1", 3), PLAIN)));
        System.out.println("VECTOR FileFormatTest SEALED_KEY=" + Base64.getEncoder().encodeToString(sealed) + " BLOB=" + HEX.formatHex(oldBlob));
    }
}
