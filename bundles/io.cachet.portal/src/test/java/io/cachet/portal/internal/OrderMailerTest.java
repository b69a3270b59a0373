package io.cachet.portal.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.cachet.api.link.PersonalLinks.Outcome;
import io.cachet.api.notify.Notification;
import io.cachet.api.order.Order;
import io.cachet.api.order.OrderEvent;
import io.cachet.api.order.OrderRole;
import io.cachet.api.order.OrderState;
import io.cachet.api.order.StatusAction;
import io.cachet.audit.launch.AuditLogs;
import io.cachet.store.testing.TestDatabases;
import io.cachet.web.testing.RecordingNotifier;
import io.cachet.web.testing.TestEmails;

/**
 * The listener on the real link store (H2 and PostgreSQL): links issued and e-mails queued at submission, once;
 * revoked and told at cancellation, rejection and expiry. The notifier here only records what it is asked to queue
 * (the real one, in the framework, is proven by PortalIT); the e-mails are rendered from the portal's templates as
 * the notifier renders them.
 */
class OrderMailerTest {

    @TempDir
    Path dir;

    static List<String> products() {
        return TestDatabases.products().toList();
    }

    /** The mailer on the real link store of {@code db}, links starting with {@code base}, e-mails recorded. */
    record Mailing(LinkStore links, RecordingNotifier notifier, OrderMailer mailer) {
    }

    static Mailing mailing(TestDatabases.Handle db, String base) {
        LinkStore.migrate(db.database());
        LinkStore links = new LinkStore(db.database(), AuditLogs.open(db.database(), List.of()), Clock.systemUTC(),
                new SecureRandom(), base, id -> false);
        RecordingNotifier notifier = new RecordingNotifier();
        return new Mailing(links, notifier, new OrderMailer(links, notifier, Duration.ofDays(30)));
    }

    static OrderEvent event(Order o, long seq, OrderState from, OrderState to, String actor) {
        return new OrderEvent(o.id(), seq, Instant.now(), from, to, actor, "");
    }

    @ParameterizedTest
    @MethodSource("products")
    void eachPersonGetsOneLinkAtSubmissionAndLosesItWhenTheOrderIsCancelled(String product) {
        try (TestDatabases.Handle db = TestDatabases.open(product, dir)) {
            Mailing m = mailing(db, "http://localhost:8080");
            LinkStore links = m.links();
            RecordingNotifier notifier = m.notifier();
            OrderMailer mailer = m.mailer();
            Order submitted = Orders4Test.order("ord_m1", OrderState.SUBMITTED, false, List.of(), null);
            Order verifying = Orders4Test.order("ord_m1", OrderState.VERIFICATION, false, List.of(), null);
            db.database().inTransaction(c -> {
                mailer.transitioned(event(submitted, 1, null, OrderState.SUBMITTED, "customer"), submitted);
                mailer.transitioned(event(verifying, 2, OrderState.SUBMITTED, OrderState.VERIFICATION, "customer"),
                        verifying);
                return null;
            });
            assertEquals(2, notifier.sent.size(), "one e-mail per person, once");
            Notification toAnna = notifier.sent.get(0);
            assertEquals("anna@example.org", toAnna.recipient());
            assertEquals("portal.order.submitted", toAnna.template());
            assertEquals("en", toAnna.language());
            assertEquals("default", toAnna.brand());
            assertEquals("bob@example.org", notifier.sent.get(1).recipient());
            String url = (String) toAnna.model().get("link");
            assertTrue(url.startsWith("http://localhost:8080/order/status/"), url);
            var opened = links.open(url.substring(url.lastIndexOf('/') + 1), StatusAction.STATUS_LINK_PURPOSE);
            assertEquals(Outcome.VALID, opened.outcome());
            assertEquals(OrderRole.CERTIFICATE_MANAGER, opened.link().role());

            Order cancelled = Orders4Test.order("ord_m1", OrderState.CANCELLED, false, List.of(), "changed our mind");
            db.database().inTransaction(c -> {
                mailer.transitioned(event(cancelled, 3, OrderState.VERIFICATION, OrderState.CANCELLED, "customer"),
                        cancelled);
                return null;
            });
            assertEquals(Outcome.REVOKED,
                    links.open(url.substring(url.lastIndexOf('/') + 1), StatusAction.STATUS_LINK_PURPOSE).outcome());
            assertEquals(List.of("portal.order.cancelled", "portal.order.cancelled"),
                    notifier.sent.subList(2, 4).stream().map(Notification::template).toList());
            assertEquals("changed our mind", notifier.sent.get(2).model().get("reason"));
        }
    }

    @ParameterizedTest
    @MethodSource("products")
    void onePersonInBothRolesGetsOneLinkAndARejectionCarriesItsReason(String product) {
        try (TestDatabases.Handle db = TestDatabases.open(product, dir)) {
            Mailing m = mailing(db, "https://cachet.example");
            LinkStore links = m.links();
            RecordingNotifier notifier = m.notifier();
            OrderMailer mailer = m.mailer();
            Order submitted = Orders4Test.order("ord_m2", OrderState.SUBMITTED, true, List.of(), null);
            mailer.transitioned(event(submitted, 1, null, OrderState.SUBMITTED, "customer"), submitted);
            assertEquals(1, notifier.sent.size());
            assertEquals(true, notifier.sent.get(0).model().get("both"));
            assertEquals(1, links.links("ord_m2").size());

            Order rejected = Orders4Test.order("ord_m2", OrderState.REJECTED, true, List.of(), "Registry extract too old");
            mailer.transitioned(event(rejected, 3, OrderState.VERIFICATION, OrderState.REJECTED, "operator:alice"),
                    rejected);
            assertEquals("portal.order.rejected", notifier.sent.get(1).template());
            assertEquals("Registry extract too old", notifier.sent.get(1).model().get("reason"));
            assertTrue(links.links("ord_m2").stream().allMatch(l -> l.revokedAt() != null));
        }
    }

    @ParameterizedTest
    @MethodSource("products")
    void anExpiredOrderRevokesTheLinksAndTellsEachPersonAndEveryEmailRendersInBothLanguages(String product)
            throws Exception {
        try (TestDatabases.Handle db = TestDatabases.open(product, dir)) {
            Mailing m = mailing(db, "https://cachet.example");
            LinkStore links = m.links();
            RecordingNotifier notifier = m.notifier();
            OrderMailer mailer = m.mailer();
            Order submitted = Orders4Test.order("ord_m3", OrderState.SUBMITTED, false, List.of(), null);
            mailer.transitioned(event(submitted, 1, null, OrderState.SUBMITTED, "customer"), submitted);
            Order expired = Orders4Test.order("ord_m3", OrderState.EXPIRED, false, List.of(),
                    "Not completed within 30 days.");
            mailer.transitioned(event(expired, 3, OrderState.ACCEPTANCE, OrderState.EXPIRED, "system"), expired);
            assertTrue(links.links("ord_m3").stream().allMatch(l -> l.revokedAt() != null), "links revoked");
            List<Notification> told = notifier.sent.subList(2, notifier.sent.size());
            assertEquals(List.of("anna@example.org", "bob@example.org"), told.stream().map(Notification::recipient)
                    .toList(), "each person told once");
            assertEquals(List.of("portal.order.expired", "portal.order.expired"), told.stream()
                    .map(Notification::template).toList());

            PortalTemplates templates = new PortalTemplates();
            String en = TestEmails.render(templates, told.get(0), "en");
            assertTrue(en.startsWith("Subject: Cachet: order ord_m3 expired\n"), en);
            assertTrue(en.contains("Hello Anna Maria Eriksson,"), en);
            assertTrue(en.contains("To get your seal, place a new order."), en);
            String fr = TestEmails.render(templates, told.get(1), "fr");
            assertTrue(fr.startsWith("Subject: Cachet : commande ord_m3 expirée\n"), fr);
            assertTrue(fr.contains("passez une nouvelle\ncommande"), fr);

            // the others too, each in both languages, with the model the mailer gives them
            Order cancelled = Orders4Test.order("ord_m3", OrderState.CANCELLED, false, List.of(), "changed our mind");
            Order rejected = Orders4Test.order("ord_m3", OrderState.REJECTED, false, List.of(), "Extract too old");
            mailer.transitioned(event(cancelled, 4, OrderState.VERIFICATION, OrderState.CANCELLED, "c"), cancelled);
            mailer.transitioned(event(rejected, 5, OrderState.VERIFICATION, OrderState.REJECTED, "o"), rejected);
            for (Notification n : notifier.sent) {
                for (String language : List.of("fr", "en")) {
                    String text = TestEmails.render(templates, n, language);
                    assertTrue(text.startsWith("Subject: Cachet") && text.contains("ord_m3"), text);
                }
            }
            assertTrue(TestEmails.render(templates, notifier.sent.get(0), "fr").contains(
                    (String) notifier.sent.get(0).model().get("link")), "the submitted e-mail carries its link");
        }
    }
}
