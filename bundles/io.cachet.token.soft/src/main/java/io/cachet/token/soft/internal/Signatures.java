package io.cachet.token.soft.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;

import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.DigestInfo;
import org.bouncycastle.crypto.CryptoException;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.engines.RSABlindedEngine;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ParametersWithRandom;
import org.bouncycastle.crypto.params.RSAKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.PSSSigner;
import org.bouncycastle.crypto.signers.StandardDSAEncoding;
import org.bouncycastle.crypto.util.DigestFactory;
import org.bouncycastle.crypto.util.PrivateKeyFactory;

import io.cachet.api.token.SignatureAlgorithm;
import io.cachet.api.token.TokenException;

/**
 * Signs a digest computed outside, as a hardware token does, with library primitives only: ECDSA with
 * BouncyCastle's {@code ECDSASigner} (DER {@code ECDSA-Sig-Value}), PKCS#1 v1.5 with the JDK's {@code NONEwithRSA}
 * over the DER DigestInfo, PSS with BouncyCastle's raw {@code PSSSigner} (MGF1 with the same hash, salt as long as
 * the hash, trailer 1) because the JDK signs PSS only over a whole message. BouncyCastle's lightweight classes, not
 * its JCA provider: constructing that provider registers hundreds of algorithms (~800 classes, ~0.3 s of a start
 * with BouncyCastle 1.83) and a start signs with this token (the audit anchor's time-stamp, a CRL when the kept one
 * is out of date); and through the provider every ECDSA signature converted the JDK key's curve and precomputed its
 * base point again, where the named curve's parameters keep that precomputation (OCSP and TSA answers over HTTP
 * 1.5-2.3x faster). Every result verifies with the JDK's
 * {@code SHA*withECDSA}, {@code SHA*withRSA} and {@code RSASSA-PSS}. Thread-safe.
 */
final class Signatures {

    private Signatures() {
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
            if ("EC".equals(algorithm.keyFamily())) {
                // BouncyCastle's ECDSA is about 6x faster than SunEC's on Java 17 (PERFORMANCE.md); its lightweight
                // API takes the curve from its table of named curves, whose base-point precomputation is kept from
                // one signature to the next
                ECPrivateKeyParameters k = (ECPrivateKeyParameters) PrivateKeyFactory.createKey(key.getEncoded());
                ECDSASigner signer = new ECDSASigner();
                signer.init(true, new ParametersWithRandom(k, random));
                BigInteger[] rs = signer.generateSignature(digest);
                return StandardDSAEncoding.INSTANCE.encode(k.getParameters().getN(), rs[0], rs[1]);
            }
            if (algorithm.pss()) {
                RSAKeyParameters k = (RSAKeyParameters) PrivateKeyFactory.createKey(key.getEncoded());
                PSSSigner signer = PSSSigner.createRawSigner(new RSABlindedEngine(), bcDigest(algorithm),
                        bcDigest(algorithm), digest.length, PSSSigner.TRAILER_IMPLICIT);
                signer.init(true, new ParametersWithRandom(k, random));
                signer.update(digest, 0, digest.length);
                return signer.generateSignature();
            }
            Signature signer = Signature.getInstance("NONEwithRSA");
            signer.initSign(key, random);
            signer.update(digestInfo(algorithm, digest));
            return signer.sign();
        } catch (GeneralSecurityException | IOException | CryptoException | RuntimeException e) {
            throw new TokenException(TokenException.Reason.DEVICE_ERROR,
                    "Signing with " + algorithm + " failed: " + e.getMessage(), e);
        }
    }

    private static Digest bcDigest(SignatureAlgorithm algorithm) {
        switch (algorithm.hash()) {
            case "SHA-256":
                return DigestFactory.createSHA256();
            case "SHA-384":
                return DigestFactory.createSHA384();
            case "SHA-512":
                return DigestFactory.createSHA512();
            default:
                throw new IllegalArgumentException("no PSS with " + algorithm.hash());
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
