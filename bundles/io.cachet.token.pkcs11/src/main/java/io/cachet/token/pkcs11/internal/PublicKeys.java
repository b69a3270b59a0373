package io.cachet.token.pkcs11.internal;

import java.io.IOException;
import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Arrays;
import java.util.HexFormat;

import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;

import io.cachet.api.token.KeyAlgorithm;

/** Public halves read from the token as JCA keys, and the curve parameters Cachet generates keys on. */
final class PublicKeys {

    private static final HexFormat HEX = HexFormat.of();
    /** DER OBJECT IDENTIFIER 1.2.840.10045.3.1.7 (P-256), the value of CKA_EC_PARAMS. */
    static final byte[] P256 = HEX.parseHex("06082a8648ce3d030107");
    /** DER OBJECT IDENTIFIER 1.3.132.0.34 (P-384). */
    static final byte[] P384 = HEX.parseHex("06052b81040022");
    static final BigInteger F4 = BigInteger.valueOf(65537);

    private PublicKeys() {
    }

    static byte[] ecParams(KeyAlgorithm algorithm) {
        return switch (algorithm) {
            case EC_P256 -> P256.clone();
            case EC_P384 -> P384.clone();
            default -> throw new IllegalArgumentException(algorithm + " is not an EC algorithm");
        };
    }

    /** The key algorithm of an RSA key with this modulus, or {@code null} for sizes Cachet does not use. */
    static KeyAlgorithm rsaAlgorithm(BigInteger modulus) {
        return switch (modulus.bitLength()) {
            case 2048 -> KeyAlgorithm.RSA_2048;
            case 3072 -> KeyAlgorithm.RSA_3072;
            case 4096 -> KeyAlgorithm.RSA_4096;
            default -> null;
        };
    }

    /** The key algorithm for these CKA_EC_PARAMS, or {@code null} for curves Cachet does not use. */
    static KeyAlgorithm ecAlgorithm(byte[] ecParams) {
        if (Arrays.equals(ecParams, P256)) {
            return KeyAlgorithm.EC_P256;
        }
        if (Arrays.equals(ecParams, P384)) {
            return KeyAlgorithm.EC_P384;
        }
        return null;
    }

    static PublicKey rsa(BigInteger modulus, BigInteger exponent) {
        try {
            return KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(modulus, exponent));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("The JDK cannot build an RSA public key", e);
        }
    }

    /**
     * @param ecPoint CKA_EC_POINT: the uncompressed point {@code 04‖X‖Y}, either bare (as the wrapper normalises
     *        it) or wrapped in the DER OCTET STRING PKCS#11 prescribes (as SoftHSM2 stores it)
     */
    static PublicKey ec(KeyAlgorithm algorithm, byte[] ecPoint) {
        int field = (algorithm.bits() + 7) / 8;
        byte[] point = ecPoint;
        if (point.length != 1 + 2 * field) {
            point = octetStringContent(point);
        }
        if (point.length != 1 + 2 * field || point[0] != 0x04) {
            throw new IllegalArgumentException("CKA_EC_POINT is not an uncompressed " + algorithm + " point ("
                    + point.length + " bytes)");
        }
        BigInteger x = new BigInteger(1, Arrays.copyOfRange(point, 1, 1 + field));
        BigInteger y = new BigInteger(1, Arrays.copyOfRange(point, 1 + field, point.length));
        try {
            AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
            parameters.init(new ECGenParameterSpec(algorithm == KeyAlgorithm.EC_P256 ? "secp256r1" : "secp384r1"));
            ECParameterSpec spec = parameters.getParameterSpec(ECParameterSpec.class);
            return KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(new ECPoint(x, y), spec));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("The JDK cannot build an EC public key on " + algorithm, e);
        }
    }

    /** Whether two public keys are the same key, whatever the encoding of their parameters. */
    static boolean same(PublicKey a, PublicKey b) {
        if (a instanceof RSAPublicKey ra && b instanceof RSAPublicKey rb) {
            return ra.getModulus().equals(rb.getModulus()) && ra.getPublicExponent().equals(rb.getPublicExponent());
        }
        if (a instanceof ECPublicKey ea && b instanceof ECPublicKey eb) {
            return ea.getW().equals(eb.getW()) && ea.getParams().getOrder().equals(eb.getParams().getOrder())
                    && ea.getParams().getCurve().equals(eb.getParams().getCurve());
        }
        return false;
    }

    /** The content of a DER OCTET STRING spanning all of {@code encoded}; {@code encoded} itself when it is not one. */
    static byte[] octetStringContent(byte[] encoded) {
        if (encoded.length < 2 || encoded[0] != 0x04) {
            return encoded;
        }
        try {
            ASN1Primitive value = ASN1Primitive.fromByteArray(encoded); // refuses trailing bytes
            return value instanceof ASN1OctetString octets ? octets.getOctets() : encoded;
        } catch (IOException | IllegalArgumentException e) {
            return encoded;
        }
    }
}
