package io.cachet.token.soft.internal;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Arrays;

/**
 * The self-signed stand-in stored with a new key pair until its real certificate is imported: the JDK's PKCS#12
 * key store keeps a private key only together with a certificate chain. It is recognised by its exact subject,
 * never handed out as a certificate, and expired from the start (validity 1970-01-01 only).
 */
final class PlaceholderCertificate {

    private static final byte[] SHA256_WITH_RSA = Der.sequence(Der.oid(1, 2, 840, 113549, 1, 1, 11), Der.NULL);
    private static final byte[] ECDSA_WITH_SHA256 = Der.sequence(Der.oid(1, 2, 840, 10045, 4, 3, 2));
    private static final byte[] COMMON_NAME = Der.oid(2, 5, 4, 3);
    private static final byte[] ORGANIZATIONAL_UNIT = Der.oid(2, 5, 4, 11);
    private static final String MARK = "Cachet software token: no certificate imported";

    private PlaceholderCertificate() {
    }

    static X509Certificate create(String alias, KeyPair keys) throws GeneralSecurityException {
        boolean rsa = "RSA".equals(keys.getPublic().getAlgorithm());
        byte[] algorithm = rsa ? SHA256_WITH_RSA : ECDSA_WITH_SHA256;
        byte[] name = name(alias);
        byte[] tbs = Der.sequence(Der.integer(BigInteger.ONE), algorithm, name,
                Der.sequence(Der.utcTime("700101000000Z"), Der.utcTime("700101235959Z")), name,
                keys.getPublic().getEncoded());
        Signature signer = Signature.getInstance(rsa ? "SHA256withRSA" : "SHA256withECDSA");
        signer.initSign(keys.getPrivate());
        signer.update(tbs);
        byte[] der = Der.sequence(tbs, algorithm, Der.bitString(signer.sign()));
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(der));
    }

    static boolean isPlaceholder(X509Certificate certificate, String alias) {
        byte[] name = name(alias);
        return Arrays.equals(name, certificate.getSubjectX500Principal().getEncoded())
                && Arrays.equals(name, certificate.getIssuerX500Principal().getEncoded());
    }

    private static byte[] name(String alias) {
        return Der.sequence(Der.set(Der.sequence(ORGANIZATIONAL_UNIT, Der.utf8String(MARK))),
                Der.set(Der.sequence(COMMON_NAME, Der.utf8String(alias))));
    }
}
