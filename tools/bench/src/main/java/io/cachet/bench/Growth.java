package io.cachet.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.operator.ContentSigner;

import io.cachet.api.audit.AuditLog;
import io.cachet.api.audit.AuditVerification;
import io.cachet.api.ca.CertificateAuthority;
import io.cachet.api.ca.RevocationReason;
import io.cachet.api.ca.SealCertificateRequest;
import io.cachet.audit.launch.AuditLogs;
import io.cachet.ca.launch.TokenSigners;
import io.cachet.ca.status.launch.RevocationStatus;
import io.cachet.store.launch.Databases;
import io.cachet.store.launch.LocalDatabase;

/**
 * How cost grows with the work (issue 15 item 7): fills a database with many issued certificates, revoked ones and
 * audit records, then measures the server's own code paths on it. Not JMH: each figure is one timed loop or one
 * timed call, printed as a line {@code name value unit}; see {@code growth.sh} and BENCHMARKS.md.
 *
 * <pre>
 * java -cp cachet-bench.jar io.cachet.bench.Growth measure JDBC_URL CERTIFICATES REVOKED AUDIT_RECORDS [SECONDS]
 * java -Xmx64m -cp cachet-bench.jar io.cachet.bench.Growth verify JDBC_URL
 * </pre>
 *
 * <p>What the rows are: a real CA (key ceremony on Cachet's software token, EC P-256) issues one certificate through
 * the server's CA service; the generator then writes {@code CERTIFICATES} more rows as the CA's repository writes
 * them (same table and columns), each a real certificate: that template's to-be-signed part with a fresh random
 * serial, signed by the CA's issuing key on the token with {@code -Dgrowth.sign=true}, else carrying the template's
 * signature (see {@link #SIGN}). The first {@code REVOKED} are marked revoked (spread over
 * the past day, reasons keyCompromise/superseded). Audit records continue the chain from its head, hashed by the
 * audit log's own record hash ({@link AuditLogs#recordHash}), so that {@code verify} finds a valid chain. JDBC
 * batches of 1,000, one commit per batch.
 */
public final class Growth {

    private static final String ISSUER_ROLE = "issuing";
    /**
     * {@code -Dgrowth.sign=true}: every generated certificate signed by the CA's issuing key on the token (~300 rows/s
     * here); by default the rows carry the template's signature, which does not match their serial (nothing on the
     * measured paths verifies a stored certificate: OCSP and the CRL read its serial and revocation).
     */
    private static final boolean SIGN = Boolean.getBoolean("growth.sign");

    private Growth() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length >= 2 && args[0].equals("verify")) {
            verify(args[1]);
            return;
        }
        if (args.length >= 6 && args[0].equals("fill")) {
            fill(args[1], java.nio.file.Path.of(args[2]), Integer.parseInt(args[3]), Integer.parseInt(args[4]),
                    Long.parseLong(args[5]));
            return;
        }
        if (args.length < 5 || !args[0].equals("measure")) {
            System.err.println("usage: Growth measure JDBC_URL CERTIFICATES REVOKED AUDIT_RECORDS [SECONDS]\n"
                    + "       Growth verify JDBC_URL\n"
                    + "       Growth fill JDBC_URL CA_CHAIN_PEM CERTIFICATES REVOKED AUDIT_RECORDS");
            System.exit(2);
        }
        String url = args[1];
        int certificates = Integer.parseInt(args[2]);
        int revoked = Integer.parseInt(args[3]);
        long auditRecords = Long.parseLong(args[4]);
        int seconds = args.length > 5 ? Integer.parseInt(args[5]) : 10;
        measure(url, certificates, revoked, auditRecords, seconds);
    }

    static void print(String name, Object value, String unit) {
        System.out.println(name + " " + value + " " + unit);
        System.out.flush();
    }

    static LocalDatabase open(String url) {
        return Databases.open(url, url.startsWith("jdbc:postgresql") ? "postgres" : "", new char[0], 4);
    }

    private static void measure(String url, int certificates, int revoked, long auditRecords, int seconds)
            throws Exception {
        try (Fixture fixture = Fixture.open("soft", "EC_P256")) {
            LocalDatabase db = open(url);
            AuditLog audit = AuditLogs.open(db, List.of());
            CertificateAuthority ca = fixture.ca().authority(Fixture.publication(), Fixture.TSA_POLICY, db, audit,
                    Fixture.clock());
            X509Certificate template = ca.issue(Fixture.sealRequest(), "bench").certificate();

            long t0 = System.nanoTime();
            List<BigInteger> serials = fillCertificates(url, fixture, template, certificates, revoked);
            print("fill.certificates.seconds", secs(t0), "s");
            t0 = System.nanoTime();
            fillAudit(url, auditRecords);
            print("fill.audit.seconds", secs(t0), "s");
            db.close();

            // the database part of a start: a new pool, the audit log and the CA service on it, its first CRL
            // (what CaComponent does when it activates)
            t0 = System.nanoTime();
            db = open(url);
            audit = AuditLogs.open(db, List.of());
            ca = fixture.ca().authority(Fixture.publication(), Fixture.TSA_POLICY, db, audit, Fixture.clock());
            X509CRL first = ca.crl();
            print("start.ca.ms", ms(t0), "ms");
            print("crl.entries", first.getRevokedCertificates() == null ? 0 : first.getRevokedCertificates().size(),
                    "entries");
            print("crl.bytes", first.getEncoded().length, "bytes");

            // OCSP: random known serials, one thread, the server's responder over the CA service's status
            UnaryOperator<byte[]> responder = RevocationStatus.ocsp(fixture.ca().ocspKey(java.time.Duration.ofHours(1)),
                    ca::status, Fixture.clock());
            SecureRandom random = new SecureRandom();
            List<byte[]> requests = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                requests.add(OcspBenchmark.request(fixture.ca().issuing(), serials.get(random.nextInt(serials.size()))));
            }
            for (int i = 0; i < 300; i++) { // warm-up
                responder.apply(requests.get(i % requests.size()));
            }
            long n = 0;
            t0 = System.nanoTime();
            long end = t0 + seconds * 1_000_000_000L;
            while (System.nanoTime() < end) {
                byte[] r = responder.apply(requests.get((int) (n % requests.size())));
                if (r.length < 100) {
                    throw new IllegalStateException("OCSP answered " + r.length + " bytes");
                }
                n++;
            }
            print("ocsp.per.second", Math.round(n / secs(t0)), "ops/s");

            // issuance: the CA service with its audit record, one thread, CSRs made beforehand
            List<SealCertificateRequest> csrs = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                csrs.add(Fixture.sealRequest());
            }
            for (int i = 0; i < 50; i++) { // warm-up
                ca.issue(csrs.get(i % csrs.size()), "bench");
            }
            n = 0;
            t0 = System.nanoTime();
            end = t0 + seconds * 1_000_000_000L;
            while (System.nanoTime() < end) {
                ca.issue(csrs.get((int) (n % csrs.size())), "bench");
                n++;
            }
            print("issue.per.second", Math.round(n / secs(t0)), "ops/s");

            // CRL: a fresh one through the CA's issuer (always rebuilt), three times
            io.cachet.ca.launch.Issuer issuer = fixture.ca().issuer(Fixture.publication(), db, Fixture.clock());
            for (int i = 0; i < 3; i++) {
                t0 = System.nanoTime();
                X509CRL crl = issuer.crl();
                print("crl.build.ms", ms(t0), "ms (" + crl.getEncoded().length + " bytes)");
            }

            // one revocation through the CA service, then the CRL it serves (which must list it), three times;
            // meanwhile another thread issues: how many issuances completed during revocation + CRL, the slowest
            // of them, and the slowest issuance in the 2 s before
            List<BigInteger> good = serials.subList(revoked, serials.size());
            CertificateAuthority service = ca;
            for (int i = 0; i < 3; i++) {
                AtomicBoolean stop = new AtomicBoolean();
                AtomicLong maxDuring = new AtomicLong();
                AtomicLong doneDuring = new AtomicLong();
                AtomicBoolean during = new AtomicBoolean();
                AtomicLong maxBefore = new AtomicLong();
                Thread issuing = new Thread(() -> {
                    int k = 0;
                    while (!stop.get()) {
                        long s = System.nanoTime();
                        boolean wasDuring = during.get();
                        service.issue(csrs.get(k++ % csrs.size()), "bench");
                        long took = System.nanoTime() - s;
                        if (wasDuring || during.get()) {
                            maxDuring.accumulateAndGet(took, Math::max);
                            doneDuring.incrementAndGet();
                        } else {
                            maxBefore.accumulateAndGet(took, Math::max);
                        }
                    }
                });
                issuing.start();
                Thread.sleep(2000);
                during.set(true);
                t0 = System.nanoTime();
                service.revoke(good.get(i), RevocationReason.KEY_COMPROMISE, "bench");
                long revokeMs = ms(t0);
                long t1 = System.nanoTime();
                X509CRL listed = service.crl();
                long crlMs = ms(t1);
                during.set(false);
                if (listed.getRevokedCertificate(good.get(i)) == null) {
                    throw new IllegalStateException("the CRL after a revocation does not list it");
                }
                Thread.sleep(500);
                stop.set(true);
                issuing.join();
                print("revoke.ms", revokeMs, "ms, then crl() " + crlMs + " ms; issuances completed meanwhile " + doneDuring.get()
                        + ", slowest of them " + maxDuring.get() / 1_000_000 + " ms, slowest in the 2 s before "
                        + maxBefore.get() / 1_000_000 + " ms");
            }
            // a burst: 20 revocations in a row, then the CRL a relying party fetches
            t0 = System.nanoTime();
            for (int i = 3; i < 23; i++) {
                service.revoke(good.get(i), RevocationReason.SUPERSEDED, "bench");
            }
            X509CRL after = service.crl();
            print("revoke.burst20.then.crl.ms", ms(t0), "ms (" + after.getRevokedCertificates().size() + " entries)");
            db.close();
        }
    }

    /**
     * Fills the database of a server that is stopped (e.g. the embedded H2 in {@code DATA/db}) with rows of the CA
     * whose chain is {@code chainPem} ({@code DATA/keys/ca-chain.pem}): the certificates are made by a CA of this
     * benchmark (their issuer column is the server's CA, so its CRL and OCSP count them), then the audit records.
     */
    private static void fill(String url, java.nio.file.Path chainPem, int certificates, int revoked, long auditRecords)
            throws Exception {
        X509Certificate issuing;
        try (java.io.InputStream in = java.nio.file.Files.newInputStream(chainPem)) {
            issuing = (X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        try (Fixture fixture = Fixture.open("soft", "EC_P256")) {
            LocalDatabase db = Databases.open("jdbc:h2:mem:growth-template", "", new char[0], 1);
            X509Certificate template = fixture.ca().authority(Fixture.publication(), Fixture.TSA_POLICY, db,
                    AuditLogs.open(db, List.of()), Fixture.clock()).issue(Fixture.sealRequest(), "bench").certificate();
            db.close();
            long t0 = System.nanoTime();
            fillCertificates(url, fixture, issuing, template, certificates, revoked);
            print("fill.certificates.seconds", secs(t0), "s");
            t0 = System.nanoTime();
            fillAudit(url, auditRecords);
            print("fill.audit.seconds", secs(t0), "s");
        }
    }

    private static List<BigInteger> fillCertificates(String url, Fixture fixture, X509Certificate template,
            int count, int revoked) throws Exception {
        return fillCertificates(url, fixture, fixture.ca().issuing(), template, count, revoked);
    }

    /** Inserts {@code count} certificates as JdbcCertificateRepository.add writes them; returns their serials. */
    private static List<BigInteger> fillCertificates(String url, Fixture fixture, X509Certificate issuing,
            X509Certificate template, int count, int revoked) throws Exception {
        String issuer = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(issuing.getEncoded()));
        X509CertificateHolder holder = new X509CertificateHolder(template.getEncoded());
        ASN1Sequence tbs = ASN1Sequence.getInstance(holder.toASN1Structure().getTBSCertificate().getEncoded());
        AlgorithmIdentifier algorithm = holder.toASN1Structure().getSignatureAlgorithm();
        byte[] templateSignature = template.getSignature();
        String subject = template.getSubjectX500Principal().getName();
        SecureRandom random = new SecureRandom();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        List<BigInteger> serials = new ArrayList<>(count);
        try (Connection c = connect(url)) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO ca_certificate (issuer, serial, subject,"
                    + " not_before, not_after, der, revoked_at, revocation_reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                for (int i = 0; i < count; i++) {
                    byte[] s = new byte[16];
                    random.nextBytes(s);
                    BigInteger serial = new BigInteger(1, s);
                    serials.add(serial);
                    ASN1EncodableVector v = new ASN1EncodableVector();
                    for (int k = 0; k < tbs.size(); k++) {
                        v.add(k == 1 ? new ASN1Integer(serial) : tbs.getObjectAt(k));
                    }
                    byte[] tbsDer = new DERSequence(v).getEncoded("DER");
                    byte[] signature;
                    if (SIGN) {
                        ContentSigner signer = TokenSigners.of(fixture.token(), fixture.alias(ISSUER_ROLE),
                                fixture.algorithm());
                        signer.getOutputStream().write(tbsDer);
                        signature = signer.getSignature();
                    } else {
                        signature = templateSignature;
                    }
                    byte[] der = new DERSequence(new org.bouncycastle.asn1.ASN1Encodable[] { new DERSequence(v),
                            algorithm, new DERBitString(signature) }).getEncoded("DER");
                    ps.setString(1, issuer);
                    ps.setString(2, serial.toString(16));
                    ps.setString(3, subject);
                    ps.setObject(4, template.getNotBefore().toInstant().atOffset(ZoneOffset.UTC));
                    ps.setObject(5, template.getNotAfter().toInstant().atOffset(ZoneOffset.UTC));
                    ps.setBytes(6, der);
                    if (i < revoked) {
                        ps.setObject(7, now.minusMillis(86_400_000L - (long) i * 86_400_000L / Math.max(revoked, 1))
                                .atOffset(ZoneOffset.UTC));
                        ps.setInt(8, i % 2 == 0 ? 1 : 4);
                    } else {
                        ps.setObject(7, null);
                        ps.setObject(8, null);
                    }
                    ps.addBatch();
                    if ((i + 1) % 1000 == 0 || i == count - 1) {
                        ps.executeBatch();
                        c.commit();
                    }
                }
            }
        }
        return serials;
    }

    /** Appends {@code count} records to the audit chain from its head, hashed by the audit module's own code. */
    private static void fillAudit(String url, long count) throws Exception {
        try (Connection c = connect(url)) {
            c.setAutoCommit(false);
            long seq;
            String hash;
            try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT seq, hash FROM audit_head WHERE id = 1 FOR UPDATE")) {
                rs.next();
                seq = rs.getLong(1);
                hash = rs.getString(2);
            }
            Instant time = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO audit_record (seq, recorded_at, actor, action,"
                    + " subject, payload_digest, previous_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
                    PreparedStatement head = c.prepareStatement("UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1")) {
                for (long i = 0; i < count; i++) {
                    seq++;
                    String subject = "certificate:" + Long.toHexString(seq * 0x9E3779B97F4A7C15L);
                    String digest = AuditLogs.payloadDigest(utf8("profile=qscd\nsubject=CN=ACME e-seal " + seq));
                    String next = AuditLogs.recordHash(hash, time, "bench", "ca.certificate.issued", subject,
                            digest);
                    ps.setLong(1, seq);
                    ps.setObject(2, time.atOffset(ZoneOffset.UTC));
                    ps.setString(3, "bench");
                    ps.setString(4, "ca.certificate.issued");
                    ps.setString(5, subject);
                    ps.setString(6, digest);
                    ps.setString(7, hash);
                    ps.setString(8, next);
                    ps.addBatch();
                    hash = next;
                    if ((i + 1) % 1000 == 0 || i == count - 1) {
                        ps.executeBatch();
                        head.setLong(1, seq);
                        head.setString(2, hash);
                        head.executeUpdate();
                        c.commit();
                    }
                }
            }
        }
    }

    /** The audit module's verification over the whole log, its time and the heap it needed at most. */
    private static void verify(String url) {
        LocalDatabase db = open(url);
        AuditLog log = AuditLogs.verifier(db, List.of(), java.nio.file.Path.of("/nonexistent/anchor-journal"));
        long records = log.head().map(r -> r.sequence()).orElse(0L);
        long t0 = System.nanoTime();
        AuditVerification v = log.verify();
        long took = ms(t0);
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        print("verify.records", records, "records");
        print("verify.ms", took, "ms");
        print("verify.checked", v.recordsChecked(), "records");
        print("verify.intact", v.intact(), "(" + v.problems().size() + " problems)");
        v.problems().stream().limit(3).forEach(p -> print("verify.problem", p, ""));
        print("verify.heap.max", Runtime.getRuntime().maxMemory() / (1024 * 1024), "MiB");
        print("verify.heap.peak", peak / (1024 * 1024), "MiB (sum of heap pools' peaks)");
        db.close();
    }

    private static Connection connect(String url) throws Exception {
        return url.startsWith("jdbc:postgresql") ? DriverManager.getConnection(url, "postgres", "")
                : DriverManager.getConnection(url, "", "");
    }

    private static double secs(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    private static long ms(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }

    static String fmt(double d) {
        return String.format(Locale.ROOT, "%.1f", d);
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
