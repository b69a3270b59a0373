package io.cachet.bench;

import java.io.StringReader;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.util.concurrent.TimeUnit;

import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.crypto.util.PublicKeyFactory;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.operator.DefaultDigestAlgorithmIdentifierFinder;
import org.bouncycastle.operator.bc.BcECContentVerifierProviderBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import io.cachet.api.security.SecretHash;


/**
 * The pieces of an issuance the profiles point at, each alone, with no token: where the time of
 * {@link io.cachet.ca.launch.Issuer#issue} goes and what a change would gain. P-256 only.
 * <ul>
 * <li>{@link #csrCheckAsCa}: the CSR check as the CA does it (PEM parse, BouncyCastle's
 * {@code JcaContentVerifierProviderBuilder}), and {@link #csrCheckVerifyOnce}: the same with BouncyCastle's
 * lightweight verifier, which verifies once (the JCA builder's {@code RawSigVerifier} verifies twice);</li>
 * <li>{@link #ecSignSunEc} (what the software token uses: {@code NONEwithECDSA} from the JDK, i.e. SunEC) vs
 * {@link #ecSignBc} (BouncyCastle);</li>
 * <li>{@link #x509Convert}: the JDK parse of every issued certificate ({@code JcaX509CertificateConverter}).</li>
 * </ul>
 * And one piece of the customer space, not of issuance: {@link #passwordCheck}, the check of a typed password
 * against its stored hash ({@code SecretHash.verify}: PBKDF2-HMAC-SHA256, 600,000 iterations), which every login,
 * every Click&amp;Cert signature and every CSC authorisation does once: it bounds how many of them two cores can
 * serve.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 2, jvmArgsAppend = { "-Xms1g", "-Xmx1g" })
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 5, time = 5)
@State(Scope.Benchmark)
public class PartsBenchmark {
    private static final BouncyCastleProvider BC = new BouncyCastleProvider();
    static final String PASSWORD = "correct horse battery staple 42";

    String csrPem;
    KeyPair caKey;
    byte[] digest;
    X509CertificateHolder certificate;
    String storedPassword;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        csrPem = Fixture.sealRequest().csrPem();
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        caKey = g.generateKeyPair();
        digest = MessageDigest.getInstance("SHA-256").digest(new byte[600]);
        storedPassword = SecretHash.hash(PASSWORD.toCharArray(), new SecureRandom());
        try (Fixture f = Fixture.open("soft", "EC_P256")) {
            X509Certificate sample = f.memoryIssuer().issue(Fixture.sealRequest());
            certificate = new X509CertificateHolder(sample.getEncoded());
        }
    }

    private PKCS10CertificationRequest parse() throws Exception {
        try (PEMParser p = new PEMParser(new StringReader(csrPem))) {
            return (PKCS10CertificationRequest) p.readObject();
        }
    }

    @Benchmark
    public boolean csrCheckAsCa() throws Exception {
        PKCS10CertificationRequest csr = parse();
        return csr.isSignatureValid(new JcaContentVerifierProviderBuilder().setProvider(BC)
                .build(csr.getSubjectPublicKeyInfo()));
    }

    @Benchmark
    public boolean csrCheckVerifyOnce() throws Exception {
        PKCS10CertificationRequest csr = parse();
        return csr.isSignatureValid(new BcECContentVerifierProviderBuilder(new DefaultDigestAlgorithmIdentifierFinder())
                .build(PublicKeyFactory.createKey(csr.getSubjectPublicKeyInfo())));
    }

    @Benchmark
    public byte[] ecSignSunEc() throws Exception {
        Signature s = Signature.getInstance("NONEwithECDSA");
        s.initSign(caKey.getPrivate());
        s.update(digest);
        return s.sign();
    }

    @Benchmark
    public byte[] ecSignBc() throws Exception {
        Signature s = Signature.getInstance("NONEwithECDSA", BC);
        s.initSign(caKey.getPrivate());
        s.update(digest);
        return s.sign();
    }

    @Benchmark
    public boolean passwordCheck() {
        return SecretHash.verify(PASSWORD.toCharArray(), storedPassword);
    }

    @Benchmark
    public X509Certificate x509Convert() throws Exception {
        return new JcaX509CertificateConverter().getCertificate(certificate);
    }
}
