package io.cachet.signature.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.cachet.api.token.KeyAlgorithm;
import io.cachet.api.token.PinPolicy;
import io.cachet.api.token.SignatureAlgorithm;
import io.cachet.api.token.Token;
import io.cachet.api.token.TokenInfo;
import io.cachet.api.token.TokenKey;
import io.cachet.api.ca.RevocationReason;
import io.cachet.api.ca.SealCertificateRequest;
import io.cachet.api.signature.SigningKey;
import io.cachet.api.token.TokenDriver;
import io.cachet.ca.launch.Issuer;
import io.cachet.ca.launch.LocalCa;
import io.cachet.ca.launch.Publication;
import io.cachet.ca.status.launch.RevocationStatus;
import io.cachet.tsa.launch.TimeStamping;
import io.cachet.store.launch.Databases;
import io.cachet.store.launch.LocalDatabase;
import io.cachet.testing.pki.Pkcs12Files;
import io.cachet.token.soft.launch.KeyFile;
import io.cachet.token.soft.launch.SoftTokens;

/**
 * One real PKI per test JVM: Cachet's CA (through its plain-Java entry points, {@code io.cachet.ca.launch}) on
 * Cachet's software token, its certificates recorded in an H2 database in memory, with its OCSP responder, CRL,
 * issuing CA certificate and RFC 3161 TSA served over real HTTP on a free localhost port, and seal certificates whose
 * CDP and AIA point at that server.
 */
public final class TestPki {
    public static final String ORG_ID = "NTRFR-123456789";
    public static final char[] PIN = "user-pin-1234".toCharArray();
    private static TestPki instance;

    public final Path home;
    public final Token token;
    public final LocalCa ca;
    private final LocalDatabase database;
    public final Issuer issuer;
    public final HttpServer server;
    public final String baseUrl;
    public final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
    /** OCSP requests that carried no nonce (their answer may be one produced minutes before). */
    public final AtomicInteger ocspWithoutNonce = new AtomicInteger();
    private final AtomicInteger aliases = new AtomicInteger();

    private TestPki() throws Exception {
        home = Files.createTempDirectory("cachet-signature-pki");
        TokenDriver driver = SoftTokens.driver(home.resolve("tokens"), 2);
        long slot = driver.tokens().stream().filter(t -> !t.has(TokenInfo.Flag.INITIALIZED)).findFirst()
                .orElseThrow().slotId();
        TokenInfo info = driver.initialize(slot, "so-pin-1234".toCharArray(), PIN.clone(), "pki",
                PinPolicy.TOKEN_DEFAULT);
        token = driver.login(info.serial(), PIN.clone());
        ca = LocalCa.create(token, "Cachet Test", ORG_ID, "FR", KeyAlgorithm.EC_P256);
        database = Databases.open("jdbc:h2:mem:signature-pki;DB_CLOSE_DELAY=-1", "", new char[0], 4);
        var tsa = TimeStamping.authority(ca.timeStampKey("1.3.6.1.4.1.99999.1.2"), Clock.systemUTC());

        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "test-pki-http");
            t.setDaemon(true);
            return t;
        }));
        baseUrl = "http://127.0.0.1:" + server.getAddress().getPort();
        issuer = ca.issuer(publication(), database, Clock.systemUTC());
        // as a production responder with reuseSeconds set: nonce-less requests get the answer of minutes before
        var ocsp = RevocationStatus.ocsp(ca.ocspKey(Duration.ofHours(1)), issuer::status, Clock.systemUTC(),
                Duration.ofMinutes(5));
        server.createContext("/ocsp", x -> {
            byte[] request = body(x);
            if (!hasNonce(request)) {
                ocspWithoutNonce.incrementAndGet();
            }
            answer(x, "application/ocsp-response", ocsp.apply(request));
        });
        server.createContext("/tsa", x -> answer(x, "application/timestamp-reply", tsa.apply(body(x))));
        server.createContext("/pki/crl", x -> answer(x, "application/pkix-crl", encoded(issuer.crl())));
        server.createContext("/pki/issuing-ca.cer",
                x -> answer(x, "application/pkix-cert", encoded(ca.issuing())));
        server.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.stop(0);
            database.close();
            try (var walk = Files.walk(home)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // a temporary directory left behind
            }
        }));
    }

    public static synchronized TestPki get() {
        if (instance == null) {
            try {
                instance = new TestPki();
            } catch (Exception e) {
                throw new IllegalStateException("cannot build the test PKI", e);
            }
        }
        return instance;
    }

    private static byte[] encoded(Object o) {
        try {
            return o instanceof X509Certificate c ? c.getEncoded() : ((java.security.cert.X509CRL) o).getEncoded();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] body(HttpExchange x) throws IOException {
        try (InputStream in = x.getRequestBody()) {
            return in.readAllBytes();
        }
    }

    private void answer(HttpExchange x, String type, byte[] body) throws IOException {
        hits.computeIfAbsent(x.getHttpContext().getPath(), k -> new AtomicInteger()).incrementAndGet();
        x.getResponseHeaders().set("Content-Type", type);
        x.sendResponseHeaders(200, body.length);
        try (OutputStream out = x.getResponseBody()) {
            out.write(body);
        }
    }

    private static boolean hasNonce(byte[] request) {
        try {
            return new org.bouncycastle.cert.ocsp.OCSPReq(request)
                    .getExtension(org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers.id_pkix_ocsp_nonce) != null;
        } catch (IOException | RuntimeException e) {
            return false; // not an OCSP request: answered malformedRequest
        }
    }

    public int hits(String path) {
        AtomicInteger n = hits.get(path);
        return n == null ? 0 : n.get();
    }

    public URI tsaUrl() {
        return URI.create(baseUrl + "/tsa");
    }

    private Publication publication() {
        return new Publication(baseUrl, "https://pds.example.test/pds/en.pdf", "en", "1.3.6.1.4.1.99999.1.1",
                Duration.ofDays(7));
    }

    /** Root, issuing CA and TSA: what a relying party trusts (a trusted list carries the TSA too). */
    public List<X509Certificate> trustAnchors() {
        return List.of(ca.root(), ca.issuing(), ca.timeStampUnit());
    }

    /** Issuing CA then root, as {@code /pki/chain.pem}. */
    public List<X509Certificate> chain() {
        return List.of(ca.issuing(), ca.root());
    }

    /** A qualified seal key generated on {@code token} and certified by the CA, with its certificate imported. */
    public SigningKey sealOn(Token on, KeyAlgorithm algorithm) {
        String alias = "seal-" + aliases.incrementAndGet();
        on.generateKeyPair(alias, algorithm);
        SignatureAlgorithm csrAlgorithm = algorithm.family().equals("EC") ? SignatureAlgorithm.ECDSA_SHA256
                : SignatureAlgorithm.RSA_PKCS1_SHA256;
        X509Certificate certificate = issue(LocalCa.certificationRequest(on, alias, csrAlgorithm), issuer);
        on.importCertificate(alias, certificate);
        return new SigningKey(on, alias, chain());
    }

    /** A seal key on the PKI's own software token. */
    public SigningKey seal(KeyAlgorithm algorithm) {
        return sealOn(token, algorithm);
    }

    /** A seal certificate for a JCA key pair, issued at {@code clock}'s time for one year. */
    public X509Certificate issue(KeyPair keyPair, Clock clock) {
        Issuer at = ca.issuer(publication(), database, clock);
        try {
            String alg = keyPair.getPublic().getAlgorithm().startsWith("EC") ? "SHA256withECDSA" : "SHA256withRSA";
            return issue(csr(keyPair.getPublic(), new JcaContentSignerBuilder(alg).build(keyPair.getPrivate())), at);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static X509Certificate issue(String csrPem, Issuer by) {
        return by.issue(new SealCertificateRequest(csrPem, SealCertificateRequest.Profile.QSCD, "ACME e-seal",
                new SealCertificateRequest.Organisation("ACME SAS", ORG_ID, "FR"), 1));
    }

    private static String csr(PublicKey key, ContentSigner signer) {
        try {
            return pem(new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=ignored"), key).build(signer));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static String pem(Object... objects) {
        StringWriter w = new StringWriter();
        try (JcaPEMWriter p = new JcaPEMWriter(w)) {
            for (Object o : objects) {
                p.writeObject(o);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return w.toString();
    }

    /** The key in a PKCS#12 file, opened as a read-only token (the software token's key-file reading). */
    public static SigningKey key(Path p12, char[] password) {
        KeyFile file = SoftTokens.keyFile(p12, password, null);
        return new SigningKey(file.token(), file.alias(), file.issuers());
    }

    /** Writes a PKCS#12 file with a fresh JCA key pair, its seal certificate and the chain. */
    public Path pkcs12(Path dir, String keyAlgorithm, char[] password) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance(keyAlgorithm.startsWith("EC") ? "EC" : "RSA");
        if (keyAlgorithm.startsWith("EC")) {
            g.initialize(new ECGenParameterSpec("secp256r1"));
        } else {
            g.initialize(Integer.parseInt(keyAlgorithm.substring(3)));
        }
        KeyPair kp = g.generateKeyPair();
        X509Certificate cert = issue(kp, Clock.systemUTC());
        return writePkcs12(dir.resolve("seal-" + aliases.incrementAndGet() + ".p12"), kp, cert, password);
    }

    public Path writePkcs12(Path file, KeyPair kp, X509Certificate cert, char[] password) throws Exception {
        return Pkcs12Files.write(file, "seal", kp.getPrivate(), List.of(cert, ca.issuing(), ca.root()), password);
    }

    /** A key pair whose certificate expired a year ago. */
    public Path expiredPkcs12(Path dir, char[] password) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair kp = g.generateKeyPair();
        Clock twoYearsAgo = Clock.fixed(Instant.now().atOffset(ZoneOffset.UTC).minusYears(2).toInstant(),
                ZoneOffset.UTC);
        return writePkcs12(dir.resolve("expired.p12"), kp, issue(kp, twoYearsAgo), password);
    }

    public void revoke(BigInteger serial) {
        issuer.revoke(serial, RevocationReason.KEY_COMPROMISE);
    }

    /** Writes root, issuing CA and the chain as PEM files into {@code dir}. */
    public void writePem(Path dir) throws IOException {
        Files.writeString(dir.resolve("root.pem"), pem(ca.root()));
        Files.writeString(dir.resolve("issuing.pem"), pem(ca.issuing()));
        Files.writeString(dir.resolve("chain.pem"), pem(ca.issuing(), ca.root()));
        Files.writeString(dir.resolve("tsa.pem"), pem(ca.timeStampUnit()));
    }
}
