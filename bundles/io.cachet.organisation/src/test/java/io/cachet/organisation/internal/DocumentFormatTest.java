package io.cachet.organisation.internal;

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

class DocumentFormatTest {

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
        DocumentCipher old = new DocumentCipher(vault, new ReplayedRandom(DATA_KEY, NONCE));
        String sealed = old.newSealedKey();
        byte[] oldBlob = old.encrypt(sealed, "case-1", "doc-7", "extract", PLAIN);
        byte[] aad = OrganisationService.documentAad("case-1", "doc-7", "extract");
        DataKeyCipher shared = new DataKeyCipher(vault, OrganisationService.KEY_PURPOSE, new ReplayedRandom(NONCE));
        assertArrayEquals(oldBlob, shared.encrypt(sealed, "document doc-7 of case case-1", aad, PLAIN), "the same bytes");
        assertArrayEquals(PLAIN, new DataKeyCipher(vault, OrganisationService.KEY_PURPOSE, new SecureRandom())
                .decrypt(sealed, "document doc-7 of case case-1", aad, oldBlob));

        DataKeyCipher fresh = new DataKeyCipher(vault, OrganisationService.KEY_PURPOSE, new SecureRandom());
        String newKey = fresh.newSealedKeyText();
        byte[] newBlob = fresh.encrypt(newKey, "document doc-7 of case case-1", aad, PLAIN);
        assertArrayEquals(PLAIN, old.decrypt(newKey, "case-1", "doc-7", "extract", newBlob), "the former cipher reads the new blobs");
        DocumentCipher other = new DocumentCipher(vault, new SecureRandom());
        String oldKey = other.newSealedKey();
        byte[] oldBlob2 = other.encrypt(oldKey, "case-1", "doc-7", "extract", PLAIN);
        assertArrayEquals(PLAIN, fresh.decrypt(oldKey, "document doc-7 of case case-1", aad, oldBlob2), "keys sealed by the former cipher");
        assertThrows(IllegalStateException.class, () -> fresh.decrypt(oldKey, "document doc-7 of case case-1", OrganisationService.documentAad("case-1", "doc-8", "extract"), oldBlob2));
        assertThrows(IllegalStateException.class, () -> other.decrypt(newKey, "case-1", "doc-7", "extract", fresh.encrypt(newKey,
                "document doc-7 of case case-1", OrganisationService.documentAad("case-1", "doc-8", "extract"), PLAIN)));
        System.out.println("VECTOR DocumentFormatTest SEALED_KEY=" + sealed + " BLOB=" + HEX.formatHex(oldBlob));
    }
}
