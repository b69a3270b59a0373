package io.cachet.token.pkcs11.internal;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.HexFormat;

import io.cachet.api.token.SignatureAlgorithm;

/** Encodings around the raw signature mechanisms: DigestInfo for PKCS#1 v1.5, ECDSA-Sig-Value for ECDSA. */
final class Signatures {

    private static final HexFormat HEX = HexFormat.of();
    // DER of DigestInfo up to the digest (RFC 8017 section 9.2, note 1)
    private static final byte[] SHA256_PREFIX = HEX.parseHex("3031300d060960864801650304020105000420");
    private static final byte[] SHA384_PREFIX = HEX.parseHex("3041300d060960864801650304020205000430");
    private static final byte[] SHA512_PREFIX = HEX.parseHex("3051300d060960864801650304020305000440");

    private Signatures() {
    }

    static int digestLength(String hash) {
        return switch (hash) {
            case "SHA-256" -> 32;
            case "SHA-384" -> 48;
            case "SHA-512" -> 64;
            default -> throw new IllegalArgumentException("Unsupported hash " + hash);
        };
    }

    /** DER DigestInfo of {@code digest}: the input of CKM_RSA_PKCS for a PKCS#1 v1.5 signature. */
    static byte[] digestInfo(SignatureAlgorithm algorithm, byte[] digest) {
        byte[] prefix = switch (algorithm.hash()) {
            case "SHA-256" -> SHA256_PREFIX;
            case "SHA-384" -> SHA384_PREFIX;
            case "SHA-512" -> SHA512_PREFIX;
            default -> throw new IllegalArgumentException("Unsupported hash " + algorithm.hash());
        };
        byte[] out = Arrays.copyOf(prefix, prefix.length + digest.length);
        System.arraycopy(digest, 0, out, prefix.length, digest.length);
        return out;
    }

    /** CKM_ECDSA answers r‖s, each as long as the curve order; X.509 and CMS want DER {@code SEQUENCE {r, s}}. */
    static byte[] ecdsaDer(byte[] rs) {
        if (rs.length == 0 || rs.length % 2 != 0) {
            throw new IllegalArgumentException("Raw ECDSA signature of odd length " + rs.length);
        }
        int half = rs.length / 2;
        BigInteger r = new BigInteger(1, Arrays.copyOfRange(rs, 0, half));
        BigInteger s = new BigInteger(1, Arrays.copyOfRange(rs, half, rs.length));
        return Der.sequence(Der.integer(r), Der.integer(s));
    }
}
