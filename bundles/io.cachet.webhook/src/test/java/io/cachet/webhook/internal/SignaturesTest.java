package io.cachet.webhook.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cachet.api.testing.Processes;

/** The signature a receiver checks, computed independently by openssl as the README shows. */
class SignaturesTest {

    @TempDir
    Path dir;

    @Test
    void opensslComputesTheSameSignatureOverTimestampDotRawBody() throws Exception {
        String secret = "whsec_3q2-7wAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
        long timestamp = 1_796_212_800L;
        byte[] body = "{\"id\":\"whd_x\",\"type\":\"order.state_changed\",\"order\":{\"id\":\"ord_é\"}}"
                .getBytes(StandardCharsets.UTF_8);
        Path signed = dir.resolve("signed");
        Files.write(signed, (timestamp + "." + new String(body, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
        Processes.Result r = Processes.run(dir, Duration.ofSeconds(30), "openssl", "dgst", "-sha256", "-hmac", secret,
                signed.toString());
        assertEquals(0, r.exit(), r.out());
        String expected = r.out().strip().substring(r.out().strip().lastIndexOf(' ') + 1);
        assertEquals(expected, Signatures.hmac(secret, timestamp, body));
        assertEquals("v1=" + expected, Signatures.header(List.of(secret), timestamp, body));
    }

    @Test
    void anotherTimestampSecretOrBodyGivesAnotherSignatureAndARotationSignsTwice() {
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
        String s = Signatures.hmac("a", 1, body);
        assertTrue(s.matches("[0-9a-f]{64}"), s);
        assertNotEquals(s, Signatures.hmac("a", 2, body));
        assertNotEquals(s, Signatures.hmac("b", 1, body));
        assertNotEquals(s, Signatures.hmac("a", 1, "{ }".getBytes(StandardCharsets.UTF_8)));
        assertEquals("v1=" + s + ",v1=" + Signatures.hmac("old", 1, body), Signatures.header(List.of("a", "old"), 1, body));
    }
}
