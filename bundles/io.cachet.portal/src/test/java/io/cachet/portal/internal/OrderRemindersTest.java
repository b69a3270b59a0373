package io.cachet.portal.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.cachet.api.audit.AuditRecord;
import io.cachet.api.link.PersonalLinks.Outcome;
import io.cachet.api.notify.Notification;
import io.cachet.api.order.Order;
import io.cachet.api.order.StatusAction;
import io.cachet.store.testing.TestDatabases;
import io.cachet.web.testing.TestEmails;

/**
 * The reminder before expiry on the real order service and link store (H2 and PostgreSQL): who is reminded, when,
 * once (two nodes sweeping at once included), and that an order whose reminder cannot be queued changes nothing and
 * does not hold up the others. The notifier records what it is asked to queue (the real one is proven by PortalIT).
 */
class OrderRemindersTest {

    static final Instant T0 = OrdersFixture.T0;

    @TempDir
    Path dir;

    static List<String> products() {
        return TestDatabases.products().toList();
    }

    static OrderReminders reminders(OrdersFixture f, Integer... days) {
        return new OrderReminders(f.db.database(), f.orders, f.mailer, f.audit, f.clock, List.of(days));
    }

    static List<AuditRecord> reminded(OrdersFixture f) {
        return f.audit.read(1, 10_000).stream().filter(r -> r.action().equals("portal.order.reminded")).toList();
    }

    @ParameterizedTest
    @MethodSource("products")
    void eachPersonOfAnOpenOrderIsRemindedOnceWithAFreshLinkWhenItsDeadlineIsNear(String product) throws Exception {
        try (OrdersFixture f = new OrdersFixture(dir, product, Duration.ofDays(30))) {
            Order due = f.submit("ACME SAS", false);
            String annasFirst = f.tokenOf("portal.order.submitted", "anna@example.org");
            Order cancelled = f.submit("Gone SAS", true);
            f.orders.cancel(cancelled.id(), "customer", "changed our mind", true);
            f.clock.set(T0.plus(Duration.ofDays(10)));
            Order later = f.submit("Later SAS", true);
            OrderReminders reminders = reminders(f, 7);

            f.clock.set(T0.plus(Duration.ofDays(22)));
            assertEquals(0, reminders.remindDue(), "8 days before the deadline: not yet");

            f.clock.set(T0.plus(Duration.ofDays(23)).plusSeconds(1));
            assertEquals(1, reminders.remindDue());
            List<Notification> told = f.notifier.of("portal.order.reminder");
            assertEquals(List.of("anna@example.org", "bob@example.org"), told.stream().map(Notification::recipient)
                    .toList(), "each person of the due order, and nobody else");
            assertTrue(told.stream().allMatch(n -> n.model().get("orderId").equals(due.id())));
            assertEquals("2027-01-01 10:00 UTC", told.get(0).model().get("deadline"));
            assertEquals("portal:" + due.id() + ":reminder:7d:certificate-manager", told.get(0).idempotencyKey());
            assertEquals(Outcome.VALID, f.links.open(f.tokenOf("portal.order.reminder", "anna@example.org"),
                    StatusAction.STATUS_LINK_PURPOSE).outcome(), "the reminder's link opens the status page");
            assertEquals(Outcome.REVOKED, f.links.open(annasFirst, StatusAction.STATUS_LINK_PURPOSE).outcome(),
                    "and replaces the one of the submission (whose page offers a fresh one)");
            assertEquals(1, reminded(f).size());
            assertEquals("order:" + due.id(), reminded(f).get(0).subject());

            assertEquals(0, reminders.remindDue(), "once per order");
            assertEquals(2, f.notifier.of("portal.order.reminder").size());

            f.clock.set(T0.plus(Duration.ofDays(33)).plusSeconds(1));
            assertEquals(1, reminders.remindDue(), "the later order in its turn");
            assertEquals(later.id(), f.notifier.of("portal.order.reminder").get(2).model().get("orderId"));
            assertEquals(3, f.notifier.of("portal.order.reminder").size(), "one person holds both roles");
            assertEquals(true, f.notifier.of("portal.order.reminder").get(2).model().get("both"));
            assertEquals(0, f.notifier.of("portal.order.reminder").stream()
                    .filter(n -> n.model().get("orderId").equals(cancelled.id())).count(), "an ended order is not");
            assertEquals(0, reminders(f).remindDue(), "no threshold: no reminder");
        }
    }

    @ParameterizedTest
    @MethodSource("products")
    void eachThresholdRemindsOnceAndAnOrderFirstSeenPastSeveralGetsOneReminder(String product) throws Exception {
        try (OrdersFixture f = new OrdersFixture(dir, product, Duration.ofDays(30))) {
            Order early = f.submit("Early SAS", true);
            OrderReminders reminders = reminders(f, 1, 7);

            f.clock.set(T0.plus(Duration.ofDays(24)));
            assertEquals(1, reminders.remindDue(), "6 days before: the 7-day reminder");
            assertEquals(0, reminders.remindDue());
            f.clock.set(T0.plus(Duration.ofDays(28)).plusSeconds(1));
            assertEquals(0, reminders.remindDue(), "2 days before: nothing more yet");
            f.clock.set(T0.plus(Duration.ofDays(29)).plusSeconds(1));
            assertEquals(1, reminders.remindDue(), "a day before: the 1-day reminder");
            assertEquals(0, reminders.remindDue(), "once each");
            List<Notification> told = f.notifier.of("portal.order.reminder");
            assertEquals(List.of("portal:" + early.id() + ":reminder:7d:certificate-manager",
                    "portal:" + early.id() + ":reminder:1d:certificate-manager"), told.stream()
                    .map(Notification::idempotencyKey).toList(), "two e-mails the notifier does not fold into one");
            assertEquals(2, reminded(f).size());

            // a node that was down sees an order only hours before its deadline: one reminder, then none
            f.clock.set(T0.plus(Duration.ofDays(10)));
            Order late = f.submit("Late SAS", true);
            f.clock.set(T0.plus(Duration.ofDays(39)).plusSeconds(1));
            assertEquals(1, reminders.remindDue());
            f.clock.set(T0.plus(Duration.ofDays(39)).plusSeconds(2));
            assertEquals(0, reminders.remindDue(), "not the farther 7-day one after the nearer");
            assertEquals(List.of(late.id()), f.notifier.of("portal.order.reminder").subList(2, 3).stream()
                    .map(n -> n.model().get("orderId")).toList());
            assertThrows(IllegalArgumentException.class, () -> reminders(f, 0, 7), "a threshold of 0 days");
        }
    }

    @ParameterizedTest
    @MethodSource("products")
    void twoNodesSweepingAtOnceRemindEachOrderOnce(String product) throws Exception {
        try (OrdersFixture f = new OrdersFixture(dir, product, Duration.ofDays(30))) {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                ids.add(f.submit("Shop " + i + " SAS", i % 2 == 0).id());
            }
            f.clock.set(T0.plus(Duration.ofDays(25)));
            OrderReminders one = reminders(f, 7);
            OrderReminders two = reminders(f, 7);
            CountDownLatch start = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                Future<Integer> a = pool.submit(() -> {
                    start.await();
                    return one.remindDue();
                });
                Future<Integer> b = pool.submit(() -> {
                    start.await();
                    return two.remindDue();
                });
                start.countDown();
                assertEquals(6, a.get(60, TimeUnit.SECONDS) + b.get(60, TimeUnit.SECONDS));
            } finally {
                pool.shutdownNow();
            }
            assertEquals(6, reminded(f).size());
            assertEquals(9, f.notifier.of("portal.order.reminder").size(), "3 orders of one person, 3 of two");
            for (String id : ids) {
                assertEquals(1, reminded(f).stream().filter(r -> r.subject().equals("order:" + id)).count(), id);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("products")
    void anOrderWhoseReminderCannotBeQueuedKeepsItsLinksAndDoesNotHoldUpTheOthers(String product) {
        try (OrdersFixture f = new OrdersFixture(dir, product, Duration.ofDays(30))) {
            Order stuck = f.submit("Stuck SAS", false);
            String annasLink = f.tokenOf("portal.order.submitted", "anna@example.org");
            Order fine = f.submit("Fine SAS", true);
            f.refused.add(stuck.id());
            f.clock.set(T0.plus(Duration.ofDays(25)));
            OrderReminders reminders = reminders(f, 7);
            assertEquals(1, reminders.remindDue());
            assertEquals(List.of(fine.id()), f.notifier.of("portal.order.reminder").stream()
                    .map(n -> (String) n.model().get("orderId")).toList(), "nothing queued for the stuck order");
            assertEquals(Outcome.VALID, f.links.open(annasLink, StatusAction.STATUS_LINK_PURPOSE).outcome(),
                    "nor its links replaced: the fresh link issued before the e-mail failed was rolled back");
            assertEquals(List.of("order:" + fine.id()), reminded(f).stream().map(AuditRecord::subject).toList());

            f.refused.clear();
            assertEquals(1, reminders.remindDue(), "the next sweep tries again");
            assertEquals(stuck.id(), f.notifier.of("portal.order.reminder").get(1).model().get("orderId"));
        }
    }

    @ParameterizedTest
    @MethodSource("products")
    void withAShortExpiryTheReminderWaitsADayAfterTheSubmission(String product) {
        try (OrdersFixture f = new OrdersFixture(dir, product, Duration.ofDays(3))) {
            f.submit("Quick SAS", true);
            OrderReminders reminders = reminders(f, 7);
            f.clock.set(T0.plus(Duration.ofHours(23)));
            assertEquals(0, reminders.remindDue(), "not on the heels of the submission's e-mail");
            f.clock.set(T0.plus(Duration.ofDays(1)));
            assertEquals(1, reminders.remindDue());
        }
    }

    @ParameterizedTest
    @MethodSource("products")
    void theReminderRendersInBothLanguagesWithItsDeadlineAndLink(String product) throws Exception {
        try (OrdersFixture f = new OrdersFixture(dir, product, Duration.ofDays(30))) {
            f.submit("ACME SAS", false);
            f.clock.set(T0.plus(Duration.ofDays(25)));
            reminders(f, 7).remindDue();
            Notification n = f.notifier.of("portal.order.reminder").get(0);
            PortalTemplates templates = new PortalTemplates();
            String en = TestEmails.render(templates, n, "en");
            assertTrue(en.startsWith("Subject: Cachet: your order " + n.model().get("orderId")
                    + " expires on 2027-01-01 10:00 UTC\n"), en);
            assertTrue(en.contains("Hello Anna Maria Eriksson,"), en);
            assertTrue(en.contains((String) n.model().get("link")), en);
            String fr = TestEmails.render(templates, n, "fr");
            assertTrue(fr.startsWith("Subject: Cachet : votre commande " + n.model().get("orderId")
                    + " expire le 2027-01-01 10:00 UTC\n"), fr);
            assertTrue(fr.contains((String) n.model().get("link")), fr);
            assertTrue(fr.contains("il faut en passer une nouvelle"), fr);
        }
    }
}
