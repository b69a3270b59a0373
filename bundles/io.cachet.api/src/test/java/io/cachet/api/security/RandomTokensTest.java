package io.cachet.api.security;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

class RandomTokensTest {

    private static SecureRandom seeded() throws Exception {
        SecureRandom r = SecureRandom.getInstance("SHA1PRNG");
        r.setSeed(42L);
        return r;
    }

    @Test
    void aTokenIsTheRandomsBytesInUrlSafeBase64WithoutPadding() throws Exception {
        byte[] expected = new byte[32];
        seeded().nextBytes(expected);
        String token = RandomTokens.urlSafe(seeded(), 32);
        assertEquals(43, token.length(), "32 bytes are 43 characters without padding");
        assertTrue(token.matches("[A-Za-z0-9_-]+"), "fits a path segment as it is: " + token);
        assertArrayEquals(expected, Base64.getUrlDecoder().decode(token));
        assertEquals(24, RandomTokens.urlSafe(seeded(), 18).length());
    }

    @Test
    void tokensDoNotRepeat() {
        SecureRandom random = new SecureRandom();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            assertTrue(seen.add(RandomTokens.urlSafe(random, 16)));
        }
    }

    @Test
    void fewerThan128BitsAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RandomTokens.urlSafe(new SecureRandom(), 12));
        assertTrue(e.getMessage().contains("at least 16"), e.getMessage());
    }
}
