package io.cachet.delivery.cloud.internal.factor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.OptionalLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** TOTP against RFC 6238 appendix B's test vectors (8 digits), then the 6-digit codes the space accepts. */
class TotpTest {

    private static final byte[] SHA1_SEED = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SHA256_SEED = "12345678901234567890123456789012".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SHA512_SEED = ("1234567890123456789012345678901234567890123456789012345678901234")
            .getBytes(StandardCharsets.US_ASCII);

    @ParameterizedTest
    @CsvSource({
        "59, 94287082, 46119246, 90693936",
        "1111111109, 07081804, 68084774, 25091201",
        "1111111111, 14050471, 67062674, 99943326",
        "1234567890, 89005924, 91819424, 93441116",
        "2000000000, 69279037, 90698825, 38618901",
        "20000000000, 65353130, 77737706, 47863826" })
    void rfc6238AppendixB(long time, String sha1, String sha256, String sha512) {
        long step = Totp.step(Instant.ofEpochSecond(time));
        assertEquals(sha1, Totp.code(SHA1_SEED, step, 8, "HmacSHA1"));
        assertEquals(sha256, Totp.code(SHA256_SEED, step, 8, "HmacSHA256"));
        assertEquals(sha512, Totp.code(SHA512_SEED, step, 8, "HmacSHA512"));
    }

    @Test
    void acceptsOneStepOfDriftEachWayAndNeverAStepAlreadyUsed() {
        Instant now = Instant.ofEpochSecond(1111111109);
        long step = Totp.step(now);
        String current = Totp.code(SHA1_SEED, step, 6, "HmacSHA1");
        assertEquals("081804", current, "the 6-digit code is the 8-digit vector's last 6 digits");
        assertEquals(OptionalLong.of(step), Totp.verify(SHA1_SEED, current, now, 0));
        assertEquals(OptionalLong.of(step), Totp.verify(SHA1_SEED, "081 804", now, 0), "spaces are ignored");
        assertEquals(OptionalLong.of(step - 1), Totp.verify(SHA1_SEED, Totp.code(SHA1_SEED, step - 1, 6, "HmacSHA1"),
                now, 0));
        assertEquals(OptionalLong.of(step + 1), Totp.verify(SHA1_SEED, Totp.code(SHA1_SEED, step + 1, 6, "HmacSHA1"),
                now, 0));
        assertTrue(Totp.verify(SHA1_SEED, Totp.code(SHA1_SEED, step + 2, 6, "HmacSHA1"), now, 0).isEmpty());
        assertTrue(Totp.verify(SHA1_SEED, Totp.code(SHA1_SEED, step - 2, 6, "HmacSHA1"), now, 0).isEmpty());
        assertTrue(Totp.verify(SHA1_SEED, current, now, step).isEmpty(), "replayed");
        assertTrue(Totp.verify(SHA1_SEED, Totp.code(SHA1_SEED, step - 1, 6, "HmacSHA1"), now, step).isEmpty(),
                "older than one used");
        assertTrue(Totp.verify(SHA1_SEED, "12345", now, 0).isEmpty());
        assertTrue(Totp.verify(SHA1_SEED, null, now, 0).isEmpty());
        assertTrue(Totp.verify(SHA1_SEED, "abcdef", now, 0).isEmpty());
    }

    @Test
    void theEnrolmentUriCarriesTheKeyInBase32() {
        assertEquals("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", Totp.base32(SHA1_SEED), "RFC 4648 Base32");
        assertEquals("MZXW6YTBOI", Totp.base32("foobar".getBytes(StandardCharsets.US_ASCII)), "RFC 4648 section 10");
        assertEquals("otpauth://totp/cachet.example.fr:anna%40example.org?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
                + "&issuer=cachet.example.fr&algorithm=SHA1&digits=6&period=30",
                Totp.uri("cachet.example.fr", "anna@example.org", SHA1_SEED));
    }
}
