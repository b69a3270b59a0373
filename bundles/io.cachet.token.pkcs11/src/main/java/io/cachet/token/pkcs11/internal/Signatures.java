package io.cachet.token.pkcs11.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.util.Arrays;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.DigestInfo;

import io.cachet.api.token.SignatureAlgorithm;

/**
 * Encodings around the raw signature mechanisms, with BouncyCastle's ASN.1 (the one DER encoder of Cachet): DigestInfo
 * for PKCS#1 v1.5, ECDSA-Sig-Value for ECDSA.
 */
final class Signatures {

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

    /** DER DigestInfo of {@code digest} (RFC 8017, section 9.2): the input of CKM_RSA_PKCS for PKCS#1 v1.5. */
    static byte[] digestInfo(SignatureAlgorithm algorithm, byte[] digest) {
        return der(new DigestInfo(new AlgorithmIdentifier(new ASN1ObjectIdentifier(algorithm.hashOid()),
                DERNull.INSTANCE), digest));
    }

    /** CKM_ECDSA answers r‖s, each as long as the curve order; X.509 and CMS want DER {@code SEQUENCE {r, s}}. */
    static byte[] ecdsaDer(byte[] rs) {
        if (rs.length == 0 || rs.length % 2 != 0) {
            throw new IllegalArgumentException("Raw ECDSA signature of odd length " + rs.length);
        }
        int half = rs.length / 2;
        BigInteger r = new BigInteger(1, Arrays.copyOfRange(rs, 0, half));
        BigInteger s = new BigInteger(1, Arrays.copyOfRange(rs, half, rs.length));
        return der(new DERSequence(new ASN1Encodable[] { new ASN1Integer(r), new ASN1Integer(s) }));
    }

    static byte[] der(ASN1Encodable value) {
        try {
            return value.toASN1Primitive().getEncoded(ASN1Encoding.DER);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot DER-encode " + value.getClass().getSimpleName(), e);
        }
    }
}
