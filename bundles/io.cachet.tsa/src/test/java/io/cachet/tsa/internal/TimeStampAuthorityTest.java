package io.cachet.tsa.internal;

import static io.cachet.tsa.internal.TestCa.ok;
import static io.cachet.tsa.internal.TestCa.openssl;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.cmp.PKIFailureInfo;
import org.bouncycastle.asn1.cmp.PKIStatus;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.tsp.TSPAlgorithms;
import org.bouncycastle.tsp.TimeStampRequest;
import org.bouncycastle.tsp.TimeStampRequestGenerator;
import org.bouncycastle.tsp.TimeStampResponse;
import org.bouncycastle.tsp.TimeStampToken;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cachet.api.ca.CertificateAuthorityException;
import io.cachet.api.ca.TimeStampKey;
import io.cachet.api.token.SignatureAlgorithm;
import io.cachet.ca.launch.LocalCa;

/** The RFC 3161 TSA on the time-stamping unit's key of a real CA (software token); tokens checked by openssl. */
class TimeStampAuthorityTest {
    static final LocalCa CA = TestCa.ca("Cachet Test");
    static final TimeStampAuthority TSA = new TimeStampAuthority(TestCa.key("Cachet Test"), Clock.systemUTC());

    @TempDir
    Path dir;

    @Test
    void timeStampsVerifyWithOpenssl() throws Exception {
        TestCa.writeCa(dir, CA);
        assertEquals(CA.timeStampUnit(), TSA.certificate());
        Files.writeString(dir.resolve("data.txt"), "document to time-stamp\n");
        for (String hash : new String[] { "-sha256", "-sha384", "-sha512" }) {
            ok(openssl(dir, "ts", "-query", "-data", "data.txt", hash, "-cert", "-out", "req.tsq"));
            Files.write(dir.resolve("resp.tsr"), TSA.respond(Files.readAllBytes(dir.resolve("req.tsq"))));
            var r = ok(openssl(dir, "ts", "-verify", "-in", "resp.tsr", "-queryfile", "req.tsq", "-CAfile",
                    "chain.pem", "-untrusted", "tsa.pem"));
            assertTrue(r.out().contains("Verification: OK"), hash + ": " + r.out());
            String text = openssl(dir, "ts", "-reply", "-in", "resp.tsr", "-text").out();
            assertTrue(text.contains("Policy OID: " + TestCa.POLICY) && text.contains("Status: Granted")
                    && text.contains("Nonce: 0x"), text);
        }
        // without certReq the certificate is left out: verification needs it supplied
        ok(openssl(dir, "ts", "-query", "-data", "data.txt", "-sha256", "-out", "nocert.tsq"));
        TimeStampResponse without = new TimeStampResponse(TSA.respond(Files.readAllBytes(dir.resolve("nocert.tsq"))));
        assertTrue(without.getTimeStampToken().getCertificates().getMatches(null).isEmpty());
        Files.write(dir.resolve("nocert.tsr"), without.getEncoded());
        var r = openssl(dir, "ts", "-verify", "-in", "nocert.tsr", "-queryfile", "nocert.tsq", "-CAfile",
                "chain.pem", "-untrusted", "tsa.pem");
        assertTrue(r.out().contains("Verification: OK"), r.out());
        TimeStampResponse with = new TimeStampResponse(TSA.respond(Files.readAllBytes(dir.resolve("req.tsq"))));
        assertEquals(1, with.getTimeStampToken().getCertificates().getMatches(null).size());
    }

    /**
     * Only the key's TSA policy is granted: a request naming another policy is rejected with unacceptedPolicy
     * (BouncyCastle, given no accepted set, used to grant it and write the requested policy into the token); a
     * request naming none gets the configured one; request extensions are not accepted.
     */
    @Test
    void onlyTheConfiguredTsaPolicyIsGranted() throws Exception {
        TestCa.writeCa(dir, CA);
        Files.writeString(dir.resolve("data.txt"), "document to time-stamp\n");
        ok(openssl(dir, "ts", "-query", "-data", "data.txt", "-sha256", "-cert", "-tspolicy", "1.2.3.4", "-out",
                "other.tsq"));
        Files.write(dir.resolve("other.tsr"), TSA.respond(Files.readAllBytes(dir.resolve("other.tsq"))));
        String refused = openssl(dir, "ts", "-reply", "-in", "other.tsr", "-text").out();
        assertTrue(refused.contains("Status: Rejected")
                && refused.contains("the requested TSA policy is not supported by the TSA"), refused);
        assertFalse(refused.contains("1.2.3.4"), refused);
        TimeStampResponse other = new TimeStampResponse(Files.readAllBytes(dir.resolve("other.tsr")));
        assertEquals(PKIStatus.REJECTION, other.getStatus());
        assertEquals(PKIFailureInfo.unacceptedPolicy, other.getFailInfo().intValue());
        assertEquals(null, other.getTimeStampToken());

        for (String[] policy : new String[][] { {}, { "-tspolicy", TestCa.POLICY } }) {
            List<String> args = new ArrayList<>(List.of("ts", "-query", "-data", "data.txt", "-sha256", "-cert",
                    "-out", "req.tsq"));
            args.addAll(List.of(policy));
            ok(openssl(dir, args.toArray(String[]::new)));
            Files.write(dir.resolve("resp.tsr"), TSA.respond(Files.readAllBytes(dir.resolve("req.tsq"))));
            String text = openssl(dir, "ts", "-reply", "-in", "resp.tsr", "-text").out();
            assertTrue(text.contains("Status: Granted") && text.contains("Policy OID: " + TestCa.POLICY), text);
            ok(openssl(dir, "ts", "-verify", "-in", "resp.tsr", "-queryfile", "req.tsq", "-CAfile", "chain.pem",
                    "-untrusted", "tsa.pem"));
        }

        TimeStampRequestGenerator withExtension = new TimeStampRequestGenerator();
        withExtension.addExtension(new ASN1ObjectIdentifier("1.2.3.4.5"), false, new DEROctetString(new byte[] { 1 }));
        TimeStampResponse extension = new TimeStampResponse(TSA.respond(withExtension.generate(
                TSPAlgorithms.SHA256, new byte[32]).getEncoded()));
        assertEquals(PKIStatus.REJECTION, extension.getStatus());
        assertEquals(PKIFailureInfo.unacceptedExtension, extension.getFailInfo().intValue());
    }

    @Test
    void garbageAndWeakTimeStampRequestsAreRejected() throws Exception {
        for (byte[] garbage : new byte[][] { null, {}, "hello".getBytes(), { 0x30, 0x00 } }) {
            TimeStampResponse resp = new TimeStampResponse(TSA.respond(garbage));
            assertEquals(PKIStatus.REJECTION, resp.getStatus());
            assertNotNull(resp.getFailInfo());
            assertEquals(PKIFailureInfo.badDataFormat, resp.getFailInfo().intValue());
        }
        Files.writeString(dir.resolve("data.txt"), "x");
        ok(openssl(dir, "ts", "-query", "-data", "data.txt", "-sha1", "-out", "sha1.tsq"));
        TimeStampResponse sha1 = new TimeStampResponse(TSA.respond(Files.readAllBytes(dir.resolve("sha1.tsq"))));
        assertEquals(PKIStatus.REJECTION, sha1.getStatus());
        assertEquals(PKIFailureInfo.badAlg, sha1.getFailInfo().intValue());
    }

    /** A key the CA cannot use now (token unplugged) gives a rejection with systemFailure, never an exception. */
    @Test
    void aKeyThatCannotSignGivesSystemFailure() throws Exception {
        TimeStampKey real = TestCa.key("Cachet Test");
        AtomicBoolean removed = new AtomicBoolean(true);
        TimeStampAuthority unplugged = new TimeStampAuthority(new TimeStampKey() {
            @Override
            public X509Certificate certificate() {
                return real.certificate();
            }

            @Override
            public List<X509Certificate> chain() {
                return real.chain();
            }

            @Override
            public String policyOid() {
                return real.policyOid();
            }

            @Override
            public SignatureAlgorithm algorithm() {
                return real.algorithm();
            }

            @Override
            public byte[] sign(byte[] data) {
                if (removed.get()) {
                    throw new CertificateAuthorityException(CertificateAuthorityException.Kind.UNAVAILABLE,
                            "the TSA key cannot be used now (token removed)");
                }
                return real.sign(data);
            }
        }, Clock.systemUTC());
        TimeStampRequestGenerator request = new TimeStampRequestGenerator();
        TimeStampResponse resp = new TimeStampResponse(unplugged.respond(request.generate(TSPAlgorithms.SHA256,
                new byte[32]).getEncoded()));
        assertEquals(PKIStatus.REJECTION, resp.getStatus());
        assertEquals(PKIFailureInfo.systemFailure, resp.getFailInfo().intValue());
        assertEquals(null, resp.getTimeStampToken());
        // plugged in again: the next token, on the same thread's generator, is whole and verifies
        removed.set(false);
        TimeStampRequest again = request.generate(TSPAlgorithms.SHA256, new byte[32], BigInteger.TEN);
        assertGrantedAndValid(again, unplugged.respond(again.getEncoded()));
    }

    /**
     * Tokens made at the same time on several threads (each thread keeps its generator) are each whole: every one
     * answers its own request (imprint, nonce) and its signature verifies with the unit's certificate.
     */
    @Test
    void tokensMadeInParallelAreEachValid() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < 50; i++) {
                        byte[] imprint = new byte[32];
                        imprint[0] = (byte) thread;
                        imprint[1] = (byte) i;
                        TimeStampRequestGenerator g = new TimeStampRequestGenerator();
                        g.setCertReq(i % 2 == 0);
                        TimeStampRequest request = g.generate(TSPAlgorithms.SHA256, imprint,
                                BigInteger.valueOf(thread * 1000L + i));
                        assertGrantedAndValid(request, TSA.respond(request.getEncoded()));
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static void assertGrantedAndValid(TimeStampRequest request, byte[] der) {
        try {
            TimeStampResponse resp = new TimeStampResponse(der);
            assertEquals(PKIStatus.GRANTED, resp.getStatus());
            assertEquals("Operation Okay", resp.getStatusString());
            resp.validate(request); // imprint, nonce, policy, certificate when asked for
            TimeStampToken token = resp.getTimeStampToken();
            token.validate(new JcaSimpleSignerInfoVerifierBuilder().build(CA.timeStampUnit()));
            assertEquals(request.getNonce(), token.getTimeStampInfo().getNonce());
        } catch (Exception e) {
            throw new AssertionError("not a valid time-stamp for its request: " + e, e);
        }
    }

    @Test
    void aPolicyThatIsNotAnOidIsRefusedByTheCa() {
        CertificateAuthorityException e = assertThrows(CertificateAuthorityException.class,
                () -> CA.timeStampKey("not-an-oid"));
        assertTrue(e.getMessage().contains("TSA policy"), e.getMessage());
    }
}
