package io.cachet.ca.status.internal;

import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

import io.cachet.api.ca.SealCertificateRequest;
import io.cachet.api.testing.Processes;
import io.cachet.api.token.KeyAlgorithm;
import io.cachet.api.token.PinPolicy;
import io.cachet.api.token.Token;
import io.cachet.api.token.TokenDriver;
import io.cachet.api.token.TokenInfo;
import io.cachet.ca.launch.Issuer;
import io.cachet.ca.launch.LocalCa;
import io.cachet.ca.launch.Publication;
import io.cachet.store.launch.Databases;
import io.cachet.token.soft.launch.SoftTokens;

/**
 * A real CA for the tests: Cachet's key ceremony (its launch package) on the real software token, its certificates
 * recorded in an H2 database in memory, made once per test JVM, name and kind of key; plus PEM files and openssl.
 */
final class TestCa {
    private static final Map<String, TestCa> CAS = new ConcurrentHashMap<>();

    final LocalCa ca;
    final Issuer issuer;

    private TestCa(LocalCa ca, Issuer issuer) {
        this.ca = ca;
        this.issuer = issuer;
    }

    /** A CA named {@code name} with {@code algorithm} keys. */
    static TestCa get(String name, KeyAlgorithm algorithm) {
        return CAS.computeIfAbsent(name + "/" + algorithm, n -> {
            try {
                Path dir = Files.createTempDirectory("cachet-ca-status-test-");
                dir.toFile().deleteOnExit();
                TokenDriver driver = SoftTokens.driver(dir.resolve("tokens"), 1);
                TokenInfo info = driver.initialize(0, "so-pin-1234".toCharArray(), "pin-1234".toCharArray(), name,
                        PinPolicy.TOKEN_DEFAULT);
                Token token = driver.login(info.serial(), "pin-1234".toCharArray());
                LocalCa ca = LocalCa.create(token, name, "NTRFR-123456789", "FR", algorithm);
                Issuer issuer = ca.issuer(new Publication("http://ca.example.fr/", "https://ca.example.fr/pds/en.pdf",
                        "en", "1.3.6.1.4.1.99999.1.1", Duration.ofDays(7)), Databases.open("jdbc:h2:mem:ca-status-"
                                + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "", new char[0], 2), Clock.systemUTC());
                return new TestCa(ca, issuer);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    /** A qualified e-seal certificate for a fresh P-256 key. */
    X509Certificate issue() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair kp = g.generateKeyPair();
        StringWriter csr = new StringWriter();
        try (JcaPEMWriter p = new JcaPEMWriter(csr)) {
            p.writeObject(new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=ignored"), kp.getPublic())
                    .build(new JcaContentSignerBuilder("SHA256withECDSA").build(kp.getPrivate())));
        }
        return issuer.issue(new SealCertificateRequest(csr.toString(), SealCertificateRequest.Profile.QSCD,
                "ACME e-seal", new SealCertificateRequest.Organisation("ACME SAS", "NTRFR-123456789", "FR"), 3));
    }

    /** Writes {@code chain.pem} (root and issuing CA), {@code issuing.pem} and {@code ocsp.pem} into {@code dir}. */
    void writeCa(Path dir) throws Exception {
        write(dir, "chain.pem", ca.root(), ca.issuing());
        write(dir, "issuing.pem", ca.issuing());
        write(dir, "ocsp.pem", ca.ocspSigner());
    }

    static Path write(Path dir, String name, X509Certificate... certificates) throws Exception {
        StringWriter w = new StringWriter();
        try (JcaPEMWriter p = new JcaPEMWriter(w)) {
            for (X509Certificate c : certificates) {
                p.writeObject(c);
            }
        }
        return Files.writeString(dir.resolve(name), w.toString());
    }

    /** {@code openssl args...} in {@code dir}, through the tests' one process runner (2 minutes at most). */
    static Processes.Result openssl(Path dir, String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add("openssl");
        cmd.addAll(List.of(args));
        return Processes.run(dir, Duration.ofSeconds(120), cmd);
    }

    static Processes.Result ok(Processes.Result r) {
        org.junit.jupiter.api.Assertions.assertEquals(0, r.exit(), r.out());
        return r;
    }
}
