package io.cachet.delivery.token.internal;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import javax.crypto.Cipher;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

import io.cachet.api.audit.AuditLog;
import io.cachet.api.audit.AuditRecord;
import io.cachet.api.ca.CertificateAuthority;
import io.cachet.api.ca.CertificateAuthorityException;
import io.cachet.api.ca.IssuedCertificate;
import io.cachet.api.ca.RevocationReason;
import io.cachet.api.ca.SealCertificateRequest;
import io.cachet.api.delivery.DeliveryException;
import io.cachet.api.delivery.Shipment;
import io.cachet.api.delivery.ShipmentState;
import io.cachet.api.delivery.Shipments;
import io.cachet.api.issuance.Issuance;
import io.cachet.api.issuance.IssuanceException;
import io.cachet.api.issuance.OrderCertificates;
import io.cachet.api.link.PersonalLinks;
import io.cachet.api.notify.Notification;
import io.cachet.api.order.CheckStatus;
import io.cachet.api.order.Delivery;
import io.cachet.api.order.Medium;
import io.cachet.api.order.Order;
import io.cachet.api.order.OrderCheck;
import io.cachet.api.order.OrderRequest;
import io.cachet.api.order.OrderRole;
import io.cachet.api.order.OrderState;
import io.cachet.api.order.Orders;
import io.cachet.api.order.Organisation;
import io.cachet.api.order.Person;
import io.cachet.api.order.PostalAddress;
import io.cachet.api.order.Price;
import io.cachet.api.order.Product;
import io.cachet.api.order.Submission;
import io.cachet.api.security.SecretVault;
import io.cachet.api.testing.MutableClock;
import io.cachet.api.token.KeyAlgorithm;
import io.cachet.api.token.PinPolicy;
import io.cachet.api.token.Token;
import io.cachet.api.token.TokenDriver;
import io.cachet.api.token.TokenInfo;
import io.cachet.audit.launch.AuditLogs;
import io.cachet.ca.launch.LocalCa;
import io.cachet.ca.launch.Publication;
import io.cachet.order.launch.OrderServices;
import io.cachet.portal.launch.LinkStores;
import io.cachet.store.testing.TestDatabases;
import io.cachet.store.testing.TestVaults;
import io.cachet.token.soft.launch.SoftTokens;
import io.cachet.web.testing.RecordingNotifier;

/**
 * The token delivery wired as in the framework on a real database (H2 or PostgreSQL), the real audit log, order state
 * machine, personal links and vault, and the real CA on a software token. Two stand-ins: the certificates of orders
 * (the issuance module's contract, issuing and revoking with the real CA) and the shipments (the mail module's
 * contract, in memory, telling the service of each change as the real one does after commit). The notifier records
 * what it is asked to send.
 */
final class Fixture implements AutoCloseable {

    static final Instant T0 = Instant.parse("2026-12-02T10:00:00Z");
    static final Person ANNA = new Person("Anna Maria", "Eriksson", LocalDate.parse("1974-08-12"), "anna@example.org",
            "+33612345678");
    static final Person JEAN = new Person("Jean", "Dupont", LocalDate.parse("1960-03-01"), "jean@example.org",
            "+33698765412");
    static final PostalAddress ADDRESS = new PostalAddress(List.of("1 rue de la Paix"), "75002", "Paris", "FR");
    /** The station's resume key (RSA-3072 is slow to make: one for every test). */
    static final KeyPair RESUME = rsa3072();

    /** The issuance module's contract over the real CA: one certificate per order at a time, discard revokes it. */
    final class Certificates implements OrderCertificates {
        final Map<String, BigInteger> issued = new ConcurrentHashMap<>();
        final Map<String, Integer> round = new ConcurrentHashMap<>();
        final List<String> discards = new CopyOnWriteArrayList<>();
        final AtomicInteger issues = new AtomicInteger();
        volatile boolean down;

        @Override
        public IssuedCertificate issue(String orderId, String csrPem, String actor) {
            if (down) {
                throw new IssuanceException(IssuanceException.Kind.UNAVAILABLE, "The CA cannot issue now.");
            }
            Order o = orders.find(orderId).orElseThrow(() -> new IssuanceException(IssuanceException.Kind.NOT_FOUND,
                    "no order"));
            if (o.state() != OrderState.ISSUANCE && o.state() != OrderState.DELIVERY) {
                throw new IssuanceException(IssuanceException.Kind.NOT_FOUND, "not in ISSUANCE");
            }
            if (issued.containsKey(orderId)) {
                throw new IssuanceException(IssuanceException.Kind.CONFLICT, "A certificate was already issued for"
                        + " order " + orderId + " from another request.");
            }
            IssuedCertificate c;
            try {
                c = ca.issue(new SealCertificateRequest(csrPem, SealCertificateRequest.Profile.QSCD, "ACME SAS",
                        SealCertificateRequest.Organisation.of("ACME SAS", "FR", "552100554", "FR96552100554"), 1),
                        actor, orderId + "#" + round.getOrDefault(orderId, 1));
            } catch (CertificateAuthorityException e) {
                throw new IssuanceException(IssuanceException.Kind.INVALID, e.getMessage(), e);
            }
            issued.put(orderId, c.serial());
            issues.incrementAndGet();
            orders.report(orderId, "issuance", CheckStatus.PASSED, "certificate " + c.serialHex(), actor);
            return c;
        }

        @Override
        public Issuance discard(String orderId, RevocationReason reason, String actor) {
            if (down) {
                throw new IssuanceException(IssuanceException.Kind.UNAVAILABLE, "The CA cannot revoke now.");
            }
            BigInteger serial = issued.remove(orderId);
            if (serial != null) {
                ca.revoke(serial, reason, actor);
                round.merge(orderId, 2, (a, b) -> a + 1);
                discards.add(orderId + ":" + reason + ":" + serial.toString(16));
            }
            return null;
        }

        @Override
        public IssuedCertificate revoke(String orderId, RevocationReason reason, String actor) {
            if (down) {
                throw new IssuanceException(IssuanceException.Kind.UNAVAILABLE, "The CA cannot revoke now.");
            }
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
    }

    /** The mail module's contract in memory: it tells the service of each change, as the real one does. */
    final class Letters implements Shipments {
        final List<Shipment> all = new CopyOnWriteArrayList<>();
        final List<RuntimeException> listenerFailures = new CopyOnWriteArrayList<>();

        @Override
        public synchronized Shipment prepare(String orderId, String reference, String actor) {
            for (Shipment s : all) {
                if (s.orderId().equals(orderId) && s.reference().equals(reference)
                        && s.state() != ShipmentState.LOST && s.state() != ShipmentState.RETURNED) {
                    return s;
                }
            }
            Instant now = clock.instant();
            Shipment s = new Shipment("shp-" + (all.size() + 1), orderId, reference, "Anna Maria Eriksson", ADDRESS,
                    "manual", Optional.empty(), ShipmentState.PREPARED, false, Optional.empty(), now, now,
                    Optional.empty(), Optional.empty());
            all.add(s);
            return s;
        }

        @Override
        public Optional<Shipment> find(String shipmentId) {
            return all.stream().filter(s -> s.id().equals(shipmentId)).findFirst();
        }

        @Override
        public List<Shipment> forOrder(String orderId) {
            return all.stream().filter(s -> s.orderId().equals(orderId)).toList();
        }

        @Override
        public List<Shipment> inState(ShipmentState state, int limit) {
            return all.stream().filter(s -> s.state() == state).limit(limit).toList();
        }

        @Override
        public Shipment move(String shipmentId, ShipmentState state, String trackingNumber, String note,
                String actor) {
            Shipment s;
            Shipment moved;
            synchronized (this) {
                s = find(shipmentId).orElseThrow(() -> new DeliveryException(DeliveryException.Kind.NOT_FOUND,
                        "no shipment"));
                if (!s.state().canMoveTo(state)) {
                    throw new DeliveryException(DeliveryException.Kind.CONFLICT, s.state() + " -> " + state);
                }
                Instant now = clock.instant();
                moved = new Shipment(s.id(), s.orderId(), s.reference(), s.recipient(), s.address(), s.carrier(),
                        Optional.ofNullable(trackingNumber).or(s::trackingNumber), state, false,
                        Optional.ofNullable(note), s.createdAt(), now,
                        state == ShipmentState.SENT ? Optional.of(now) : s.sentAt(),
                        state == ShipmentState.DELIVERED ? Optional.of(now) : s.deliveredAt());
                all.set(all.indexOf(s), moved);
            }
            try {
                service.shipmentChanged(moved, s.state()); // as the real one: a listener's failure undoes nothing
            } catch (RuntimeException e) {
                listenerFailures.add(e);
            }
            return moved;
        }

        @Override
        public byte[] label(String shipmentId, String language) {
            return new byte[0];
        }

        @Override
        public Shipment attachReceipt(String shipmentId, byte[] content, String actor) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<Receipt> receipt(String shipmentId) {
            return Optional.empty();
        }

        /** The letter of the order's token moved to DELIVERED (sent first, unless it was). */
        void deliver(String orderId) {
            Shipment s = forOrder(orderId).get(forOrder(orderId).size() - 1);
            if (s.state() == ShipmentState.PREPARED) {
                s = send(orderId);
            }
            move(s.id(), ShipmentState.DELIVERED, null, null, "api:operator");
        }

        /** The letter of the order's token handed to the post (SENT, tracking number RR123456789FR). */
        Shipment send(String orderId) {
            Shipment s = forOrder(orderId).get(forOrder(orderId).size() - 1);
            return move(s.id(), ShipmentState.SENT, "RR123456789FR", null, "api:operator");
        }
    }

    /** The operator's station with a software "token": its key pair and serial. */
    static final class Station {
        final String serial;
        final KeyPair key;

        Station(String serial) {
            this.serial = serial;
            this.key = ec();
        }

        String publicKeyPem() {
            return PinCrypto.pem(key.getPublic());
        }

        /** A CSR signed by the token's key. */
        String csr() {
            return csr(key);
        }

        static String csr(KeyPair key) {
            try {
                var b = new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=Cachet token"), key.getPublic());
                var csr = b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate()));
                return "-----BEGIN CERTIFICATE REQUEST-----\n" + Base64.getMimeEncoder(64, new byte[] { '\n' })
                        .encodeToString(csr.getEncoded()) + "\n-----END CERTIFICATE REQUEST-----\n";
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** The PIN encrypted as the station does it: RSA-OAEP, SHA-256, MGF1-SHA-256, written out here on purpose. */
    static String encrypt(PublicKey key, String pin) {
        try {
            Cipher c = Cipher.getInstance("RSA/ECB/OAEPPadding");
            c.init(Cipher.ENCRYPT_MODE, key, new OAEPParameterSpec("SHA-256", "MGF1",
                    java.security.spec.MGF1ParameterSpec.SHA256, PSource.PSpecified.DEFAULT));
            return Base64.getEncoder().encodeToString(c.doFinal(pin.getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String decrypt(java.security.PrivateKey key, String base64) {
        try {
            Cipher c = Cipher.getInstance("RSA/ECB/OAEPPadding");
            c.init(Cipher.DECRYPT_MODE, key, new OAEPParameterSpec("SHA-256", "MGF1",
                    java.security.spec.MGF1ParameterSpec.SHA256, PSource.PSpecified.DEFAULT));
            return new String(c.doFinal(Base64.getDecoder().decode(base64)), java.nio.charset.StandardCharsets.US_ASCII);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static KeyPair ec() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            return g.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static KeyPair rsa3072() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(3072);
            return g.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The real log, keeping each event's details. */
    static final class Audit extends io.cachet.api.testing.RecordingAuditLog {
        Audit(AuditLog real) {
            super(real);
        }
    }

    final TestDatabases.Handle db;
    final MutableClock clock = new MutableClock(T0);
    final Audit audit;
    final SecretVault vault;
    final PersonalLinks links;
    final RecordingNotifier notifier = new RecordingNotifier();
    final AtomicReference<TokenSettings> settings = new AtomicReference<>(TokenSettings.defaults());
    final CertificateAuthority ca;
    final Certificates certificates = new Certificates();
    final Letters letters = new Letters();
    final Orders orders;
    final TokenDeliveryService service;
    final HolderRevocations revocations;
    final List<OrderCheck> checks = new CopyOnWriteArrayList<>();
    volatile boolean shipmentsDown;
    private final Token caToken;

    Fixture(String product, Path dir) {
        db = TestDatabases.open(product, dir);
        audit = new Audit(AuditLogs.open(db.database(), List.of()));
        vault = TestVaults.embedded(dir);
        TokenDriver driver = SoftTokens.driver(dir.resolve("tokens"), 2);
        var blank = driver.tokens().stream().filter(t -> !t.has(TokenInfo.Flag.INITIALIZED)).findFirst()
                .orElseThrow();
        var info = driver.initialize(blank.slotId(), "so-pin-1234".toCharArray(), "pin-1234".toCharArray(), "Test CA",
                PinPolicy.TOKEN_DEFAULT);
        caToken = driver.login(info.serial(), "pin-1234".toCharArray());
        LocalCa local = LocalCa.create(caToken, "Cachet Test", "NTRFR-000000000", "FR", KeyAlgorithm.EC_P256);
        TokenDeliveryService[] told = new TokenDeliveryService[1];
        // the revocation listener of this bundle, as the CA's whiteboard tells it (RevokedTokenPins)
        ca = local.authority(new Publication("http://ca.example.fr/", "https://ca.example.fr/pds/en.pdf", "en",
                "1.3.6.1.4.1.99999.1.1", Duration.ofDays(7)), "1.3.6.1.4.1.32473.1.2", db.database(), audit, clock,
                List.of((certificate, actor) -> told[0].certificateRevoked(certificate.serialHex(), actor)));
        Orders[] holder = new Orders[1];
        links = LinkStores.open(db.database(), audit, clock, new SecureRandom(), "http://localhost:8080",
                id -> holder[0].find(id).map(o -> o.state().ended()).orElse(true));
        TokenDeliveryService.migrate(db.database());
        byte[] codeKey = new byte[32];
        new SecureRandom().nextBytes(codeKey);
        service = new TokenDeliveryService(db.database(), audit, () -> holder[0], () -> certificates,
                () -> shipmentsDown ? null : letters, ca::chain, links, notifier, settings::get,
                PinKey.load(db.database(), vault, new SecureRandom()), clock, new SecureRandom(), codeKey);
        told[0] = service;
        revocations = new HolderRevocations(db.database(), audit, service, () -> certificates, notifier, clock,
                new SecureRandom());
        Product p = new Product("enterprise-plus", Map.of("fr", "Enterprise+", "en", "Enterprise+"), List.of(1, 2, 3),
                List.of(Medium.USB_A, Medium.USB_C, Medium.CLOUD),
                List.of(new Price(1, Medium.CLOUD, new BigDecimal("290.00"), "EUR"),
                        new Price(1, Medium.USB_A, new BigDecimal("390.00"), "EUR")));
        orders = OrderServices.open(db.database(), audit, () -> List.of(p), () -> checks, List::of, () -> "default",
                clock, Duration.ofDays(60));
        holder[0] = orders;
        checks.add(check("test.verification", OrderState.VERIFICATION, false, o -> { }));
        checks.add(check("test.acceptance", OrderState.ACCEPTANCE, false, o -> { }));
        checks.add(check("issuance", OrderState.ISSUANCE, false, o -> { }));
        checks.add(check(TokenDeliveryService.PROVISIONING, OrderState.ISSUANCE, true, o -> {
            service.entered(o);
            service.reportDue(o.id());
        }));
        checks.add(check(TokenDeliveryService.DELIVERY, OrderState.DELIVERY, true, o -> service.reportDue(o.id())));
    }

    private static OrderCheck check(String kind, OrderState state, boolean tokenOnly,
            java.util.function.Consumer<Order> entered) {
        return new OrderCheck() {
            @Override
            public String kind() {
                return kind;
            }

            @Override
            public OrderState state() {
                return state;
            }

            @Override
            public boolean appliesTo(OrderRequest order) {
                return !tokenOnly || order.medium().token();
            }

            @Override
            public void entered(Order order) {
                entered.accept(order);
            }
        };
    }

    /** Submits an order (VERIFICATION). */
    Order submit(Medium medium, Person legalRepresentative) {
        OrderRequest r = new OrderRequest("enterprise-plus", 1, medium, ANNA, legalRepresentative,
                new Organisation("ACME SAS", "FR", "55210055400005", "FR96552100554", ADDRESS),
                medium.token() ? new Delivery("Anna Maria Eriksson", ADDRESS) : null);
        return orders.submit(r, new Submission("api:test", null, null, "en", null));
    }

    /** An order of {@code medium} that entered ISSUANCE (its token delivery WAITING). */
    Order inIssuance(Medium medium) {
        Order o = submit(medium, JEAN);
        orders.report(o.id(), "test.verification", CheckStatus.PASSED, "", "check:test");
        return orders.report(o.id(), "test.acceptance", CheckStatus.PASSED, "", "check:test");
    }

    Order order(String id) {
        return orders.find(id).orElseThrow();
    }

    /** Steps 2 to 4 for {@code station}: the PIN registered, the key made. */
    void keyGenerated(String orderId, Station station, String pin) {
        service.start(orderId, station.serial, "SafeNet", "eToken 5110 CC", "12.0", PinCrypto.pem(RESUME.getPublic()),
                "api:operator");
        service.initialised(orderId, station.serial, service.pinKey().id(), encrypt(service.pinKey().publicKey(), pin),
                "api:operator");
        service.key(orderId, station.serial, station.publicKeyPem(), protectedKey(), "api:operator");
    }

    /** Every step to PROVISIONED: the order moves to DELIVERY. */
    void provisioned(String orderId, Station station, String pin) {
        keyGenerated(orderId, station, pin);
        service.csr(orderId, station.serial, station.csr(), "api:operator");
        service.written(orderId, station.serial, "api:operator");
    }

    static TokenDeliveryService.KeyAttributes protectedKey() {
        return new TokenDeliveryService.KeyAttributes(true, false, true, true);
    }

    /** The certificate manager's status link (as the portal e-mails it). */
    String statusLink(String orderId, OrderRole role) {
        return links.issue(orderId, role, "status", role == OrderRole.CERTIFICATE_MANAGER ? ANNA.email()
                : JEAN.email(), "/order/status", Duration.ofDays(30), "system").url();
    }

    /** The code of the last PIN-code SMS sent. */
    String lastCode() {
        List<Notification> l = notifier.of("tokendelivery.pin.code");
        return (String) l.get(l.size() - 1).model().get("code");
    }

    /** The PIN as the order's row holds it (encrypted to the pin-key), null once erased or revealed. */
    String pinCiphertext(String orderId) {
        return db.database().inTransaction(c -> {
            try (java.sql.PreparedStatement ps = c.prepareStatement("SELECT pin_ciphertext FROM token_delivery WHERE"
                    + " order_id = ?")) {
                ps.setString(1, orderId);
                try (java.sql.ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getString(1);
                }
            }
        });
    }

    /** The code of the last revocation-code SMS sent. */
    String lastRevocationCode() {
        List<Notification> l = notifier.of("tokendelivery.revoke.code");
        return (String) l.get(l.size() - 1).model().get("code");
    }

    /** The token delivery's audit actions about the order, in order (read from the real log). */
    List<String> actions(String orderId) {
        List<String> l = new ArrayList<>();
        for (AuditRecord r : audit.read(1, 100_000)) {
            if (r.subject().equals("order:" + orderId) && r.action().startsWith("token.")) {
                l.add(r.action());
            }
        }
        return l;
    }

    List<AuditRecord> records(String orderId) {
        return audit.read(1, 100_000).stream().filter(r -> r.subject().equals("order:" + orderId)).toList();
    }

    /** The details of every audited event about the order. */
    String details(String orderId) {
        StringBuilder b = new StringBuilder();
        for (var e : audit.events) {
            if (e.subject().equals("order:" + orderId)) {
                b.append(e.action()).append(' ').append(new String(e.payload(), java.nio.charset.StandardCharsets.UTF_8))
                        .append('\n');
            }
        }
        return b.toString();
    }

    @Override
    public void close() {
        caToken.close();
        db.close();
    }
}
