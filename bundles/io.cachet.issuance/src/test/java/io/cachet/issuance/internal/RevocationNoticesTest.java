package io.cachet.issuance.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.util.concurrent.atomic.AtomicReference;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.cachet.api.ca.IssuedCertificate;
import io.cachet.api.ca.RevocationReason;
import io.cachet.api.notify.Channel;
import io.cachet.api.notify.Notification;
import io.cachet.api.order.Medium;
import io.cachet.api.order.Order;
import io.cachet.api.order.Person;
import io.cachet.store.testing.TestDatabases;
import io.cachet.web.testing.RecordingNotifier;
import io.cachet.web.testing.TestEmails;

/**
 * The people of an order are told of its certificate's revocation, on the real CA, order service and database (H2 and
 * PostgreSQL): whoever revoked it (the console's path, the CA's API), in the revocation's transaction, once per person,
 * in the order's language; a notifier that fails leaves the revocation standing; while the order service is away,
 * the revocation is queued with it and told once the service is back.
 */
class RevocationNoticesTest {

    static final Person JEAN = new Person("Jean", "Dupont", LocalDate.parse("1960-03-01"), "jean@example.org",
            "+33698765402");

    @TempDir
    Path dir;

    static Stream<String> products() {
        return TestDatabases.products();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("products")
    void bothPeopleAreToldOnceInTheRevocationsTransactionWhoeverRevoked(String product) throws Exception {
        try (IssuanceFixture f = new IssuanceFixture(product, dir)) {
            RecordingNotifier notifier = new RecordingNotifier(() -> f.db.database().inTransactionNow());
            f.revocationListeners.add(new RevocationNotices(f.db.database(), f.service::orderOf, () -> f.orders, notifier,
                    Clock.systemUTC()));

            // the console's path: an operator revokes the order's certificate
            Order cloud = f.inIssuance(Medium.CLOUD, JEAN);
            assertTrue(f.service.runDue());
            IssuedCertificate c = f.service.revoke(cloud.id(), RevocationReason.KEY_COMPROMISE, "operator:olga");
            assertEquals(List.of("anna@example.org", "jean@example.org"), notifier.sent.stream()
                    .map(Notification::recipient).toList(), "the certificate manager, then the legal representative");
            assertEquals(List.of(true, true), notifier.inTransaction, "queued in the revocation's transaction");
            Notification n = notifier.sent.get(0);
            assertEquals(Channel.EMAIL, n.channel());
            assertEquals(RevocationNotices.TEMPLATE, n.template());
            assertEquals("en", n.language());
            assertEquals(cloud.brand(), n.brand());
            assertEquals("issuance:" + cloud.id() + ":revoked:" + c.serialHex() + ":anna@example.org",
                    n.idempotencyKey());
            String en = TestEmails.render(new IssuanceTemplates(), n);
            assertTrue(en.startsWith("Subject: Cachet: seal certificate of ACME SAS revoked\n"), en);
            assertTrue(en.contains("Hello Anna Maria Eriksson,"), en);
            assertTrue(en.contains("(order " + cloud.id() + ", serial " + c.serialHex() + ") was revoked on "
                    + io.cachet.api.web.Pages.time(c.revocation().orElseThrow().time()) + ": its key is compromised."),
                    en);
            assertTrue(en.contains("its key in your customer space no longer seals"), en);
            String fr = TestEmails.render(new IssuanceTemplates(), notifier.sent.get(1), "fr");
            assertTrue(fr.startsWith("Subject: Cachet : certificat de cachet de ACME SAS révoqué\n"), fr);
            assertTrue(fr.contains("Bonjour Jean Dupont,") && fr.contains(" : sa clé est compromise."), fr);

            // the CA's own API (no order service in between), for a token order whose manager is also its
            // representative: one e-mail, without the cloud sentence
            notifier.sent.clear();
            Order token = f.inIssuance(Medium.USB_A);
            IssuedCertificate t = f.service.issue(token.id(), IssuanceServiceTest.csr("secp256r1"), "api:test");
            f.ca.revoke(t.serial(), RevocationReason.CESSATION_OF_OPERATION, "api:bob");
            assertEquals(List.of("anna@example.org"), notifier.sent.stream().map(Notification::recipient).toList());
            String tokenMail = TestEmails.render(new IssuanceTemplates(), notifier.sent.get(0));
            assertTrue(tokenMail.contains(": it is no longer used.") && !tokenMail.contains("customer space"),
                    tokenMail);

            // a discarded token (replaced before it was sent, or its letter lost): its holder never had it, and the
            // token delivery tells of a lost letter itself; the next revocation on this thread is told again
            notifier.sent.clear();
            Order replaced = f.inIssuance(Medium.USB_C);
            IssuedCertificate r = f.service.issue(replaced.id(), IssuanceServiceTest.csr("secp256r1"), "api:test");
            f.service.discard(replaced.id(), RevocationReason.CESSATION_OF_OPERATION, "api:operator");
            assertTrue(f.ca.status(r.serial()).orElseThrow().revoked(), "the discard revoked it");
            assertEquals(List.of(), notifier.sent);
            Order next = f.inIssuance(Medium.USB_A);
            IssuedCertificate n2 = f.service.issue(next.id(), IssuanceServiceTest.csr("secp256r1"), "api:test");
            f.ca.revoke(n2.serial(), RevocationReason.SUPERSEDED, "api:bob");
            assertEquals(List.of("anna@example.org"), notifier.sent.stream().map(Notification::recipient).toList());

            // a certificate issued for no order: nobody to tell
            notifier.sent.clear();
            new RevocationNotices(f.db.database(), f.service::orderOf, () -> f.orders, notifier,
                    Clock.systemUTC()).revoked(new IssuedCertificate(
                    BigInteger.valueOf(0x1234), c.certificate(), c.revocation()), "api:bob");
            assertEquals(List.of(), notifier.sent);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("products")
    void aNotifierThatFailsLeavesTheRevocationStanding(String product) throws Exception {
        try (IssuanceFixture f = new IssuanceFixture(product, dir)) {
            RecordingNotifier notifier = new RecordingNotifier();
            notifier.down = true;
            f.revocationListeners.add(new RevocationNotices(f.db.database(), f.service::orderOf, () -> f.orders, notifier,
                    Clock.systemUTC()));
            Order o = f.inIssuance(Medium.CLOUD);
            assertTrue(f.service.runDue());
            IssuedCertificate c = f.service.revoke(o.id(), RevocationReason.SUPERSEDED, "operator:olga");
            assertTrue(c.revoked());
            assertTrue(f.ca.status(c.serial()).orElseThrow().revoked());
            assertEquals(List.of(), notifier.sent);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("products")
    void aRevocationWhileTheOrderServiceIsAwayIsToldOnceItIsBack(String product) throws Exception {
        try (IssuanceFixture f = new IssuanceFixture(product, dir)) {
            RecordingNotifier notifier = new RecordingNotifier(() -> f.db.database().inTransactionNow());
            AtomicReference<io.cachet.api.order.Orders> orders = new AtomicReference<>(f.orders);
            RevocationNotices notices = new RevocationNotices(f.db.database(), f.service::orderOf, orders::get,
                    notifier, Clock.systemUTC());
            f.revocationListeners.add(notices);
            Order o = f.inIssuance(Medium.CLOUD, JEAN);
            assertTrue(f.service.runDue());
            IssuedCertificate issued = f.service.find(o.id()).orElseThrow();

            // the order service goes away; the CA's own API revokes (it needs no order service)
            orders.set(null);
            IssuedCertificate c = f.ca.revoke(issued.serial(), RevocationReason.KEY_COMPROMISE, "api:bob");
            assertTrue(f.ca.status(c.serial()).orElseThrow().revoked());
            assertEquals(List.of(), notifier.sent, "nobody is known to tell yet");
            assertEquals(0, notices.tellQueued(50), "still away: the revocation stays queued");

            // back: both people are told once, with the revocation's own time and reason
            orders.set(f.orders);
            assertEquals(1, notices.tellQueued(50));
            assertEquals(List.of("anna@example.org", "jean@example.org"), notifier.sent.stream()
                    .map(Notification::recipient).toList());
            assertEquals(List.of(true, true), notifier.inTransaction, "queued with the queue row's removal");
            assertEquals("issuance:" + o.id() + ":revoked:" + c.serialHex() + ":anna@example.org",
                    notifier.sent.get(0).idempotencyKey());
            String en = TestEmails.render(new IssuanceTemplates(), notifier.sent.get(0));
            assertTrue(en.contains("(order " + o.id() + ", serial " + c.serialHex() + ") was revoked on "
                    + io.cachet.api.web.Pages.time(c.revocation().orElseThrow().time()) + ": its key is compromised."),
                    en);
            assertEquals(0, notices.tellQueued(50), "told once");
            assertEquals(2, notifier.sent.size());
        }
    }
}
