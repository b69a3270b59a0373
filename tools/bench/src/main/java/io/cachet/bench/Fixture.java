package io.cachet.bench;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

import io.cachet.api.token.KeyAlgorithm;
import io.cachet.api.token.PinPolicy;
import io.cachet.api.token.SignatureAlgorithm;
import io.cachet.api.token.Token;
import io.cachet.api.token.TokenDriver;
import io.cachet.api.token.TokenInfo;
import io.cachet.api.ca.SealCertificateRequest;
import io.cachet.ca.launch.Issuer;
import io.cachet.ca.launch.LocalCa;
import io.cachet.ca.launch.Publication;
import io.cachet.store.launch.Databases;
import io.cachet.store.launch.LocalDatabase;
import io.cachet.token.soft.launch.SoftTokens;
import io.cachet.token.softhsm.launch.SoftHsmDrivers;

/**
 * One CA made by the real key ceremony on a real token, as the benchmarks use it: {@code soft} (Cachet's
 * software token, in a temporary folder) or {@code softhsm} (SoftHSM2 through the PKCS#11 driver; needs
 * {@code SOFTHSM2_CONF}, which {@code run.sh} sets). Everything it creates is deleted by {@link #close()}.
 */
public final class Fixture implements AutoCloseable {
    static final String ORG_ID = "NTRFR-123456789";
    static final String TSA_POLICY = "1.3.6.1.4.1.99999.1.2";
    private static final char[] SO_PIN = "so-pin-1234".toCharArray();
    private static final char[] USER_PIN = "user-pin-1234".toCharArray();
    private static final BouncyCastleProvider BC = new BouncyCastleProvider();

    /** The drivers and the pool log each start at INFO: kept out of the benchmark output (held: JUL keeps weak references). */
    private static final java.util.List<Logger> QUIET = java.util.List.of(Logger.getLogger("io.cachet"),
            Logger.getLogger("com.zaxxer"), Logger.getLogger("eu.europa.esig"));

    private final Path dir;
    private final AutoCloseable driver;
    private final Token token;
    private final LocalCa ca;
    private final SignatureAlgorithm algorithm;
    private LocalDatabase memory;
    private LocalDatabase file;

    private Fixture(Path dir, AutoCloseable driver, Token token, LocalCa ca, SignatureAlgorithm algorithm) {
        this.dir = dir;
        this.driver = driver;
        this.token = token;
        this.ca = ca;
        this.algorithm = algorithm;
    }

    /**
     * Runs the key ceremony on a fresh token.
     *
     * @param tokenKind {@code soft} or {@code softhsm}
     * @param keyAlgorithm a {@link KeyAlgorithm} name, e.g. {@code EC_P256}, {@code RSA_3072}
     */
    public static Fixture open(String tokenKind, String keyAlgorithm) {
        QUIET.forEach(l -> l.setLevel(Level.WARNING));
        KeyAlgorithm key = KeyAlgorithm.valueOf(keyAlgorithm);
        Path dir;
        try {
            dir = Files.createTempDirectory("cachet-bench-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        TokenDriver driver = switch (tokenKind) {
        case "soft" -> SoftTokens.driver(dir.resolve("tokens"), 2);
        case "softhsm" -> {
            String conf = System.getenv("SOFTHSM2_CONF");
            if (conf == null || !Files.isRegularFile(Path.of(conf))) {
                throw new IllegalStateException("SOFTHSM2_CONF does not name a softhsm2.conf (" + conf + "): start "
                        + "the benchmarks with tools/bench/run.sh, which writes one in a temporary folder");
            }
            // pool of 2 sessions: the benchmarks run with at most 2 threads
            yield SoftHsmDrivers.open(SoftHsmDrivers.DEFAULT_LIBRARY, 2, Duration.ofSeconds(30));
        }
        default -> throw new IllegalArgumentException("token must be soft or softhsm, not " + tokenKind);
        };
        TokenInfo blank = driver.tokens().stream().filter(t -> !t.has(TokenInfo.Flag.INITIALIZED)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no blank token in " + driver.id()));
        String label = "bench-" + UUID.randomUUID().toString().substring(0, 8);
        TokenInfo info = driver.initialize(blank.slotId(), SO_PIN.clone(), USER_PIN.clone(), label,
                PinPolicy.TOKEN_DEFAULT);
        Token token = driver.login(info.serial(), USER_PIN.clone());
        LocalCa ca = LocalCa.create(token, "Cachet Bench", ORG_ID, "FR", key);
        SignatureAlgorithm algorithm = key.family().equals("EC") ? SignatureAlgorithm.ECDSA_SHA256
                : SignatureAlgorithm.RSA_PKCS1_SHA256;
        return new Fixture(dir, driver instanceof AutoCloseable c ? c : null, token, ca, algorithm);
    }

    public LocalCa ca() {
        return ca;
    }

    public Token token() {
        return token;
    }

    /** The algorithm the CA signs with (what the CA picks for its key: ECDSA or RSA PKCS#1 v1.5, SHA-256). */
    public SignatureAlgorithm algorithm() {
        return algorithm;
    }

    public String alias(String role) {
        return ca.keyAlias(role);
    }

    public static Publication publication() {
        return new Publication("http://ca.example.fr/", "https://ca.example.fr/pds/en.pdf", "en",
                "1.3.6.1.4.1.99999.1.1", Duration.ofDays(7));
    }

    /**
     * A qualified e-seal request for a fresh P-256 key (the subscriber's key is P-256 whatever the CA key is, so
     * that only the CA key changes between runs).
     */
    public static SealCertificateRequest sealRequest() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC", BC);
            g.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair kp = g.generateKeyPair();
            String csr = csr(kp.getPublic(),
                    new JcaContentSignerBuilder("SHA256withECDSA").setProvider(BC).build(kp.getPrivate()));
            return sealRequest(csr, 3);
        } catch (Exception e) {
            throw new IllegalStateException("cannot make a CSR", e);
        }
    }

    /** A PEM certification request for {@code key}, signed by {@code signer} (the key's own private half). */
    public static String csr(java.security.PublicKey key, org.bouncycastle.operator.ContentSigner signer) {
        try {
            Object csr = new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=ignored"), key).build(signer);
            StringWriter w = new StringWriter();
            try (JcaPEMWriter p = new JcaPEMWriter(w)) {
                p.writeObject(csr);
            }
            return w.toString();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a CSR", e);
        }
    }

    /** The request the benchmarks issue from: a QSCD seal for ACME SAS. */
    public static SealCertificateRequest sealRequest(String csrPem, int years) {
        return new SealCertificateRequest(csrPem, SealCertificateRequest.Profile.QSCD, "ACME e-seal",
                new SealCertificateRequest.Organisation("ACME SAS", ORG_ID, "FR"), years);
    }

    /**
     * The CA's issuance on an H2 database in memory: the CA's own code path as in the server, recorded through the
     * same SQL, without a disk write (what the "in memory" figures measure).
     */
    public Issuer memoryIssuer() {
        if (memory == null) {
            memory = Databases.open("jdbc:h2:mem:bench-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "", new char[0],
                    4);
        }
        return ca.issuer(publication(), memory, clock());
    }

    /**
     * The CA's issuance on an H2 file database in this fixture's folder (durable: every certificate is committed
     * before it is returned, as on the server's embedded database).
     */
    public Issuer h2Issuer() {
        if (file == null) {
            file = Databases.open("jdbc:h2:file:" + dir.resolve("db").resolve("cachet").toAbsolutePath()
                    // durable as the server's embedded database is: each commit written before it returns
                    + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0", "", new char[0], 4);
        }
        return ca.issuer(publication(), file, clock());
    }

    public static Clock clock() {
        return Clock.systemUTC();
    }

    @Override
    public void close() {
        try {
            token.close();
            if (driver != null) {
                driver.close();
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot close the token", e);
        } finally {
            if (memory != null) {
                memory.close();
            }
            if (file != null) {
                file.close();
            }
            try (Stream<Path> walk = Files.walk(dir)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // a temporary folder left behind is not worth failing a benchmark for
            }
        }
    }
}
