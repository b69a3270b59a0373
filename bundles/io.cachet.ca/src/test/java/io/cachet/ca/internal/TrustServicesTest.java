package io.cachet.ca.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.Extension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.cachet.api.audit.AuditEvent;
import io.cachet.api.audit.AuditLog;
import io.cachet.api.audit.AuditRecord;
import io.cachet.api.ca.CertificateAuthorityException;
import io.cachet.api.ca.IssuedCertificate;
import io.cachet.api.ca.RevocationReason;
import io.cachet.api.ca.SealCertificateRequest;
import io.cachet.api.store.Database;
import io.cachet.audit.launch.AuditLogs;
import io.cachet.store.testing.TestDatabases;

/** The CA over the real database (H2 and PostgreSQL) and the real audit log; results checked by openssl. */
class TrustServicesTest {
    static CaHierarchy ca;

    @TempDir
    Path dir;

    @BeforeAll
    static void ceremony() {
        ca = CaHierarchy.create(new JcaTestToken(), CaSettings.defaults("Cachet Test", CaTest.ORG_ID, "FR"));
    }

    static java.util.stream.Stream<String> products() {
        return TestDatabases.products();
    }

    static SealCertificateRequest request(String csr, SealCertificateRequest.Profile profile) {
        return new SealCertificateRequest(csr, profile, "ACME e-seal",
                new SealCertificateRequest.Organisation("ACME SAS", CaTest.ORG_ID, "FR"), 3);
    }

    /** The trust services of the test CA on this database, with the test settings and the system clock. */
    TrustServices services(TestDatabases.Handle h, AuditLog audit) {
        return new TrustServices(ca, CaTest.settings(), "1.3.6.1.4.1.32473.1.2", h.database(), audit, Clock.systemUTC());
    }

    /** A QSCD seal for a fresh P-256 key, requested by api:alice. */
    static IssuedCertificate issueOne(TrustServices services) throws Exception {
        return services.issue(request(CaTest.csrPem(Pki.ec("secp256r1")), SealCertificateRequest.Profile.QSCD),
                "api:alice");
    }

    @ParameterizedTest
    @MethodSource("products")
    void revocationListenersAreToldInTheRevocationsTransactionAndOneThatFailsIsUndoneAlone(String product)
            throws Exception {
        try (TestDatabases.Handle h = TestDatabases.open(product, dir)) {
            AuditLog audit = AuditLogs.open(h.database(), List.of());
            h.database().inTransaction(c -> {
                try (var st = c.createStatement()) {
                    st.execute("CREATE TABLE told (serial VARCHAR(64) PRIMARY KEY, actor VARCHAR(64))");
                }
                return null;
            });
            TrustServices services = services(h, audit);
            List<IssuedCertificate> told = new java.util.concurrent.CopyOnWriteArrayList<>();
            io.cachet.api.ca.RevocationListener writes = (c, actor) -> {
                assertTrue(h.database().inTransactionNow(), "told inside the revocation's transaction");
                told.add(c);
                h.database().inTransaction(x -> {
                    try (var ps = x.prepareStatement("INSERT INTO told (serial, actor) VALUES (?, ?)")) {
                        ps.setString(1, c.serialHex());
                        ps.setString(2, actor);
                        ps.executeUpdate();
                    }
                    return null;
                });
            };
            io.cachet.api.ca.RevocationListener fails = (c, actor) -> {
                h.database().inTransaction(x -> {
                    try (var ps = x.prepareStatement("INSERT INTO told (serial, actor) VALUES (?, 'half-done')")) {
                        ps.setString(1, "x" + c.serialHex());
                        ps.executeUpdate();
                    }
                    return null;
                });
                throw new IllegalStateException("a listener's bug");
            };
            List<io.cachet.api.ca.RevocationListener> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();
            services.tellRevocationsTo(listeners);
            IssuedCertificate before = issueOne(services);
            services.revoke(before.serial(), RevocationReason.SUPERSEDED, "api:bob");
            assertEquals(List.of(), told, "nobody to tell yet");

            listeners.add(fails);
            listeners.add(writes);
            IssuedCertificate issued = issueOne(services);
            IssuedCertificate revoked = services.revoke(issued.serial(), RevocationReason.KEY_COMPROMISE, "api:bob");
            assertTrue(revoked.revoked(), "a failing listener does not stop the revocation");
            assertEquals(1, told.size());
            assertEquals(issued.serial(), told.get(0).serial());
            assertEquals(RevocationReason.KEY_COMPROMISE, told.get(0).revocation().orElseThrow().reason(),
                    "told with the revocation");
            List<String> rows = h.database().inTransaction(c -> {
                List<String> r = new java.util.ArrayList<>();
                try (var st = c.createStatement(); var rs = st.executeQuery("SELECT serial, actor FROM told")) {
                    while (rs.next()) {
                        r.add(rs.getString(1) + " " + rs.getString(2));
                    }
                }
                return r;
            });
            assertEquals(List.of(issued.serialHex() + " api:bob"), rows, "the good listener's write committed with"
                    + " the revocation, the failing one's undone");
            assertTrue(services.find(issued.serial()).orElseThrow().revoked());
            assertTrue(audit.verify().intact());
        }
    }

    @ParameterizedTest
    @MethodSource("products")
    void issueRevokeAndTheirAuditRecordsSurviveARestart(String product) throws Exception {
        try (TestDatabases.Handle h = TestDatabases.open(product, dir)) {
            AuditLog audit = AuditLogs.open(h.database(), List.of());
            TrustServices services = services(h, audit);
            IssuedCertificate issued = issueOne(services);
            assertFalse(issued.revoked());
            assertEquals(List.of("ca.certificate.issued"), actions(audit));
            assertEquals("api:alice", audit.head().orElseThrow().actor());
            assertEquals("certificate:" + issued.serialHex(), audit.head().orElseThrow().subject());

            // a new instance on the same database: what was issued is still there
            TrustServices restarted = new TrustServices(ca, CaTest.settings(), "1.3.6.1.4.1.32473.1.2",
                    h.database(), audit, Clock.systemUTC());
            IssuedCertificate found = restarted.find(issued.serial()).orElseThrow();
            assertEquals(issued.certificate(), found.certificate());

            IssuedCertificate revoked = restarted.revoke(issued.serial(), RevocationReason.KEY_COMPROMISE, "api:bob");
            assertTrue(revoked.revoked());
            assertEquals(RevocationReason.KEY_COMPROMISE, revoked.revocation().orElseThrow().reason());
            assertEquals(RevocationReason.KEY_COMPROMISE,
                    services.find(issued.serial()).orElseThrow().revocation().orElseThrow().reason());
            assertTrue(actions(audit).contains("ca.certificate.revoked"));

            // the CRL served after the revocation lists the serial, and openssl accepts it
            X509CRL crl = restarted.crl();
            assertNotNull(crl.getRevokedCertificate(issued.serial()));
            assertEquals("ca.crl.published", audit.head().orElseThrow().action());
            Pki.write(dir, "chain.pem", ca.root(), ca.issuing());
            Pki.write(dir, "crl.pem", crl);
            Pki.Result text = Pki.openssl(dir, "crl", "-in", "crl.pem", "-CAfile", "chain.pem", "-verify", "-text",
                    "-noout");
            CaTest.ok(text);
            // openssl pads the serial to whole bytes: one leading 0 when the hex has an odd length
            assertTrue(java.util.regex.Pattern.compile("Serial Number: 0?" + issued.serialHex().toUpperCase() + "\\R")
                    .matcher(text.out()).find(), text.out());
            assertTrue(text.out().contains("Key Compromise"), text.out());

            CertificateAuthorityException twice = assertThrows(CertificateAuthorityException.class,
                    () -> restarted.revoke(issued.serial(), RevocationReason.SUPERSEDED, "api:bob"));
            assertEquals(CertificateAuthorityException.Kind.CONFLICT, twice.kind());
            CertificateAuthorityException unknown = assertThrows(CertificateAuthorityException.class,
                    () -> restarted.revoke(BigInteger.valueOf(0x1234), RevocationReason.SUPERSEDED, "api:bob"));
            assertEquals(CertificateAuthorityException.Kind.NOT_FOUND, unknown.kind());
            assertEquals(Optional.empty(), restarted.find(BigInteger.valueOf(0x1234)));
            assertTrue(audit.verify().intact());
        }
    }

    @ParameterizedTest
    @MethodSource("products")
    void aRefusedRequestIssuesNothingAndAuditsNothing(String product) throws Exception {
        try (TestDatabases.Handle h = TestDatabases.open(product, dir)) {
            AuditLog audit = AuditLogs.open(h.database(), List.of());
            TrustServices services = services(h, audit);
            long before = audit.head().map(AuditRecord::sequence).orElse(0L);
            for (String csr : List.of("", "-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n",
                    CaTest.csrPem(Pki.rsa(1024)), CaTest.csrPem(Pki.ec("secp256k1")))) {
                CertificateAuthorityException e = assertThrows(CertificateAuthorityException.class,
                        () -> services.issue(request(csr, SealCertificateRequest.Profile.CLOUD), "api:alice"));
                assertEquals(CertificateAuthorityException.Kind.INVALID_REQUEST, e.kind(), e.getMessage());
            }
            assertEquals(0, count(h.database()));
            assertEquals(before, audit.head().map(AuditRecord::sequence).orElse(0L));
        }
    }

    @ParameterizedTest
    @MethodSource("products")
    void whenTheAuditRecordCannotBeWrittenNothingIsIssued(String product) throws Exception {
        try (TestDatabases.Handle h = TestDatabases.open(product, dir)) {
            AuditLog real = AuditLogs.open(h.database(), List.of());
            AuditLog failing = new AuditLog() {
                @Override
                public AuditRecord append(AuditEvent event) {
                    real.append(event);
                    throw new IllegalStateException("disk full");
                }

                @Override
                public List<AuditRecord> read(long fromSequence, int max) {
                    return real.read(fromSequence, max);
                }

                @Override
                public Optional<AuditRecord> head() {
                    return real.head();
                }

                @Override
                public Optional<io.cachet.api.audit.AuditAnchor> anchor() {
                    return real.anchor();
                }

                @Override
                public io.cachet.api.audit.AuditVerification verify() {
                    return real.verify();
                }
            };
            TrustServices services = services(h, failing);
            assertThrows(IllegalStateException.class, () -> issueOne(services));
            assertEquals(0, count(h.database()));
            assertTrue(real.head().isEmpty(), "the audit record rolled back with the issuance");
        }
    }

    @ParameterizedTest
    @MethodSource("products")
    void aPublishedCrlIsAuditedWithItsNumberAsOpensslReadsIt(String product) throws Exception {
        try (TestDatabases.Handle h = TestDatabases.open(product, dir)) {
            AuditLog audit = AuditLogs.open(h.database(), List.of());
            TrustServices services = services(h, audit);
            X509CRL crl = services.refreshCrl();
            Pki.write(dir, "audited.pem", crl);
            Pki.Result number = Pki.openssl(dir, "crl", "-in", "audited.pem", "-noout", "-crlnumber");
            CaTest.ok(number);
            // openssl prints the number in hexadecimal: crlNumber=0x01 (or 01 in older releases)
            String hex = number.out().strip().replaceFirst("^crlNumber=(0x)?", "");
            AuditRecord record = audit.head().orElseThrow();
            assertEquals("ca.crl.published", record.action());
            assertEquals("crl:" + new BigInteger(hex, 16), record.subject(), number.out());
        }
    }

    @ParameterizedTest
    @MethodSource("products")
    void crlNumbersOnlyGrow(String product) throws Exception {
        try (TestDatabases.Handle h = TestDatabases.open(product, dir)) {
            AuditLog audit = AuditLogs.open(h.database(), List.of());
            TrustServices services = services(h, audit);
            BigInteger first = crlNumber(services.refreshCrl());
            BigInteger second = crlNumber(services.refreshCrl());
            TrustServices restarted = new TrustServices(ca, CaTest.settings(), "1.3.6.1.4.1.32473.1.2",
                    h.database(), audit, Clock.systemUTC());
            BigInteger third = crlNumber(restarted.refreshCrl());
            assertTrue(first.compareTo(second) < 0 && second.compareTo(third) < 0, first + " " + second + " " + third);
        }
    }

    @ParameterizedTest
    @MethodSource("products")
    void aTokenRemovedMidOperationGivesUnavailableAndLosesNothing(String product) throws Exception {
        JcaTestToken real = new JcaTestToken();
        CaSettings settings = CaSettings.defaults("Cachet Test", CaTest.ORG_ID, "FR");
        CaHierarchy.create(real, settings);
        boolean[] removed = { false };
        io.cachet.api.token.Token unplugged = (io.cachet.api.token.Token) java.lang.reflect.Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] { io.cachet.api.token.Token.class }, (proxy, m, args) -> {
                    if (removed[0] && m.getName().startsWith("sign")) {
                        throw new io.cachet.api.token.TokenException(io.cachet.api.token.TokenException.Reason.TOKEN_REMOVED,
                                "the token was removed");
                    }
                    try {
                        return m.invoke(real, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        CaHierarchy hierarchy = CaHierarchy.load(unplugged, settings);
        try (TestDatabases.Handle h = TestDatabases.open(product, dir)) {
            AuditLog audit = AuditLogs.open(h.database(), List.of());
            TrustServices services = new TrustServices(hierarchy, CaTest.settings(), "1.3.6.1.4.1.32473.1.2",
                    h.database(), audit, Clock.systemUTC());
            IssuedCertificate before = issueOne(services);
            long sequence = audit.head().orElseThrow().sequence();
            removed[0] = true;
            CertificateAuthorityException e = assertThrows(CertificateAuthorityException.class, () -> services.issue(
                    request(CaTest.csrPem(Pki.ec("secp256r1")), SealCertificateRequest.Profile.QSCD), "api:alice"));
            assertEquals(CertificateAuthorityException.Kind.UNAVAILABLE, e.kind());
            assertTrue(e.getMessage().contains("TOKEN_REMOVED"), e.getMessage());
            assertEquals(1, count(h.database()));
            assertEquals(sequence, audit.head().orElseThrow().sequence());
            // the OCSP signer's key says UNAVAILABLE, and why (the responder answers internalError then); the
            // register still answers
            CertificateAuthorityException ocsp = assertThrows(CertificateAuthorityException.class,
                    () -> services.ocspKey().sign(new byte[] { 1, 2, 3 }));
            assertEquals(CertificateAuthorityException.Kind.UNAVAILABLE, ocsp.kind());
            assertTrue(ocsp.getMessage().contains("TOKEN_REMOVED"), ocsp.getMessage());
            assertFalse(services.status(before.serial()).orElseThrow().revoked());
            // revocation is recorded even though the CRL must wait for the token; the next CRL lists it
            services.revoke(before.serial(), RevocationReason.KEY_COMPROMISE, "api:bob");
            assertEquals(RevocationReason.KEY_COMPROMISE,
                    services.status(before.serial()).orElseThrow().revocation().orElseThrow().reason());
            removed[0] = false;
            assertNotNull(services.refreshCrl().getRevokedCertificate(before.serial()));
        }
    }

    @ParameterizedTest
    @MethodSource("products")
    void revocationsBeforeAFetchCostOneCrlThatListsThemAll(String product) throws Exception {
        try (TestDatabases.Handle h = TestDatabases.open(product, dir)) {
            AuditLog audit = AuditLogs.open(h.database(), List.of());
            TrustServices services = services(h, audit);
            List<IssuedCertificate> issued = new java.util.ArrayList<>();
            for (int i = 0; i < 3; i++) {
                issued.add(issueOne(services));
            }
            X509CRL before = services.crl();
            assertTrue(before.getRevokedCertificates() == null);
            assertEquals(1, published(audit));
            assertTrue(before == services.crl(), "no revocation since: the same CRL is served, not made again");

            for (IssuedCertificate c : issued) {
                services.revoke(c.serial(), RevocationReason.KEY_COMPROMISE, "api:bob");
                assertTrue(services.status(c.serial()).orElseThrow().revoked(), "OCSP's answer changes at once");
            }
            assertEquals(1, published(audit), "a revocation does not make a CRL by itself");

            X509CRL after = services.crl();
            for (IssuedCertificate c : issued) {
                assertNotNull(after.getRevokedCertificate(c.serial()), c.serialHex());
            }
            assertEquals(2, published(audit), "one CRL for the three revocations");
            assertTrue(crlNumber(after).compareTo(crlNumber(before)) > 0);
            assertTrue(after == services.crl());
            assertEquals(2, published(audit));
        }
    }

    @ParameterizedTest
    @MethodSource("products")
    void aStoredCertificateThatNoLongerDecodesStillHasItsRevocationOnTheCrl(String product) throws Exception {
        try (TestDatabases.Handle h = TestDatabases.open(product, dir)) {
            AuditLog audit = AuditLogs.open(h.database(), List.of());
            TrustServices services = services(h, audit);
            IssuedCertificate issued = issueOne(services);
            services.revoke(issued.serial(), RevocationReason.KEY_COMPROMISE, "api:bob");
            // the CRL needs serial, time and reason: it does not read (nor decode) the stored certificates
            h.database().inTransaction(c -> {
                try (java.sql.PreparedStatement ps = c.prepareStatement("UPDATE ca_certificate SET der = ? WHERE serial = ?")) {
                    ps.setBytes(1, new byte[] { 0x30, 0x00 });
                    ps.setString(2, issued.serialHex());
                    return ps.executeUpdate();
                }
            });
            X509CRL crl = services.crl();
            assertEquals(RevocationReason.KEY_COMPROMISE.code(), org.bouncycastle.asn1.x509.CRLReason.getInstance(
                    org.bouncycastle.asn1.ASN1Enumerated.getInstance(ASN1OctetString.getInstance(
                            crl.getRevokedCertificate(issued.serial()).getExtensionValue(Extension.reasonCode.getId()))
                            .getOctets())).getValue().intValue());
            // and the status OCSP answers from reads the revocation only
            assertEquals(RevocationReason.KEY_COMPROMISE, services.status(issued.serial()).orElseThrow().revocation()
                    .orElseThrow().reason());
            assertTrue(services.status(BigInteger.valueOf(0x1234)).isEmpty());
        }
    }

    @ParameterizedTest
    @MethodSource("products")
    void aStartServesTheCrlTheLastRunKeptWhileItIsCurrentAndMakesANewOneOtherwise(String product) throws Exception {
        try (TestDatabases.Handle h = TestDatabases.open(product, dir)) {
            AuditLog audit = AuditLogs.open(h.database(), List.of());
            Duration period = Duration.ofMinutes(60);
            // nothing kept yet: the first start makes one
            X509CRL first = at(h, audit, Duration.ZERO).openCrl(period);
            assertEquals(1, published(audit));
            assertEquals(BigInteger.ONE, crlNumber(first));

            // a start 10 minutes later serves that CRL again: same bytes, nothing signed, nothing audited
            TrustServices second = at(h, audit, Duration.ofMinutes(10));
            X509CRL again = second.openCrl(period);
            assertTrue(java.util.Arrays.equals(first.getEncoded(), again.getEncoded()));
            assertEquals(first, again);
            assertEquals(first.getNextUpdate(), again.getNextUpdate());
            assertEquals(1, published(audit));
            assertTrue(again == second.crl(), "no revocation since: crl() serves the kept one");

            // a revocation (through that run) is on the next CRL, which is kept in its turn
            IssuedCertificate issued = issueOne(second);
            second.revoke(issued.serial(), RevocationReason.SUPERSEDED, "api:bob");
            X509CRL listing = second.crl();
            assertNotNull(listing.getRevokedCertificate(issued.serial()));
            assertEquals(BigInteger.TWO, crlNumber(listing));
            X509CRL kept = at(h, audit, Duration.ofMinutes(11)).openCrl(period);
            assertEquals(listing, kept);
            assertNotNull(kept.getRevokedCertificate(issued.serial()));
            assertEquals(2, published(audit));

            // a revocation the kept CRL does not list (another node's, or one committed as the last run stopped):
            // a start makes a new CRL
            IssuedCertificate other = issueOne(second);
            h.database().inTransaction(c -> {
                try (java.sql.PreparedStatement ps = c.prepareStatement("UPDATE ca_certificate SET revoked_at = ?,"
                        + " revocation_reason = 1 WHERE serial = ?")) {
                    ps.setObject(1, java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC));
                    ps.setString(2, other.serialHex());
                    return ps.executeUpdate();
                }
            });
            X509CRL fresh = at(h, audit, Duration.ofMinutes(12)).openCrl(period);
            assertEquals(BigInteger.valueOf(3), crlNumber(fresh));
            assertNotNull(fresh.getRevokedCertificate(other.serial()));
            assertEquals(3, published(audit));

            // as old as the refresh period: a new one
            X509CRL late = at(h, audit, Duration.ofMinutes(12).plus(period)).openCrl(period);
            assertEquals(BigInteger.valueOf(4), crlNumber(late));
            // past its nextUpdate (the test settings' CRL validity) but younger than a long period: a new one too
            Duration validity = Duration.between(late.getThisUpdate().toInstant(), late.getNextUpdate().toInstant());
            X509CRL expired = at(h, audit, Duration.ofMinutes(13).plus(period).plus(validity))
                    .openCrl(validity.multipliedBy(10));
            assertEquals(BigInteger.valueOf(5), crlNumber(expired));
            // a kept CRL dated ahead of the clock (the clock set back): a new one
            X509CRL back = at(h, audit, Duration.ofDays(-1)).openCrl(period.multipliedBy(1000));
            assertEquals(BigInteger.valueOf(6), crlNumber(back));
            assertEquals(6, published(audit));

            // what is served verifies with the issuing CA's key and openssl reads it
            back.verify(ca.issuing().getPublicKey());
            Pki.write(dir, "chain.pem", ca.root(), ca.issuing());
            Pki.write(dir, "kept.pem", kept);
            CaTest.ok(Pki.openssl(dir, "crl", "-in", "kept.pem", "-CAfile", "chain.pem", "-verify", "-noout"));
            assertTrue(audit.verify().intact());
        }
    }

    /**
     * A kept CRL whose row was damaged or altered in the database is not served again: a signature that does not
     * verify, another (validly signed) CRL in place of the one the row's dates describe, or bytes that are no CRL
     * each make a start sign a new one, which openssl verifies.
     */
    @ParameterizedTest
    @MethodSource("products")
    void aKeptCrlThatIsNotIntactIsReplacedByANewOne(String product) throws Exception {
        try (TestDatabases.Handle h = TestDatabases.open(product, dir)) {
            AuditLog audit = AuditLogs.open(h.database(), List.of());
            Duration period = Duration.ofMinutes(60);
            X509CRL older = at(h, audit, Duration.ZERO).openCrl(period);
            X509CRL first = at(h, audit, Duration.ofSeconds(2)).refreshCrl();
            assertEquals(BigInteger.TWO, crlNumber(first));
            // intact: served again
            assertEquals(BigInteger.TWO, crlNumber(at(h, audit, Duration.ofMinutes(1)).openCrl(period)));

            byte[] flipped = first.getEncoded();
            flipped[flipped.length - 3] ^= 0x01; // inside the signature value
            byte[][] damages = { flipped, older.getEncoded(), { 0x30, 0x03, 0x02, 0x01, 0x01 } };
            long number = 2;
            for (byte[] damage : damages) {
                h.database().inTransaction(c -> {
                    try (java.sql.PreparedStatement ps = c.prepareStatement("UPDATE ca_crl SET der = ?")) {
                        ps.setBytes(1, damage);
                        return ps.executeUpdate();
                    }
                });
                X509CRL made = at(h, audit, Duration.ofMinutes(2)).openCrl(period);
                number++;
                assertEquals(BigInteger.valueOf(number), crlNumber(made), "a new CRL made");
                made.verify(ca.issuing().getPublicKey());
                // which is kept and served by the next start
                assertEquals(made, at(h, audit, Duration.ofMinutes(3)).openCrl(period));
            }
            Pki.write(dir, "chain.pem", ca.root(), ca.issuing());
            Pki.write(dir, "made.pem", at(h, audit, Duration.ofMinutes(3)).openCrl(period));
            CaTest.ok(Pki.openssl(dir, "crl", "-in", "made.pem", "-CAfile", "chain.pem", "-verify", "-noout"));
            assertEquals(number, published(audit));
            assertTrue(audit.verify().intact());
        }
    }

    /** The trust services of the test CA on this database, with the system clock moved by {@code offset}. */
    TrustServices at(TestDatabases.Handle h, AuditLog audit, Duration offset) {
        return new TrustServices(ca, CaTest.settings(), "1.3.6.1.4.1.32473.1.2", h.database(), audit,
                Clock.offset(Clock.systemUTC(), offset));
    }

    private static long published(AuditLog audit) {
        return actions(audit).stream().filter("ca.crl.published"::equals).count();
    }

    private static BigInteger crlNumber(X509CRL crl) {
        return org.bouncycastle.asn1.ASN1Integer.getInstance(ASN1OctetString.getInstance(
                crl.getExtensionValue(Extension.cRLNumber.getId())).getOctets()).getValue();
    }

    private static List<String> actions(AuditLog audit) {
        return audit.read(1, 1000).stream().map(AuditRecord::action).toList();
    }

    private static long count(Database db) {
        return db.inTransaction(c -> {
            try (ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM ca_certificate")) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    // The register's status look-ups, which concurrent OCSP requests share (one statement for several serials).

    @ParameterizedTest
    @MethodSource("products")
    void concurrentLookUpsEachGetTheirOwnCertificatesStatus(String product) throws Exception {
        try (TestDatabases.Handle h = TestDatabases.open(product, dir)) {
            JdbcCertificateRepository repository = new JdbcCertificateRepository(h.database(), ca.issuing());
            SealIssuer issuer = new SealIssuer(ca, CaTest.settings(), repository, Clock.systemUTC());
            List<BigInteger> serials = new ArrayList<>();
            Map<BigInteger, Integer> revoked = new HashMap<>();
            for (int i = 0; i < 6; i++) {
                serials.add(issuer.issue(CaTest.request(CaTest.csrPem(Pki.ec("secp256r1")), "qscd")).getSerialNumber());
            }
            issuer.revoke(serials.get(1), CRLReason.keyCompromise);
            revoked.put(serials.get(1), CRLReason.keyCompromise);
            issuer.revoke(serials.get(4), CRLReason.superseded);
            revoked.put(serials.get(4), CRLReason.superseded);
            BigInteger unknown = new BigInteger("7fffffffffffffffffff", 16);
            serials.add(unknown);

            ExecutorService threads = Executors.newFixedThreadPool(12);
            try {
                CountDownLatch go = new CountDownLatch(1);
                List<Future<String>> results = new ArrayList<>();
                for (int t = 0; t < 12; t++) {
                    int thread = t;
                    results.add(threads.submit(() -> {
                        go.await();
                        for (int i = 0; i < 300; i++) {
                            BigInteger serial = serials.get((thread + i) % serials.size());
                            Optional<CertificateRepository.Status> status = repository.status(serial);
                            String wrong = check(serial, status, unknown, revoked);
                            if (wrong != null) {
                                return wrong;
                            }
                        }
                        return null;
                    }));
                }
                go.countDown();
                for (Future<String> r : results) {
                    String wrong = r.get(120, TimeUnit.SECONDS);
                    assertEquals(null, wrong, wrong);
                }
            } finally {
                threads.shutdownNow();
            }
        }
    }

    private static String check(BigInteger serial, Optional<CertificateRepository.Status> status, BigInteger unknown,
            Map<BigInteger, Integer> revoked) {
        if (serial.equals(unknown)) {
            return status.isEmpty() ? null : "a status for a serial never issued: " + status;
        }
        if (status.isEmpty() || !status.get().serial().equals(serial)) {
            return "not the status of " + serial.toString(16) + ": " + status;
        }
        Integer reason = revoked.get(serial);
        if (reason == null) {
            return status.get().revocation().isEmpty() ? null : serial.toString(16) + " is not revoked: " + status;
        }
        return status.get().revocation().map(r -> r.reason() == reason).orElse(false) ? null
                : serial.toString(16) + " is revoked for reason " + reason + ": " + status;
    }

    /**
     * A serial issued before is a CONFLICT, and inside a transaction it leaves that transaction usable, so that the
     * issuer can draw another serial in it (SealIssuer does): on PostgreSQL a failed statement would abort the whole
     * transaction.
     */
    @ParameterizedTest
    @MethodSource("products")
    void aSerialIssuedBeforeIsAConflictThatLeavesTheTransactionUsable(String product) throws Exception {
        try (TestDatabases.Handle h = TestDatabases.open(product, dir)) {
            JdbcCertificateRepository repository = new JdbcCertificateRepository(h.database(), ca.issuing());
            X509Certificate first = issuedElsewhere();
            X509Certificate second = issuedElsewhere();
            repository.add(first);
            CaException again = assertThrows(CaException.class, () -> repository.add(first));
            assertEquals(CaException.Kind.CONFLICT, again.kind(), again.getMessage());

            h.database().inTransaction(c -> {
                CaException clash = assertThrows(CaException.class, () -> repository.add(first));
                assertEquals(CaException.Kind.CONFLICT, clash.kind(), clash.getMessage());
                repository.add(second); // the same transaction goes on
                return null;
            });
            assertTrue(repository.find(second.getSerialNumber()).isPresent(), "committed after the clash");
            assertTrue(repository.find(first.getSerialNumber()).isPresent());
        }
    }

    /**
     * A look-up inside a transaction sees that transaction's certificate, and never joins a shared read, so that it
     * neither reads another thread's serial inside that transaction (which would show that thread a certificate not
     * committed, perhaps never) nor gets its own answer from a read outside it. Arranged: a shared read is held; a
     * transaction adds a certificate and looks it up; another thread looks the same serial up and queues; the held
     * read is released. That thread must not see the uncommitted certificate, the transaction must. (Without the
     * in-transaction branch the transaction's look-up queues behind the held read and, released, reads both serials
     * inside its transaction.)
     */
    @ParameterizedTest
    @MethodSource("products")
    void aLookUpInsideATransactionNeverAnswersAnotherThreadFromInsideIt(String product) throws Exception {
        try (TestDatabases.Handle h = TestDatabases.open(product, dir)) {
            JdbcCertificateRepository repository = new JdbcCertificateRepository(h.database(), ca.issuing());
            X509Certificate cert = issuedElsewhere();
            BigInteger serial = cert.getSerialNumber();
            assertTrue(repository.status(serial).isEmpty());
            CountDownLatch held = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            java.util.concurrent.atomic.AtomicBoolean first = new java.util.concurrent.atomic.AtomicBoolean(true);
            repository.beforeSharedRead(() -> {
                if (first.compareAndSet(true, false)) {
                    held.countDown();
                    awaitQuietly(release);
                }
            });
            class Undo extends RuntimeException {
                private static final long serialVersionUID = 1L;
            }
            ExecutorService threads = Executors.newFixedThreadPool(3);
            try {
                Future<Optional<CertificateRepository.Status>> holder = threads.submit(
                        () -> repository.status(new BigInteger("7ffffffffffffff1", 16)));
                assertTrue(held.await(30, TimeUnit.SECONDS), "the shared read is held");

                CountDownLatch looked = new CountDownLatch(1);
                CountDownLatch otherAnswered = new CountDownLatch(1);
                Future<Optional<CertificateRepository.Status>> inside = threads.submit(() -> {
                    java.util.concurrent.atomic.AtomicReference<Optional<CertificateRepository.Status>> seen =
                            new java.util.concurrent.atomic.AtomicReference<>();
                    try {
                        h.database().inTransaction(c -> {
                            repository.add(cert);
                            seen.set(repository.status(serial));
                            looked.countDown();
                            awaitQuietly(otherAnswered); // the certificate stays uncommitted meanwhile
                            throw new Undo();
                        });
                    } catch (Undo rolledBack) {
                        // as meant
                    }
                    return seen.get();
                });
                // the transaction has its answer already, or waits behind the held read
                until("the transaction's look-up answered or queued",
                        () -> looked.getCount() == 0 || repository.queuedStatusReads() == 1);
                int queuedBefore = repository.queuedStatusReads();
                Future<Optional<CertificateRepository.Status>> other = threads.submit(() -> repository.status(serial));
                until("the other look-up queued", () -> repository.queuedStatusReads() == queuedBefore + 1);
                release.countDown();

                Optional<CertificateRepository.Status> otherSaw = other.get(60, TimeUnit.SECONDS);
                otherAnswered.countDown();
                assertTrue(otherSaw.isEmpty(), "another thread saw a certificate not committed: " + otherSaw);
                Optional<CertificateRepository.Status> insideSaw = inside.get(60, TimeUnit.SECONDS);
                assertTrue(insideSaw.isPresent(), "the transaction's own certificate");
                assertFalse(insideSaw.get().revocation().isPresent());
                assertTrue(holder.get(60, TimeUnit.SECONDS).isEmpty());
                assertTrue(repository.status(serial).isEmpty(), "rolled back");
            } finally {
                release.countDown();
                threads.shutdownNow();
            }
        }
    }

    /** A certificate issued by the same CA into another register: not in the one a test looks at. */
    private X509Certificate issuedElsewhere() throws Exception {
        return new SealIssuer(ca, CaTest.settings(), new InMemoryCertificateRepository(), Clock.systemUTC())
                .issue(CaTest.request(CaTest.csrPem(Pki.ec("secp256r1")), "qscd"));
    }

    /** Waits (30 s at most) for {@code condition}, spinning: the states waited for last microseconds to seconds. */
    private static void until(String what, java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 30 s: " + what);
            }
            Thread.onSpinWait();
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            if (!latch.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the test's latch was not opened in 60 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
