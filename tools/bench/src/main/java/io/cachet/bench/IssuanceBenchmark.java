package io.cachet.bench;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.concurrent.TimeUnit;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
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

import io.cachet.api.ca.SealCertificateRequest;
import io.cachet.ca.launch.Issuer;

/**
 * Qualified e-seal certificates per second ({@link io.cachet.ca.launch.Issuer#issue}), next to the raw limit of the same CA key in
 * the same fork: {@link #rawSign} (measured after each iteration, {@link RawLimit}) signs a to-be-signed certificate of the size the issuer produces. {@link #buildSign}
 * is a reference in between: build, sign and encode a certificate with SKI, AKI, basic constraints and key usage only
 * (no CSR to check, no QC statements, policies, CRL DP or AIA, no repository).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 2, jvmArgsAppend = { "-Xms2g", "-Xmx2g" })
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 5, time = 5)
public class IssuanceBenchmark {

    /** The CA on its token, its certificates recorded in an H2 database in memory. */
    @State(Scope.Benchmark)
    public static class Ca {
        @Param({ "soft", "softhsm" })
        public String token;
        @Param({ "EC_P256", "RSA_3072" })
        public String key;

        Fixture fixture;
        final RawLimit rawLimit = new RawLimit();
        Issuer memory;
        SealCertificateRequest request;
        byte[] tbs;
        String issuingAlias;
        // what buildSign needs, prepared once
        X500Name issuerName;
        X500Name subject;
        SubjectPublicKeyInfo subjectKey;
        Extension ski;
        Extension aki;
        AlgorithmIdentifier signatureId;
        final SecureRandom random = new SecureRandom();

        @Setup(Level.Trial)
        public void setUp() throws Exception {
            fixture = Fixture.open(token, key);
            memory = fixture.memoryIssuer();
            request = Fixture.sealRequest();
            X509Certificate sample = memory.issue(request);
            tbs = sample.getTBSCertificate();
            issuingAlias = fixture.alias("issuing");
            issuerName = X500Name.getInstance(sample.getIssuerX500Principal().getEncoded());
            subject = X500Name.getInstance(sample.getSubjectX500Principal().getEncoded());
            subjectKey = SubjectPublicKeyInfo.getInstance(sample.getPublicKey().getEncoded());
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            ski = new Extension(Extension.subjectKeyIdentifier, false,
                    utils.createSubjectKeyIdentifier(sample.getPublicKey()).getEncoded());
            aki = new Extension(Extension.authorityKeyIdentifier, false,
                    utils.createAuthorityKeyIdentifier(fixture.ca().issuing()).getEncoded());
            signatureId = TokenSigner.idOf(fixture.algorithm());
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            fixture.close();
        }
    }

    /** The same CA with the durable, database-backed repository on an H2 file database. */
    @State(Scope.Benchmark)
    public static class Durable {
        Issuer issuer;

        @Setup(Level.Trial)
        public void setUp(Ca ca) {
            issuer = ca.fixture.h2Issuer();
            issuer.issue(ca.request);
        }
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

    /** The raw limit: one signature over a TBS of the issued size, with the issuing CA key. */
    static byte[] rawSign(Ca ca) {
        return ca.fixture.token().sign(ca.issuingAlias, ca.fixture.algorithm(), ca.tbs);
    }

    /** Reference: a minimal certificate built, signed by the token and DER-encoded. */
    @Benchmark
    public byte[] buildSign(Ca ca, Raw raw) throws Exception {
        Instant now = Instant.now();
        byte[] serial = new byte[16];
        ca.random.nextBytes(serial);
        serial[0] &= 0x7F;
        X509v3CertificateBuilder b = new X509v3CertificateBuilder(ca.issuerName, new BigInteger(1, serial),
                Date.from(now), Date.from(now.plus(3 * 365, ChronoUnit.DAYS)), ca.subject, ca.subjectKey);
        b.addExtension(ca.ski);
        b.addExtension(ca.aki);
        b.addExtension(Extension.basicConstraints, false, new BasicConstraints(false));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.nonRepudiation | KeyUsage.digitalSignature));
        return b.build(new TokenSigner(ca.fixture.token(), ca.issuingAlias, ca.fixture.algorithm(), ca.signatureId))
                .getEncoded();
    }

    /** Our path: CSR checked, qualified e-seal certificate built, signed on the token, recorded in H2 in memory. */
    @Benchmark
    public X509Certificate issue(Ca ca, Raw raw) {
        return ca.memory.issue(ca.request);
    }

    /** Our path with durable storage: as {@link #issue}, each certificate committed to an H2 file database. */
    @Benchmark
    public X509Certificate issueH2(Durable durable, Ca ca, Raw raw) {
        return durable.issuer.issue(ca.request);
    }
}
