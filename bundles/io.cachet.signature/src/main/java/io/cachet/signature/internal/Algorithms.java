package io.cachet.signature.internal;

import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;

import eu.europa.esig.dss.enumerations.DigestAlgorithm;
import eu.europa.esig.dss.enumerations.EncryptionAlgorithm;
import io.cachet.api.token.SignatureAlgorithm;
import io.cachet.api.signature.SignatureException;
import io.cachet.api.signature.SignatureException.Reason;

/** Between DSS's algorithm names and the token SPI's {@link SignatureAlgorithm}. */
final class Algorithms {

    private Algorithms() {
    }

    /** The token algorithm performing DSS's {@code algorithm}. */
    static SignatureAlgorithm toToken(eu.europa.esig.dss.enumerations.SignatureAlgorithm algorithm) {
        if (algorithm != null) {
            switch (algorithm) {
            case RSA_SHA256: return SignatureAlgorithm.RSA_PKCS1_SHA256;
            case RSA_SHA384: return SignatureAlgorithm.RSA_PKCS1_SHA384;
            case RSA_SHA512: return SignatureAlgorithm.RSA_PKCS1_SHA512;
            case RSA_SSA_PSS_SHA256_MGF1: return SignatureAlgorithm.RSA_PSS_SHA256;
            case RSA_SSA_PSS_SHA384_MGF1: return SignatureAlgorithm.RSA_PSS_SHA384;
            case RSA_SSA_PSS_SHA512_MGF1: return SignatureAlgorithm.RSA_PSS_SHA512;
            case ECDSA_SHA256: return SignatureAlgorithm.ECDSA_SHA256;
            case ECDSA_SHA384: return SignatureAlgorithm.ECDSA_SHA384;
            case ECDSA_SHA512: return SignatureAlgorithm.ECDSA_SHA512;
            default: break;
            }
        }
        throw new SignatureException(Reason.KEY_UNUSABLE, "signature algorithm " + algorithm
                + " is not supported by Cachet tokens (RSA PKCS#1 v1.5, RSA-PSS or ECDSA with SHA-2 only)");
    }

    /** DSS's name of the token algorithm {@code algorithm}. */
    static eu.europa.esig.dss.enumerations.SignatureAlgorithm toDss(SignatureAlgorithm algorithm) {
        return eu.europa.esig.dss.enumerations.SignatureAlgorithm.getAlgorithm(encryption(algorithm),
                digest(algorithm));
    }

    static EncryptionAlgorithm encryption(SignatureAlgorithm algorithm) {
        if (algorithm.pss()) {
            return EncryptionAlgorithm.RSASSA_PSS;
        }
        return "EC".equals(algorithm.keyFamily()) ? EncryptionAlgorithm.ECDSA : EncryptionAlgorithm.RSA;
    }

    static DigestAlgorithm digest(SignatureAlgorithm algorithm) {
        return switch (algorithm.hash()) {
        case "SHA-256" -> DigestAlgorithm.SHA256;
        case "SHA-384" -> DigestAlgorithm.SHA384;
        case "SHA-512" -> DigestAlgorithm.SHA512;
        default -> throw new IllegalStateException("unknown hash " + algorithm.hash());
        };
    }

    /**
     * The algorithm to use with {@code key}: {@code requested} when it fits the key, else ECDSA with the curve's
     * hash (SHA-384 for P-384 and above) or RSA PKCS#1 v1.5 with SHA-256.
     */
    static SignatureAlgorithm forKey(PublicKey key, SignatureAlgorithm requested) {
        String family = key.getAlgorithm().startsWith("EC") ? "EC" : "RSA";
        if (!"EC".equals(family) && !"RSA".equals(key.getAlgorithm())) {
            throw new SignatureException(Reason.KEY_UNUSABLE,
                    "keys of type " + key.getAlgorithm() + " are not supported: RSA or EC only");
        }
        if (requested != null) {
            if (!requested.keyFamily().equals(family)) {
                throw new SignatureException(Reason.INVALID_OPTIONS,
                        "algorithm " + requested + " needs an " + requested.keyFamily() + " key, the key is " + family);
            }
            return requested;
        }
        if ("EC".equals(family)) {
            int bits = key instanceof ECPublicKey ec ? ec.getParams().getCurve().getField().getFieldSize() : 256;
            return bits >= 384 ? SignatureAlgorithm.ECDSA_SHA384 : SignatureAlgorithm.ECDSA_SHA256;
        }
        return SignatureAlgorithm.RSA_PKCS1_SHA256;
    }
}
