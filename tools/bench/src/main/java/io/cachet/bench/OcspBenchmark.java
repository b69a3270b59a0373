package io.cachet.bench;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.operator.bc.BcDigestCalculatorProvider;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.IterationParams;

import io.cachet.ca.launch.Issuer;
import io.cachet.ca.status.launch.RevocationStatus;

/**
 * OCSP responses per second ({@link io.cachet.ca.status.launch.RevocationStatus#ocsp}, on the CA's OCSP signer key and
 * its register of certificates) for a known good serial, request with a nonce, freshly signed; next to
 * {@link #rawSign}: one signature with the OCSP signer key over a ResponseData of the size the responder produces.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 2, jvmArgsAppend = { "-Xms2g", "-Xmx2g" })
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 5, time = 5)
public class OcspBenchmark {

    @State(Scope.Benchmark)
    public static class Ca {
        @Param({ "soft", "softhsm" })
        public String token;
        @Param({ "EC_P256", "RSA_3072" })
        public String key;

        Fixture fixture;
        final RawLimit rawLimit = new RawLimit();
        Issuer issuer;
        UnaryOperator<byte[]> responder;
        X509Certificate good;
        byte[] request;
        byte[] tbs;
        String ocspAlias;

        @Setup(Level.Trial)
        public void setUp() throws Exception {
            fixture = Fixture.open(token, key);
            issuer = fixture.memoryIssuer();
            responder = responder(fixture, issuer);
            good = issuer.issue(Fixture.sealRequest());
            request = request(fixture.ca().issuing(), good.getSerialNumber());
            tbs = responseData(responder.apply(request));
            ocspAlias = fixture.alias("ocsp");
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            fixture.close();
        }
    }

    /** The responder on the durable repository (H2 file), the good certificate issued into it. */
    @State(Scope.Benchmark)
    public static class Durable {
        UnaryOperator<byte[]> responder;
        byte[] request;

        @Setup(Level.Trial)
        public void setUp(Ca ca) throws Exception {
            Issuer issuer = ca.fixture.h2Issuer();
            responder = responder(ca.fixture, issuer);
            X509Certificate good = issuer.issue(Fixture.sealRequest());
            request = request(ca.fixture.ca().issuing(), good.getSerialNumber());
            responseData(responder.apply(request));
        }
    }

    /** The server's responder: the CA's OCSP signer key (answers valid for an hour) over {@code issuer}'s register. */
    static UnaryOperator<byte[]> responder(Fixture fixture, Issuer issuer) {
        return RevocationStatus.ocsp(fixture.ca().ocspKey(Duration.ofHours(1)), issuer::status, Fixture.clock());
    }

    /** A DER OCSPRequest for one serial (SHA-1 CertID, as openssl and browsers send) with a 16-byte nonce. */
    static byte[] request(X509Certificate issuer, BigInteger serial) throws Exception {
        CertificateID id = new CertificateID(new BcDigestCalculatorProvider().get(CertificateID.HASH_SHA1),
                new X509CertificateHolder(issuer.getEncoded()), serial);
        byte[] nonce = new byte[16];
        new SecureRandom().nextBytes(nonce);
        return new OCSPReqBuilder().addRequest(id)
                .setRequestExtensions(new Extensions(new Extension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce, false,
                        new DEROctetString(nonce))))
                .build().getEncoded();
    }

    /** The signed ResponseData of a successful "good" answer; fails on anything else. */
    static byte[] responseData(byte[] response) throws Exception {
        OCSPResp resp = new OCSPResp(response);
        if (resp.getStatus() != OCSPResp.SUCCESSFUL) {
            throw new IllegalStateException("OCSP response status " + resp.getStatus());
        }
        BasicOCSPResp basic = (BasicOCSPResp) resp.getResponseObject();
        if (basic.getResponses()[0].getCertStatus() != null) {
            throw new IllegalStateException("the benchmark's certificate is not reported good");
        }
        return basic.getTBSResponseData();
    }


    /** The raw limit ({@link #rawSign}), measured after each iteration on every benchmark thread ({@link RawLimit}); JMH sums the threads. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Raw {
        /** This thread's raw operations per second in the window after the iteration. */
        public double raw;

        @Setup(Level.Trial)
        public void join(Ca state) {
            state.rawLimit.join();
        }

        @TearDown(Level.Iteration)
        public void measure(Ca state, IterationParams iteration) throws Exception {
            raw = state.rawLimit.rate(iteration, () -> rawSign(state));
        }
    }

    /** The raw limit: one signature over a ResponseData of the produced size, with the OCSP signer key. */
    static byte[] rawSign(Ca ca) {
        return ca.fixture.token().sign(ca.ocspAlias, ca.fixture.algorithm(), ca.tbs);
    }

    /** Our path: parse the request, look the serial up in H2 in memory, sign the response on the token. */
    @Benchmark
    public byte[] respond(Ca ca, Raw raw) {
        return ca.responder.apply(ca.request);
    }

    /** Our path with the serial looked up in the H2 file database. */
    @Benchmark
    public byte[] respondH2(Durable durable, Ca ca, Raw raw) {
        return durable.responder.apply(durable.request);
    }
}
