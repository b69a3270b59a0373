package io.cachet.identity.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.cachet.api.identity.CaseStatus;
import io.cachet.api.identity.CheckResult;
import io.cachet.api.identity.EvidenceKind;
import io.cachet.api.identity.IdentityCase;
import io.cachet.api.identity.IdentityException;
import io.cachet.api.identity.ProviderResult;
import io.cachet.api.notify.Notification;
import io.cachet.api.order.CheckState;
import io.cachet.api.order.CheckStatus;
import io.cachet.api.order.Order;
import io.cachet.api.order.OrderRole;
import io.cachet.api.order.OrderState;
import io.cachet.identity.internal.Fixture.TestProvider;
import io.cachet.store.testing.TestDatabases;

/**
 * The identity cases on the real database (H2 and PostgreSQL) with the real order state machine and personal links:
 * opening on VERIFICATION, starting and resuming attempts, provider results, decisions (second approval, retries,
 * attempts limit), provider selection changed while running, the order's end, reminders, encryption and purge.
 * (The paths through the evidence checks — addImage, submitDocument, submit — need the evidence work merged.)
 */
class CaseServiceTest {

    @TempDir
    Path dir;

    private final List<Fixture> open = new ArrayList<>();

    static List<String> products() {
        return TestDatabases.products().toList();
    }

    @AfterEach
    void close() {
        open.forEach(Fixture::close);
    }

    private Fixture fixture(String product, Map<String, Object> config) {
        Fixture f = new Fixture(product, dir, config);
        open.add(f);
        return f;
    }

    private static ProviderResult verified() {
        return new ProviderResult(ProviderResult.Outcome.VERIFIED, null, null, LocalDate.parse("1974-08-12"), null,
                null, LocalDate.parse("2031-04-15"), List.of(new CheckResult("vendor.liveness", true, "")));
    }

    private static String start(Fixture f, IdentityCase k) {
        CaseService.Start s = f.cases.start(k.orderId(), k.role(), "fr");
        assertInstanceOf(CaseService.Start.Redirect.class, s, "started");
        String url = ((CaseService.Start.Redirect) s).url();
        assertTrue(url.startsWith("/test/flow/"), url);
        return url.substring("/test/flow/".length());
    }

    private static CheckStatus check(Order o, String kind) {
        return o.checks().stream().filter(c -> c.kind().equals(kind) && c.state() == OrderState.VERIFICATION)
                .map(CheckState::status).findFirst().orElse(null);
    }

    @ParameterizedTest
    @MethodSource("products")
    void anOrderInVerificationOpensOneCasePerPersonEachToldByEmailOnce(String product) {
        Fixture f = fixture(product, Map.of());
        Order o = f.submit(Fixture.JEAN, null, null);
        assertEquals(OrderState.VERIFICATION, o.state());
        List<IdentityCase> cases = f.cases.forOrder(o.id());
        assertEquals(2, cases.size());
        IdentityCase cm = f.caseOf(o, OrderRole.CERTIFICATE_MANAGER);
        IdentityCase lr = f.caseOf(o, OrderRole.LEGAL_REPRESENTATIVE);
        assertEquals(CaseStatus.OPEN, cm.status());
        assertEquals("Eriksson", cm.surname());
        assertEquals("Dupont", lr.surname());
        assertEquals(LocalDate.parse("1960-03-01"), lr.birthDate());
        assertEquals("mobile", cm.provider());
        assertEquals(3, cm.maxAttempts());
        assertEquals("0.4.0.19461.1.1", cm.level());
        List<Notification> mails = f.notifier.of("identity.start");
        assertEquals(2, mails.size());
        Notification toJean = mails.stream().filter(n -> n.recipient().equals("jean@example.org")).findFirst()
                .orElseThrow();
        String link = (String) toJean.model().get("link");
        assertTrue(link.startsWith("http://localhost:8080/identity/start/"), link);
        assertEquals("http://localhost:8080/identity/documents", toJean.model().get("documents"));
        assertEquals("en", toJean.language());
        // idempotent: entered again (a node restart) changes nothing
        assertEquals(cm.id(), f.cases.open(o, OrderRole.CERTIFICATE_MANAGER).id());
        assertEquals(2, f.notifier.of("identity.start").size());
        assertTrue(f.actions("identity-case:" + cm.id()).contains("identity.case.opened"));

        // one person both: one case, one check
        Order same = f.submit(null, null, null);
        assertEquals(1, f.cases.forOrder(same.id()).size());
        assertEquals(OrderRole.CERTIFICATE_MANAGER, f.cases.forOrder(same.id()).get(0).role());
        assertNull(check(same, "identity.legal-representative"));
    }

    @ParameterizedTest
    @MethodSource("products")
    void anAttemptStartsResumesWithAFreshTokenGoesToReviewAndItsApprovalPassesTheOrdersCheck(String product) {
        Fixture f = fixture(product, Map.of());
        Order o = f.submit(null, null, null);
        IdentityCase k = f.caseOf(o, OrderRole.CERTIFICATE_MANAGER);

        String first = start(f, k);
        IdentityCase started = f.cases.byFlowToken(first).orElseThrow();
        assertEquals(CaseStatus.IN_PROGRESS, started.status());
        assertEquals(1, started.attempts().size());
        assertEquals("mobile-session-1", started.currentAttempt().reference());
        assertEquals(started.id(), f.cases.byReference("mobile", "mobile-session-1").orElseThrow().id());

        // opening the link again returns to the open attempt, with a new token; the old one stops working
        String second = start(f, k);
        assertTrue(f.cases.byFlowToken(first).isEmpty(), "the replaced token no longer resolves");
        IdentityCase resumed = f.cases.byFlowToken(second).orElseThrow();
        assertEquals(1, resumed.attempts().size(), "the same attempt");
        assertTrue(f.cases.byReference("mobile", "mobile-session-1").isEmpty());
        assertTrue(f.cases.byFlowToken("x").isEmpty());

        IdentityCase review = f.cases.providerResult(k.id(), verified(), "provider:mobile");
        assertEquals(CaseStatus.REVIEW, review.status());
        assertNotNull(review.currentAttempt().submittedAt());
        assertTrue(review.currentAttempt().checks().stream()
                .anyMatch(c -> c.name().equals("birth-date.match") && c.passed()));
        assertTrue(review.currentAttempt().checks().stream()
                .anyMatch(c -> c.name().equals("vendor.liveness") && c.passed()));
        assertTrue(f.cases.byFlowToken(second).isEmpty(), "no token works once submitted");
        assertEquals(List.of(k.id()), f.cases.queue(10).stream().map(IdentityCase::id).toList());
        assertInstanceOf(CaseService.Start.Closed.class, f.cases.start(k.orderId(), k.role(), "fr"));
        assertThrows(IdentityException.class, () -> f.cases.providerResult(k.id(), verified(), "provider:mobile"),
                "a repeated result is refused");

        f.cases.review(k.id(), "alice");
        IdentityCase approved = f.cases.decide(k.id(), true, null, "", false, "alice");
        assertEquals(CaseStatus.APPROVED, approved.status());
        assertEquals(1, approved.decisions().size());
        assertEquals("alice", approved.decisions().get(0).operator());
        Order after = f.orders.find(o.id()).orElseThrow();
        assertEquals(CheckStatus.PASSED, check(after, "identity.certificate-manager"));
        assertEquals(OrderState.ACCEPTANCE, after.state(), "its only check of VERIFICATION passed");
        assertEquals(1, f.notifier.of("identity.approved").size());
        List<String> actions = f.actions("identity-case:" + k.id());
        for (String a : List.of("identity.case.opened", "identity.attempt.started", "identity.attempt.resumed",
                "identity.provider.result", "identity.case.viewed", "identity.case.approved")) {
            assertTrue(actions.contains(a), a + " audited: " + actions);
        }
        assertTrue(f.cases.queue(10).isEmpty());
        assertThrows(IdentityException.class, () -> f.cases.decide(k.id(), true, null, "", false, "bob"));
        // the provider is told, by the background job: the session replaced on resuming, then the case's end
        f.cases.runDueJobs(10);
        assertEquals(List.of(k.id(), k.id()), f.mobile.ended);
    }

    @ParameterizedTest
    @MethodSource("products")
    void aDecisionStandsWhileTheOrderServiceIsMissingAndIsReportedWhenItIsBack(String product) {
        Fixture f = fixture(product, Map.of());
        Order o = f.submit(null, null, null);
        IdentityCase k = f.caseOf(o, OrderRole.CERTIFICATE_MANAGER);
        start(f, k);
        f.cases.providerResult(k.id(), verified(), "provider:mobile");
        f.ordersDown = true;
        assertEquals(CaseStatus.APPROVED, f.cases.decide(k.id(), true, null, "", false, "alice").status());
        assertEquals(CheckStatus.PENDING, check(f.orders.find(o.id()).orElseThrow(), "identity.certificate-manager"));
        f.cases.runDueJobs(10);
        assertEquals(CheckStatus.PENDING, check(f.orders.find(o.id()).orElseThrow(), "identity.certificate-manager"));
        f.ordersDown = false;
        f.clock.advance(Duration.ofMinutes(2));
        f.cases.runDueJobs(10);
        Order after = f.orders.find(o.id()).orElseThrow();
        assertEquals(CheckStatus.PASSED, check(after, "identity.certificate-manager"));
        assertEquals(OrderState.ACCEPTANCE, after.state());
        f.clock.advance(Duration.ofMinutes(2));
        f.cases.runDueJobs(10);
        assertEquals(1, f.orders.events(o.id()).stream().filter(e -> e.to() == OrderState.ACCEPTANCE).count(),
                "reported once");
    }

    @ParameterizedTest
    @MethodSource("products")
    void aSecondApprovalMustComeFromAnotherOperator(String product) {
        Fixture f = fixture(product, Map.of("secondApproval", true));
        Order o = f.submit(null, null, null);
        IdentityCase k = f.caseOf(o, OrderRole.CERTIFICATE_MANAGER);
        start(f, k);
        f.cases.providerResult(k.id(), verified(), "provider:mobile");
        IdentityCase once = f.cases.decide(k.id(), true, null, "looks fine", false, "alice");
        assertEquals(CaseStatus.REVIEW, once.status());
        IdentityException again = assertThrows(IdentityException.class,
                () -> f.cases.decide(k.id(), true, null, "", false, "alice"));
        assertEquals(IdentityException.Reason.CONFLICT, again.reason());
        assertEquals(CheckStatus.PENDING, check(f.orders.find(o.id()).orElseThrow(), "identity.certificate-manager"));
        IdentityCase twice = f.cases.decide(k.id(), true, null, "", false, "bob");
        assertEquals(CaseStatus.APPROVED, twice.status());
        assertEquals(2, twice.decisions().size());
        assertEquals(CheckStatus.PASSED, check(f.orders.find(o.id()).orElseThrow(), "identity.certificate-manager"));
    }

    @ParameterizedTest
    @MethodSource("products")
    void aRejectionSendsANewLinkWithTheReasonUntilTheAttemptsAreUsedThenFailsTheCheck(String product) {
        Fixture f = fixture(product, Map.of("maxAttempts", 2));
        Order o = f.submit(null, null, null);
        IdentityCase k = f.caseOf(o, OrderRole.CERTIFICATE_MANAGER);
        start(f, k);
        f.cases.providerResult(k.id(), verified(), "provider:mobile");

        IdentityException unknownReason = assertThrows(IdentityException.class,
                () -> f.cases.decide(k.id(), false, "no-such-reason", "", true, "alice"));
        assertEquals(IdentityException.Reason.INVALID, unknownReason.reason());
        assertEquals(CaseStatus.REVIEW, f.cases.find(k.id()).orElseThrow().status(), "nothing changed");

        IdentityCase retry = f.cases.decide(k.id(), false, "image-quality", "The photo is blurred.", true, "alice");
        assertEquals(CaseStatus.OPEN, retry.status());
        Notification mail = f.notifier.of("identity.retry").get(0);
        assertEquals("The photos are too dark, blurred or partly hidden.", mail.model().get("reason"));
        assertEquals("The photo is blurred.", mail.model().get("comment"));
        assertTrue(((String) mail.model().get("link")).contains("/identity/start/"));
        assertEquals(CheckStatus.PENDING, check(f.orders.find(o.id()).orElseThrow(), "identity.certificate-manager"));

        start(f, k);
        IdentityCase second = f.cases.find(k.id()).orElseThrow();
        assertEquals(2, second.attempts().size());
        assertEquals(CaseStatus.IN_PROGRESS, second.status());
        f.cases.providerResult(k.id(), verified(), "provider:mobile");
        IdentityCase rejected = f.cases.decide(k.id(), false, "selfie-mismatch", "", true, "alice");
        assertEquals(CaseStatus.REJECTED, rejected.status(), "no attempt left");
        assertEquals(CheckStatus.FAILED, check(f.orders.find(o.id()).orElseThrow(), "identity.certificate-manager"));
        assertEquals(1, f.notifier.of("identity.rejected").size());
        assertInstanceOf(CaseService.Start.Closed.class, f.cases.start(k.orderId(), k.role(), "fr"));
        assertTrue(f.actions("identity-case:" + k.id()).contains("identity.case.rejected"));
    }

    @ParameterizedTest
    @MethodSource("products")
    void aMissingOrFailingProviderChangesNothingAndConfigurationAppliesToCasesNotStarted(String product) {
        Fixture f = fixture(product, Map.of());
        Order o = f.submit(null, "r-123", null);
        IdentityCase k = f.caseOf(o, OrderRole.CERTIFICATE_MANAGER);
        f.providers.remove("mobile");
        assertEquals(new CaseService.Start.Unavailable("mobile"), f.cases.start(k.orderId(), k.role(), "fr"));
        f.providers.put("mobile", f.mobile);
        f.mobile.failing = true;
        assertInstanceOf(CaseService.Start.Unavailable.class, f.cases.start(k.orderId(), k.role(), "fr"));
        IdentityCase unchanged = f.cases.find(k.id()).orElseThrow();
        assertEquals(CaseStatus.OPEN, unchanged.status());
        assertTrue(unchanged.attempts().isEmpty());
        f.mobile.failing = false;

        // switched while running: the reseller's cases not started yet go to the vendor
        TestProvider vendor = new TestProvider("vendor");
        f.providers.put("vendor", vendor);
        f.configure(Map.of("providerRules", new String[] { "reseller:r-123=vendor", "brand:acme=mobile" }));
        start(f, k);
        IdentityCase started = f.cases.find(k.id()).orElseThrow();
        assertEquals("vendor", started.provider());
        assertEquals("vendor", started.currentAttempt().provider());
        assertEquals(1, vendor.tokens.size());
        // switched back: the started case keeps its provider
        f.configure(Map.of());
        start(f, k);
        assertEquals(2, vendor.tokens.size());
        assertEquals("vendor", f.cases.find(k.id()).orElseThrow().provider());
        // the resumed attempt's previous vendor session is released
        f.cases.runDueJobs(10);
        assertEquals(List.of(k.id()), vendor.ended);
        // another provider's result for this attempt is refused
        assertThrows(IdentityException.class, () -> f.cases.providerResult(k.id(), verified(), "provider:mobile"));
    }

    @ParameterizedTest
    @MethodSource("products")
    void anOrderThatEndsCancelsItsCasesAndTheirTokens(String product) {
        Fixture f = fixture(product, Map.of());
        Order o = f.submit(Fixture.JEAN, null, null);
        IdentityCase k = f.caseOf(o, OrderRole.CERTIFICATE_MANAGER);
        String token = start(f, k);
        f.orders.cancel(o.id(), "operator:alice", "Customer asked", false);
        for (IdentityCase c : f.cases.forOrder(o.id())) {
            assertEquals(CaseStatus.CANCELLED, c.status());
            assertTrue(f.actions("identity-case:" + c.id()).contains("identity.case.cancelled"));
        }
        assertTrue(f.cases.byFlowToken(token).isEmpty());
        assertThrows(IdentityException.class, () -> f.cases.providerResult(k.id(), verified(), "provider:mobile"));
        f.cases.runDueJobs(10);
        assertEquals(List.of(k.id()), f.mobile.ended, "the started case's provider is told");
    }

    @ParameterizedTest
    @MethodSource("products")
    void aPersonWhoHasNotStartedGetsOneReminderWithAFreshLink(String product) {
        Fixture f = fixture(product, Map.of("reminderHours", 48));
        Order o = f.submit(Fixture.JEAN, null, null);
        IdentityCase lr = f.caseOf(o, OrderRole.LEGAL_REPRESENTATIVE);
        start(f, f.caseOf(o, OrderRole.CERTIFICATE_MANAGER));
        assertEquals(0, f.cases.runDueJobs(10));
        f.clock.advance(Duration.ofHours(47));
        f.cases.runDueJobs(10);
        assertTrue(f.notifier.of("identity.reminder").isEmpty());
        f.clock.advance(Duration.ofHours(2));
        f.cases.runDueJobs(10);
        List<Notification> reminders = f.notifier.of("identity.reminder");
        assertEquals(1, reminders.size(), "only the person who has not started");
        assertEquals("jean@example.org", reminders.get(0).recipient());
        assertTrue(f.actions("identity-case:" + lr.id()).contains("identity.reminder.sent"));
        f.clock.advance(Duration.ofHours(100));
        f.cases.runDueJobs(10);
        assertEquals(1, f.notifier.of("identity.reminder").size(), "once");
    }

    @ParameterizedTest
    @MethodSource("products")
    void evidenceIsEncryptedPerCaseBoundToItsSlotViewedWithAnAuditAndPurgedAfterRetention(String product)
            throws Exception {
        Fixture f = fixture(product, Map.of("retention", "P30D"));
        Order o = f.submit(null, null, null);
        IdentityCase k = f.caseOf(o, OrderRole.CERTIFICATE_MANAGER);
        start(f, k);
        byte[] image = "not really a JPEG, but bytes to keep secret".getBytes(StandardCharsets.UTF_8);
        String key = f.db.database().inTransaction(c -> {
            try (var ps = c.prepareStatement("SELECT data_key FROM identity_case WHERE id = ?")) {
                ps.setString(1, k.id());
                try (var rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getString(1);
                }
            }
        });
        byte[] blob = f.cipher.encrypt(key, "the selfie", CaseService.evidenceAad(k.id(), 1, EvidenceKind.SELFIE.id()),
                image);
        assertFalse(new String(blob, StandardCharsets.ISO_8859_1).contains("secret"), "stored encrypted");
        f.db.database().inTransaction(c -> {
            for (EvidenceKind kind : List.of(EvidenceKind.SELFIE, EvidenceKind.DOCUMENT_FRONT)) {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO identity_evidence (case_id, attempt, kind,"
                        + " content_type, width, height, size, sha256, received_at, data) VALUES (?, 1, ?, 'image/jpeg',"
                        + " 1080, 1920, 10, 'x', CURRENT_TIMESTAMP, ?)")) {
                    ps.setString(1, k.id());
                    ps.setString(2, kind.name());
                    ps.setBytes(3, blob); // the selfie's blob also in the front's slot: must not open there
                    ps.executeUpdate();
                }
            }
            return null;
        });
        assertArrayEquals(image, f.cases.image(k.id(), 1, EvidenceKind.SELFIE, "alice"));
        assertThrows(IllegalStateException.class, () -> f.cases.image(k.id(), 1, EvidenceKind.DOCUMENT_FRONT, "alice"),
                "a blob moved to another slot does not open");
        assertEquals(IdentityException.Reason.NOT_FOUND, assertThrows(IdentityException.class,
                () -> f.cases.image(k.id(), 1, EvidenceKind.DOCUMENT_BACK, "alice")).reason());
        assertTrue(f.actions("identity-case:" + k.id()).contains("identity.image.viewed"));
        assertEquals(2, f.cases.find(k.id()).orElseThrow().currentAttempt().evidence().size());

        // the order ends; the evidence stays for the retention period, then goes
        f.orders.cancel(o.id(), "customer", "changed my mind", true);
        f.clock.advance(Duration.ofDays(29));
        assertEquals(0, f.cases.purgeDue(10));
        f.clock.advance(Duration.ofDays(2));
        assertEquals(1, f.cases.purgeDue(10));
        assertEquals(0, f.cases.purgeDue(10));
        IdentityCase purged = f.cases.find(k.id()).orElseThrow();
        assertNotNull(purged.purgedAt());
        assertEquals(2, purged.currentAttempt().evidence().size(), "what was received stays on record");
        assertThrows(IdentityException.class, () -> f.cases.image(k.id(), 1, EvidenceKind.SELFIE, "alice"));
        assertTrue(f.actions("identity-case:" + k.id()).contains("identity.evidence.purged"));
        Long left = f.db.database().inTransaction(c -> {
            try (var ps = c.prepareStatement("SELECT COUNT(*) FROM identity_evidence WHERE data IS NOT NULL")) {
                try (var rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
        assertEquals(0L, left);
    }

    @ParameterizedTest
    @MethodSource("products")
    void anExpiredLinkIsRenewedByEmailWhileTheCaseIsOpen(String product) {
        Fixture f = fixture(product, Map.of("linkValidityDays", 7));
        Order o = f.submit(null, null, null);
        String link = (String) f.notifier.of("identity.start").get(0).model().get("link");
        String token = link.substring(link.lastIndexOf('/') + 1);
        f.clock.advance(Duration.ofDays(8));
        var opened = f.links.open(token, CaseService.PURPOSE);
        assertEquals(io.cachet.api.link.PersonalLinks.Outcome.EXPIRED, opened.outcome());
        assertTrue(f.cases.renew(opened.link()));
        assertEquals(1, f.notifier.of("identity.link").size());
        String fresh = (String) f.notifier.of("identity.link").get(0).model().get("link");
        assertEquals(io.cachet.api.link.PersonalLinks.Outcome.VALID,
                f.links.open(fresh.substring(fresh.lastIndexOf('/') + 1), CaseService.PURPOSE).outcome());
        assertEquals(OrderState.VERIFICATION, f.orders.find(o.id()).orElseThrow().state());
    }

    @ParameterizedTest
    @MethodSource("products")
    void concurrentStartsMakeOneAttemptAndConcurrentDecisionsOneOutcome(String product) throws Exception {
        Fixture f = fixture(product, Map.of());
        Order o = f.submit(null, null, null);
        IdentityCase k = f.caseOf(o, OrderRole.CERTIFICATE_MANAGER);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
            List<java.util.concurrent.Future<CaseService.Start>> starts = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                starts.add(pool.submit(() -> {
                    go.await();
                    return f.cases.start(k.orderId(), k.role(), "fr");
                }));
            }
            go.countDown();
            List<String> tokens = new ArrayList<>();
            for (var s : starts) {
                if (s.get() instanceof CaseService.Start.Redirect r) {
                    tokens.add(r.url().substring("/test/flow/".length()));
                }
            }
            IdentityCase started = f.cases.find(k.id()).orElseThrow();
            assertEquals(1, started.attempts().size(), "one attempt");
            assertEquals(CaseStatus.IN_PROGRESS, started.status());
            assertEquals(1, tokens.stream().filter(t -> f.cases.byFlowToken(t).isPresent()).count(),
                    "one flow token works: the last one recorded");

            f.cases.providerResult(k.id(), verified(), "provider:mobile");
            java.util.concurrent.CountDownLatch now = new java.util.concurrent.CountDownLatch(1);
            List<java.util.concurrent.Future<Object>> decisions = new ArrayList<>();
            for (String operator : List.of("alice", "bob", "carol")) {
                decisions.add(pool.submit(() -> {
                    now.await();
                    try {
                        return operator.equals("carol") ? f.cases.decide(k.id(), false, "other", "", true, operator)
                                : f.cases.decide(k.id(), true, null, "", false, operator);
                    } catch (IdentityException e) {
                        return e;
                    }
                }));
            }
            now.countDown();
            int decided = 0;
            for (var d : decisions) {
                Object r = d.get();
                if (r instanceof IdentityCase) {
                    decided++;
                } else {
                    assertEquals(IdentityException.Reason.CONFLICT, ((IdentityException) r).reason());
                }
            }
            assertEquals(1, decided, "one decision wins, the others find the case no longer under review");
            assertEquals(1, f.cases.find(k.id()).orElseThrow().decisions().size());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void badSettingsAreRefusedNamingTheAttribute() {
        for (Map<String, Object> bad : List.<Map<String, Object>>of(Map.of("providerRules", new String[] { "acme" }),
                Map.of("retention", "7 years"), Map.of("maxAttempts", 0), Map.of("defaultProvider", "Mobile!"),
                Map.of("rejectionReasons", new String[] {}))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> IdentitySettings.of(Fixture.config(bad)));
            assertTrue(e.getMessage().startsWith(bad.keySet().iterator().next()), e.getMessage());
        }
        IdentitySettings s = IdentitySettings.of(Fixture.config(Map.of("providerRules",
                new String[] { "brand:acme=vendor", "reseller:r-1=other" })));
        assertEquals("vendor", s.providerFor(null, "acme"));
        assertEquals("other", s.providerFor("r-1", "acme"));
        assertEquals("mobile", s.providerFor("r-2", "default"));
    }
}
