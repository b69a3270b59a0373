package io.cachet.bench;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
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

import io.cachet.api.store.Database;
import io.cachet.api.token.KeyAlgorithm;
import io.cachet.api.token.PinPolicy;
import io.cachet.api.token.SignatureAlgorithm;
import io.cachet.api.token.Token;
import io.cachet.api.token.TokenDriver;
import io.cachet.api.token.TokenInfo;
import io.cachet.ca.internal.CaHierarchy;
import io.cachet.ca.internal.CaSettings;
import io.cachet.ca.internal.CertificateRepository;
import io.cachet.ca.internal.InMemoryCertificateRepository;
import io.cachet.ca.internal.IssuerSettings;
import io.cachet.ca.internal.SealRequest;
import io.cachet.store.internal.JdbcDatabase;
import io.cachet.token.soft.internal.SoftTokenDriver;
import io.cachet.token.softhsm.internal.SoftHsm;

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
    /** Added by the lead in the CA bundle; measured when it is there (see {@link #h2Repository}). */
    static final String JDBC_REPOSITORY = "io.cachet.ca.internal.JdbcCertificateRepository";

    /** The drivers and the pool log each start at INFO: kept out of the benchmark output (held: JUL keeps weak references). */
    private static final java.util.List<Logger> QUIET = java.util.List.of(Logger.getLogger("io.cachet"),
            Logger.getLogger("com.zaxxer"), Logger.getLogger("eu.europa.esig"));

    private final Path dir;
    private final AutoCloseable driver;
    private final Token token;
    private final CaHierarchy ca;
    private final SignatureAlgorithm algorithm;
    private JdbcDatabase database;

    private Fixture(Path dir, AutoCloseable driver, Token token, CaHierarchy ca, SignatureAlgorithm algorithm) {
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
        case "soft" -> new SoftTokenDriver(dir.resolve("tokens"), 2);
        case "softhsm" -> {
            String conf = System.getenv("SOFTHSM2_CONF");
            if (conf == null || !Files.isRegularFile(Path.of(conf))) {
                throw new IllegalStateException("SOFTHSM2_CONF does not name a softhsm2.conf (" + conf + "): start "
                        + "the benchmarks with tools/bench/run.sh, which writes one in a temporary folder");
            }
            // pool of 2 sessions: the benchmarks run with at most 2 threads
            yield SoftHsm.open(SoftHsm.DEFAULT_LIBRARY, 2, Duration.ofSeconds(30));
        }
        default -> throw new IllegalArgumentException("token must be soft or softhsm, not " + tokenKind);
        };
        TokenInfo blank = driver.tokens().stream().filter(t -> !t.has(TokenInfo.Flag.INITIALIZED)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no blank token in " + driver.id()));
        String label = "bench-" + UUID.randomUUID().toString().substring(0, 8);
        TokenInfo info = driver.initialize(blank.slotId(), SO_PIN.clone(), USER_PIN.clone(), label,
                PinPolicy.TOKEN_DEFAULT);
        Token token = driver.login(info.serial(), USER_PIN.clone());
        CaHierarchy ca = CaHierarchy.create(token,
                CaSettings.defaults("Cachet Bench", ORG_ID, "FR").withKeyAlgorithm(key));
        SignatureAlgorithm algorithm = key.family().equals("EC") ? SignatureAlgorithm.ECDSA_SHA256
                : SignatureAlgorithm.RSA_PKCS1_SHA256;
        return new Fixture(dir, driver instanceof AutoCloseable c ? c : null, token, ca, algorithm);
    }

    public CaHierarchy ca() {
        return ca;
    }

    public Token token() {
        return token;
    }

    /** The algorithm the CA signs with (what {@code TokenContentSigner.algorithmFor} picks). */
    public SignatureAlgorithm algorithm() {
        return algorithm;
    }

    public String alias(String role) {
        return ca.settings().aliasPrefix() + role;
    }

    public static IssuerSettings issuerSettings() {
        return new IssuerSettings("http://ca.example.fr/", "https://ca.example.fr/pds/en.pdf", "en",
                "1.3.6.1.4.1.99999.1.1", Duration.ofDays(7));
    }

    /**
     * A qualified e-seal request for a fresh P-256 key (the subscriber's key is P-256 whatever the CA key is, so
     * that only the CA key changes between runs).
     */
    public static SealRequest sealRequest() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC", BC);
            g.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair kp = g.generateKeyPair();
            String csr = csr(kp.getPublic(),
                    new JcaContentSignerBuilder("SHA256withECDSA").setProvider(BC).build(kp.getPrivate()));
            return new SealRequest(csr, "qscd", "ACME e-seal", "ACME SAS", ORG_ID, "FR", 3);
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

    public static CertificateRepository memoryRepository() {
        return new InMemoryCertificateRepository();
    }

    /** True when the CA bundle on the class path has the database-backed repository. */
    public static boolean hasJdbcRepository() {
        try {
            Class.forName(JDBC_REPOSITORY);
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    /**
     * The CA's database-backed repository on an H2 file database in this fixture's folder (durable: every add
     * commits). Looked up by reflection so that this module builds against a CA bundle without it; its constructor
     * takes the {@link Database} and, in the version seen so far, the issuing CA certificate.
     */
    public CertificateRepository h2Repository() {
        if (database == null) {
            database = new JdbcDatabase("jdbc:h2:file:" + dir.resolve("db").resolve("cachet").toAbsolutePath()
                    // durable as the server's embedded database is: each commit written before it returns
                    + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0", "", new char[0], 4);
        }
        try {
            Class<?> type = Class.forName(JDBC_REPOSITORY);
            for (Constructor<?> c : type.getConstructors()) {
                Class<?>[] p = c.getParameterTypes();
                if (p.length == 2 && p[0] == Database.class && p[1] == X509Certificate.class) {
                    return (CertificateRepository) c.newInstance(database, ca.issuing());
                }
                if (p.length == 1 && p[0] == Database.class) {
                    return (CertificateRepository) c.newInstance(database);
                }
            }
            throw new IllegalStateException(JDBC_REPOSITORY + " has no constructor (Database[, X509Certificate])");
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot create " + JDBC_REPOSITORY + ": " + e, e);
        }
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
            if (database != null) {
                database.close();
            }
            try (Stream<Path> walk = Files.walk(dir)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // a temporary folder left behind is not worth failing a benchmark for
            }
        }
    }
}
