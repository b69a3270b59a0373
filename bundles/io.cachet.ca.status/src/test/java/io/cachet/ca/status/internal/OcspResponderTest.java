package io.cachet.ca.status.internal;

import static io.cachet.ca.status.internal.TestCa.ok;
import static io.cachet.ca.status.internal.TestCa.openssl;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Date;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.OCSPReq;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.SingleResp;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.operator.bc.BcDigestCalculatorProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.cachet.api.ca.CertificateAuthorityException;
import io.cachet.api.ca.OcspKey;
import io.cachet.api.ca.RevocationReason;
import io.cachet.api.token.KeyAlgorithm;
import io.cachet.api.token.SignatureAlgorithm;
import io.cachet.api.testing.MutableClock;
import io.cachet.ca.status.launch.RevocationStatus;

/**
 * The RFC 6960 responder on a real CA (its launch package, the software token, H2): the CA's delegated OCSP signer
 * key signs through {@link OcspKey}, statuses come from the CA's register, and openssl checks the answers.
 */
class OcspResponderTest {

    @TempDir
    Path dir;

    private static TestCa ec() {
        return TestCa.get("Cachet Test", KeyAlgorithm.EC_P256);
    }

    private static UnaryOperator<byte[]> responder(TestCa ca) {
        return RevocationStatus.ocsp(ca.ca.ocspKey(Duration.ofHours(1)), ca.issuer::status, Clock.systemUTC());
    }

    private byte[] answer(UnaryOperator<byte[]> responder, String request, String response) throws Exception {
        byte[] resp = responder.apply(Files.readAllBytes(dir.resolve(request)));
        Files.write(dir.resolve(response), resp);
        return resp;
    }

    /** openssl checks the nonce of req.der against resp.der and the responder's signature and chain. */
    private void assertNonceEchoedAndSignatureOk() throws Exception {
        var r = openssl(dir, "ocsp", "-reqin", "req.der", "-respin", "resp.der", "-CAfile", "chain.pem",
                "-verify_other", "ocsp.pem");
        ok(r);
        assertTrue(r.out().contains("Response verify OK") && !r.out().contains("WARNING"), r.out());
        var text = openssl(dir, "ocsp", "-respin", "resp.der", "-resp_text", "-noverify");
        assertTrue(text.out().contains("OCSP Nonce"), text.out());
    }

    /**
     * openssl's status line for {@code cert} from resp.der. openssl builds its own request from -issuer/-cert
     * (with a fresh nonce), hence -no_nonce here; the nonce is checked by {@link #assertNonceEchoedAndSignatureOk}.
     */
    private String status(String certPem) throws Exception {
        return ok(openssl(dir, "ocsp", "-respin", "resp.der", "-issuer", "issuing.pem", "-cert", certPem,
                "-CAfile", "chain.pem", "-verify_other", "ocsp.pem", "-no_nonce")).out();
    }

    @ParameterizedTest
    @EnumSource(value = KeyAlgorithm.class, names = { "EC_P256", "RSA_3072" })
    void goodThenRevokedVerifiedByOpenssl(KeyAlgorithm algorithm) throws Exception {
        TestCa ca = TestCa.get("Cachet Test", algorithm);
        UnaryOperator<byte[]> ocsp = responder(ca);
        ca.writeCa(dir);
        X509Certificate leaf = ca.issue();
        TestCa.write(dir, "leaf.pem", leaf);
        ok(openssl(dir, "ocsp", "-issuer", "issuing.pem", "-cert", "leaf.pem", "-reqout", "req.der"));

        answer(ocsp, "req.der", "resp.der");
        assertNonceEchoedAndSignatureOk();
        String r = status("leaf.pem");
        assertTrue(r.contains("Response verify OK") && r.contains("leaf.pem: good"), r);

        ca.issuer.revoke(leaf.getSerialNumber(), RevocationReason.CESSATION_OF_OPERATION);
        answer(ocsp, "req.der", "resp.der");
        assertNonceEchoedAndSignatureOk();
        r = status("leaf.pem");
        assertTrue(r.contains("Response verify OK") && r.contains("leaf.pem: revoked")
                && r.contains("Reason: cessationOfOperation") && r.contains("Revocation Time"), r);
    }

    /**
     * Signatures at levels LT and LTA must carry the revocation status of the TSA that time-stamped them: the
     * responder answers good for the CA's own time-stamping unit, which is not among the issued seals.
     */
    @Test
    void theTsaCertificateIsGood() throws Exception {
        TestCa ca = ec();
        ca.writeCa(dir);
        TestCa.write(dir, "tsa.pem", ca.ca.timeStampUnit());
        ok(openssl(dir, "ocsp", "-issuer", "issuing.pem", "-cert", "tsa.pem", "-reqout", "req.der"));
        answer(responder(ca), "req.der", "resp.der");
        String r = status("tsa.pem");
        assertTrue(r.contains("Response verify OK") && r.contains("tsa.pem: good"), r);
    }

    @Test
    void unauthorizedForOtherCasAndUnknownForSerialsNotIssuedHere() throws Exception {
        TestCa ca = ec();
        UnaryOperator<byte[]> ocsp = responder(ca);
        ca.writeCa(dir);
        // issued by another CA whose certificates carry the same names
        TestCa other = TestCa.get("Cachet Test", KeyAlgorithm.EC_P384);
        X509Certificate foreign = other.issue();
        TestCa.write(dir, "foreign.pem", foreign);
        TestCa.write(dir, "foreign-issuer.pem", other.ca.issuing());
        ok(openssl(dir, "ocsp", "-issuer", "foreign-issuer.pem", "-cert", "foreign.pem", "-reqout", "req.der"));
        byte[] resp = answer(ocsp, "req.der", "resp.der");
        // this responder is no authority for another CA: unauthorized (RFC 6960 §2.3), not a signed "unknown"
        var r = openssl(dir, "ocsp", "-respin", "resp.der", "-resp_text", "-noverify");
        assertTrue(r.out().contains("Responder Error: unauthorized (6)"), r.out());
        assertEquals(OCSPResp.UNAUTHORIZED, new OCSPResp(resp).getStatus());
        // the same when a foreign certificate is asked about together with one of ours
        X509Certificate mine = ca.issue();
        OCSPResp mixed = new OCSPResp(ocsp.apply(new OCSPReqBuilder()
                .addRequest(certId(ca.ca.issuing(), mine.getSerialNumber()))
                .addRequest(certId(other.ca.issuing(), foreign.getSerialNumber())).build().getEncoded()));
        assertEquals(OCSPResp.UNAUTHORIZED, mixed.getStatus());

        // right issuer, serial never issued: build the request ourselves by serial
        ok(openssl(dir, "ocsp", "-issuer", "issuing.pem", "-serial", "0x1234", "-reqout", "req2.der"));
        answer(ocsp, "req2.der", "resp2.der");
        r = openssl(dir, "ocsp", "-respin", "resp2.der", "-issuer", "issuing.pem", "-serial", "0x1234",
                "-CAfile", "chain.pem", "-verify_other", "ocsp.pem", "-no_nonce");
        ok(r);
        assertTrue(r.out().contains("0x1234: unknown"), r.out());
    }

    /**
     * A CertID names this CA by both hashes made with the request's own algorithm: SHA-256 and SHA-1 requests are
     * answered (openssl checks the SHA-256 one), again and again; a CertID with the CA's key hash and another name's
     * hash, or the CA's name hash and another key's, or hashes of the wrong algorithm, is unauthorized.
     */
    @Test
    void certIdsAreMatchedOnTheNameAndKeyHashesOfTheirOwnAlgorithm() throws Exception {
        TestCa ca = ec();
        UnaryOperator<byte[]> ocsp = responder(ca);
        ca.writeCa(dir);
        X509Certificate leaf = ca.issue();
        TestCa.write(dir, "leaf.pem", leaf);
        for (int i = 0; i < 3; i++) {
            ok(openssl(dir, "ocsp", "-issuer", "issuing.pem", "-sha256", "-cert", "leaf.pem", "-reqout", "req.der"));
            answer(ocsp, "req.der", "resp.der");
            assertNonceEchoedAndSignatureOk();
            var r = ok(openssl(dir, "ocsp", "-respin", "resp.der", "-issuer", "issuing.pem", "-sha256",
                    "-cert", "leaf.pem", "-CAfile", "chain.pem", "-verify_other", "ocsp.pem", "-no_nonce")).out();
            assertTrue(r.contains("Response verify OK") && r.contains("leaf.pem: good"), r);
            OCSPResp sha1 = new OCSPResp(ocsp.apply(new OCSPReqBuilder()
                    .addRequest(certId(ca.ca.issuing(), leaf.getSerialNumber())).build().getEncoded()));
            assertEquals(OCSPResp.SUCCESSFUL, sha1.getStatus());
        }

        org.bouncycastle.asn1.ocsp.CertID right = certId(ca.ca.issuing(), leaf.getSerialNumber()).toASN1Primitive();
        org.bouncycastle.asn1.ocsp.CertID sha256 = new CertificateID(new BcDigestCalculatorProvider()
                .get(new org.bouncycastle.asn1.x509.AlgorithmIdentifier(
                        org.bouncycastle.asn1.nist.NISTObjectIdentifiers.id_sha256)),
                new X509CertificateHolder(ca.ca.issuing().getEncoded()), leaf.getSerialNumber()).toASN1Primitive();
        byte[] otherHash = right.getIssuerNameHash().getOctets().clone();
        otherHash[0] ^= 1;
        for (org.bouncycastle.asn1.ocsp.CertID wrong : java.util.List.of(
                new org.bouncycastle.asn1.ocsp.CertID(right.getHashAlgorithm(), new DEROctetString(otherHash),
                        right.getIssuerKeyHash(), right.getSerialNumber()),
                new org.bouncycastle.asn1.ocsp.CertID(right.getHashAlgorithm(), right.getIssuerNameHash(),
                        new DEROctetString(otherHash), right.getSerialNumber()),
                // SHA-1 named, SHA-256 hashes
                new org.bouncycastle.asn1.ocsp.CertID(right.getHashAlgorithm(), sha256.getIssuerNameHash(),
                        sha256.getIssuerKeyHash(), right.getSerialNumber()))) {
            OCSPResp refused = new OCSPResp(ocsp.apply(new OCSPReqBuilder().addRequest(new CertificateID(wrong))
                    .build().getEncoded()));
            assertEquals(OCSPResp.UNAUTHORIZED, refused.getStatus());
        }
    }

    static CertificateID certId(X509Certificate issuerCert, BigInteger serial) throws Exception {
        return new CertificateID(new BcDigestCalculatorProvider().get(CertificateID.HASH_SHA1),
                new X509CertificateHolder(issuerCert.getEncoded()), serial);
    }

    /** An OCSP request for {@code serial} with a nonce of {@code length} octets (RFC 8954 encoding). */
    static byte[] nonceRequest(X509Certificate issuer, BigInteger serial, int length, boolean critical)
            throws Exception {
        byte[] nonce = new byte[length];
        new SecureRandom().nextBytes(nonce);
        Extension extension = new Extension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce, critical,
                new DEROctetString(nonce).getEncoded());
        return new OCSPReqBuilder().addRequest(certId(issuer, serial)).setRequestExtensions(new Extensions(extension))
                .build().getEncoded();
    }

    /**
     * RFC 8954: a nonce of 1 to 32 octets is echoed, always in a non-critical extension; a longer or empty one
     * gets malformedRequest instead of being copied into the signed answer.
     */
    @Test
    void noncesAreBoundedAndEchoedNonCritical() throws Exception {
        TestCa ca = ec();
        UnaryOperator<byte[]> ocsp = responder(ca);
        ca.writeCa(dir);
        X509Certificate issuing = ca.ca.issuing();
        X509Certificate leaf = ca.issue();
        for (int length : new int[] { 0, 33, 64, 15_000 }) {
            assertEquals(OCSPResp.MALFORMED_REQUEST, new OCSPResp(ocsp.apply(nonceRequest(issuing,
                    leaf.getSerialNumber(), length, false))).getStatus(), length + " octets");
        }
        for (int length : new int[] { 1, 16, 32 }) {
            for (boolean critical : new boolean[] { false, true }) {
                byte[] req = nonceRequest(issuing, leaf.getSerialNumber(), length, critical);
                OCSPResp resp = new OCSPResp(ocsp.apply(req));
                assertEquals(OCSPResp.SUCCESSFUL, resp.getStatus(), length + " octets");
                Extension echoed = ((BasicOCSPResp) resp.getResponseObject())
                        .getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce);
                assertFalse(echoed.isCritical(), "critical=" + critical);
                assertEquals(new OCSPReq(req).getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce).getExtnValue(),
                        echoed.getExtnValue());
                if (length == 16) {
                    Files.write(dir.resolve("req.der"), req);
                    Files.write(dir.resolve("resp.der"), resp.getEncoded());
                    assertNonceEchoedAndSignatureOk();
                    String text = openssl(dir, "ocsp", "-respin", "resp.der", "-resp_text", "-noverify").out();
                    assertFalse(text.contains("OCSP Nonce: critical"), text);
                }
            }
        }
        // as openssl reads it: a short unsigned error, not 15,000 octets echoed under the responder's signature
        Files.write(dir.resolve("big.der"), nonceRequest(issuing, leaf.getSerialNumber(), 15_000, true));
        answer(ocsp, "big.der", "big-resp.der");
        assertTrue(openssl(dir, "ocsp", "-respin", "big-resp.der", "-resp_text", "-noverify").out()
                .contains("malformedrequest"));
        assertTrue(Files.size(dir.resolve("big-resp.der")) < 100);
    }

    /** Answers say how long they hold: nextUpdate = thisUpdate + the key's validity. */
    @Test
    void answersCarryNextUpdate() throws Exception {
        TestCa ca = ec();
        ca.writeCa(dir);
        X509Certificate leaf = ca.issue();
        TestCa.write(dir, "leaf.pem", leaf);
        UnaryOperator<byte[]> ninety = RevocationStatus.ocsp(ca.ca.ocspKey(Duration.ofMinutes(90)),
                ca.issuer::status, Clock.systemUTC());
        OCSPResp resp = new OCSPResp(ninety.apply(new OCSPReqBuilder()
                .addRequest(certId(ca.ca.issuing(), leaf.getSerialNumber())).build().getEncoded()));
        SingleResp single = ((BasicOCSPResp) resp.getResponseObject()).getResponses()[0];
        assertNotNull(single.getNextUpdate());
        assertEquals(Duration.ofMinutes(90).toMillis(), single.getNextUpdate().getTime()
                - single.getThisUpdate().getTime());
        Files.write(dir.resolve("resp.der"), resp.getEncoded());
        String r = status("leaf.pem");
        assertTrue(r.contains("leaf.pem: good") && r.contains("Next Update:"), r);

        assertThrows(CertificateAuthorityException.class, () -> ca.ca.ocspKey(Duration.ZERO));
        OcspKey key = ca.ca.ocspKey(Duration.ofHours(1));
        assertThrows(IllegalArgumentException.class, () -> new OcspResponder(new Delegating(key) {
            @Override
            public Duration validity() {
                return Duration.ZERO;
            }
        }, ca.issuer::status, Clock.systemUTC()));
    }

    @Test
    void garbageRequestsGetMalformedRequest() throws Exception {
        UnaryOperator<byte[]> ocsp = responder(ec());
        for (byte[] garbage : new byte[][] { null, {}, { 0x30, 0x00 }, "hello".getBytes(), { 0x30, (byte) 0x82 } }) {
            assertEquals(OCSPResp.MALFORMED_REQUEST, new OCSPResp(ocsp.apply(garbage)).getStatus());
        }
        Files.write(dir.resolve("bad.der"), ocsp.apply("junk".getBytes()));
        var r = openssl(dir, "ocsp", "-respin", "bad.der", "-resp_text", "-noverify");
        assertTrue(r.out().contains("malformedrequest"), r.out());
    }

    /**
     * When the CA's token cannot sign (removed, logged out) or its register cannot be read, the answer is an
     * {@code internalError} response, never an exception; the next request is answered again once the key works.
     */
    @Test
    void aKeyOrRegisterThatFailsGivesInternalError() throws Exception {
        TestCa ca = ec();
        X509Certificate leaf = ca.issue();
        byte[] request = new OCSPReqBuilder().addRequest(certId(ca.ca.issuing(), leaf.getSerialNumber())).build()
                .getEncoded();
        AtomicInteger failing = new AtomicInteger(1);
        OcspKey unplugged = new Delegating(ca.ca.ocspKey(Duration.ofHours(1))) {
            @Override
            public byte[] sign(byte[] data) {
                if (failing.get() > 0) {
                    throw new CertificateAuthorityException(CertificateAuthorityException.Kind.UNAVAILABLE,
                            "the OCSP signer key cannot be used now (TOKEN_REMOVED)");
                }
                return super.sign(data);
            }
        };
        UnaryOperator<byte[]> ocsp = RevocationStatus.ocsp(unplugged, ca.issuer::status, Clock.systemUTC());
        assertEquals(OCSPResp.INTERNAL_ERROR, new OCSPResp(ocsp.apply(request)).getStatus());
        failing.set(0);
        assertEquals(OCSPResp.SUCCESSFUL, new OCSPResp(ocsp.apply(request)).getStatus());

        UnaryOperator<byte[]> noRegister = RevocationStatus.ocsp(ca.ca.ocspKey(Duration.ofHours(1)), serial -> {
            throw new CertificateAuthorityException(CertificateAuthorityException.Kind.UNAVAILABLE,
                    "the database is down");
        }, Clock.systemUTC());
        assertEquals(OCSPResp.INTERNAL_ERROR, new OCSPResp(noRegister.apply(request)).getStatus());
        UnaryOperator<byte[]> unknown = RevocationStatus.ocsp(ca.ca.ocspKey(Duration.ofHours(1)),
                serial -> Optional.empty(), Clock.systemUTC());
        assertEquals(OCSPResp.SUCCESSFUL, new OCSPResp(unknown.apply(request)).getStatus());
    }

    /** Without a reuse period (the default) every answer is signed afresh, nonce or not. */
    @Test
    void byDefaultEveryAnswerIsSignedAfresh() throws Exception {
        TestCa ca = ec();
        X509Certificate leaf = ca.issue();
        byte[] request = new OCSPReqBuilder().addRequest(certId(ca.ca.issuing(), leaf.getSerialNumber())).build()
                .getEncoded();
        AtomicInteger signatures = new AtomicInteger();
        UnaryOperator<byte[]> ocsp = RevocationStatus.ocsp(counting(ca, signatures), ca.issuer::status,
                Clock.systemUTC());
        ocsp.apply(request);
        ocsp.apply(request);
        assertEquals(2, signatures.get());
    }

    /**
     * With a reuse period, a request for one certificate without a nonce gets the answer signed for it a moment
     * before, while the register says the same; a revocation, the end of the period or a nonce makes a new signature;
     * the period is cut to a quarter of the validity.
     */
    @Test
    void withAReusePeriodAnAnswerWithoutNonceIsGivenAgainWhileTheRegisterSaysTheSame() throws Exception {
        TestCa ca = ec();
        ca.writeCa(dir);
        X509Certificate leaf = ca.issue();
        X509Certificate other = ca.issue();
        byte[] request = new OCSPReqBuilder().addRequest(certId(ca.ca.issuing(), leaf.getSerialNumber())).build()
                .getEncoded();
        AtomicInteger signatures = new AtomicInteger();
        MutableClock clock = new MutableClock(Instant.now());
        // 20 minutes asked, a quarter of the hour's validity (15 minutes) used
        UnaryOperator<byte[]> ocsp = RevocationStatus.ocsp(counting(ca, signatures), ca.issuer::status, clock,
                Duration.ofMinutes(20));

        byte[] first = ocsp.apply(request);
        assertEquals(1, signatures.get());
        clock.advance(Duration.ofMinutes(14));
        byte[] again = ocsp.apply(request);
        assertTrue(Arrays.equals(first, again), "the same answer 14 minutes later");
        assertEquals(1, signatures.get());
        // what is given again verifies as any answer (openssl)
        Files.write(dir.resolve("resp.der"), again);
        TestCa.write(dir, "leaf.pem", leaf);
        assertTrue(status("leaf.pem").contains("leaf.pem: good"));
        // another certificate has its own answer
        byte[] otherAnswer = ocsp.apply(new OCSPReqBuilder().addRequest(certId(ca.ca.issuing(),
                other.getSerialNumber())).build().getEncoded());
        assertEquals(2, signatures.get());
        assertEquals(other.getSerialNumber(), single(otherAnswer).getCertID().getSerialNumber());
        // a nonce: signed afresh every time
        ocsp.apply(nonceRequest(ca.ca.issuing(), leaf.getSerialNumber(), 16, false));
        ocsp.apply(nonceRequest(ca.ca.issuing(), leaf.getSerialNumber(), 16, false));
        assertEquals(4, signatures.get());

        // revoked: the very next request says so, and that answer is the one given again
        ca.issuer.revoke(leaf.getSerialNumber(), RevocationReason.KEY_COMPROMISE);
        byte[] revoked = ocsp.apply(request);
        assertEquals(5, signatures.get());
        assertTrue(single(revoked).getCertStatus() instanceof RevokedStatus);
        assertTrue(Arrays.equals(revoked, ocsp.apply(request)));
        assertEquals(5, signatures.get());
        // 15 minutes after it was signed: signed again, with the new time
        clock.advance(Duration.ofMinutes(15));
        byte[] later = ocsp.apply(request);
        assertEquals(6, signatures.get());
        assertEquals(Date.from(clock.instant().truncatedTo(ChronoUnit.SECONDS)), single(later).getThisUpdate());
        BasicOCSPResp basic = (BasicOCSPResp) new OCSPResp(later).getResponseObject();
        assertTrue(basic.isSignatureValid(new JcaContentVerifierProviderBuilder().build(ca.ca.ocspSigner())));

        assertThrows(IllegalArgumentException.class, () -> RevocationStatus.ocsp(ca.ca.ocspKey(Duration.ofHours(1)),
                ca.issuer::status, clock, Duration.ofSeconds(-1)));
    }

    private static OcspKey counting(TestCa ca, AtomicInteger signatures) {
        return new Delegating(ca.ca.ocspKey(Duration.ofHours(1))) {
            @Override
            public byte[] sign(byte[] data) {
                signatures.incrementAndGet();
                return super.sign(data);
            }
        };
    }

    private static SingleResp single(byte[] response) throws Exception {
        return ((BasicOCSPResp) new OCSPResp(response).getResponseObject()).getResponses()[0];
    }

    /** An {@link OcspKey} that passes every call on, for tests that change one of them. */
    private static class Delegating implements OcspKey {
        private final OcspKey key;

        Delegating(OcspKey key) {
            this.key = key;
        }

        @Override
        public X509Certificate certificate() {
            return key.certificate();
        }

        @Override
        public X509Certificate issuer() {
            return key.issuer();
        }

        @Override
        public Duration validity() {
            return key.validity();
        }

        @Override
        public SignatureAlgorithm algorithm() {
            return key.algorithm();
        }

        @Override
        public byte[] sign(byte[] data) {
            return key.sign(data);
        }
    }
}
