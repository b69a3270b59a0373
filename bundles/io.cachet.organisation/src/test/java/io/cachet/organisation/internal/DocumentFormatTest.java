package io.cachet.organisation.internal;

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
 * The stored format does not change: a data key and a blob written by the former {@code DocumentCipher} (this module's
 * own copy of the cipher, replaced by {@link DataKeyCipher}), kept here as they would be in the case's data_key
 * (Base64) and its documents' blobs, still open, and the same key, nonce and content still give the same bytes. The
 * vector was made by the former cipher under the master key {@link #MASTER}, with the data key {@link #DATA_KEY} and
 * the nonce {@link #NONCE} as its random bytes; its sealed key is not reproducible (the vault draws its own nonce).
 */
class DocumentFormatTest {

    private static final HexFormat HEX = HexFormat.of();
    /** The master key of the vector, as {@code CACHET_MASTER_KEY} gives it: bytes 0 to 31. */
    private static final String MASTER = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
    private static final byte[] DATA_KEY = HEX.parseHex(
            "a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf");
    private static final byte[] NONCE = HEX.parseHex("c0c1c2c3c4c5c6c7c8c9cacb");
    private static final byte[] PLAIN = "personal data, kept since 2026".getBytes(StandardCharsets.UTF_8);
    /** {@code DATA_KEY} sealed by the former cipher. */
    private static final String SEALED_KEY =
            "AdGmUvIV3mW8gbcfN7tuyh6/uwssAtBiV7ALpTuUT24dLO+0g+PMOghkJUOriExfi5Y0M1bnKZVhZgCdbA==";
    /** {@code PLAIN}, the extract {@code doc-7} of case {@code case-1}, encrypted by the former cipher. */
    private static final byte[] BLOB = HEX.parseHex("01c0c1c2c3c4c5c6c7c8c9cacb3c05498051ae83e9ce22f2b8904834ce95bc77"
            + "25376a00ea1378468cd84f32b9094da38de079543e47bada80138a");

    @TempDir
    Path dir;

    @Test
    void blobsAndKeysTheFormerCipherStoredStillOpenAndTheSameInputGivesTheSameBytes() throws Exception {
        SecretVault vault = TestVaults.withKey(MASTER, dir);
        assertEquals("organisation.case-key", OrganisationService.KEY_PURPOSE);
        assertArrayEquals(DATA_KEY, vault.open(OrganisationService.KEY_PURPOSE, Base64.getDecoder().decode(SEALED_KEY)),
                "the key sealed for its purpose");
        String what = "document doc-7 of case case-1";
        byte[] aad = OrganisationService.documentAad("case-1", "doc-7", "extract");
        assertArrayEquals(PLAIN, new DataKeyCipher(vault, OrganisationService.KEY_PURPOSE, new SecureRandom())
                .decrypt(SEALED_KEY, what, aad, BLOB));
        byte[] moved = OrganisationService.documentAad("case-1", "doc-8", "extract");
        DataKeyCipher replayed = new DataKeyCipher(vault, OrganisationService.KEY_PURPOSE, new ReplayedRandom(NONCE));
        assertArrayEquals(BLOB, replayed.encrypt(SEALED_KEY, what, aad, PLAIN), "1, nonce, ciphertext, tag");
        assertThrows(IllegalStateException.class, () -> new DataKeyCipher(vault, OrganisationService.KEY_PURPOSE,
                new SecureRandom()).decrypt(SEALED_KEY, what, moved, BLOB),
                "moved to another document of the case");
    }

    @Test
    void newDataKeysAreSealedAsTheFormerCipherSealedThem() throws Exception {
        SecretVault vault = TestVaults.withKey(MASTER, dir);
        DataKeyCipher fresh = new DataKeyCipher(vault, OrganisationService.KEY_PURPOSE, new ReplayedRandom(DATA_KEY));
        assertArrayEquals(DATA_KEY, vault.open("organisation.case-key",
                Base64.getDecoder().decode(fresh.newSealedKeyText())));
    }
}
