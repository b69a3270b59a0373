package io.cachet.identity.vendor.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cachet.api.testing.Processes;
import io.cachet.identity.vendor.testing.FakeVendor;

/** The webhook's authentication: HMAC-SHA256 over "<timestamp>.<raw body>", the timestamp window, rotation. */
class WebhookSignatureTest {

    static final long NOW = 1_796_212_800L;
    static final byte[] BODY = "{\"event_id\":\"evt_1\",\"session_id\":\"ses_1\",\"status\":\"approved\",\"n\":\"é\"}"
            .getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    final WebhookSignature verifier = new WebhookSignature(List.of(Configs.SECRET, Configs.PREVIOUS),
            Duration.ofMinutes(5));

    String code(String ts, String sig, byte[] body) {
        return assertThrows(WebhookSignature.Refused.class,
                () -> verifier.verify(ts, sig, body, Instant.ofEpochSecond(NOW))).code;
    }

    @Test
    void opensslAndTheFakeVendorComputeTheSameSignature() throws Exception {
        Path signed = dir.resolve("signed");
        byte[] prefix = (NOW + ".").getBytes(StandardCharsets.US_ASCII);
        byte[] all = new byte[prefix.length + BODY.length];
        System.arraycopy(prefix, 0, all, 0, prefix.length);
        System.arraycopy(BODY, 0, all, prefix.length, BODY.length);
        Files.write(signed, all);
        Processes.Result r = Processes.run(dir, Duration.ofSeconds(30), "openssl", "dgst", "-sha256", "-hmac",
                Configs.SECRET, signed.toString());
        assertEquals(0, r.exit(), r.out());
        String hex = r.out().strip().substring(r.out().strip().lastIndexOf(' ') + 1);
        assertEquals("sha256=" + hex, WebhookSignature.sign(Configs.SECRET, NOW, BODY));
        assertEquals("sha256=" + hex, FakeVendor.signature(Configs.SECRET, NOW, BODY));
        assertEquals(NOW, verifier.verify(Long.toString(NOW), "sha256=" + hex, BODY, Instant.ofEpochSecond(NOW)));
    }

    @Test
    void theCurrentAndThePreviousSecretAreAcceptedAnotherIsNot() throws Exception {
        Instant now = Instant.ofEpochSecond(NOW);
        verifier.verify(Long.toString(NOW), WebhookSignature.sign(Configs.SECRET, NOW, BODY), BODY, now);
        verifier.verify(Long.toString(NOW), WebhookSignature.sign(Configs.PREVIOUS, NOW, BODY), BODY, now);
        assertEquals("signature.mismatch", code(Long.toString(NOW), WebhookSignature.sign("another", NOW, BODY), BODY));
        WebhookSignature currentOnly = new WebhookSignature(List.of(Configs.SECRET), Duration.ofMinutes(5));
        assertEquals("signature.mismatch", assertThrows(WebhookSignature.Refused.class, () -> currentOnly.verify(
                Long.toString(NOW), WebhookSignature.sign(Configs.PREVIOUS, NOW, BODY), BODY, now)).code);
    }

    @Test
    void anyChangeToTheRawBodyOrTheTimestampBreaksTheSignature() {
        String sig = WebhookSignature.sign(Configs.SECRET, NOW, BODY);
        for (int i = 0; i < BODY.length; i++) {
            byte[] tampered = BODY.clone();
            tampered[i] ^= 0x01;
            assertEquals("signature.mismatch", code(Long.toString(NOW), sig, tampered), "byte " + i);
        }
        // the same JSON re-serialised (a space) is another body: the HMAC is over the raw bytes
        byte[] reformatted = new String(BODY, StandardCharsets.UTF_8).replace(",", ", ").getBytes(StandardCharsets.UTF_8);
        assertEquals("signature.mismatch", code(Long.toString(NOW), sig, reformatted));
        assertEquals("signature.mismatch", code(Long.toString(NOW - 1), sig, BODY));
        String hex = sig.substring("sha256=".length());
        String flipped = hex.substring(0, 63) + (hex.charAt(63) == '0' ? '1' : '0');
        assertEquals("signature.mismatch", code(Long.toString(NOW), "sha256=" + flipped, BODY));
        assertEquals("signature.mismatch", code(Long.toString(NOW), "sha256=" + hex.substring(0, 62), BODY));
    }

    @Test
    void oneMatchingEntryAmongSeveralIsEnoughUpperCaseHexToo() throws Exception {
        String good = WebhookSignature.sign(Configs.SECRET, NOW, BODY);
        verifier.verify(Long.toString(NOW), "v0=abc, sha256=00ff," + good, BODY, Instant.ofEpochSecond(NOW));
        verifier.verify(Long.toString(NOW), "SHA256=" + good.substring(7).toUpperCase(), BODY,
                Instant.ofEpochSecond(NOW));
    }

    @Test
    void aTimestampOutsideTheToleranceIsStaleOnEitherSide() throws Exception {
        Instant now = Instant.ofEpochSecond(NOW);
        for (long ts : new long[] { NOW - 300, NOW + 300 }) {
            verifier.verify(Long.toString(ts), WebhookSignature.sign(Configs.SECRET, ts, BODY), BODY, now);
        }
        for (long ts : new long[] { NOW - 301, NOW + 301, NOW - 86_400, 0 }) {
            assertEquals("timestamp.stale", code(Long.toString(ts), WebhookSignature.sign(Configs.SECRET, ts, BODY),
                    BODY), "ts " + ts);
        }
    }

    @Test
    void missingOrMalformedHeadersAreRefused() {
        String sig = WebhookSignature.sign(Configs.SECRET, NOW, BODY);
        assertEquals("signature.missing", code(null, sig, BODY));
        assertEquals("signature.missing", code(Long.toString(NOW), null, BODY));
        assertEquals("signature.missing", code(" ", sig, BODY));
        assertEquals("timestamp.malformed", code("2026-12-02T10:00:00Z", sig, BODY));
        assertEquals("timestamp.malformed", code("-" + NOW, sig, BODY));
        assertEquals("timestamp.malformed", code(NOW + "000000", sig, BODY));
        assertEquals("signature.malformed", code(Long.toString(NOW), sig.substring(7), BODY));
        assertEquals("signature.malformed", code(Long.toString(NOW), "sha256=zz", BODY));
        assertEquals("signature.malformed", code(Long.toString(NOW), sig + "," + "x".repeat(2000), BODY));
    }
}
