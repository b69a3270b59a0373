package io.cachet.delivery.cloud.internal.csc;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.servlet.http.HttpServletRequest;

import io.cachet.api.audit.AuditLog;
import io.cachet.api.audit.AuditRecord;
import io.cachet.api.ca.CertificateAuthority;
import io.cachet.api.ca.IssuedCertificate;
import io.cachet.api.ca.RevocationReason;
import io.cachet.api.ca.SealCertificateRequest;
import io.cachet.api.issuance.CloudSigningKeys;
import io.cachet.api.issuance.Issuance;
import io.cachet.api.issuance.IssuanceException;
import io.cachet.api.issuance.OrderCertificates;
import io.cachet.api.signature.SigningKey;
import io.cachet.api.testing.MutableClock;
import io.cachet.api.token.KeyAlgorithm;
import io.cachet.api.token.PinPolicy;
import io.cachet.api.token.SignatureAlgorithm;
import io.cachet.api.token.Token;
import io.cachet.api.token.TokenDriver;
import io.cachet.api.token.TokenInfo;
import io.cachet.audit.launch.AuditLogs;
import io.cachet.ca.launch.LocalCa;
import io.cachet.ca.launch.Publication;
import io.cachet.delivery.cloud.internal.AuthOutcome;
import io.cachet.delivery.cloud.internal.Holder;
import io.cachet.delivery.cloud.internal.HolderAccess;
import io.cachet.delivery.cloud.internal.HolderSession;
import io.cachet.store.testing.TestDatabases;
import io.cachet.token.soft.launch.SoftTokens;

/**
 * The CSC service wired on a real database (H2 or PostgreSQL), the real audit log, and the real CA on a software
 * token whose certificates are issued for keys made on a second software token, the "cloud key token". Three small
 * stand-ins for contracts other parts implement: the customer space's accounts ({@link Holders}, passwords and TOTP
 * codes in memory), the certificates of orders and the cloud keys (both over the real CA and token).
 */
final class CscFixture implements AutoCloseable {

    static final String PASSWORD = "correct horse battery staple";

    /** An account of the customer space. */
    static final class Account {
        final Holder holder;
        final List<String> orders = new CopyOnWriteArrayList<>();
        final List<String> factors = new CopyOnWriteArrayList<>();
        volatile String password = PASSWORD;
        volatile String totp;
        volatile boolean throttled;

        Account(Holder holder) {
            this.holder = holder;
        }
    }

    /** The customer space's accounts as the CSC part uses them; remembers every confirm. */
    static final class Holders implements HolderAccess {
        final Map<String, Account> accounts = new ConcurrentHashMap<>();
        final List<String> confirms = new CopyOnWriteArrayList<>();

        Account add(String email) {
            Account a = new Account(new Holder("h-" + accounts.size() + "-" + email.hashCode(), email, "Anna", "en"));
            accounts.put(a.holder.id(), a);
            return a;
        }

        @Override
        public Optional<HolderSession> session(HttpServletRequest request) {
            return Optional.empty();
        }

        @Override
        public boolean genuine(HolderSession session, HttpServletRequest request) {
            return false;
        }

        @Override
        public Optional<Holder> holder(String holderId) {
            return Optional.ofNullable(accounts.get(holderId)).map(a -> a.holder);
        }

        @Override
        public List<String> orderIds(String holderId) {
            Account a = accounts.get(holderId);
            return a == null ? List.of() : List.copyOf(a.orders);
        }

        @Override
        public AuthOutcome login(String email, char[] password, String client) {
            for (Account a : accounts.values()) {
                if (a.holder.email().equals(email)) {
                    if (a.throttled) {
                        return AuthOutcome.refused(AuthOutcome.Failure.THROTTLED, "Try again in 5 minutes.");
                    }
                    if (Arrays.equals(a.password.toCharArray(), password)) {
                        return AuthOutcome.ok(a.holder);
                    }
                }
            }
            return AuthOutcome.refused(AuthOutcome.Failure.WRONG_PASSWORD, "Wrong e-mail or password.");
        }

        @Override
        public AuthOutcome confirm(String holderId, char[] password, String factorKind, String factorResponse,
                String origin, String client) {
            Account a = accounts.get(holderId);
            confirms.add(holderId + ":" + factorKind);
            if (a.throttled) {
                return AuthOutcome.refused(AuthOutcome.Failure.THROTTLED, "Try again in 5 minutes.");
            }
            if (!Arrays.equals(a.password.toCharArray(), password)) {
                return AuthOutcome.refused(AuthOutcome.Failure.WRONG_PASSWORD, "Wrong password.");
            }
            if (!a.factors.isEmpty()) {
                if (factorKind == null) {
                    return AuthOutcome.refused(AuthOutcome.Failure.FACTOR_REQUIRED, "Second factor.");
                }
                if (!"totp".equals(factorKind) || !a.factors.contains("totp") || !factorResponse.equals(a.totp)) {
                    return AuthOutcome.refused(AuthOutcome.Failure.WRONG_FACTOR, "Wrong code.");
                }
            }
            return AuthOutcome.ok(a.holder);
        }

        @Override
        public List<String> factors(String holderId) {
            Account a = accounts.get(holderId);
            return a == null ? List.of() : List.copyOf(a.factors);
        }

        @Override
        public Optional<String> factorChallenge(String holderId) {
            return Optional.empty();
        }
    }

    /** The real log, keeping each event's details; {@link #actions} the CSC actions the log holds. */
    static final class Audit extends io.cachet.api.testing.RecordingAuditLog {
        Audit(AuditLog real) {
            super(real);
        }

        @Override
        public List<String> actions() {
            return real().read(1, 100_000).stream().map(AuditRecord::action).filter(a -> a.startsWith("csc."))
                    .toList();
        }
    }

    /** The certificates of orders over the real CA: one certificate per cloud order. */
    final class Certificates implements OrderCertificates {
        final Map<String, BigInteger> issued = new ConcurrentHashMap<>();

        @Override
        public Optional<IssuedCertificate> find(String orderId) {
            BigInteger s = issued.get(orderId);
            return s == null ? Optional.empty() : ca.find(s);
        }

        @Override
        public Optional<String> orderOf(BigInteger serial) {
            return issued.entrySet().stream().filter(e -> e.getValue().equals(serial)).map(Map.Entry::getKey)
                    .findFirst();
        }

        @Override
        public Optional<Issuance> status(String orderId) {
            return Optional.empty();
        }

        @Override
        public IssuedCertificate issue(String orderId, String csrPem, String actor) {
            throw new IssuanceException(IssuanceException.Kind.CONFLICT, "a cloud order");
        }

        @Override
        public Issuance discard(String orderId, RevocationReason reason, String actor) {
            throw new IssuanceException(IssuanceException.Kind.CONFLICT, "a cloud order");
        }

        @Override
        public IssuedCertificate revoke(String orderId, RevocationReason reason, String actor) {
            BigInteger serial = issued.get(orderId);
            if (serial == null) {
                throw new IssuanceException(IssuanceException.Kind.NOT_FOUND, "no certificate for " + orderId);
            }
            try {
                return ca.revoke(serial, reason, actor);
            } catch (io.cachet.api.ca.CertificateAuthorityException e) {
                throw new IssuanceException(e.kind() == io.cachet.api.ca.CertificateAuthorityException.Kind.CONFLICT
                        ? IssuanceException.Kind.CONFLICT : IssuanceException.Kind.UNAVAILABLE, e.getMessage(), e);
            }
        }
    }

    /** The cloud keys: the key {@code cloud-<order>} on the cloud key token, as the issuance module hands it. */
    final class Keys implements CloudSigningKeys {
        final List<String> asked = new CopyOnWriteArrayList<>();

        @Override
        public SigningKey signingKey(String orderId) {
            asked.add(orderId);
            IssuedCertificate c = certificates.find(orderId).orElseThrow(() -> new IssuanceException(
                    IssuanceException.Kind.NOT_FOUND, "no certificate for " + orderId));
            if (c.revoked() || clock.instant().isAfter(c.certificate().getNotAfter().toInstant())) {
                throw new IssuanceException(IssuanceException.Kind.CONFLICT, "revoked or expired");
            }
            return new SigningKey(cloudToken, "cloud-" + orderId, ca.chain());
        }
    }

    final TestDatabases.Handle db;
    final MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    final Audit audit;
    final CertificateAuthority ca;
    final Certificates certificates = new Certificates();
    final Keys keys = new Keys();
    final Holders holders = new Holders();
    final AtomicReference<CscSettings> settings = new AtomicReference<>(CscSettings.defaults());
    final CscService service;
    final CscApi api;
    final Token cloudToken;
    private final Token caToken;
    private int orders;

    CscFixture(String product, Path dir) {
        db = TestDatabases.open(product, dir);
        audit = new Audit(AuditLogs.open(db.database(), List.of()));
        TokenDriver driver = SoftTokens.driver(dir.resolve("tokens"), 3);
        caToken = token(driver, "Test CA");
        cloudToken = token(driver, "Cloud keys");
        LocalCa local = LocalCa.create(caToken, "Cachet Test", "NTRFR-000000000", "FR", KeyAlgorithm.EC_P256);
        ca = local.authority(new Publication("http://ca.example.fr/", "https://ca.example.fr/pds/en.pdf", "en",
                "1.3.6.1.4.1.99999.1.1", Duration.ofDays(7)), "1.3.6.1.4.1.32473.1.2", db.database(), audit, clock);
        CscService.migrate(db.database());
        service = new CscService(db.database(), audit, holders, () -> certificates, () -> keys, ca::chain,
                settings::get, clock, new SecureRandom());
        api = new CscApi(service);
    }

    private static Token token(TokenDriver driver, String label) {
        var blank = driver.tokens().stream().filter(t -> !t.has(TokenInfo.Flag.INITIALIZED)).findFirst()
                .orElseThrow();
        var info = driver.initialize(blank.slotId(), "so-pin-1234".toCharArray(), "pin-1234".toCharArray(), label,
                PinPolicy.TOKEN_DEFAULT);
        return driver.login(info.serial(), "pin-1234".toCharArray());
    }

    /** A cloud order of {@code account} whose key was made on the cloud key token and certified by the CA. */
    String cloudOrder(Account account, KeyAlgorithm algorithm) {
        String orderId = "ord-" + (++orders) + "-" + Long.toHexString(System.nanoTime());
        String alias = "cloud-" + orderId;
        cloudToken.generateKeyPair(alias, algorithm);
        String csr = LocalCa.certificationRequest(cloudToken, alias, algorithm.family().equals("RSA")
                ? SignatureAlgorithm.RSA_PKCS1_SHA256 : SignatureAlgorithm.ECDSA_SHA256);
        IssuedCertificate c = ca.issue(new SealCertificateRequest(csr, SealCertificateRequest.Profile.CLOUD,
                "ACME Seal", SealCertificateRequest.Organisation.of("ACME SAS", "FR", "552100554", "FR96552100554"), 1),
                "test", orderId);
        cloudToken.importCertificate(alias, c.certificate());
        certificates.issued.put(orderId, c.serial());
        account.orders.add(0, orderId);
        return orderId;
    }

    void revoke(String orderId) {
        ca.revoke(certificates.issued.get(orderId), RevocationReason.KEY_COMPROMISE, "test");
    }

    /** The caller of a fresh access token of {@code account}. */
    CscService.Caller login(Account account) {
        return service.authenticate(service.login(account.holder.email(), account.password.toCharArray(), "192.0.2.1")
                .accessToken());
    }

    static String sha256(String text) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static List<String> hashes(String... texts) {
        List<String> l = new ArrayList<>();
        for (String t : texts) {
            l.add(sha256(t));
        }
        return l;
    }

    @Override
    public void close() {
        cloudToken.close();
        caToken.close();
        db.close();
    }
}
