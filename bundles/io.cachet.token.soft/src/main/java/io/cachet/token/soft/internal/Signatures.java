package io.cachet.token.soft.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;

import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.DigestInfo;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

import io.cachet.api.token.SignatureAlgorithm;
import io.cachet.api.token.TokenException;

/**
 * Signs a digest computed outside, as a hardware token does, with the standard JCA primitives only: ECDSA with
 * {@code NONEwithECDSA} (DER {@code ECDSA-Sig-Value}), PKCS#1 v1.5 with {@code NONEwithRSA} over the DER
 * DigestInfo, PSS with BouncyCastle's {@code RAWRSASSA-PSS} (MGF1 with the same hash, salt as long as the hash,
 * trailer 1) because the JDK signs PSS only over a whole message. Every result verifies with the JDK's
 * {@code SHA*withECDSA}, {@code SHA*withRSA} and {@code RSASSA-PSS}. Thread-safe.
 */
final class Signatures {

    private Signatures() {
    }

    /** BouncyCastle used as a private provider instance: nothing is registered JVM-wide. */
    private static final class Bc {
        static final Provider PROVIDER = new BouncyCastleProvider();
    }

    static int digestLength(SignatureAlgorithm algorithm) {
        try {
            return MessageDigest.getInstance(algorithm.hash()).getDigestLength();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm.hash() + " is missing from this JDK", e);
        }
    }

    static byte[] digest(SignatureAlgorithm algorithm, byte[] message) {
        try {
            return MessageDigest.getInstance(algorithm.hash()).digest(message);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm.hash() + " is missing from this JDK", e);
        }
    }

    static byte[] signDigest(PrivateKey key, SignatureAlgorithm algorithm, byte[] digest, SecureRandom random) {
        try {
            Signature signer;
            byte[] input = digest;
            if ("EC".equals(algorithm.keyFamily())) {
                // BouncyCastle's ECDSA is about 6x faster than SunEC's on Java 17 (PERFORMANCE.md)
                signer = Signature.getInstance("NONEwithECDSA", Bc.PROVIDER);
            } else if (algorithm.pss()) {
                signer = Signature.getInstance("RAWRSASSA-PSS", Bc.PROVIDER);
                signer.setParameter(new PSSParameterSpec(algorithm.hash(), "MGF1",
                        new MGF1ParameterSpec(algorithm.hash()), digest.length, PSSParameterSpec.TRAILER_FIELD_BC));
            } else {
                signer = Signature.getInstance("NONEwithRSA");
                input = digestInfo(algorithm, digest);
            }
            signer.initSign(key, random);
            signer.update(input);
            return signer.sign();
        } catch (GeneralSecurityException e) {
            throw new TokenException(TokenException.Reason.DEVICE_ERROR,
                    "Signing with " + algorithm + " failed: " + e.getMessage(), e);
        }
    }

    /** DigestInfo of RFC 8017, section 9.2 (BouncyCastle's): the hash's OID (parameters NULL) and the digest. */
    static byte[] digestInfo(SignatureAlgorithm algorithm, byte[] digest) {
        try {
            return new DigestInfo(new AlgorithmIdentifier(new ASN1ObjectIdentifier(algorithm.hashOid()),
                    DERNull.INSTANCE), digest).getEncoded(ASN1Encoding.DER);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode a DigestInfo", e);
        }
    }
}
