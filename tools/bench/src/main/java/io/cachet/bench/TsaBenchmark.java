package io.cachet.bench;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;

import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.tsp.TSPAlgorithms;
import org.bouncycastle.tsp.TimeStampRequestGenerator;
import org.bouncycastle.tsp.TimeStampResponse;
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

import java.util.function.UnaryOperator;
import io.cachet.tsa.launch.TimeStamping;

/**
 * RFC 3161 time-stamps per second (({@link io.cachet.tsa.launch.TimeStamping#authority})) for a SHA-256 imprint with a nonce and
 * {@code certReq}, next to {@link #rawSign}: one signature with the TSA key over signed attributes of the size the
 * TSA produces.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 2, jvmArgsAppend = { "-Xms2g", "-Xmx2g" })
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 5, time = 5)
public class TsaBenchmark {

    @State(Scope.Benchmark)
    public static class Ca {
        @Param({ "soft", "softhsm" })
        public String token;
        @Param({ "EC_P256", "RSA_3072" })
        public String key;

        Fixture fixture;
        final RawLimit rawLimit = new RawLimit();
        UnaryOperator<byte[]> tsa;
        byte[] request;
        byte[] signedAttributes;
        String tsaAlias;

        @Setup(Level.Trial)
        public void setUp() throws Exception {
            fixture = Fixture.open(token, key);
            tsa = TimeStamping.authority(fixture.ca().timeStampKey(Fixture.TSA_POLICY), Fixture.clock());
            request = request();
            signedAttributes = signedAttributes(tsa.apply(request));
            tsaAlias = fixture.alias("tsa");
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            fixture.close();
        }
    }

    /** A DER TimeStampReq: SHA-256 imprint of 32 random bytes, 64-bit nonce, certReq = true. */
    static byte[] request() throws Exception {
        SecureRandom random = new SecureRandom();
        byte[] imprint = new byte[32];
        random.nextBytes(imprint);
        TimeStampRequestGenerator g = new TimeStampRequestGenerator();
        g.setCertReq(true);
        return g.generate(TSPAlgorithms.SHA256, imprint, BigInteger.valueOf(random.nextLong())).getEncoded();
    }

    /** The DER signed attributes of a granted response; fails on anything else. */
    static byte[] signedAttributes(byte[] response) throws Exception {
        TimeStampResponse resp = new TimeStampResponse(response);
        if (resp.getStatus() != 0 || resp.getTimeStampToken() == null) {
            throw new IllegalStateException("time-stamp refused: " + resp.getStatusString());
        }
        SignerInformation signer = resp.getTimeStampToken().toCMSSignedData().getSignerInfos().getSigners()
                .iterator().next();
        return signer.getEncodedSignedAttributes();
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

    /** The raw limit: one signature over signed attributes of the produced size, with the TSA key. */
    static byte[] rawSign(Ca ca) {
        return ca.fixture.token().sign(ca.tsaAlias, ca.fixture.algorithm(), ca.signedAttributes);
    }

    /** Our path: parse the request, build the TSTInfo and the CMS SignedData, sign on the token. */
    @Benchmark
    public byte[] respond(Ca ca, Raw raw) {
        return ca.tsa.apply(ca.request);
    }
}
