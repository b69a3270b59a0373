package io.cachet.token.tck;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.function.Function;

import io.cachet.api.token.SignatureAlgorithm;

/**
 * Builds a minimal self-signed X.509 v1 certificate whose signature the token under test makes, so that the
 * suite can import a certificate without a certificate library (the JDK has no public certificate builder).
 */
final class TestCertificate {

    private static final byte[] SHA256_WITH_RSA = oid(1, 2, 840, 113549, 1, 1, 11);
    private static final byte[] ECDSA_WITH_SHA256 = oid(1, 2, 840, 10045, 4, 3, 2);
    private static final byte[] COMMON_NAME = oid(2, 5, 4, 3);

    private TestCertificate() {
    }

    /**
     * @param algorithm {@link SignatureAlgorithm#RSA_PKCS1_SHA256} or {@link SignatureAlgorithm#ECDSA_SHA256}
     * @param signer signs the to-be-signed bytes with the token's private key
     */
    static X509Certificate selfSigned(String commonName, PublicKey publicKey, SignatureAlgorithm algorithm,
            Function<byte[], byte[]> signer) throws GeneralSecurityException {
        byte[] algorithmId = switch (algorithm) {
            case RSA_PKCS1_SHA256 -> seq(SHA256_WITH_RSA, new byte[] {0x05, 0x00});
            case ECDSA_SHA256 -> seq(ECDSA_WITH_SHA256);
            default -> throw new IllegalArgumentException("no test certificate for " + algorithm);
        };
        byte[] name = seq(tlv(0x31, seq(COMMON_NAME, tlv(0x0c, commonName.getBytes(StandardCharsets.UTF_8)))));
        byte[] validity = seq(utcTime("260101000000Z"), utcTime("460101000000Z"));
        byte[] tbs = seq(tlv(0x02, BigInteger.valueOf(System.nanoTime() & Long.MAX_VALUE | 1).toByteArray()),
                algorithmId, name, validity, name, publicKey.getEncoded());
        byte[] signature = signer.apply(tbs);
        byte[] bits = new byte[signature.length + 1];
        System.arraycopy(signature, 0, bits, 1, signature.length);
        byte[] der = seq(tbs, algorithmId, tlv(0x03, bits));
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(der));
    }

    private static byte[] utcTime(String time) {
        return tlv(0x17, time.getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] seq(byte[]... parts) {
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            content.writeBytes(part);
        }
        return tlv(0x30, content.toByteArray());
    }

    private static byte[] tlv(int tag, byte[] value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int length = value.length;
        if (length < 0x80) {
            out.write(length);
        } else {
            byte[] bytes = BigInteger.valueOf(length).toByteArray();
            int start = bytes[0] == 0 ? 1 : 0;
            out.write(0x80 | (bytes.length - start));
            out.write(bytes, start, bytes.length - start);
        }
        out.writeBytes(value);
        return out.toByteArray();
    }

    private static byte[] oid(long... arcs) {
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        content.write((int) (arcs[0] * 40 + arcs[1]));
        for (int i = 2; i < arcs.length; i++) {
            long arc = arcs[i];
            int groups = 1;
            while (arc >>> (7 * groups) != 0) {
                groups++;
            }
            for (int g = groups - 1; g >= 0; g--) {
                content.write((int) ((arc >>> (7 * g)) & 0x7f) | (g == 0 ? 0 : 0x80));
            }
        }
        return tlv(0x06, content.toByteArray());
    }
}
