package io.cachet.delivery.token.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.cachet.api.ca.RevocationReason;
import io.cachet.api.delivery.DeliveryException;
import io.cachet.api.delivery.DeliveryException.Kind;
import io.cachet.api.delivery.ShipmentState;
import io.cachet.api.delivery.TokenDelivery;
import io.cachet.api.delivery.TokenDelivery.PinCustody;
import io.cachet.api.delivery.TokenDelivery.Stage;
import io.cachet.api.order.Medium;
import io.cachet.api.order.Order;
import io.cachet.api.order.OrderRole;
import io.cachet.api.order.OrderState;
import io.cachet.delivery.token.internal.Fixture.Station;
import io.cachet.delivery.token.internal.TokenDeliveryService.Outcome;
import io.cachet.delivery.token.internal.TokenDeliveryService.Refusal;
import io.cachet.store.testing.TestDatabases;
import io.cachet.store.testing.TestVaults;

/** The token delivery on H2 and PostgreSQL, with the real CA: every provisioning step, the PIN's reveal, activation. */
class TokenDeliveryServiceTest {

    private static final String OP = "api:operator";

    @TempDir
    Path dir;

    static List<String> products() {
        return TestDatabases.products().toList();
    }

    private static DeliveryException refused(Kind kind, org.junit.jupiter.api.function.Executable e) {
        DeliveryException x = assertThrows(DeliveryException.class, e);
        assertEquals(kind, x.kind(), x.getMessage());
        return x;
    }

    @ParameterizedTest
    @MethodSource("products")
    void thePinKeyIsMadeOnceKeptSealedAndOpensOnlyWithItsMasterKey(String product) throws Exception {
        try (Fixture f = new Fixture(product, dir)) {
            PinKey first = f.service.pinKey();
            PinKey again = PinKey.load(f.db.database(), f.vault, new SecureRandom());
            assertEquals(first.id(), again.id(), "one pin-key per deployment");
            assertEquals(32, first.id().length());
            assertEquals(3072, ((java.security.interfaces.RSAPublicKey) first.publicKey()).getModulus().bitLength());
            assertEquals(PinCrypto.keyId(first.publicKey()), HexOf.sha256Prefix(first.publicKey().getEncoded()));
            String sealed = f.db.database().inTransaction(c -> {
                try (PreparedStatement ps = c.prepareStatement("SELECT sealed FROM token_delivery_key WHERE name ="
                        + " 'pin-key'")) {
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        return rs.getString(1);
                    }
                }
            });
            // what a station encrypts, the key stored (and loaded again) decrypts
            assertEquals("4711", new String(again.decrypt(Fixture.encrypt(first.publicKey(), "4711")),
                    java.nio.charset.StandardCharsets.US_ASCII));
            assertFalse(sealed.contains(java.util.Base64.getEncoder().encodeToString(first.publicKey().getEncoded())
                    .substring(40, 80)), "the key is sealed, not stored in clear");
            var otherVault = TestVaults.embedded(dir.resolve("other"));
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> PinKey.load(f.db.database(), otherVault, new SecureRandom()));
            assertTrue(e.getMessage().contains("does not open with this master key"), e.getMessage());
        }
    }

    /** The hex of the first 16 bytes of a SHA-256, computed here independently. */
    static final class HexOf {
        static String sha256Prefix(byte[] b) throws Exception {
            byte[] d = java.security.MessageDigest.getInstance("SHA-256").digest(b);
            StringBuilder s = new StringBuilder();
            for (int i = 0; i < 16; i++) {
                s.append(String.format("%02x", d[i] & 0xff));
            }
            return s.toString();
        }
    }

    @ParameterizedTest
    @MethodSource("products")
    void aTokenOrderGoesFromTheQueueToActiveThroughEveryStep(String product) {
        try (Fixture f = new Fixture(product, dir)) {
            Order o = f.inIssuance(Medium.USB_A);
            assertEquals(OrderState.ISSUANCE, o.state());
            TokenDelivery waiting = f.service.find(o.id()).orElseThrow();
            assertEquals(Stage.WAITING, waiting.stage());
            assertEquals(1, waiting.attempt());
            assertTrue(waiting.tokenLabel().startsWith("Cachet ") && waiting.tokenLabel().length() <= 32);
            assertEquals(List.of(o.id()), f.service.toProvision(10).stream().map(TokenDelivery::orderId).toList());

            Station token = new Station("0A1B2C3D");
            TokenDeliveryService.Started s = f.service.start(o.id(), token.serial, "SafeNet", "eToken 5110 CC", "12.0",
                    PinCrypto.pem(Fixture.RESUME.getPublic()), OP);
            assertFalse(s.resume());
            assertNull(s.encryptedPin());
            assertEquals(Stage.WAITING, s.delivery().stage());
            assertEquals(waiting.tokenLabel(), s.delivery().tokenLabel(), "the label is stable per order");
            assertEquals("SafeNet eToken 5110 CC", s.delivery().tokenModel().orElseThrow());

            TokenDelivery init = f.service.initialised(o.id(), token.serial, f.service.pinKey().id(),
                    Fixture.encrypt(f.service.pinKey().publicKey(), "4821"), OP);
            assertEquals(Stage.INITIALISED, init.stage());
            assertEquals(PinCustody.HELD, init.pin());

            assertEquals(Stage.KEY_GENERATED, f.service.key(o.id(), token.serial, token.publicKeyPem(),
                    Fixture.protectedKey(), OP).stage());

            TokenDeliveryService.Certified c = f.service.csr(o.id(), token.serial, token.csr(), OP);
            assertEquals(Stage.CERTIFIED, c.delivery().stage());
            assertEquals(c.certificate().serialHex(), c.delivery().certificateSerial().orElseThrow());
            assertEquals(token.key.getPublic(), c.certificate().certificate().getPublicKey(),
                    "the certificate is of the token's key");
            assertEquals(2, c.chain().size());
            assertEquals(c.certificate().certificate().getIssuerX500Principal(),
                    ((X509Certificate) c.chain().get(0)).getSubjectX500Principal());
            assertEquals(OrderState.ISSUANCE, f.order(o.id()).state(), "issued, but not yet on the token");
            // the same CSR (or another CSR of the same key) again: the same certificate, nothing issued twice
            assertEquals(c.certificate().serial(), f.service.csr(o.id(), token.serial, token.csr(), OP).certificate()
                    .serial());
            assertEquals(1, f.certificates.issues.get());

            TokenDeliveryService.Provisioned p = f.service.written(o.id(), token.serial, OP);
            assertEquals(Stage.PROVISIONED, p.delivery().stage());
            assertEquals(ShipmentState.PREPARED, p.shipment().state());
            assertEquals(token.serial, p.shipment().reference());
            assertEquals(OrderState.DELIVERY, f.order(o.id()).state(), "token ready to ship: DELIVERY");
            assertEquals(p.shipment().id(), f.service.written(o.id(), token.serial, OP).shipment().id(), "idempotent");
            assertTrue(f.service.toProvision(10).isEmpty());

            DeliveryException again = refused(Kind.CONFLICT, () -> f.service.start(o.id(), token.serial, null, null,
                    null, PinCrypto.pem(Fixture.RESUME.getPublic()), OP));
            assertTrue(again.getMessage().contains(token.serial), again.getMessage());

            // nothing to reveal before the letter is delivered
            assertEquals(Refusal.NOT_DELIVERED, f.service.requestCode(o.id(), "person:certificate-manager").refusal());
            String link = f.statusLink(o.id(), OrderRole.CERTIFICATE_MANAGER);
            refused(Kind.CONFLICT, () -> f.service.activate(f.service.orderOfLink(link), token.serial, "person"));
            f.letters.deliver(o.id());

            Outcome sent = f.service.requestCode(o.id(), "person:certificate-manager");
            assertTrue(sent.ok());
            assertEquals("+33612345678", f.notifier.sent.get(0).recipient());
            Outcome shown = f.service.reveal(o.id(), f.lastCode(), "person:certificate-manager");
            assertTrue(shown.ok());
            assertEquals("4821", shown.pin());
            assertNull(f.pinCiphertext(o.id()), "erased in the same transaction");
            TokenDelivery revealed = f.service.find(o.id()).orElseThrow();
            assertEquals(PinCustody.REVEALED, revealed.pin());
            assertEquals(Fixture.T0, revealed.pinRevealedAt().orElseThrow());
            assertEquals(Refusal.ALREADY_REVEALED, f.service.reveal(o.id(), f.lastCode(), "person")
                    .refusal());
            assertEquals(Refusal.ALREADY_REVEALED, f.service.requestCode(o.id(), "person").refusal());

            refused(Kind.CONFLICT, () -> f.service.activate(o.id(), "FFFFFFFF", "person"));
            TokenDelivery active = f.service.activate(f.service.orderOfLink(link), token.serial, "person");
            assertEquals(Stage.ACTIVATED, active.stage());
            assertEquals(OrderState.ACTIVE, f.order(o.id()).state());
            assertEquals(Stage.ACTIVATED, f.service.activate(o.id(), null, "person").stage(), "idempotent");

            assertEquals(List.of("token.provisioning.waiting", "token.provisioning.started",
                    "token.provisioning.initialised", "token.provisioning.key", "token.provisioning.certified",
                    "token.provisioning.provisioned", "token.pin.code.refused", "token.pin.code.sent",
                    "token.pin.revealed", "token.pin.refused", "token.pin.code.refused", "token.activated"),
                    f.actions(o.id()));
            assertFalse(f.details(o.id()).contains("4821"), "never the PIN in the audit log");
        }
    }

    @ParameterizedTest
    @MethodSource("products")
    void eachStepRefusesBadInputAndChangesNothing(String product) {
        try (Fixture f = new Fixture(product, dir)) {
            String resume = PinCrypto.pem(Fixture.RESUME.getPublic());
            refused(Kind.NOT_FOUND, () -> f.service.start("ord_nope", "S1", null, null, null, resume, OP));
            Order cloud = f.inIssuance(Medium.CLOUD);
            refused(Kind.CONFLICT, () -> f.service.start(cloud.id(), "S1", null, null, null, resume, OP));
            assertTrue(f.service.find(cloud.id()).isEmpty(), "a cloud order has no token delivery");
            Order early = f.submit(Medium.USB_C, null);
            refused(Kind.NOT_FOUND, () -> f.service.start(early.id(), "S1", null, null, null, resume, OP));

            Order o = f.inIssuance(Medium.USB_C);
            Station token = new Station("S-1");
            refused(Kind.INVALID, () -> f.service.start(o.id(), "", null, null, null, resume, OP));
            refused(Kind.INVALID, () -> f.service.start(o.id(), token.serial, null, null, null, null, OP));
            refused(Kind.INVALID, () -> f.service.start(o.id(), token.serial, null, null, null, token.publicKeyPem(),
                    OP)); // an EC key is no resume key
            f.service.start(o.id(), token.serial, null, null, null, resume, OP);

            var pk = f.service.pinKey();
            refused(Kind.INVALID, () -> f.service.initialised(o.id(), token.serial, "00112233445566778899aabbccddeeff",
                    Fixture.encrypt(pk.publicKey(), "1234"), OP)).getMessage().contains("keyId");
            for (String bad : new String[] { "12345", "123", "12a4", "" }) {
                DeliveryException e = refused(Kind.INVALID, () -> f.service.initialised(o.id(), token.serial, pk.id(),
                        Fixture.encrypt(pk.publicKey(), bad), OP));
                assertTrue(e.getMessage().contains("exactly 4 digits"), e.getMessage());
            }
            refused(Kind.INVALID, () -> f.service.initialised(o.id(), token.serial, pk.id(), "bm90IGEgY2lwaGVy", OP));
            refused(Kind.CONFLICT, () -> f.service.initialised(o.id(), "OTHER", pk.id(),
                    Fixture.encrypt(pk.publicKey(), "1234"), OP));
            assertEquals(PinCustody.NONE, f.service.find(o.id()).orElseThrow().pin(), "nothing stored");
            refused(Kind.CONFLICT, () -> f.service.key(o.id(), token.serial, token.publicKeyPem(),
                    Fixture.protectedKey(), OP)); // no PIN yet

            f.service.initialised(o.id(), token.serial, pk.id(), Fixture.encrypt(pk.publicKey(), "1111"), OP);
            // at INITIALISED the same token may register its PIN again (the station drew a new one)
            f.service.initialised(o.id(), token.serial, pk.id(), Fixture.encrypt(pk.publicKey(), "2222"), OP);
            assertEquals("2222", new String(decrypt(f, f.pinCiphertext(o.id()))));

            String[][] unprotected = { { "CKA_SENSITIVE" }, { "CKA_EXTRACTABLE" }, { "CKA_ALWAYS_SENSITIVE" },
                { "CKA_NEVER_EXTRACTABLE" } };
            TokenDeliveryService.KeyAttributes[] attrs = {
                new TokenDeliveryService.KeyAttributes(false, false, true, true),
                new TokenDeliveryService.KeyAttributes(true, true, true, true),
                new TokenDeliveryService.KeyAttributes(true, false, false, true),
                new TokenDeliveryService.KeyAttributes(true, false, true, null) };
            for (int i = 0; i < attrs.length; i++) {
                var a = attrs[i];
                DeliveryException e = refused(Kind.INVALID, () -> f.service.key(o.id(), token.serial,
                        token.publicKeyPem(), a, OP));
                assertTrue(e.getMessage().contains(unprotected[i][0]), e.getMessage());
            }
            refused(Kind.INVALID, () -> f.service.key(o.id(), token.serial, PinCrypto.pem(Fixture.RESUME.getPublic()),
                    Fixture.protectedKey(), OP)); // RSA, not the configured EC_P256
            refused(Kind.INVALID, () -> f.service.key(o.id(), token.serial, "not a key", Fixture.protectedKey(), OP));
            refused(Kind.CONFLICT, () -> f.service.csr(o.id(), token.serial, token.csr(), OP)); // no key yet
            refused(Kind.CONFLICT, () -> f.service.written(o.id(), token.serial, OP));
            assertEquals(Stage.INITIALISED, f.service.find(o.id()).orElseThrow().stage());

            f.service.key(o.id(), token.serial, token.publicKeyPem(), Fixture.protectedKey(), OP);
            // a CSR made with another key, a CSR whose signature is broken, not a CSR
            DeliveryException other = refused(Kind.INVALID, () -> f.service.csr(o.id(), token.serial,
                    Station.csr(Fixture.ec()), OP));
            assertTrue(other.getMessage().contains("not made with the token's key"), other.getMessage());
            String csr = token.csr();
            byte[] der = PinCrypto.der(csr, "CERTIFICATE REQUEST");
            der[der.length - 5] ^= 0x01; // inside the signature
            String broken = "-----BEGIN CERTIFICATE REQUEST-----\n" + java.util.Base64.getEncoder().encodeToString(der)
                    + "\n-----END CERTIFICATE REQUEST-----\n";
            refused(Kind.INVALID, () -> f.service.csr(o.id(), token.serial, broken, OP));
            refused(Kind.INVALID, () -> f.service.csr(o.id(), token.serial, "hello", OP));
            assertEquals(0, f.certificates.issues.get(), "nothing issued");
            refused(Kind.CONFLICT, () -> f.service.initialised(o.id(), token.serial, pk.id(),
                    Fixture.encrypt(pk.publicKey(), "3333"), OP)); // the PIN cannot change after the key

            // the CA down: 503, nothing changed; then it works
            f.certificates.down = true;
            refused(Kind.UNAVAILABLE, () -> f.service.csr(o.id(), token.serial, token.csr(), OP));
            assertEquals(Stage.KEY_GENERATED, f.service.find(o.id()).orElseThrow().stage());
            f.certificates.down = false;
            f.service.csr(o.id(), token.serial, token.csr(), OP);
            // the same key again at CERTIFIED changes nothing; another key is refused
            assertEquals(Stage.CERTIFIED, f.service.key(o.id(), token.serial, token.publicKeyPem(),
                    Fixture.protectedKey(), OP).stage());
            refused(Kind.CONFLICT, () -> f.service.key(o.id(), token.serial, PinCrypto.pem(Fixture.ec().getPublic()),
                    Fixture.protectedKey(), OP));

            // no shipment service: 503, nothing changed
            f.shipmentsDown = true;
            refused(Kind.UNAVAILABLE, () -> f.service.written(o.id(), token.serial, OP));
            assertEquals(Stage.CERTIFIED, f.service.find(o.id()).orElseThrow().stage());
            assertEquals(OrderState.ISSUANCE, f.order(o.id()).state());
            f.shipmentsDown = false;

            // a failure is recorded for the operators
            TokenDelivery failed = f.service.failure(o.id(), token.serial, "write", "CKR_DEVICE_REMOVED " + "x".repeat(
                    600), OP);
            assertTrue(failed.lastError().orElseThrow().startsWith("write: CKR_DEVICE_REMOVED"));
            assertTrue(failed.lastError().orElseThrow().length() <= 500);
            assertTrue(f.actions(o.id()).contains("token.provisioning.stopped"));
            assertEquals(Stage.PROVISIONED, f.service.written(o.id(), token.serial, OP).delivery().stage());
            assertTrue(f.service.find(o.id()).orElseThrow().lastError().isEmpty(), "cleared by progress");
        }
    }

    private static byte[] decrypt(Fixture f, String ciphertext) {
        try {
            return f.service.pinKey().decrypt(ciphertext);
        } catch (java.security.GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    @ParameterizedTest
    @MethodSource("products")
    void theSameTokenResumesWithItsPinEncryptedToTheResumeKeyButNeverAfterProvisioning(String product) {
        try (Fixture f = new Fixture(product, dir)) {
            Order o = f.inIssuance(Medium.USB_A);
            Station token = new Station("RES-1");
            String resume = PinCrypto.pem(Fixture.RESUME.getPublic());
            f.service.start(o.id(), token.serial, null, null, null, resume, OP);
            TokenDeliveryService.Started waitingAgain = f.service.start(o.id(), token.serial, null, null, null, resume,
                    OP);
            assertFalse(waitingAgain.resume(), "no PIN registered yet: the station starts from WAITING");
            f.service.initialised(o.id(), token.serial, f.service.pinKey().id(),
                    Fixture.encrypt(f.service.pinKey().publicKey(), "9075"), OP);
            for (Stage expected : new Stage[] { Stage.INITIALISED, Stage.KEY_GENERATED, Stage.CERTIFIED }) {
                if (expected == Stage.KEY_GENERATED) {
                    f.service.key(o.id(), token.serial, token.publicKeyPem(), Fixture.protectedKey(), OP);
                } else if (expected == Stage.CERTIFIED) {
                    f.service.csr(o.id(), token.serial, token.csr(), OP);
                }
                TokenDeliveryService.Started r = f.service.start(o.id(), token.serial, null, null, null, resume, OP);
                assertTrue(r.resume());
                assertEquals(expected, r.delivery().stage());
                assertEquals("9075", Fixture.decrypt(Fixture.RESUME.getPrivate(), r.encryptedPin()),
                        "the PIN, encrypted to the station's resume key");
            }
            assertEquals(1, f.service.find(o.id()).orElseThrow().attempt());
            f.service.written(o.id(), token.serial, OP);
            refused(Kind.CONFLICT, () -> f.service.start(o.id(), token.serial, null, null, null, resume, OP));
            assertTrue(f.details(o.id()).contains("PIN returned to the provisioning station"));
            assertEquals(3, f.actions(o.id()).stream().filter("token.provisioning.resumed"::equals).count());
            assertFalse(f.details(o.id()).contains("9075"));
        }
    }

    @ParameterizedTest
    @MethodSource("products")
    void aSecondTokenDiscardsTheFirstRevokingItsCertificateAndStartsANewAttempt(String product) {
        try (Fixture f = new Fixture(product, dir)) {
            Order o = f.inIssuance(Medium.USB_A);
            String resume = PinCrypto.pem(Fixture.RESUME.getPublic());
            // a token replaced before it was certified: nothing to revoke
            Station a = new Station("AAAA");
            f.keyGenerated(o.id(), a, "1234");
            Station b = new Station("BBBB");
            TokenDeliveryService.Started sb = f.service.start(o.id(), b.serial, null, null, null, resume, OP);
            assertEquals(2, sb.delivery().attempt());
            assertEquals(Stage.WAITING, sb.delivery().stage());
            assertEquals(PinCustody.NONE, sb.delivery().pin());
            assertTrue(f.certificates.discards.isEmpty());

            f.keyGenerated(o.id(), b, "5678");
            var certB = f.service.csr(o.id(), b.serial, b.csr(), OP).certificate();
            Station c = new Station("CCCC");
            TokenDeliveryService.Started sc = f.service.start(o.id(), c.serial, null, null, null, resume, OP);
            assertEquals(3, sc.delivery().attempt());
            assertNull(f.pinCiphertext(o.id()), "the old token's PIN is erased");
            assertEquals(List.of(o.id() + ":" + RevocationReason.CESSATION_OF_OPERATION + ":" + certB.serialHex()),
                    f.certificates.discards);
            assertTrue(f.ca.find(certB.serial()).orElseThrow().revoked(), "the old token's certificate is revoked");
            assertEquals(2, f.actions(o.id()).stream().filter("token.provisioning.discarded"::equals).count());

            // the new token gets a new certificate
            f.keyGenerated(o.id(), c, "9999");
            var certC = f.service.csr(o.id(), c.serial, c.csr(), OP).certificate();
            assertNotEquals(certB.serial(), certC.serial());
            assertEquals(c.key.getPublic(), certC.certificate().getPublicKey());
            assertEquals(Stage.PROVISIONED, f.service.written(o.id(), c.serial, OP).delivery().stage());
            assertEquals(OrderState.DELIVERY, f.order(o.id()).state());
        }
    }

    @ParameterizedTest
    @MethodSource("products")
    void aDiscardTheCaRefusesChangesNothing(String product) {
        try (Fixture f = new Fixture(product, dir)) {
            Order o = f.inIssuance(Medium.USB_A);
            Station a = new Station("AAAA");
            f.keyGenerated(o.id(), a, "1234");
            f.service.csr(o.id(), a.serial, a.csr(), OP);
            f.certificates.down = true;
            refused(Kind.UNAVAILABLE, () -> f.service.start(o.id(), "BBBB", null, null, null,
                    PinCrypto.pem(Fixture.RESUME.getPublic()), OP));
            TokenDelivery d = f.service.find(o.id()).orElseThrow();
            assertEquals(Stage.CERTIFIED, d.stage());
            assertEquals("AAAA", d.tokenSerial().orElseThrow());
            assertEquals(PinCustody.HELD, d.pin());
        }
    }

    @ParameterizedTest
    @MethodSource("products")
    void aLostLetterRevokesTheCertificateErasesThePinAndReopensProvisioning(String product) throws Exception {
        try (Fixture f = new Fixture(product, dir)) {
            Order o = f.inIssuance(Medium.USB_A);
            Station a = new Station("LOST-1");
            f.provisioned(o.id(), a, "1357");
            var first = f.certificates.find(o.id()).orElseThrow();
            var shipment = f.letters.forOrder(o.id()).get(0);
            f.letters.move(shipment.id(), ShipmentState.SENT, "RR1", null, OP);
            f.letters.move(shipment.id(), ShipmentState.LOST, null, "carrier lost it", OP);

            TokenDelivery d = f.service.find(o.id()).orElseThrow();
            assertEquals(2, d.attempt());
            assertEquals(Stage.WAITING, d.stage());
            assertEquals(PinCustody.NONE, d.pin());
            assertTrue(d.tokenSerial().isEmpty());
            assertNull(f.pinCiphertext(o.id()));
            assertEquals(List.of(o.id() + ":KEY_COMPROMISE:" + first.serialHex()), f.certificates.discards);
            assertEquals(RevocationReason.KEY_COMPROMISE, f.ca.find(first.serial()).orElseThrow().revocation()
                    .orElseThrow().reason());
            assertEquals(List.of(o.id()), f.service.toProvision(10).stream().map(TokenDelivery::orderId).toList());
            assertEquals(OrderState.DELIVERY, f.order(o.id()).state(), "the order stays in DELIVERY");
            assertTrue(f.records(o.id()).stream().anyMatch(r -> r.action().equals("token.provisioning.discarded")
                    && r.actor().equals("system")));
            // the holder is told: the letter lost, that token's certificate revoked, a new token on its way
            List<io.cachet.api.notify.Notification> told = f.notifier.of("tokendelivery.letter.lost");
            assertEquals(1, told.size());
            assertEquals(Fixture.ANNA.email(), told.get(0).recipient());
            String mail = io.cachet.web.testing.TestEmails.render(new TokenTemplates(), told.get(0));
            assertTrue(mail.startsWith("Subject: Cachet: the letter with your seal token was lost"), mail);
            assertTrue(mail.contains("(order " + o.id() + ", tracking number RR1)"), mail);
            assertTrue(mail.contains("(serial " + first.serialHex() + ") was revoked at once"), mail);
            String fr = io.cachet.web.testing.TestEmails.render(new TokenTemplates(), told.get(0), "fr");
            assertTrue(fr.contains("a été déclaré perdu") || fr.contains("a déclaré perdu"), fr);

            // a new token is provisioned in DELIVERY; the new letter is the one that counts
            Station b = new Station("NEW-2");
            f.provisioned(o.id(), b, "2468");
            TokenDelivery again = f.service.find(o.id()).orElseThrow();
            assertEquals(Stage.PROVISIONED, again.stage());
            assertNotEquals(first.serialHex(), again.certificateSerial().orElseThrow());
            assertEquals(2, f.letters.forOrder(o.id()).size());
            f.letters.deliver(o.id());
            f.service.requestCode(o.id(), "person");
            assertEquals("2468", f.service.reveal(o.id(), f.lastCode(), "person").pin());
        }
    }

    @ParameterizedTest
    @MethodSource("products")
    void anOperatorsRevocationErasesTheHeldPinSoThatItIsNeverShown(String product) {
        try (Fixture f = new Fixture(product, dir)) {
            Order o = f.inIssuance(Medium.USB_C);
            f.provisioned(o.id(), new Station("REVOKED-1"), "9753");
            f.letters.deliver(o.id());
            assertEquals(List.of(), f.service.certificateRevoked("123abc", "operator:olivia"), "no token's certificate");
            assertTrue(f.pinCiphertext(o.id()) != null);

            f.certificates.revoke(o.id(), RevocationReason.KEY_COMPROMISE, "operator:olivia");
            assertNull(f.pinCiphertext(o.id()), "erased in the revocation's transaction");
            assertEquals(PinCustody.NONE, f.service.find(o.id()).orElseThrow().pin());
            assertEquals(Refusal.NO_PIN, f.service.requestCode(o.id(), "person").refusal());
            assertTrue(f.notifier.of("tokendelivery.pin.code").isEmpty(), "no code for a PIN that is gone");
            assertTrue(f.records(o.id()).stream().anyMatch(r -> r.action().equals("token.pin.erased")
                    && r.actor().equals("operator:olivia")), f.details(o.id()));
        }
    }

    @ParameterizedTest
    @MethodSource("products")
    void aLostLetterTheListenerCouldNotHandleIsDiscardedByTheJob(String product) {
        try (Fixture f = new Fixture(product, dir)) {
            Order o = f.inIssuance(Medium.USB_A);
            f.provisioned(o.id(), new Station("SWEEP-1"), "1212");
            var shipment = f.letters.forOrder(o.id()).get(0);
            assertEquals(0, f.service.sweepLost(), "nothing lost");
            f.certificates.down = true;
            f.letters.move(shipment.id(), ShipmentState.LOST, null, null, OP);
            assertEquals(1, f.letters.listenerFailures.size(), "the CA could not revoke when the loss was reported");
            assertEquals(Stage.PROVISIONED, f.service.find(o.id()).orElseThrow().stage(), "nothing half done");
            f.certificates.down = false;
            assertEquals(1, f.service.sweepLost());
            TokenDelivery d = f.service.find(o.id()).orElseThrow();
            assertEquals(Stage.WAITING, d.stage());
            assertEquals(2, d.attempt());
            assertEquals(1, f.certificates.discards.size());
            assertEquals(0, f.service.sweepLost(), "once");
        }
    }

    @ParameterizedTest
    @MethodSource("products")
    void wrongCodesLockTheRetrievalUntilSupportReopensIt(String product) {
        try (Fixture f = new Fixture(product, dir)) {
            Order o = f.inIssuance(Medium.USB_A);
            Station a = new Station("OTP-1");
            f.provisioned(o.id(), a, "8642");
            f.letters.deliver(o.id());
            String who = "person:certificate-manager";
            assertEquals(Refusal.NO_CODE, f.service.reveal(o.id(), "123456", who).refusal());
            assertTrue(f.service.requestCode(o.id(), who).ok());
            String code = f.lastCode();
            String wrong = String.format("%06d", (Integer.parseInt(code) + 1) % 1_000_000);
            Outcome w1 = f.service.reveal(o.id(), wrong, who);
            assertEquals(Refusal.WRONG_CODE, w1.refusal());
            assertEquals(2, w1.triesLeft());
            assertEquals(Refusal.WRONG_CODE, f.service.reveal(o.id(), "abc", who).refusal());
            Outcome locked = f.service.reveal(o.id(), wrong, who);
            assertEquals(Refusal.LOCKED, locked.refusal());
            assertEquals(PinCustody.LOCKED, f.service.find(o.id()).orElseThrow().pin());
            assertEquals(Refusal.LOCKED, f.service.reveal(o.id(), code, who).refusal(), "even the right code now");
            assertEquals(Refusal.LOCKED, f.service.requestCode(o.id(), who).refusal(), "no new code either");
            assertTrue(f.actions(o.id()).contains("token.pin.locked"));

            refused(Kind.INVALID, () -> f.service.unlockPin(o.id(), " ", "api:support"));
            TokenDelivery reopened = f.service.unlockPin(o.id(), "holder identified by phone", "api:support");
            assertEquals(PinCustody.HELD, reopened.pin());
            refused(Kind.CONFLICT, () -> f.service.unlockPin(o.id(), "again", "api:support"));
            refused(Kind.NOT_FOUND, () -> f.service.unlockPin("ord_nope", "x", "api:support"));
            assertTrue(f.details(o.id()).contains("holder identified by phone"));

            // a code expires
            f.service.requestCode(o.id(), who);
            String expiring = f.lastCode();
            f.clock.advance(Duration.ofMinutes(11));
            assertEquals(Refusal.CODE_EXPIRED, f.service.reveal(o.id(), expiring, who).refusal());
            // at most codesPerHour codes in an hour (2 sent so far)
            for (int i = 0; i < 3; i++) {
                assertTrue(f.service.requestCode(o.id(), who).ok());
            }
            assertEquals(Refusal.TOO_MANY_CODES, f.service.requestCode(o.id(), who).refusal());
            assertEquals("8642", f.service.reveal(o.id(), f.lastCode(), who).pin());
            assertEquals(List.of("token.pin.unlocked"), f.actions(o.id()).stream()
                    .filter(x -> x.equals("token.pin.unlocked")).toList());
        }
    }

    @ParameterizedTest
    @MethodSource("products")
    void activationNeedsTheCertificateManagersLiveLinkAndTheRevealedPin(String product) {
        try (Fixture f = new Fixture(product, dir)) {
            Order o = f.inIssuance(Medium.USB_A);
            Station a = new Station("ACT-1");
            f.provisioned(o.id(), a, "1470");
            String cm = f.statusLink(o.id(), OrderRole.CERTIFICATE_MANAGER);
            String lr = f.statusLink(o.id(), OrderRole.LEGAL_REPRESENTATIVE);
            assertEquals(o.id(), f.service.orderOfLink(cm));
            assertEquals(o.id(), f.service.orderOfLink(cm.substring(cm.lastIndexOf('/') + 1)), "the token alone");
            refused(Kind.CONFLICT, () -> f.service.orderOfLink(lr));
            assertTrue(assertThrows(DeliveryException.class, () -> f.service.orderOfLink(lr))
                    instanceof TokenDeliveryService.Forbidden);
            refused(Kind.NOT_FOUND, () -> f.service.orderOfLink("http://localhost:8080/order/status/"
                    + "A".repeat(43)));
            refused(Kind.NOT_FOUND, () -> f.service.orderOfLink("nonsense"));
            DeliveryException before = refused(Kind.CONFLICT, () -> f.service.activate(o.id(), a.serial, "person"));
            assertTrue(before.getMessage().contains("not been retrieved"), before.getMessage());

            f.letters.deliver(o.id());
            f.service.requestCode(o.id(), "person");
            f.service.reveal(o.id(), f.lastCode(), "person");
            DeliveryException wrongSerial = refused(Kind.CONFLICT, () -> f.service.activate(o.id(), "NOT-IT",
                    "person"));
            assertTrue(wrongSerial.getMessage().contains("NOT-IT"));
            assertEquals(OrderState.DELIVERY, f.order(o.id()).state());

            f.clock.advance(Duration.ofDays(31));
            assertTrue(assertThrows(DeliveryException.class, () -> f.service.orderOfLink(cm))
                    instanceof TokenDeliveryService.Gone, "an expired link");
            assertEquals(Stage.ACTIVATED, f.service.activate(o.id(), null, "person").stage());
            assertEquals(OrderState.ACTIVE, f.order(o.id()).state());
        }
    }

    @ParameterizedTest
    @MethodSource("products")
    void aCheckThatCouldNotBeToldIsToldLater(String product) {
        try (Fixture f = new Fixture(product, dir)) {
            Order o = f.inIssuance(Medium.USB_A);
            Station a = new Station("LATE-1");
            f.keyGenerated(o.id(), a, "1111");
            f.service.csr(o.id(), a.serial, a.csr(), OP);
            // the provisioning recorded while the orders' report fails: the job tells it afterwards
            f.db.database().inTransaction(c -> {
                try (PreparedStatement ps = c.prepareStatement("UPDATE token_delivery SET stage = 'PROVISIONED',"
                        + " provisioned_reported = FALSE WHERE order_id = ?")) {
                    ps.setString(1, o.id());
                    return ps.executeUpdate();
                }
            });
            assertEquals(OrderState.ISSUANCE, f.order(o.id()).state());
            assertEquals(1, f.service.reportDue(null));
            assertEquals(OrderState.DELIVERY, f.order(o.id()).state());
            assertEquals(0, f.service.reportDue(null), "told once");
        }
    }
}
