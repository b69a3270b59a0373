package io.cachet.api.security;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;

import io.cachet.api.testing.ReplayedRandom;

class DataKeyCipherTest {

    private static final HexFormat HEX = HexFormat.of();
    private final SecureRandom random = new SecureRandom();
    private final SecretVault vault = new GcmVault(random);
    private final DataKeyCipher cipher = new DataKeyCipher(vault, "test.case-key", random);
    private final byte[] aad = "cachet-test|case-1|1|selfie".getBytes(StandardCharsets.UTF_8);

    @Test
    void encryptsUnderASealedDataKeyInTheDocumentedLayout() throws Exception {
        byte[] sealed = cipher.newSealedKey();
        byte[] key = vault.open("test.case-key", sealed);
        assertEquals(32, key.length, "an AES-256 data key, sealed under the cipher's purpose");
        byte[] plain = "the content to keep secret".getBytes(StandardCharsets.UTF_8);
        byte[] blob = cipher.encrypt(sealed, "the selfie of case 1", aad, plain);
        assertEquals(1 + 12 + plain.length + 16, blob.length);
        assertEquals(1, blob[0], "format version 1");
        assertFalse(new String(blob, StandardCharsets.ISO_8859_1).contains("secret"));
        assertArrayEquals(plain, cipher.decrypt(sealed, "the selfie of case 1", aad, blob));

        // the layout is plain AES-GCM: version, nonce, ciphertext and tag, the associated data authenticated
        Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
        gcm.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, blob, 1, 12));
        gcm.updateAAD(aad);
        assertArrayEquals(plain, gcm.doFinal(blob, 13, blob.length - 13));

        byte[] again = cipher.encrypt(sealed, "the selfie of case 1", aad, plain);
        assertFalse(Arrays.equals(Arrays.copyOfRange(blob, 1, 13), Arrays.copyOfRange(again, 1, 13)), "a fresh nonce");
        assertNotEquals(cipher.newSealedKeyText(), cipher.newSealedKeyText(), "a fresh data key each time");
    }

    /**
     * Known answer: Test Case 16 of McGrew and Viega, "The Galois/Counter Mode of Operation (GCM)" (AES-256, 96-bit
     * IV, associated data), the data key and the nonce coming from the random source in that order.
     */
    @Test
    void matchesThePublishedAes256GcmVector() {
        byte[] k = HEX.parseHex("feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308");
        byte[] iv = HEX.parseHex("cafebabefacedbaddecaf888");
        byte[] p = HEX.parseHex("d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
                + "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39");
        byte[] a = HEX.parseHex("feedfacedeadbeeffeedfacedeadbeefabaddad2");
        byte[] c = HEX.parseHex("522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
                + "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662");
        byte[] t = HEX.parseHex("76fc6ece0f4e1768cddf8853bb2d551b");
        DataKeyCipher fixed = new DataKeyCipher(vault, "test.case-key", new ReplayedRandom(k, iv));
        byte[] sealed = fixed.newSealedKey();
        byte[] blob = fixed.encrypt(sealed, "the vector", a, p);
        byte[] expected = ByteBuffer.allocate(1 + iv.length + c.length + t.length).put((byte) 1).put(iv).put(c).put(t)
                .array();
        assertArrayEquals(expected, blob);
        assertArrayEquals(p, cipher.decrypt(sealed, "the vector", a, expected));
    }

    @Test
    void aBlobOpensOnlyInItsPlaceWithItsKeyAndPurpose() {
        byte[] sealed = cipher.newSealedKey();
        byte[] blob = cipher.encrypt(sealed, "the selfie of case 1", aad, new byte[] {1, 2, 3});
        byte[] elsewhere = "cachet-test|case-1|1|document-front".getBytes(StandardCharsets.UTF_8);
        IllegalStateException moved = assertThrows(IllegalStateException.class,
                () -> cipher.decrypt(sealed, "the document front of case 1", elsewhere, blob));
        assertEquals("The document front of case 1 does not open with its key (altered or moved): AEADBadTagException",
                moved.getMessage());
        assertThrows(IllegalStateException.class,
                () -> cipher.decrypt(cipher.newSealedKey(), "the selfie of case 1", aad, blob), "another owner's key");
        byte[] altered = blob.clone();
        altered[altered.length - 1] ^= 1;
        assertThrows(IllegalStateException.class, () -> cipher.decrypt(sealed, "the selfie of case 1", aad, altered));

        DataKeyCipher other = new DataKeyCipher(vault, "test.other-key", random);
        IllegalStateException purpose = assertThrows(IllegalStateException.class,
                () -> other.decrypt(sealed, "the selfie of case 1", aad, blob));
        assertTrue(purpose.getMessage().startsWith("The data key of the selfie of case 1 does not open with this master"
                + " key (test.other-key)"), purpose.getMessage());
        assertThrows(IllegalStateException.class, () -> other.encrypt(sealed, "the selfie of case 1", aad, new byte[1]));
    }

    @Test
    void refusesWhatIsNotABlobOrHasNoKeyWithAClearMessage() {
        String sealed = cipher.newSealedKeyText();
        byte[] blob = cipher.encrypt(sealed, "the receipt of shipment 9", aad, new byte[] {7});
        assertArrayEquals(new byte[] {7}, cipher.decrypt(sealed, "the receipt of shipment 9", aad, blob));
        byte[] version2 = blob.clone();
        version2[0] = 2;
        for (byte[] bad : new byte[][] {null, new byte[0], Arrays.copyOf(blob, 28), version2}) {
            assertEquals("The receipt of shipment 9 is not a blob of this format", assertThrows(
                    IllegalStateException.class, () -> cipher.decrypt(sealed, "the receipt of shipment 9", aad, bad))
                    .getMessage());
        }
        assertEquals("The data key of the receipt of shipment 9 was purged", assertThrows(IllegalStateException.class,
                () -> cipher.decrypt((String) null, "the receipt of shipment 9", aad, blob)).getMessage());
        assertEquals("The data key of the receipt of shipment 9 was purged", assertThrows(IllegalStateException.class,
                () -> cipher.encrypt((byte[]) null, "the receipt of shipment 9", aad, new byte[1])).getMessage());
        assertTrue(assertThrows(IllegalStateException.class,
                () -> cipher.decrypt("not base64!", "the receipt of shipment 9", aad, blob)).getMessage()
                .startsWith("The data key of the receipt of shipment 9 is not Base64"));
        assertThrows(IllegalArgumentException.class, () -> new DataKeyCipher(vault, "", random));
        assertThrows(NullPointerException.class, () -> new DataKeyCipher(null, "p", random));
    }

    @Test
    void refusesADataKeyThatIsNotAes256() {
        byte[] sealed = vault.seal("test.case-key", new byte[16]);
        assertEquals("The data key of case 3 is not an AES-256 key (test.case-key)", assertThrows(
                IllegalStateException.class, () -> cipher.encrypt(sealed, "case 3", aad, new byte[1])).getMessage());
    }

    /** A vault as the real one works: AES-GCM under a master key, the purpose authenticated with each blob. */
    private static final class GcmVault implements SecretVault {
        private final byte[] master = new byte[32];
        private final SecureRandom random;

        GcmVault(SecureRandom random) {
            this.random = random;
            random.nextBytes(master);
        }

        @Override
        public byte[] seal(String purpose, byte[] plaintext) {
            byte[] nonce = new byte[12];
            random.nextBytes(nonce);
            try {
                Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
                c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(master, "AES"), new GCMParameterSpec(128, nonce));
                c.updateAAD(purpose.getBytes(StandardCharsets.UTF_8));
                byte[] body = c.doFinal(plaintext);
                return ByteBuffer.allocate(12 + body.length).put(nonce).put(body).array();
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public byte[] open(String purpose, byte[] sealed) throws GeneralSecurityException {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(master, "AES"), new GCMParameterSpec(128, sealed, 0, 12));
            c.updateAAD(purpose.getBytes(StandardCharsets.UTF_8));
            return c.doFinal(sealed, 12, sealed.length - 12);
        }

        @Override
        public String keySource() {
            return "a test key";
        }

        @Override
        public boolean keptWithData() {
            return false;
        }
    }
}
