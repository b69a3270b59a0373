package io.cachet.delivery.token.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.cachet.api.audit.AuditRecord;
import io.cachet.api.ca.IssuedCertificate;
import io.cachet.api.ca.RevocationReason;
import io.cachet.api.delivery.DeliveryException;
import io.cachet.api.delivery.TokenDelivery.PinCustody;
import io.cachet.api.delivery.TokenDelivery.Stage;
import io.cachet.api.notify.Notification;
import io.cachet.api.order.Medium;
import io.cachet.api.order.Order;
import io.cachet.delivery.token.internal.Fixture.Station;
import io.cachet.delivery.token.internal.HolderRevocations.Outcome;
import io.cachet.delivery.token.internal.HolderRevocations.Refusal;
import io.cachet.store.testing.TestDatabases;

/**
 * The certificate manager revoking their token's certificate with an SMS code, on H2 and PostgreSQL with the real
 * CA: when it is offered, the code's tries and limits, what a refusal leaves (nothing), what the revocation does.
 */
class HolderRevocationsTest {

    private static final String CM = TokenPinServlet.ACTOR;

    @TempDir
    Path dir;

    static List<String> products() {
        return TestDatabases.products().toList();
    }

    /** An order whose token was provisioned and its letter delivered (the PIN still held). */
    private static Order delivered(Fixture f, String serial) {
        Order o = f.inIssuance(Medium.USB_A);
        f.provisioned(o.id(), new Station(serial), "5309");
        f.letters.deliver(o.id());
        return o;
    }

    private static String otherThan(String code) {
        return String.format("%06d", (Integer.parseInt(code) + 1) % 1_000_000);
    }

    private static IssuedCertificate atTheCa(Fixture f, String orderId) {
        return f.ca.find(f.certificates.issued.get(orderId)).orElseThrow();
    }

    @ParameterizedTest
    @MethodSource("products")
    void theManagerRevokesALostTokenWithAnSmsCodeAndItsHeldPinIsErased(String product) throws Exception {
        try (Fixture f = new Fixture(product, dir)) {
            Order o = delivered(f, "LOST-1");
            HolderRevocations.View before = f.revocations.view(o.id()).orElseThrow();
            assertTrue(before.revocable(), "a delivered token's certificate may be revoked by its holder");
            assertFalse(before.codeOpen());
            assertEquals("+33 6 •• •• •• 78", before.maskedMobile());

            // a form's mistakes before any code: nothing sent, nothing counted, no code row made
            assertEquals(Refusal.NO_CODE, f.revocations.revoke(o.id(), "123456", "keyCompromise", true, CM)
                    .refusal());
            Outcome noReason = f.revocations.revoke(o.id(), "123456", null, true, CM);
            assertEquals(Refusal.NO_REASON, noReason.refusal());
            assertEquals(3, noReason.triesLeft());
            long codeRows = f.db.database().inTransaction(c -> {
                try (java.sql.Statement st = c.createStatement();
                        java.sql.ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM token_revocation_code")) {
                    rs.next();
                    return rs.getLong(1);
                }
            });
            assertEquals(0, codeRows, "a refused form makes no code row");

            Outcome sent = f.revocations.requestCode(o.id(), CM);
            assertTrue(sent.ok());
            assertEquals(3, sent.triesLeft());
            List<Notification> sms = f.notifier.of("tokendelivery.revoke.code");
            assertEquals(1, sms.size());
            assertEquals(Fixture.ANNA.mobile(), sms.get(0).recipient());
            String code = f.lastRevocationCode();
            assertTrue(code.matches("[0-9]{6}"), code);
            assertEquals(atTheCa(f, o.id()).serialHex(), sms.get(0).model().get("serial"));

            // the PIN's code is another code: it does not open a revocation, and a wrong code counts
            f.service.requestCode(o.id(), CM);
            String pinCode = f.lastCode();
            Outcome wrong = f.revocations.revoke(o.id(), pinCode.equals(code) ? otherThan(code) : pinCode,
                    "keyCompromise", true, CM);
            assertEquals(Refusal.WRONG_CODE, wrong.refusal());
            assertEquals(2, wrong.triesLeft());

            // no reason, a reason that is not a subscriber's, no confirmation: refused before the code, no try spent
            assertEquals(Refusal.NO_REASON, f.revocations.revoke(o.id(), code, null, true, CM).refusal());
            assertEquals(Refusal.NO_REASON, f.revocations.revoke(o.id(), code, "cACompromise", true, CM).refusal());
            assertEquals(Refusal.NO_REASON, f.revocations.revoke(o.id(), code, "privilegeWithdrawn", true, CM)
                    .refusal());
            assertEquals(Refusal.NOT_CONFIRMED, f.revocations.revoke(o.id(), code, "keyCompromise", false, CM)
                    .refusal());
            assertEquals(2, f.revocations.view(o.id()).orElseThrow().triesLeft());

            // the CA away: nothing changes and the code stays open for another try
            f.certificates.down = true;
            DeliveryException away = assertThrows(DeliveryException.class,
                    () -> f.revocations.revoke(o.id(), code, "keyCompromise", true, CM));
            assertEquals(DeliveryException.Kind.UNAVAILABLE, away.kind());
            f.certificates.down = false;
            assertFalse(atTheCa(f, o.id()).revoked());
            assertTrue(f.revocations.view(o.id()).orElseThrow().codeOpen());

            Outcome done = f.revocations.revoke(o.id(), " " + code.substring(0, 3) + " " + code.substring(3),
                    "keyCompromise", true, CM);
            assertTrue(done.ok(), String.valueOf(done.refusal()));
            assertEquals(RevocationReason.KEY_COMPROMISE, done.revoked().revocation().orElseThrow().reason());
            IssuedCertificate revoked = atTheCa(f, o.id());
            assertTrue(revoked.revoked(), "the CA's record says revoked");
            assertEquals(RevocationReason.KEY_COMPROMISE, revoked.revocation().orElseThrow().reason());

            // the held PIN is erased: it opened a token whose certificate no longer counts
            assertNull(f.pinCiphertext(o.id()));
            assertEquals(PinCustody.NONE, f.service.find(o.id()).orElseThrow().pin());
            assertEquals(TokenDeliveryService.Refusal.NO_PIN, f.service.reveal(o.id(), pinCode, CM).refusal());

            HolderRevocations.View after = f.revocations.view(o.id()).orElseThrow();
            assertFalse(after.revocable());
            assertFalse(after.codeOpen(), "the code is closed");
            assertEquals(Refusal.ALREADY_REVOKED, f.revocations.requestCode(o.id(), CM).refusal());
            assertEquals(Refusal.ALREADY_REVOKED, f.revocations.revoke(o.id(), code, "keyCompromise", true, CM)
                    .refusal());
            assertEquals(1, f.notifier.of("tokendelivery.revoke.code").size(), "no code for a revoked certificate");

            List<String> actions = f.actions(o.id());
            for (String a : List.of("token.revoke.refused", "token.revoke.code.sent", "token.revoke.code.wrong",
                    "token.pin.erased", "token.revoked")) {
                assertTrue(actions.contains(a), a + " in " + actions);
            }
            assertTrue(f.records(o.id()).stream().map(AuditRecord::actor).allMatch(a -> !a.isBlank()));
            String details = f.details(o.id());
            assertTrue(details.contains("reason=keyCompromise; by the certificate manager"), details);
            assertFalse(details.contains(code), "the code is never in the audit log");
            // the CA recorded the revocation with the holder as its actor
            assertTrue(f.audit.read(1, 100_000).stream().anyMatch(r -> r.actor().equals(CM)
                    && r.action().equals("ca.certificate.revoked")),
                    "the CA's own record of the revocation names the certificate manager");
        }
    }

    @ParameterizedTest
    @MethodSource("products")
    void wrongCodesLockItExpiredCodesAreRefusedAndCodesAreLimitedPerHour(String product) throws Exception {
        try (Fixture f = new Fixture(product, dir)) {
            // an activated token (the PIN revealed, the holder's own set)
            Order o = delivered(f, "LOCK-1");
            f.service.requestCode(o.id(), CM);
            f.service.reveal(o.id(), f.lastCode(), CM);
            f.service.activate(o.id(), null, CM);
            assertEquals(Stage.ACTIVATED, f.service.find(o.id()).orElseThrow().stage());
            assertTrue(f.revocations.view(o.id()).orElseThrow().revocable());

            f.revocations.requestCode(o.id(), CM);
            String code = f.lastRevocationCode();
            f.clock.advance(Duration.ofMinutes(11));
            assertEquals(Refusal.CODE_EXPIRED, f.revocations.revoke(o.id(), code, "superseded", true, CM).refusal());

            f.revocations.requestCode(o.id(), CM);
            code = f.lastRevocationCode();
            Outcome last = null;
            for (int i = 0; i < 3; i++) {
                last = f.revocations.revoke(o.id(), otherThan(code), "superseded", true, CM);
            }
            assertEquals(Refusal.LOCKED, last.refusal());
            assertEquals(Refusal.LOCKED, f.revocations.revoke(o.id(), code, "superseded", true, CM).refusal(),
                    "locked: even the right code no longer revokes");
            assertEquals(Refusal.LOCKED, f.revocations.requestCode(o.id(), CM).refusal());
            assertTrue(f.revocations.view(o.id()).orElseThrow().locked());
            assertFalse(atTheCa(f, o.id()).revoked(), "support revokes from now on");
            assertTrue(f.actions(o.id()).contains("token.revoke.locked"));

            // the codes of an order in an hour, PIN and revocation together
            Order other = delivered(f, "RATE-1");
            f.service.requestCode(other.id(), CM);
            for (int i = 1; i < f.settings.get().codesPerHour(); i++) {
                assertTrue(f.revocations.requestCode(other.id(), CM).ok());
            }
            assertEquals(Refusal.TOO_MANY_CODES, f.revocations.requestCode(other.id(), CM).refusal());
            f.clock.advance(Duration.ofMinutes(61));
            assertTrue(f.revocations.requestCode(other.id(), CM).ok());
            // a new code does not give back tries
            f.revocations.revoke(other.id(), otherThan(f.lastRevocationCode()), "unspecified", true, CM);
            f.revocations.requestCode(other.id(), CM);
            assertEquals(2, f.revocations.view(other.id()).orElseThrow().triesLeft());
            assertTrue(f.revocations.revoke(other.id(), f.lastRevocationCode(), "unspecified", true, CM).ok());
        }
    }

    @ParameterizedTest
    @MethodSource("products")
    void nothingIsOfferedBeforeTheTokenLeavesProvisioningNorForACloudOrder(String product) throws Exception {
        try (Fixture f = new Fixture(product, dir)) {
            Order o = f.inIssuance(Medium.USB_C);
            f.keyGenerated(o.id(), new Station("EARLY-1"), "1234");
            assertFalse(f.revocations.view(o.id()).orElseThrow().revocable());
            assertEquals(Refusal.NOT_REVOCABLE, f.revocations.requestCode(o.id(), CM).refusal());
            assertEquals(Refusal.NOT_REVOCABLE, f.revocations.revoke(o.id(), "123456", "keyCompromise", true, CM)
                    .refusal());
            assertTrue(f.notifier.of("tokendelivery.revoke.code").isEmpty());
            assertTrue(f.revocations.view(f.inIssuance(Medium.CLOUD).id()).isEmpty());

            // the issuance module away: nothing is read or sent, "try again later"
            Order d = delivered(f, "AWAY-1");
            HolderRevocations away = new HolderRevocations(f.db.database(), f.audit, f.service, () -> null,
                    f.notifier, f.clock, new SecureRandom());
            assertEquals(DeliveryException.Kind.UNAVAILABLE, assertThrows(DeliveryException.class,
                    () -> away.requestCode(d.id(), CM)).kind());
            assertEquals(DeliveryException.Kind.UNAVAILABLE, assertThrows(DeliveryException.class,
                    () -> away.revoke(d.id(), "123456", "keyCompromise", true, CM)).kind());
            assertTrue(f.notifier.of("tokendelivery.revoke.code").isEmpty());
        }
    }
}
