package io.cachet.signature.internal;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.X509EncodedKeySpec;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.bouncycastle.jce.provider.BouncyCastleProvider;

import io.cachet.api.signature.SignatureException;
import io.cachet.api.signature.SignatureException.Reason;
import io.cachet.api.token.SignatureAlgorithm;

/**
 * The check that a signature value made on the token verifies with the signing certificate's public key, before it
 * is embedded in anything: a key that does not match its certificate (a wrong alias, a replaced certificate) is
 * refused instead of producing signatures nobody can verify. Used by every signing path (DSS's three steps, the
 * one-pass PAdES and the BouncyCastle CAdES).
 */
final class SignatureValueCheck {
    private static final BouncyCastleProvider BC = new BouncyCastleProvider();
    private static final Map<X509Certificate, PublicKey> VERIFYING_KEYS = new ConcurrentHashMap<>();

    private SignatureValueCheck() {
    }

    /**
     * Refuses {@code value} unless it is a valid {@code algorithm} signature of {@code data} by the key of
     * {@code certificate}. ECDSA values are DER {@code ECDSA-Sig-Value}, as the token connection returns them.
     */
    static void require(X509Certificate certificate, SignatureAlgorithm algorithm, byte[] data, byte[] value) {
        boolean valid;
        try {
            Signature verifier = Signature.getInstance(jcaName(algorithm), BC);
            verifier.initVerify(verifyingKey(certificate));
            verifier.update(data);
            valid = verifier.verify(value);
        } catch (GeneralSecurityException e) {
            valid = false;
        }
        if (!valid) {
            throw new SignatureException(Reason.KEY_UNUSABLE, "the key on the token does not match the signing"
                    + " certificate (the signature value does not verify with its public key)");
        }
    }

    /** The JCA name of {@code algorithm} (RSA-PSS with MGF1 and the salt as long as the hash). */
    static String jcaName(SignatureAlgorithm algorithm) {
        String hash = algorithm.hash().replace("-", "");
        if (algorithm.pss()) {
            return hash + "withRSAandMGF1";
        }
        return hash + ("EC".equals(algorithm.keyFamily()) ? "withECDSA" : "withRSA");
    }

    /**
     * The certificate's public key as a BouncyCastle key, made once per certificate: BouncyCastle keeps its
     * precomputed multiples of the public point with the key object, and a JDK key converted at every signature
     * made the check cost ~1/6 of a whole PAdES-B signature of a 1 MB PDF (profiled); DSS's own check
     * (isValidSignatureValue, the JDK's verifier) was ~10 % of a XAdES-B detached signature of a 1 MiB file.
     */
    private static PublicKey verifyingKey(X509Certificate certificate) throws GeneralSecurityException {
        PublicKey cached = VERIFYING_KEYS.get(certificate);
        if (cached != null) {
            return cached;
        }
        PublicKey key = certificate.getPublicKey();
        PublicKey converted = KeyFactory.getInstance(key.getAlgorithm(), BC)
                .generatePublic(new X509EncodedKeySpec(key.getEncoded()));
        if (VERIFYING_KEYS.size() >= 256) {
            VERIFYING_KEYS.clear(); // bounded: a platform signs with a few seal keys, not thousands
        }
        VERIFYING_KEYS.put(certificate, converted);
        return converted;
    }
}
