package io.cachet.audit.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.cachet.api.security.Digests;

class AuditEncodingTest {

    private static final String EMPTY_DIGEST = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void recordHashMatchesTheDocumentedTestVector() {
        // computed independently (Python hashlib + struct.pack('>I', len)) from the Javadoc's description
        String expected = "b4f700af322c9ffab924f5f8b32a9588937dd5d23308e0e18a99f5ed5ddb3984";
        assertEquals(EMPTY_DIGEST, Digests.sha256Hex(new byte[0]));
        assertEquals(expected, AuditEncoding.recordHash(AuditEncoding.GENESIS, T, "system", "audit.test", "", EMPTY_DIGEST));
        assertEquals(expected, AuditEncoding.TEST_VECTOR_HASH, "the Javadoc shows the real value");
    }

    @Test
    void fieldsAreLengthPrefixedUtf8() {
        byte[] ue = "ü".getBytes(StandardCharsets.UTF_8);
        byte[] expected = ByteBuffer.allocate(4 + 1 + 4 + ue.length + 4).putInt(1).put((byte) 'a').putInt(ue.length).put(ue)
                .putInt(0).array();
        assertArrayEquals(expected, AuditEncoding.encode("a", "ü", ""));
    }

    @Test
    void fieldBoundariesMatter() {
        assertNotEquals(AuditEncoding.recordHash(AuditEncoding.GENESIS, T, "ab", "c", "", EMPTY_DIGEST),
                AuditEncoding.recordHash(AuditEncoding.GENESIS, T, "a", "bc", "", EMPTY_DIGEST));
        assertNotEquals(AuditEncoding.recordHash(AuditEncoding.GENESIS, T, "a", "b", "s", EMPTY_DIGEST),
                AuditEncoding.recordHash(AuditEncoding.GENESIS, T, "a", "bs", "", EMPTY_DIGEST));
    }

    @Test
    void timeIsUtcMillisecondsWithThreeDigitsAlways() {
        assertEquals("2026-01-01T00:00:00.000Z", AuditEncoding.time(T));
        Instant fine = Instant.parse("2026-03-04T05:06:07.123456789Z");
        assertEquals("2026-03-04T05:06:07.123Z", AuditEncoding.time(fine));
        assertEquals(Instant.parse("2026-03-04T05:06:07.123Z"), AuditEncoding.truncate(fine));
        assertEquals(AuditEncoding.recordHash(AuditEncoding.GENESIS, fine, "a", "b", "", EMPTY_DIGEST),
                AuditEncoding.recordHash(AuditEncoding.GENESIS, AuditEncoding.truncate(fine), "a", "b", "", EMPTY_DIGEST));
    }

    @Test
    void anchorStatementCoversSequenceHashAndTime() {
        byte[] base = AuditEncoding.anchorStatement(7, EMPTY_DIGEST, T);
        assertFalse(java.util.Arrays.equals(base, AuditEncoding.anchorStatement(8, EMPTY_DIGEST, T)));
        assertFalse(java.util.Arrays.equals(base, AuditEncoding.anchorStatement(7, AuditEncoding.GENESIS, T)));
        assertFalse(java.util.Arrays.equals(base, AuditEncoding.anchorStatement(7, EMPTY_DIGEST, T.plusMillis(1))));
        assertArrayEquals(AuditEncoding.encode("cachet.audit.anchor.v1", "7", EMPTY_DIGEST, "2026-01-01T00:00:00.000Z"), base);
    }

    /** Vectors computed independently (Python: 4-byte big-endian length + UTF-8 per field, SHA-256). */
    @Test
    void chainedAnchorStatementAndHashArePinned() {
        String chain = "01234567-89ab-4cde-8f01-23456789abcd";
        byte[] statement = AuditEncoding.anchorStatement(chain, 5, AuditEncoding.TEST_VECTOR_HASH, T, AuditEncoding.GENESIS);
        assertEquals("00cd436d25ee2a29d6345285a584ce158839c296c1a985389a8ac781aa480ea2", Digests.sha256Hex(statement));
        assertEquals("40e506db47e18e3b8a1b1cc8904dc884adee9eedfe6893e5a8889224ca7b0021", AuditEncoding.anchorHash(chain, 5,
                AuditEncoding.TEST_VECTOR_HASH, T, AuditEncoding.GENESIS, "ed25519-local", new byte[] { 0, 1, 2, 3 }));
        // the previous anchor and the chain are signed too
        assertFalse(java.util.Arrays.equals(statement, AuditEncoding.anchorStatement(chain, 5,
                AuditEncoding.TEST_VECTOR_HASH, T, EMPTY_DIGEST)));
        assertFalse(java.util.Arrays.equals(statement, AuditEncoding.anchorStatement(chain.replace('0', 'f'), 5,
                AuditEncoding.TEST_VECTOR_HASH, T, AuditEncoding.GENESIS)));
    }
}
