package io.cachet.delivery.cloud.internal.csc;

import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.List;
import java.util.Map;

import io.cachet.api.token.SignatureAlgorithm;

/**
 * The object identifiers the CSC API speaks in (hash algorithms, key algorithms, signature algorithms) and what they
 * mean for a cloud key. Only what Cachet's tokens do: RSA PKCS#1 v1.5 and ECDSA with SHA-2 (no PSS: its parameters
 * would have to be parsed and matched, and no client asked for it).
 */
final class CscAlgorithms {

    static final String SHA256 = "2.16.840.1.101.3.4.2.1";
    static final String SHA384 = "2.16.840.1.101.3.4.2.2";
    static final String SHA512 = "2.16.840.1.101.3.4.2.3";

    static final String RSA = "1.2.840.113549.1.1.1";
    static final String SHA256_RSA = "1.2.840.113549.1.1.11";
    static final String SHA384_RSA = "1.2.840.113549.1.1.12";
    static final String SHA512_RSA = "1.2.840.113549.1.1.13";
    static final String EC = "1.2.840.10045.2.1";
    static final String ECDSA_SHA256 = "1.2.840.10045.4.3.2";
    static final String ECDSA_SHA384 = "1.2.840.10045.4.3.3";
    static final String ECDSA_SHA512 = "1.2.840.10045.4.3.4";

    /** Hash OID to its digest length in bytes. */
    private static final Map<String, Integer> HASH_LENGTHS = Map.of(SHA256, 32, SHA384, 48, SHA512, 64);

    /** Every signature algorithm the service offers, as {@code info} lists them. */
    static final List<String> SIGN_ALGORITHMS = List.of(RSA, SHA256_RSA, SHA384_RSA, SHA512_RSA, EC, ECDSA_SHA256,
            ECDSA_SHA384, ECDSA_SHA512);

    private CscAlgorithms() {
    }

    /** @return the digest length of a supported hash algorithm, or -1 for any other OID */
    static int hashLength(String hashOid) {
        return hashOid == null ? -1 : HASH_LENGTHS.getOrDefault(hashOid, -1);
    }

    static String hashName(String hashOid) {
        return switch (hashOid) {
            case SHA256 -> "SHA-256";
            case SHA384 -> "SHA-384";
            case SHA512 -> "SHA-512";
            default -> hashOid;
        };
    }

    /** {@code RSA} or {@code EC} for a public key, null for any other. */
    static String family(PublicKey key) {
        return key instanceof RSAPublicKey ? "RSA" : key instanceof ECPublicKey ? "EC" : null;
    }

    /** The key algorithm's OID ({@code key.algo} of credentials/info). */
    static String keyOid(PublicKey key) {
        return key instanceof RSAPublicKey ? RSA : EC;
    }

    /** The key's size in bits ({@code key.len}): the modulus for RSA, the field for EC. */
    static int keyLength(PublicKey key) {
        if (key instanceof RSAPublicKey rsa) {
            return rsa.getModulus().bitLength();
        }
        if (key instanceof ECPublicKey ec) {
            return ec.getParams().getCurve().getField().getFieldSize();
        }
        return 0;
    }

    /** The signature algorithms a key of {@code family} can make ({@code key.algo} after the key's own OID). */
    static List<String> signAlgorithms(String family) {
        return "RSA".equals(family) ? List.of(RSA, SHA256_RSA, SHA384_RSA, SHA512_RSA)
                : List.of(EC, ECDSA_SHA256, ECDSA_SHA384, ECDSA_SHA512);
    }

    /**
     * The token's algorithm for {@code signAlgo} with hashes of {@code hashOid}, on a key of {@code family}.
     *
     * @throws CscException {@code Invalid parameter signAlgo} when the algorithm is not one this key makes or names
     *         another hash than the authorised one
     */
    static SignatureAlgorithm signing(String family, String signAlgo, String hashOid) {
        String hash = hashName(hashOid);
        SignatureAlgorithm a = switch (signAlgo) {
            case RSA -> "RSA".equals(family) ? rsa(hash) : null;
            case SHA256_RSA, SHA384_RSA, SHA512_RSA -> "RSA".equals(family) ? rsa(signHash(signAlgo)) : null;
            case EC -> "EC".equals(family) ? ec(hash) : null;
            case ECDSA_SHA256, ECDSA_SHA384, ECDSA_SHA512 -> "EC".equals(family) ? ec(signHash(signAlgo)) : null;
            default -> null;
        };
        if (a == null) {
            throw CscException.refused("sign-algorithm", "Invalid parameter signAlgo: this credential's "
                    + family + " key signs with " + String.join(", ", signAlgorithms(family)) + ".");
        }
        if (!a.hash().equals(hash)) {
            throw CscException.refused("sign-algorithm", "Invalid parameter signAlgo: " + signAlgo + " hashes with "
                    + a.hash() + " but the hashes were authorised as " + hash + ".");
        }
        return a;
    }

    private static String signHash(String signAlgo) {
        return switch (signAlgo) {
            case SHA256_RSA, ECDSA_SHA256 -> "SHA-256";
            case SHA384_RSA, ECDSA_SHA384 -> "SHA-384";
            default -> "SHA-512";
        };
    }

    private static SignatureAlgorithm rsa(String hash) {
        return switch (hash) {
            case "SHA-256" -> SignatureAlgorithm.RSA_PKCS1_SHA256;
            case "SHA-384" -> SignatureAlgorithm.RSA_PKCS1_SHA384;
            default -> SignatureAlgorithm.RSA_PKCS1_SHA512;
        };
    }

    private static SignatureAlgorithm ec(String hash) {
        return switch (hash) {
            case "SHA-256" -> SignatureAlgorithm.ECDSA_SHA256;
            case "SHA-384" -> SignatureAlgorithm.ECDSA_SHA384;
            default -> SignatureAlgorithm.ECDSA_SHA512;
        };
    }
}
