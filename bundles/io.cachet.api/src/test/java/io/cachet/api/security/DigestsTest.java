package io.cachet.api.security;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;

class DigestsTest {

    /** FIPS 180-2, appendix B.1, and the digest of nothing. */
    @Test
    void theStandardsVectors() {
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", Digests.sha256Hex("abc"));
        assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", Digests.sha256Hex(new byte[0]));
        assertEquals("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
                Digests.sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"));
    }

    @Test
    void textIsDigestedAsUtf8AndHexIsLowerCase() {
        String text = "Société Générale — café";
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        assertEquals(Digests.sha256Hex(utf8), Digests.sha256Hex(text));
        assertArrayEquals(Digests.sha256(utf8), Digests.sha256(text));
        assertEquals(HexFormat.of().formatHex(Digests.sha256(utf8)), Digests.sha256Hex(utf8));
        assertEquals(32, Digests.sha256(utf8).length);
        assertEquals(Digests.sha256Hex(text).toLowerCase(java.util.Locale.ROOT), Digests.sha256Hex(text));
    }
}
