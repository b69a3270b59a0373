package io.cachet.ca.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cachet.api.token.KeyAlgorithm;
import io.cachet.api.token.SignatureAlgorithm;
import io.cachet.api.token.TokenKey;

/** Adopting an issuing CA that exists already: its key and certificate on the token, its root given. */
class AdoptCaTest {
    @TempDir
    Path dir;

    @Test
    void anAdoptedIssuingCaGetsOcspAndTsaKeysAndIssuesVerifiableCertificates() throws Exception {
        JcaTestToken elsewhere = new JcaTestToken();
        CaHierarchy existing = CaHierarchy.create(elsewhere, CaSettings.defaults("Existing PKI", CaTest.ORG_ID, "FR"));

        // the operator's HSM holds the issuing key; its certificate was signed by the existing root
        JcaTestToken hsm = new JcaTestToken();
        TokenKey key = hsm.generateKeyPair("ca-issuing", KeyAlgorithm.EC_P256);
        X500Name rootName = X500Name.getInstance(existing.root().getSubjectX500Principal().getEncoded());
        X509Certificate issuing = CaHierarchy.build(new X500Name("CN=Adopted Seal CA,O=Existing PKI,C=FR"),
                existing.root(), key.publicKey(), rootName, Instant.now(), CaHierarchy.plusYears(Instant.now(), 4),
                new TokenContentSigner(elsewhere, "ca-root", SignatureAlgorithm.ECDSA_SHA256), b -> {
                    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
                    b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
                });
        hsm.importCertificate("ca-issuing", issuing);

        CaSettings settings = CaSettings.defaults("Existing PKI", CaTest.ORG_ID, "FR");
        CaHierarchy adopted = CaHierarchy.adopt(hsm, settings, existing.root());
        assertEquals(issuing, adopted.issuing());
        assertEquals(existing.root(), adopted.root());
        // the services' certificates never outlive the adopted CA
        assertTrue(!adopted.ocsp().getNotAfter().after(issuing.getNotAfter()));

        X509Certificate leaf = new SealIssuer(adopted, CaTest.settings(), new InMemoryCertificateRepository(),
                Clock.systemUTC()).issue(CaTest.request(CaTest.csrPem(Pki.ec("secp256r1")), "qscd"));
        Pki.write(dir, "root.pem", existing.root());
        Pki.write(dir, "issuing.pem", issuing);
        Pki.write(dir, "leaf.pem", leaf);
        Pki.write(dir, "ocsp.pem", adopted.ocsp());
        Pki.write(dir, "tsa.pem", adopted.tsa());
        CaTest.ok(Pki.openssl(dir, "verify", "-CAfile", "root.pem", "-untrusted", "issuing.pem", "leaf.pem",
                "ocsp.pem", "tsa.pem"));

        // reopened later with the same root file
        CaHierarchy reopened = CaHierarchy.load(hsm, settings, existing.root());
        assertEquals(adopted.ocsp(), reopened.ocsp());

        // a token without the issuing key is named as such
        CaException missing = assertThrows(CaException.class, () -> CaHierarchy.adopt(new JcaTestToken(), settings,
                existing.root()));
        assertTrue(missing.getMessage().contains("no key ca-issuing"), missing.getMessage());
    }
}
