package io.cachet.ca.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.time.Clock;
import java.time.Instant;

import org.junit.jupiter.api.Test;

/** The CRL served as encoded answers as the JDK's decoding of the same bytes does. */
class EncodedCrlTest {

    @Test
    void answersAsTheJdksDecoding() throws Exception {
        CaHierarchy ca = CaHierarchy.create(new JcaTestToken(), CaSettings.defaults("Cachet Test", CaTest.ORG_ID, "FR"));
        InMemoryCertificateRepository repository = new InMemoryCertificateRepository();
        SealIssuer issuer = new SealIssuer(ca, CaTest.settings(), repository, Clock.systemUTC());
        java.security.cert.X509Certificate one = issuer.issue(CaTest.request(CaTest.csrPem(Pki.ec("secp256r1")),
                "qscd"));
        issuer.revoke(one.getSerialNumber(), 1);
        EncodedCrl crl = issuer.makeCrl().crl();
        X509CRL jdk = (X509CRL) CertificateFactory.getInstance("X.509")
                .generateCRL(new ByteArrayInputStream(crl.getEncoded()));

        assertEquals(jdk, crl);
        assertEquals(jdk.hashCode(), crl.hashCode());
        assertEquals(jdk.getThisUpdate(), crl.getThisUpdate());
        assertEquals(jdk.getNextUpdate(), crl.getNextUpdate());
        assertEquals(jdk.getIssuerX500Principal(), crl.getIssuerX500Principal());
        assertEquals(jdk.getVersion(), crl.getVersion());
        assertEquals(jdk.getSigAlgOID(), crl.getSigAlgOID());
        assertArrayEquals(jdk.getSignature(), crl.getSignature());
        assertArrayEquals(jdk.getTBSCertList(), crl.getTBSCertList());
        assertEquals(jdk.getRevokedCertificates(), crl.getRevokedCertificates());
        assertEquals(jdk.getRevokedCertificate(one.getSerialNumber()), crl.getRevokedCertificate(one));
        assertEquals(jdk.isRevoked(one), crl.isRevoked(one));
        assertEquals(jdk.getNonCriticalExtensionOIDs(), crl.getNonCriticalExtensionOIDs());
        assertArrayEquals(jdk.getExtensionValue("2.5.29.20"), crl.getExtensionValue("2.5.29.20"));
        crl.verify(ca.issuing().getPublicKey());
        assertThrows(java.security.SignatureException.class, () -> crl.verify(ca.root().getPublicKey()));

        // the encoding given out is a copy
        crl.getEncoded()[0] = 0;
        assertEquals(jdk, crl);
        // bytes that are not a CRL fail when first decoded, not when held
        EncodedCrl broken = new EncodedCrl(new byte[] { 0x30, 0x00 }, Instant.EPOCH, Instant.EPOCH);
        assertEquals(Instant.EPOCH, broken.getNextUpdate().toInstant());
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> broken.getRevokedCertificate(BigInteger.ONE));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("cannot be decoded"), e.getMessage());
    }
}
