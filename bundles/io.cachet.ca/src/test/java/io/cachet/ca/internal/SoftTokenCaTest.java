package io.cachet.ca.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;

import org.bouncycastle.asn1.x509.CRLReason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cachet.api.token.KeyAlgorithm;
import io.cachet.api.token.PinPolicy;
import io.cachet.api.token.Token;
import io.cachet.api.token.TokenInfo;
import io.cachet.api.token.TokenDriver;
import io.cachet.token.soft.launch.SoftTokens;

/** The whole CA on Cachet's real software token (driver {@code soft}), checked by openssl. */
class SoftTokenCaTest {
    @TempDir
    Path tokens;
    @TempDir
    Path dir;

    @Test
    void p256AndRsa3072CasOnTheSoftToken() throws Exception {
        TokenDriver driver = SoftTokens.driver(tokens, 2);
        long slot = driver.tokens().stream().filter(t -> !t.has(TokenInfo.Flag.INITIALIZED)).findFirst()
                .orElseThrow().slotId();
        TokenInfo info = driver.initialize(slot, "so-pin-1234".toCharArray(), "user-pin-1234".toCharArray(), "ca",
                PinPolicy.TOKEN_DEFAULT);
        try (Token token = driver.login(info.serial(), "user-pin-1234".toCharArray())) {
            CaSettings ec = CaSettings.defaults("Cachet Test", "NTRFR-123456789", "FR");
            run(token, ec);
            run(token, new CaSettings(KeyAlgorithm.RSA_3072, ec.organization(), ec.organizationIdentifier(),
                    ec.country(), ec.rootCommonName(), ec.issuingCommonName(), 20, 10, 5, "rsa-"));
            assertTrue(token.keys().stream().allMatch(k -> k.protectedOnToken()));
        }
    }

    private void run(Token token, CaSettings settings) throws Exception {
        CaHierarchy ca = CaHierarchy.create(token, settings);
        InMemoryCertificateRepository repo = new InMemoryCertificateRepository();
        SealIssuer issuer = new SealIssuer(ca, CaTest.settings(), repo, Clock.systemUTC());
        X509Certificate leaf = issuer.issue(CaTest.request(CaTest.csrPem(Pki.ec("secp256r1")), "qscd"));
        Pki.write(dir, "root.pem", ca.root());
        Pki.write(dir, "issuing.pem", ca.issuing());
        Pki.write(dir, "chain.pem", ca.root(), ca.issuing());
        Pki.write(dir, "ocsp.pem", ca.ocsp());
        Pki.write(dir, "tsa.pem", ca.tsa());
        Pki.write(dir, "leaf.pem", leaf);
        CaTest.ok(Pki.openssl(dir, "verify", "-CAfile", "root.pem", "-untrusted", "issuing.pem", "leaf.pem",
                "ocsp.pem", "tsa.pem"));

        issuer.revoke(leaf.getSerialNumber(), CRLReason.keyCompromise);
        Pki.write(dir, "crl.pem", issuer.crl());
        Pki.Result crl = Pki.openssl(dir, "crl", "-in", "crl.pem", "-CAfile", "chain.pem", "-verify", "-noout");
        CaTest.ok(crl);
        assertTrue(crl.out().contains("verify OK"), crl.out());

        assertTrue(TrustServices.status(ca, repo, leaf.getSerialNumber()).orElseThrow().revoked());

        // the TSA and OCSP signer keys on the software token sign for the TSA and the OCSP responder (bundles
        // io.cachet.tsa and io.cachet.ca.status, whose tests answer openssl with them)
        io.cachet.api.ca.TimeStampKey key = ca.timeStampKey("1.3.6.1.4.1.99999.1.2");
        java.security.Signature check = java.security.Signature.getInstance(key.algorithm().jcaName());
        check.initVerify(ca.tsa().getPublicKey());
        check.update("hello".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertTrue(check.verify(key.sign("hello".getBytes(java.nio.charset.StandardCharsets.UTF_8))));
        io.cachet.api.ca.OcspKey ocspKey = ca.ocspKey(java.time.Duration.ofHours(1));
        check = java.security.Signature.getInstance(ocspKey.algorithm().jcaName());
        check.initVerify(ca.ocsp().getPublicKey());
        check.update("hello".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertTrue(check.verify(ocspKey.sign("hello".getBytes(java.nio.charset.StandardCharsets.UTF_8))));
        assertEquals(ca.issuing(), CaHierarchy.load(token, settings).issuing());
    }
}
