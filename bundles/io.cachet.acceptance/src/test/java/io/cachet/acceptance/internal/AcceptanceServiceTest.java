package io.cachet.acceptance.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.cachet.acceptance.internal.AcceptanceService.Refusal;
import io.cachet.api.acceptance.AcceptanceRecord;
import io.cachet.api.acceptance.PersonAcceptance;
import io.cachet.api.notify.Channel;
import io.cachet.api.notify.Notification;
import io.cachet.api.order.Order;
import io.cachet.api.order.OrderRole;
import io.cachet.api.order.OrderState;
import io.cachet.api.signature.ValidationOptions;
import io.cachet.signature.launch.Signatures;
import io.cachet.signature.testing.TestPki;
import io.cachet.signature.testing.Tools;
import io.cachet.store.testing.TestDatabases;

/** The acceptance on H2 and PostgreSQL: opening, the one-time code rules, sealing by both persons, reporting. */
class AcceptanceServiceTest {

    private static final OrderRole CM = OrderRole.CERTIFICATE_MANAGER;
    private static final OrderRole LR = OrderRole.LEGAL_REPRESENTATIVE;

    @TempDir
    Path dir;

    static List<String> products() {
        return TestDatabases.products().toList();
    }

    private static String wrong(String code) {
        return String.format("%06d", (Integer.parseInt(code) + 1) % 1_000_000);
    }

    @ParameterizedTest
    @MethodSource("products")
    void enteringAcceptanceOpensTheFormAndMailsEachPersonALinkOnce(String product) {
        try (Fixture f = new Fixture(product, dir)) {
            Order two = f.inAcceptance(Fixture.JEAN, "fr");
            assertEquals(OrderState.ACCEPTANCE, two.state());
            List<Notification> mails = f.notifier.of("acceptance.link");
            assertEquals(2, mails.size());
            assertEquals(Set.of("anna@example.org", "jean@example.org"),
                    Set.of(mails.get(0).recipient(), mails.get(1).recipient()));
            assertTrue(((String) mails.get(0).model().get("link")).startsWith("http://localhost:8080/acceptance/"));
            assertEquals("fr", mails.get(0).language());
            AcceptanceRecord r = f.service.record(two.id()).orElseThrow();
            assertEquals("fr", r.language());
            assertEquals(2, r.persons().size());
            assertEquals(Set.of(CM), r.persons().get(0).roles());
            assertEquals("+33 6 •• •• •• 12", r.persons().get(1).maskedMobile());
            assertTrue(r.persons().stream().allMatch(p -> p.status().equals(PersonAcceptance.WAITING)));
            assertNull(r.completedAt());

            f.service.open(f.orders.find(two.id()).orElseThrow()); // again (a restart): nothing new
            assertEquals(2, f.notifier.of("acceptance.link").size());
            assertEquals(List.of("acceptance.opened"), f.actions(two.id()));

            Order one = f.inAcceptance(null, "en");
            AcceptanceRecord single = f.service.record(one.id()).orElseThrow();
            assertEquals(1, single.persons().size());
            assertEquals(Set.of(CM, LR), single.persons().get(0).roles());
            assertEquals(3, f.notifier.of("acceptance.link").size());
            assertTrue(f.service.record("ord_unknown").isEmpty());
        }
    }

    @ParameterizedTest
    @MethodSource("products")
    void codesAreSixDigitsStoredAsAnHmacWrongOnesCountAndTheFifthLocksUntilANewCode(String product) throws Exception {
        try (Fixture f = new Fixture(product, dir)) {
            Order o = f.inAcceptance(Fixture.JEAN, "en");
            assertEquals(Refusal.NO_CODE, f.service.accept(o.id(), CM, "123456", "person:certificate-manager").refusal());
            AcceptanceService.Outcome sent = f.service.requestCode(o.id(), CM, "person:certificate-manager");
            assertTrue(sent.ok());
            assertEquals(Fixture.T0.plus(Duration.ofMinutes(10)), sent.codeExpiresAt());
            Notification sms = f.notifier.of("acceptance.code").get(0);
            assertEquals(Channel.SMS, sms.channel());
            assertEquals("+33612345678", sms.recipient());
            String code = f.lastCode("+33612345678");
            assertTrue(code.matches("[0-9]{6}"), code);
            // the database keeps an HMAC of the code, never the code
            String stored = f.db.database().inTransaction(c -> {
                try (PreparedStatement ps = c.prepareStatement("SELECT code_hmac FROM acceptance_person WHERE"
                        + " order_id = ? AND role = 'CERTIFICATE_MANAGER'")) {
                    ps.setString(1, o.id());
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        return rs.getString(1);
                    }
                }
            });
            assertEquals(64, stored.length());
            assertFalse(stored.contains(code));

            for (int i = 1; i <= 4; i++) {
                AcceptanceService.Outcome w = f.service.accept(o.id(), CM, wrong(code), "person:certificate-manager");
                assertEquals(Refusal.WRONG_CODE, w.refusal());
                assertEquals(5 - i, w.triesLeft());
            }
            assertEquals(Refusal.LOCKED, f.service.accept(o.id(), CM, "abc", "person:certificate-manager").refusal());
            assertEquals(PersonAcceptance.LOCKED, f.service.record(o.id()).orElseThrow().persons().get(0).status());
            // locked: even the right code is refused now
            assertEquals(Refusal.LOCKED, f.service.accept(o.id(), CM, code, "person:certificate-manager").refusal());
            assertEquals(1, f.service.record(o.id()).orElseThrow().persons().stream()
                    .filter(p -> p.status().equals(PersonAcceptance.LOCKED)).count());
            // a new code unlocks; the old one no longer works
            assertTrue(f.service.requestCode(o.id(), CM, "person:certificate-manager").ok());
            String fresh = f.lastCode("+33612345678");
            assertEquals(PersonAcceptance.WAITING, f.service.record(o.id()).orElseThrow().persons().get(0).status());
            if (!fresh.equals(code)) {
                assertEquals(Refusal.WRONG_CODE, f.service.accept(o.id(), CM, code, "person:certificate-manager")
                        .refusal());
            }
            // expiry: ten minutes later it is refused, and nothing is sealed
            f.clock.advance(Duration.ofMinutes(10));
            assertEquals(Refusal.CODE_EXPIRED, f.service.accept(o.id(), CM, fresh, "person:certificate-manager")
                    .refusal());
            assertEquals(0, f.service.record(o.id()).orElseThrow().persons().stream().filter(PersonAcceptance::accepted)
                    .count());
            List<String> actions = f.actions(o.id());
            assertEquals(fresh.equals(code) ? 4 : 5, actions.stream().filter("acceptance.code.wrong"::equals).count(),
                    actions.toString());
            assertTrue(actions.contains("acceptance.locked"));
            assertTrue(actions.contains("acceptance.refused"));
            assertEquals(2, actions.stream().filter("acceptance.code.sent"::equals).count());
        }
    }

    @ParameterizedTest
    @MethodSource("products")
    void atMostNCodesAnHourPerPerson(String product) {
        try (Fixture f = new Fixture(product, dir)) {
            Order o = f.inAcceptance(Fixture.JEAN, "fr");
            for (int i = 0; i < 5; i++) {
                assertTrue(f.service.requestCode(o.id(), CM, "person:certificate-manager").ok());
                f.clock.advance(Duration.ofMinutes(5));
            }
            assertEquals(Refusal.TOO_MANY_CODES, f.service.requestCode(o.id(), CM, "person:certificate-manager")
                    .refusal());
            assertEquals(5, f.notifier.of("acceptance.code").size(), "no sixth SMS");
            // the other person has their own count
            assertTrue(f.service.requestCode(o.id(), LR, "person:legal-representative").ok());
            f.clock.advance(Duration.ofMinutes(36)); // the first code is more than an hour old
            assertTrue(f.service.requestCode(o.id(), CM, "person:certificate-manager").ok());
            assertTrue(f.actions(o.id()).contains("acceptance.code.refused"));
        }
    }

    @ParameterizedTest
    @MethodSource("products")
    void beforeEveryCheckPassedNoCodeIsSentAndNothingIsAccepted(String product) {
        try (Fixture f = new Fixture(product, dir)) {
            Order o = f.submit(Fixture.JEAN, "en");
            assertEquals(OrderState.VERIFICATION, o.state());
            assertEquals(Refusal.NOT_READY, f.service.requestCode(o.id(), CM, "person:certificate-manager").refusal());
            assertEquals(Refusal.NOT_READY, f.service.accept(o.id(), CM, "123456", "person:certificate-manager")
                    .refusal());
            assertTrue(f.notifier.of("acceptance.code").isEmpty());
            assertEquals(List.of("acceptance.code.refused", "acceptance.refused"), f.actions(o.id()));
        }
    }

    @ParameterizedTest
    @MethodSource("products")
    void bothPersonsSealTheFormIncrementallyAndTheOrderMovesOn(String product) throws Exception {
        try (Fixture f = new Fixture(product, dir).sealing()) {
            Order o = f.inAcceptance(Fixture.JEAN, "fr");
            byte[] unsigned = f.service.form(o.id()).orElseThrow();

            assertTrue(f.service.requestCode(o.id(), CM, "person:certificate-manager").ok());
            assertTrue(f.service.requestCode(o.id(), LR, "person:legal-representative").ok());
            String anna = f.lastCode("+33612345678");
            String jean = f.lastCode("+33698765412");
            // the link of one person does not accept with the other's code (unless both drew the same digits)
            if (!anna.equals(jean)) {
                assertEquals(Refusal.WRONG_CODE, f.service.accept(o.id(), LR, anna, "person:legal-representative")
                        .refusal());
            }
            assertTrue(f.service.accept(o.id(), CM, anna, "person:certificate-manager").ok());
            byte[] first = f.service.form(o.id()).orElseThrow();
            assertTrue(first.length > unsigned.length);
            assertEquals(new String(unsigned, java.nio.charset.StandardCharsets.ISO_8859_1),
                    new String(first, 0, unsigned.length, java.nio.charset.StandardCharsets.ISO_8859_1),
                    "incremental: the signed form starts with the form's bytes");
            Path one = Files.write(dir.resolve("one.pdf"), first);
            Tools.pdfsigValid(one, 1);
            AcceptanceRecord half = f.service.record(o.id()).orElseThrow();
            assertTrue(half.persons().get(0).accepted());
            assertFalse(half.complete());
            assertEquals(OrderState.ACCEPTANCE, f.orders.find(o.id()).orElseThrow().state());

            assertEquals(Refusal.ALREADY_ACCEPTED, f.service.accept(o.id(), CM, anna, "person:certificate-manager")
                    .refusal());
            assertEquals(Refusal.ALREADY_ACCEPTED, f.service.requestCode(o.id(), CM, "person:certificate-manager")
                    .refusal());

            assertTrue(f.service.accept(o.id(), LR, jean, "person:legal-representative").ok());
            byte[] both = f.service.form(o.id()).orElseThrow();
            assertEquals(new String(first, java.nio.charset.StandardCharsets.ISO_8859_1),
                    new String(both, 0, first.length, java.nio.charset.StandardCharsets.ISO_8859_1));
            Path two = Files.write(dir.resolve("two.pdf"), both);
            Tools.pdfsigValid(two, 2);
            // each person's visible signature is in their box at the bottom of the last page
            try (org.apache.pdfbox.pdmodel.PDDocument doc = org.apache.pdfbox.Loader.loadPDF(both)) {
                var fields = doc.getSignatureFields();
                assertEquals(2, fields.size());
                var last = doc.getPage(doc.getNumberOfPages() - 1);
                for (int i = 0; i < 2; i++) {
                    var widget = fields.get(i).getWidgets().get(0);
                    assertEquals(last.getCOSObject(), widget.getPage().getCOSObject(), "on the last page");
                    var box = widget.getRectangle();
                    assertEquals(FormPdf.boxX(i), box.getLowerLeftX(), 1f);
                    assertEquals(FormPdf.BOX_BOTTOM, box.getLowerLeftY(), 1f);
                    assertEquals(FormPdf.BOX_WIDTH, box.getWidth(), 1f);
                }
            }
            Tools.dssPassed(Signatures.validator().validate(two, List.of(),
                    ValidationOptions.trusting(TestPki.get().trustAnchors())), 2, "PAdES-BASELINE-LT");
            AcceptanceRecord done = f.service.record(o.id()).orElseThrow();
            assertTrue(done.complete());
            assertEquals(f.clock.instant(), done.completedAt());
            assertEquals(OrderState.ISSUANCE, f.orders.find(o.id()).orElseThrow().state(), "both checks passed");
            List<String> actions = f.actions(o.id());
            assertEquals(2, actions.stream().filter("acceptance.accepted"::equals).count(), actions.toString());
        }
    }

    @ParameterizedTest
    @MethodSource("products")
    void withoutThePlatformSealNothingIsAcceptedAndTheCodeStaysValid(String product) throws Exception {
        try (Fixture f = new Fixture(product, dir)) {
            Order o = f.inAcceptance(null, "en");
            assertTrue(f.service.requestCode(o.id(), CM, "person:certificate-manager").ok());
            String code = f.lastCode("+33612345678");
            assertEquals(Refusal.UNAVAILABLE, f.service.accept(o.id(), CM, code, "person:certificate-manager")
                    .refusal());
            assertFalse(f.service.record(o.id()).orElseThrow().persons().get(0).accepted());
            // the order service away at the moment of acceptance: accepted, reported later by the job
            f.sealing();
            f.ordersDown = true;
            assertEquals(Refusal.NOT_READY, f.service.accept(o.id(), CM, code, "person:certificate-manager").refusal());
            f.ordersDown = false;
            assertTrue(f.service.accept(o.id(), LR, code, "person:certificate-manager").ok(), "the one person");
            assertEquals(OrderState.ISSUANCE, f.orders.find(o.id()).orElseThrow().state());
            Tools.pdfsigValid(Files.write(dir.resolve("single.pdf"), f.service.form(o.id()).orElseThrow()), 1);
            assertEquals(0, f.service.reportDue(null));
            List<String> refusals = new ArrayList<>(f.actions(o.id()));
            assertTrue(refusals.contains("acceptance.refused"));
            assertNotEquals(-1, refusals.indexOf("acceptance.accepted"));
        }
    }
    @ParameterizedTest
    @MethodSource("products")
    void bothPersonsAcceptingAtOnceSignOneAfterTheOther(String product) throws Exception {
        try (Fixture f = new Fixture(product, dir).sealing()) {
            Order o = f.inAcceptance(Fixture.JEAN, "en");
            assertTrue(f.service.requestCode(o.id(), CM, "person:certificate-manager").ok());
            assertTrue(f.service.requestCode(o.id(), LR, "person:legal-representative").ok());
            String anna = f.lastCode("+33612345678");
            String jean = f.lastCode("+33698765412");
            java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
            java.util.concurrent.ExecutorService two = java.util.concurrent.Executors.newFixedThreadPool(2);
            try {
                var a = two.submit(() -> {
                    start.await();
                    return f.service.accept(o.id(), CM, anna, "person:certificate-manager");
                });
                var b = two.submit(() -> {
                    start.await();
                    return f.service.accept(o.id(), LR, jean, "person:legal-representative");
                });
                start.countDown();
                assertTrue(a.get(120, java.util.concurrent.TimeUnit.SECONDS).ok());
                assertTrue(b.get(120, java.util.concurrent.TimeUnit.SECONDS).ok());
            } finally {
                two.shutdownNow();
            }
            Path both = Files.write(dir.resolve("concurrent.pdf"), f.service.form(o.id()).orElseThrow());
            Tools.pdfsigValid(both, 2);
            assertTrue(f.service.record(o.id()).orElseThrow().complete());
            assertEquals(OrderState.ISSUANCE, f.orders.find(o.id()).orElseThrow().state());
        }
    }
}
