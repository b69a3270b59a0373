package io.cachet.delivery.cloud.internal.sign;

import java.math.BigInteger;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.cachet.api.audit.AuditEvent;
import io.cachet.api.audit.AuditLog;
import io.cachet.api.ca.IssuedCertificate;
import io.cachet.api.ca.PlatformSealKey;
import io.cachet.api.issuance.CloudSigningKeys;
import io.cachet.api.issuance.Issuance;
import io.cachet.api.issuance.IssuanceException;
import io.cachet.api.issuance.OrderCertificates;
import io.cachet.api.security.DataKeyCipher;
import io.cachet.api.signature.Signer;
import io.cachet.api.signature.SigningKey;
import io.cachet.api.testing.MutableClock;
import io.cachet.api.token.KeyAlgorithm;
import io.cachet.audit.launch.AuditLogs;
import io.cachet.delivery.cloud.internal.AuthOutcome;
import io.cachet.delivery.cloud.internal.Holder;
import io.cachet.delivery.cloud.internal.HolderAccess;
import io.cachet.delivery.cloud.internal.HolderSession;
import io.cachet.signature.launch.Signatures;
import io.cachet.signature.testing.TestPki;
import io.cachet.store.testing.TestDatabases;
import io.cachet.store.testing.TestVaults;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;

/**
 * Click&amp;Cert wired as in the framework on a real database (H2 or PostgreSQL), the real audit log (kept with each
 * event's details for the tests), vault, and the real signer (EU DSS) with cloud keys made on the signature module's
 * test PKI (a CA on a software token whose TSA, OCSP and CRL answer over HTTP). Two stand-ins for the contracts other
 * parts implement: the holders' accounts ({@link HolderAccess}, in memory, with a password and optional TOTP code per
 * holder) and the cloud keys with their certificates ({@link CloudSigningKeys}, {@link OrderCertificates}).
 */
final class Fixture implements AutoCloseable {

    static final String PASSWORD = "correct horse battery staple";
    static final String TOTP = "492039";

    /** The real log, keeping each event's details. */
    static final class Audit extends io.cachet.api.testing.RecordingAuditLog {
        Audit(AuditLog real) {
            super(real);
        }
    }

    /** The space part's contract in memory: holders with a password, a TOTP code when enrolled, their orders. */
    static final class Holders implements HolderAccess {
        final Map<String, Holder> holders = new ConcurrentHashMap<>();
        final Map<String, List<String>> orders = new ConcurrentHashMap<>();
        final Map<String, List<String>> factors = new ConcurrentHashMap<>();
        final Map<String, HolderSession> sessions = new ConcurrentHashMap<>();
        final List<String> confirms = new CopyOnWriteArrayList<>();
        final AtomicInteger failures = new AtomicInteger();
        volatile int maxFailures = 100;

        Holder add(String id, String email, String language) {
            Holder h = new Holder(id, email, "Anna " + id, language);
            holders.put(id, h);
            orders.put(id, new CopyOnWriteArrayList<>());
            factors.put(id, new CopyOnWriteArrayList<>());
            return h;
        }

        HolderSession login(String holderId) {
            HolderSession s = new HolderSession("sess-" + holderId + "-" + sessions.size(), holders.get(holderId),
                    "csrf-" + holderId + "-" + sessions.size(), Instant.now(), false);
            sessions.put("cookie-" + s.id(), s);
            return s;
        }

        static String cookie(HolderSession s) {
            return "cookie-" + s.id();
        }

        @Override
        public Optional<HolderSession> session(HttpServletRequest request) {
            Cookie[] cookies = request.getCookies();
            if (cookies == null) {
                return Optional.empty();
            }
            for (Cookie c : cookies) {
                if (c.getName().equals(SESSION_COOKIE)) {
                    return Optional.ofNullable(sessions.get(c.getValue()));
                }
            }
            return Optional.empty();
        }

        @Override
        public boolean genuine(HolderSession session, HttpServletRequest request) {
            String t = request.getHeader(CSRF_HEADER);
            if (t == null) {
                t = request.getParameter("csrf");
            }
            return session.csrf().equals(t);
        }

        @Override
        public Optional<Holder> holder(String holderId) {
            return Optional.ofNullable(holders.get(holderId));
        }

        @Override
        public List<String> orderIds(String holderId) {
            return List.copyOf(orders.getOrDefault(holderId, List.of()));
        }

        @Override
        public AuthOutcome login(String email, char[] password, String client) {
            throw new UnsupportedOperationException();
        }

        @Override
        public AuthOutcome confirm(String holderId, char[] password, String factorKind, String factorResponse,
                String origin, String client) {
            confirms.add(holderId);
            if (failures.get() >= maxFailures) {
                return AuthOutcome.refused(AuthOutcome.Failure.THROTTLED, "Too many failures; try again after"
                        + " 10:45 UTC.");
            }
            if (!Arrays.equals(PASSWORD.toCharArray(), password)) {
                failures.incrementAndGet();
                return AuthOutcome.refused(AuthOutcome.Failure.WRONG_PASSWORD, "Wrong password; 4 tries left.");
            }
            if (factors.get(holderId).contains("totp")) {
                if (factorKind == null) {
                    return AuthOutcome.refused(AuthOutcome.Failure.FACTOR_REQUIRED, "Give your second factor.");
                }
                if (!"totp".equals(factorKind) || !TOTP.equals(factorResponse)) {
                    failures.incrementAndGet();
                    return AuthOutcome.refused(AuthOutcome.Failure.WRONG_FACTOR, "Wrong code.");
                }
            }
            return AuthOutcome.ok(holders.get(holderId));
        }

        @Override
        public List<String> factors(String holderId) {
            return List.copyOf(factors.getOrDefault(holderId, List.of()));
        }

        @Override
        public Optional<String> factorChallenge(String holderId) {
            return factors(holderId).contains("webauthn") ? Optional.of("{\"challenge\":\"AAAA\"}")
                    : Optional.empty();
        }
    }

    /** The issuance module's contracts over keys of the test PKI: one seal key per cloud order. */
    static final class CloudKeys implements CloudSigningKeys, OrderCertificates {
        final Map<String, SigningKey> keys = new ConcurrentHashMap<>();
        final Map<String, IssuedCertificate.Revocation> revoked = new ConcurrentHashMap<>();
        final List<String> asked = new CopyOnWriteArrayList<>();
        /** Each revocation made: {@code <order>:<reason>:<actor>}. */
        final List<String> revocations = new CopyOnWriteArrayList<>();
        volatile boolean revokeDown;

        void issue(String orderId) {
            keys.put(orderId, TestPki.get().seal(KeyAlgorithm.EC_P256));
        }

        @Override
        public SigningKey signingKey(String orderId) {
            asked.add(orderId);
            SigningKey k = keys.get(orderId);
            if (k == null) {
                throw new IssuanceException(IssuanceException.Kind.NOT_FOUND, "no certificate for " + orderId);
            }
            if (revoked.containsKey(orderId)) {
                throw new IssuanceException(IssuanceException.Kind.CONFLICT, "revoked");
            }
            return k;
        }

        @Override
        public Optional<IssuedCertificate> find(String orderId) {
            SigningKey k = keys.get(orderId);
            if (k == null) {
                return Optional.empty();
            }
            X509Certificate c = k.certificate();
            return Optional.of(new IssuedCertificate(c.getSerialNumber(), c, Optional.ofNullable(revoked.get(
                    orderId))));
        }

        @Override
        public Optional<String> orderOf(BigInteger serial) {
            return Optional.empty();
        }

        @Override
        public Optional<Issuance> status(String orderId) {
            return Optional.empty();
        }

        @Override
        public IssuedCertificate issue(String orderId, String csrPem, String actor) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Issuance discard(String orderId, io.cachet.api.ca.RevocationReason reason, String actor) {
            throw new UnsupportedOperationException();
        }

        /** As the issuance module: NOT_FOUND before a certificate, CONFLICT when revoked, UNAVAILABLE when down. */
        @Override
        public IssuedCertificate revoke(String orderId, io.cachet.api.ca.RevocationReason reason, String actor) {
            if (revokeDown) {
                throw new IssuanceException(IssuanceException.Kind.UNAVAILABLE, "The CA cannot revoke now.");
            }
            SigningKey k = keys.get(orderId);
            if (k == null) {
                throw new IssuanceException(IssuanceException.Kind.NOT_FOUND, "no certificate for " + orderId);
            }
            if (revoked.putIfAbsent(orderId, new IssuedCertificate.Revocation(Instant.now(), reason)) != null) {
                throw new IssuanceException(IssuanceException.Kind.CONFLICT, "already revoked");
            }
            revocations.add(orderId + ":" + reason.rfcName() + ":" + actor);
            return find(orderId).orElseThrow();
        }
    }

    /** The test PKI's TSA and trust anchors as the platform's. */
    static PlatformSealKey platform() {
        TestPki pki = TestPki.get();
        return new PlatformSealKey() {
            @Override
            public X509Certificate certificate() {
                return pki.ca.issuing();
            }

            @Override
            public List<X509Certificate> chain() {
                return pki.chain();
            }

            @Override
            public SigningKey signingKey() {
                throw new UnsupportedOperationException("Click&Cert never seals with the platform's key");
            }

            @Override
            public URI timeStampAuthority() {
                return pki.tsaUrl();
            }

            @Override
            public List<X509Certificate> trustAnchors() {
                return pki.trustAnchors();
            }
        };
    }

    static final Signer SIGNER = Signatures.signer();

    final TestDatabases.Handle db;
    final MutableClock clock = new MutableClock(Instant.now().plusSeconds(5).truncatedTo(
            java.time.temporal.ChronoUnit.MILLIS));
    final Audit audit;
    final Holders holders = new Holders();
    final CloudKeys keys = new CloudKeys();
    final AtomicReference<ClickCertSettings> settings = new AtomicReference<>(ClickCertSettings.defaults());
    final AtomicReference<Signer> signer = new AtomicReference<>(SIGNER);
    final AtomicReference<PlatformSealKey> seal = new AtomicReference<>(platform());
    final ClickCertService service;
    final SealRevocations revocations;
    final Path tmp;

    Fixture(String product, Path dir) {
        db = TestDatabases.open(product, dir);
        audit = new Audit(AuditLogs.open(db.database(), List.of()));
        ClickCertService.migrate(db.database());
        tmp = dir.resolve("clickcert-tmp");
        service = new ClickCertService(db.database(), audit, new DataKeyCipher(TestVaults.embedded(dir),
                ClickCertService.KEY_PURPOSE, new SecureRandom()), holders, () -> keys, () -> keys, signer::get,
                seal::get, settings::get, clock, tmp);
        revocations = new SealRevocations(holders, () -> keys, audit);
    }

    /** A holder with one cloud order whose seal is issued. */
    Holder holderWithSeal(String id, String orderId) {
        Holder h = holders.add(id, id + "@example.org", "en");
        keys.issue(orderId);
        // the test PKI issues at the system's time: on a busy machine that can be after this fixture's clock, which
        // started 5 s ahead of it, and the seal would not be valid yet at the tests' "now"
        Instant notBefore = keys.keys.get(orderId).certificate().getNotBefore().toInstant();
        if (clock.instant().isBefore(notBefore)) {
            clock.set(notBefore.plusSeconds(1));
        }
        holders.orders.get(id).add(orderId);
        return h;
    }

    /** The value of a column of a document, read from the database. */
    Object column(String documentId, String column) {
        return db.database().inTransaction(c -> {
            try (var ps = c.prepareStatement("SELECT " + column + " FROM clickcert_document WHERE id = ?")) {
                ps.setString(1, documentId);
                try (var rs = ps.executeQuery()) {
                    return rs.next() ? rs.getObject(1) : null;
                }
            }
        });
    }

    void update(String sql, Object... args) {
        db.database().inTransaction(c -> {
            try (var ps = c.prepareStatement(sql)) {
                for (int i = 0; i < args.length; i++) {
                    ps.setObject(i + 1, args[i]);
                }
                return ps.executeUpdate();
            }
        });
    }

    List<String> refusals() {
        List<String> l = new ArrayList<>();
        for (AuditEvent e : audit.events) {
            if (e.action().endsWith(".refused")) {
                l.add(e.action() + " " + new String(e.payload(), StandardCharsets.UTF_8));
            }
        }
        return l;
    }

    @Override
    public void close() {
        db.close();
    }
}
