package io.cachet.audit.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

import io.cachet.api.security.Digests;

/**
 * The canonical byte encodings that record hashes and anchor signatures are computed over. They are part of
 * the stored format: changing them makes every existing chain unverifiable, so a new encoding needs a new tag.
 *
 * <p><b>Field encoding.</b> Each field is its UTF-8 bytes preceded by their length as a 4-byte big-endian
 * integer. Fields are concatenated without separators; the length prefixes make the encoding unambiguous
 * ({@code "ab","c"} and {@code "a","bc"} encode differently).
 *
 * <p><b>Time.</b> UTC, truncated to milliseconds, always with three fraction digits:
 * {@code uuuu-MM-dd'T'HH:mm:ss.SSS'Z'}, e.g. {@code 2026-01-31T12:00:00.000Z}. Times are truncated before they
 * are stored, so what H2 or PostgreSQL gives back re-hashes identically.
 *
 * <p><b>Record hash</b> = lower-case hex SHA-256 over these fields, in this order:
 * <ol>
 * <li>the tag {@code cachet.audit.record.v1}</li>
 * <li>previousHash: the previous record's hash; 64 × {@code 0} for the first record</li>
 * <li>time</li>
 * <li>actor</li>
 * <li>action</li>
 * <li>subject (possibly empty)</li>
 * <li>payloadDigest: lower-case hex SHA-256 of the event payload (the payload itself is not stored)</li>
 * </ol>
 * The sequence number is deliberately not hashed: it is checked on its own, so the verifier can tell a record
 * that moved (intact, but at the wrong place) from one whose content changed.
 *
 * <p><b>Anchor statement</b> (the bytes an {@link io.cachet.api.audit.AuditAnchorSigner} signs) = the fields
 * tag {@code cachet.audit.anchor.v2}, the chain id (a random UUID stored in {@code audit_head.chain_id}), the
 * anchored record's sequence as decimal ASCII (which is also the number of records it vouches for: the chain
 * is gapless from 1), its hash, the anchoring time, and the previous anchor's hash (64 × {@code 0} for the
 * first anchor of a chain in a journal). Anchors made before anchors were chained signed
 * {@code cachet.audit.anchor.v1}, sequence, hash, time; they stay verifiable.
 *
 * <p><b>Anchor hash</b> (what the next anchor names as its previous one) = lower-case hex SHA-256 over the
 * fields tag {@code cachet.audit.anchor-hash.v1}, chain id, sequence, head hash, time, previous anchor hash,
 * signer id, and the signer's token in base64: it covers the proof too, so no anchor can be swapped for
 * another, not even a valid one.
 *
 * <p>Test vector: previousHash 64 × {@code 0}, time {@code 2026-01-01T00:00:00.000Z}, actor {@code system},
 * action {@code audit.test}, subject empty, payload empty (digest
 * {@code e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855}) give the hash
 * {@value #TEST_VECTOR_HASH}.
 */
public final class AuditEncoding {

    /** The previous hash of the first record. */
    static final String GENESIS = "0".repeat(64);

    static final String TEST_VECTOR_HASH = "b4f700af322c9ffab924f5f8b32a9588937dd5d23308e0e18a99f5ed5ddb3984";

    private static final String RECORD_TAG = "cachet.audit.record.v1";
    private static final String ANCHOR_TAG = "cachet.audit.anchor.v1";
    private static final String CHAINED_ANCHOR_TAG = "cachet.audit.anchor.v2";
    private static final String ANCHOR_HASH_TAG = "cachet.audit.anchor-hash.v1";
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private AuditEncoding() {
    }

    static Instant truncate(Instant time) {
        return time.truncatedTo(ChronoUnit.MILLIS);
    }

    static String time(Instant time) {
        return TIME.format(time);
    }

    public static String recordHash(String previousHash, Instant time, String actor, String action, String subject,
            String payloadDigest) {
        return Digests.sha256Hex(encode(RECORD_TAG, previousHash, time(time), actor, action, subject, payloadDigest));
    }

    static byte[] anchorStatement(long sequence, String headHash, Instant time) {
        return encode(ANCHOR_TAG, Long.toString(sequence), headHash, time(time));
    }

    static byte[] anchorStatement(String chainId, long sequence, String headHash, Instant time, String previousAnchor) {
        return encode(CHAINED_ANCHOR_TAG, chainId, Long.toString(sequence), headHash, time(time), previousAnchor);
    }

    static String anchorHash(String chainId, long sequence, String headHash, Instant time, String previousAnchor,
            String signer, byte[] token) {
        return Digests.sha256Hex(encode(ANCHOR_HASH_TAG, chainId, Long.toString(sequence), headHash, time(time),
                previousAnchor, signer, java.util.Base64.getEncoder().encodeToString(token)));
    }

    static byte[] encode(String... fields) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String field : fields) {
            byte[] bytes = field.getBytes(StandardCharsets.UTF_8);
            int n = bytes.length;
            out.write(n >>> 24);
            out.write(n >>> 16);
            out.write(n >>> 8);
            out.write(n);
            out.writeBytes(bytes);
        }
        return out.toByteArray();
    }
}
