package io.cachet.token.soft.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Arrays;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1UTCTime;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;

/**
 * The self-signed stand-in stored with a new key pair until its real certificate is imported: the JDK's PKCS#12
 * key store keeps a private key only together with a certificate chain. It is recognised by its exact subject,
 * never handed out as a certificate, and expired from the start (validity 1970-01-01 only). Encoded with
 * BouncyCastle's ASN.1 (bcprov only: the software token does not need the certificate builders of bcpkix).
 */
final class PlaceholderCertificate {

    private static final AlgorithmIdentifier SHA256_WITH_RSA = new AlgorithmIdentifier(
            PKCSObjectIdentifiers.sha256WithRSAEncryption, DERNull.INSTANCE);
    private static final AlgorithmIdentifier ECDSA_WITH_SHA256 = new AlgorithmIdentifier(
            X9ObjectIdentifiers.ecdsa_with_SHA256);
    private static final String MARK = "Cachet software token: no certificate imported";

    private PlaceholderCertificate() {
    }

    static X509Certificate create(String alias, KeyPair keys) throws GeneralSecurityException {
        boolean rsa = "RSA".equals(keys.getPublic().getAlgorithm());
        AlgorithmIdentifier algorithm = rsa ? SHA256_WITH_RSA : ECDSA_WITH_SHA256;
        DERSequence name = name(alias);
        byte[] tbs = der(sequence(new ASN1Integer(BigInteger.ONE), algorithm, name,
                sequence(new ASN1UTCTime("700101000000Z"), new ASN1UTCTime("700101235959Z")), name,
                SubjectPublicKeyInfo.getInstance(keys.getPublic().getEncoded())));
        Signature signer = Signature.getInstance(rsa ? "SHA256withRSA" : "SHA256withECDSA");
        signer.initSign(keys.getPrivate());
        signer.update(tbs);
        byte[] certificate = der(sequence(DERSequence.getInstance(tbs), algorithm, new DERBitString(signer.sign())));
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(certificate));
    }

    static boolean isPlaceholder(X509Certificate certificate, String alias) {
        byte[] name = der(name(alias));
        return Arrays.equals(name, certificate.getSubjectX500Principal().getEncoded())
                && Arrays.equals(name, certificate.getIssuerX500Principal().getEncoded());
    }

    private static DERSequence name(String alias) {
        return sequence(new DERSet(sequence(BCStyle.OU, new DERUTF8String(MARK))),
                new DERSet(sequence(BCStyle.CN, new DERUTF8String(alias))));
    }

    private static DERSequence sequence(ASN1Encodable... elements) {
        return new DERSequence(elements);
    }

    private static byte[] der(ASN1Encodable value) {
        try {
            return value.toASN1Primitive().getEncoded(ASN1Encoding.DER);
        } catch (IOException e) {
            throw new IllegalStateException("cannot DER-encode the placeholder certificate", e);
        }
    }
}
