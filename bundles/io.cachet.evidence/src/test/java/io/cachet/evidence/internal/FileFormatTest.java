package io.cachet.evidence.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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

/**
 * The stored format does not change: a data key and a blob written by the former {@code FileCipher} (this module's own
 * copy of the cipher, replaced by {@link DataKeyCipher}), kept here as they would be in evidence_file's sealed key
 * (bytes) and content, still open, and the same key, nonce and content still give the same bytes. The vector was made
 * by the former cipher under the master key {@link #MASTER}, with the data key {@link #DATA_KEY} and the nonce {@link
 * #NONCE} as its random bytes; its sealed key is not reproducible (the vault draws its own nonce).
 */
class FileFormatTest {

    private static final HexFormat HEX = HexFormat.of();
    /** The master key of the vector, as {@code CACHET_MASTER_KEY} gives it: bytes 0 to 31. */
    private static final String MASTER = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
    private static final byte[] DATA_KEY = HEX.parseHex(
            "a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf");
    private static final byte[] NONCE = HEX.parseHex("c0c1c2c3c4c5c6c7c8c9cacb");
    private static final byte[] PLAIN = "personal data, kept since 2026".getBytes(StandardCharsets.UTF_8);
    /** {@code DATA_KEY} sealed by the former cipher. */
    private static final byte[] SEALED_KEY = Base64.getDecoder().decode(
            "AWNv92kMLaPRxqyXUXiQB8xY7KT5zNbg2cKaVsauwaVjMN/xWfGtOOuxoj8ePLffmxJoO47FEUZAhQPWJw==");
    /** {@code PLAIN}, version 2 of the evidence file of order {@code order-1}, encrypted by the former cipher. */
    private static final byte[] BLOB = HEX.parseHex("01c0c1c2c3c4c5c6c7c8c9cacb3c05498051ae83e9ce22f2b8904834ce95bc77"
            + "25376a00ea1378468cd84fe3a1da38ff96cad556bf847f5d8a2883");

    @TempDir
    Path dir;

    @Test
    void blobsAndKeysTheFormerCipherStoredStillOpenAndTheSameInputGivesTheSameBytes() throws Exception {
        SecretVault vault = TestVaults.withKey(MASTER, dir);
        assertEquals("evidence.file-key", EvidenceService.KEY_PURPOSE);
        assertArrayEquals(DATA_KEY, vault.open(EvidenceService.KEY_PURPOSE, SEALED_KEY),
                "the key sealed for its purpose");
        String what = "the evidence file of order order-1";
        byte[] aad = EvidenceService.fileAad("order-1", 2);
        assertArrayEquals(PLAIN, new DataKeyCipher(vault, EvidenceService.KEY_PURPOSE, new SecureRandom())
                .decrypt(SEALED_KEY, what, aad, BLOB));
        byte[] moved = EvidenceService.fileAad("order-1", 3);
        DataKeyCipher replayed = new DataKeyCipher(vault, EvidenceService.KEY_PURPOSE, new ReplayedRandom(NONCE));
        assertArrayEquals(BLOB, replayed.encrypt(SEALED_KEY, what, aad, PLAIN), "1, nonce, ciphertext, tag");
        assertThrows(IllegalStateException.class, () -> new DataKeyCipher(vault, EvidenceService.KEY_PURPOSE,
                new SecureRandom()).decrypt(SEALED_KEY, what, moved, BLOB),
                "moved to another version");
    }

    @Test
    void newDataKeysAreSealedAsTheFormerCipherSealedThem() throws Exception {
        SecretVault vault = TestVaults.withKey(MASTER, dir);
        DataKeyCipher fresh = new DataKeyCipher(vault, EvidenceService.KEY_PURPOSE, new ReplayedRandom(DATA_KEY));
        assertArrayEquals(DATA_KEY, vault.open("evidence.file-key", fresh.newSealedKey()));
    }
}
