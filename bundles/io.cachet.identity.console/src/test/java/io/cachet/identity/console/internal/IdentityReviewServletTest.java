package io.cachet.identity.console.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.cachet.api.identity.Attempt;
import io.cachet.api.identity.CaseStatus;
import io.cachet.api.identity.CheckResult;
import io.cachet.api.identity.Decision;
import io.cachet.api.identity.Evidence;
import io.cachet.api.identity.EvidenceKind;
import io.cachet.api.identity.IdentityCase;
import io.cachet.api.identity.MrzData;
import io.cachet.api.order.OrderRole;
import io.cachet.api.web.PageSource;
import io.cachet.api.web.Pages;
import io.cachet.web.testing.FakeHttp;
import io.cachet.web.testing.TestConsoleAccess;
import io.cachet.web.testing.TestPages;

/**
 * The review pages on the real page framework and the real console shell template, against a stand-in of the
 * identity service that keeps the contract's decision rules: who sees what, the evidence viewer, images with their
 * headers, approve and reject with their refusals, the second approval.
 */
class IdentityReviewServletTest {

    /** The console's templates (its shell) as the console bundle ships them, found on the test class path. */
    static final PageSource CONSOLE = () -> "console";
    /** The origin of the console's own forms. */
    static final String ORIGIN = "http://cachet.test";
    static final byte[] JPEG = {(byte) 0xff, (byte) 0xd8, (byte) 0xff, (byte) 0xe0, 0, 16, 'J', 'F', 'I', 'F', 0};
    static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13};
    static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");

    InMemoryCases cases;
    IdentityReviewServlet servlet;
    /** The operators a request names, a token per operator and form, and the same-origin rule on posts. */
    final TestConsoleAccess access = new TestConsoleAccess().knows("olga", "ra-officer").knows("rita", "ra-officer")
            .knows("sam", "support").knows("audrey", "auditor").knows("root", "admin");

    @BeforeEach
    void setUp() {
        cases = new InMemoryCases();
        Pages pages = TestPages.create(new IdentityConsolePages(), CONSOLE);
        access.origin = ORIGIN;
        servlet = new IdentityReviewServlet(cases, access, pages);
        // submitted later, listed second
        cases.put(review("case-b", "ord_b", OrderRole.LEGAL_REPRESENTATIVE, T0.plusSeconds(3600), 1));
        cases.put(review("case-a", "ord_a", OrderRole.CERTIFICATE_MANAGER, T0, 2));
        cases.put(new IdentityCase("case-open", "ord_c", OrderRole.CERTIFICATE_MANAGER, "Martin", "Paul",
                LocalDate.of(1980, 1, 2), "paul@example.org", CaseStatus.OPEN, "mobile", List.of(), 3, List.of(),
                "0.4.0.19461.1.1", T0, T0, null));
        for (String id : List.of("case-a", "case-b")) {
            int n = cases.cases.get(id).currentAttempt().number();
            cases.images.put(id + "/" + n + "/document-front", JPEG);
            cases.images.put(id + "/" + n + "/selfie", PNG);
        }
        cases.images.put("case-a/1/document-front", JPEG);
        cases.images.put("case-a/2/document-back", "<script>alert(1)</script>".getBytes());
    }

    /** A case under review at its attempt {@code n} (of 3); the earlier ones were rejected. */
    static IdentityCase review(String id, String order, OrderRole role, Instant submitted, int n) {
        List<Attempt> attempts = new java.util.ArrayList<>();
        List<Decision> decisions = new java.util.ArrayList<>();
        for (int i = 1; i <= n; i++) {
            Instant at = submitted.minusSeconds(600L * (n - i));
            MrzData mrz = new MrzData("TD3", "P", "UTO", "L898902C3", "ERIKSSON", List.of("ANNA", "MARIA"), "UTO",
                    LocalDate.of(1974, 8, 12), "F", LocalDate.of(2031, 4, 15), null);
            List<CheckResult> checks = List.of(new CheckResult("mrz.check-digits", true, "all 5 and the composite"),
                    new CheckResult("document.not-expired", true, "expires 2031-04-15"),
                    new CheckResult("name.match", i == n, i == n ? "ERIKSSON ANNA MARIA" : "ERIKSON ANNA"),
                    new CheckResult("vendor.liveness", true, "score 0.97"));
            List<Evidence> evidence = List.of(
                    new Evidence(EvidenceKind.DOCUMENT_FRONT, "image/jpeg", 1080, 1920, 204800, "ab".repeat(32), at),
                    new Evidence(EvidenceKind.SELFIE, "image/png", 1080, 1920, 512000, "cd".repeat(32), at));
            attempts.add(new Attempt(i, "mobile", null, "passport", evidence, mrz, checks, at.minusSeconds(300), at));
            if (i < n) {
                decisions.add(new Decision("rita", false, "document-unreadable", "Too blurred, please retake", i,
                        at.plusSeconds(60)));
            }
        }
        return new IdentityCase(id, order, role, "Eriksson", "Anna Maria", LocalDate.of(1974, 8, 12),
                "anna@example.org", CaseStatus.REVIEW, "mobile", attempts, 3, decisions, "0.4.0.19461.1.1", T0, T0, null);
    }

    FakeHttp.Response call(String method, String operator, String path, Map<String, String> params,
            String... headers) throws Exception {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Host", "cachet.test");
        h.put("Accept-Language", "en");
        if (operator != null) {
            h.put(TestConsoleAccess.OPERATOR_HEADER, operator);
        }
        for (int i = 0; i < headers.length; i += 2) {
            h.put(headers[i], headers[i + 1]);
        }
        FakeHttp.Response r = new FakeHttp.Response();
        servlet.service(FakeHttp.request(method, IdentityReviewServlet.PATH, path).headers(h).params(params).build(),
                r.proxy);
        return r;
    }

    FakeHttp.Response get(String operator, String path) throws Exception {
        return call("GET", operator, path, Map.of());
    }

    /** A post from the page, with the operator's token. */
    FakeHttp.Response post(String operator, String caseId, String... params) throws Exception {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("csrf", access.token(operator, IdentityReviewServlet.FORM));
        for (int i = 0; i < params.length; i += 2) {
            p.put(params[i], params[i + 1]);
        }
        return call("POST", operator, "/" + caseId, p, "Origin", ORIGIN);
    }

    @Test
    void theQueueListsCasesUnderReviewOldestFirst() throws Exception {
        FakeHttp.Response r = get("olga", null);
        assertEquals(200, r.status, r.body());
        String body = r.body();
        int a = body.indexOf("id=\"case-case-a\"");
        int b = body.indexOf("id=\"case-case-b\"");
        assertTrue(a > 0 && b > a, "oldest submission first");
        assertFalse(body.contains("case-open"), "only cases under review");
        assertTrue(body.contains("href=\"/console/orders/ord_a\""), "the order is a link to its page");
        assertTrue(body.contains("href=\"/console/identity/case-a\""));
        assertTrue(body.contains("Certificate Manager") && body.contains("Legal Representative"));
        assertTrue(body.contains("2 of 3"), "the attempt of the maximum");
        assertTrue(body.contains("2026-03-02 09:00 UTC"), "submitted at");
        assertTrue(body.contains("Cases awaiting review: 2"));
        assertTrue(cases.audit.isEmpty(), "the queue shows no evidence: no view recorded");
        assertFalse(body.contains("Eriksson"), "no name in the queue");
    }

    @Test
    void supportSeesTheQueueButNeitherEvidenceNorImagesNorDecisions() throws Exception {
        FakeHttp.Response queue = get("sam", null);
        assertEquals(200, queue.status);
        assertTrue(queue.body().contains("ord_a"));
        assertFalse(queue.body().contains("href=\"/console/identity/case-a\""), "no link to the evidence");
        assertTrue(queue.body().contains("registration officers"));

        FakeHttp.Response page = get("sam", "/case-a");
        assertEquals(403, page.status);
        assertTrue(page.body().contains("only to registration officers"));
        assertEquals(403, get("sam", "/case-a/image/2/document-front").status);
        FakeHttp.Response decide = post("sam", "case-a", "action", "approve", "confirm", "yes");
        assertEquals(403, decide.status);
        assertEquals(CaseStatus.REVIEW, cases.cases.get("case-a").status());
        assertTrue(cases.audit.isEmpty(), "nothing was shown: nothing to audit");
    }

    @Test
    void administratorsAndAuditorsDoNotReviewIdentities() throws Exception {
        for (String who : List.of("root", "audrey")) {
            assertEquals(403, get(who, null).status, who);
            assertEquals(403, get(who, "/case-a").status, who);
            assertEquals(403, get(who, "/case-a/image/2/selfie").status, who);
            assertEquals(403, post(who, "case-a", "action", "approve", "confirm", "yes").status, who);
        }
        assertEquals(CaseStatus.REVIEW, cases.cases.get("case-a").status());
        assertTrue(cases.audit.isEmpty());
    }

    @Test
    void withoutLoginNothingIsShown() throws Exception {
        for (String path : new String[] {null, "/case-a", "/case-a/image/2/document-front"}) {
            FakeHttp.Response r = get(null, path);
            assertEquals(401, r.status, String.valueOf(path));
            assertEquals("", r.body());
        }
        assertEquals(401, call("POST", null, "/case-a", Map.of("action", "approve", "confirm", "yes")).status);
        assertEquals(CaseStatus.REVIEW, cases.cases.get("case-a").status());
        assertTrue(cases.audit.isEmpty());
    }

    @Test
    void theViewerShowsTheEvidenceTheZoneAgainstTheOrderEveryCheckAndTheHistoryAndIsAudited() throws Exception {
        FakeHttp.Response r = get("olga", "/case-a");
        assertEquals(200, r.status, r.body());
        String body = r.body();
        assertEquals(List.of("review case-a olga"), cases.audit, "the view is recorded, through review()");
        // the images of the attempt under review, served by this servlet, and the earlier attempt's
        assertTrue(body.contains("src=\"/console/identity/case-a/image/2/document-front\""));
        assertTrue(body.contains("src=\"/console/identity/case-a/image/2/selfie\""));
        assertTrue(body.contains("src=\"/console/identity/case-a/image/1/document-front\""));
        assertTrue(body.contains("alt=\"Document, front, attempt 2\""));
        assertTrue(body.contains("1080×1920 px, 200 KB"));
        // expected identity against the zone
        assertTrue(body.contains("Anna Maria") && body.contains("ANNA MARIA"));
        assertTrue(body.contains("1974-08-12"));
        assertTrue(body.contains("L898902C3") && body.contains("2031-04-15") && body.contains("UTO"));
        // every check with its result; the provider's apart
        assertTrue(body.contains("Check digits of the zone"));
        assertTrue(body.contains("expires 2031-04-15"));
        assertTrue(body.contains("Checks reported by the provider mobile"));
        assertTrue(body.contains("score 0.97"));
        assertTrue(body.contains("Checks run by Cachet (1 failed)"), "the earlier attempt's failed name check");
        assertTrue(body.contains("ERIKSON ANNA"));
        // earlier attempt and its rejection
        assertTrue(body.contains("Earlier attempts"));
        assertTrue(body.contains("The document cannot be read"), "the reason's label");
        assertTrue(body.contains("Too blurred, please retake"));
        assertTrue(body.contains("by rita"));
        // the forms, each with the token
        assertTrue(body.contains("id=\"approve-form\"") && body.contains("id=\"reject-form\""));
        assertTrue(body.contains("value=\"" + access.token("olga", IdentityReviewServlet.FORM) + "\""));
        assertTrue(body.contains("<option value=\"selfie-mismatch\">The selfie does not match the document</option>"));
        assertTrue(body.contains("Allow another attempt (1 left)"));
        assertTrue(r.headers.get("Content-Security-Policy").contains("default-src 'none'"));
        assertFalse(body.contains("<script"), "no script");
        assertFalse(body.contains("style="), "no inline style");
    }

    @Test
    void theViewerInFrench() throws Exception {
        FakeHttp.Response r = call("GET", "olga", "/case-a", Map.of(), "Accept-Language", "fr");
        assertEquals(200, r.status);
        assertTrue(r.body().contains("Justificatifs de la tentative 2"));
        assertTrue(r.body().contains("Refuser l&#39;identité") || r.body().contains("Refuser l'identité"));
        assertTrue(r.body().contains("Passeport"));
    }

    @Test
    void imagesAreServedOnlyAsJpegOrPngNeverCachedNeverSniffedAndEachFetchIsAudited() throws Exception {
        FakeHttp.Response jpeg = get("olga", "/case-a/image/2/document-front");
        assertEquals(200, jpeg.status);
        assertEquals("image/jpeg", jpeg.headers.get("Content-Type"));
        assertEquals("no-store", jpeg.headers.get("Cache-Control"));
        assertEquals("nosniff", jpeg.headers.get("X-Content-Type-Options"));
        assertArrayEquals(JPEG, jpeg.bytes.toByteArray());
        FakeHttp.Response png = get("olga", "/case-a/image/2/selfie");
        assertEquals("image/png", png.headers.get("Content-Type"));
        assertArrayEquals(PNG, png.bytes.toByteArray());
        assertEquals(List.of("image case-a 2 document-front olga", "image case-a 2 selfie olga"), cases.audit);

        FakeHttp.Response notAnImage = get("olga", "/case-a/image/2/document-back");
        assertEquals(500, notAnImage.status);
        assertFalse(notAnImage.body().contains("<script>alert"), "bytes that are no image are never sent");
        assertTrue(notAnImage.body().contains("neither a JPEG nor a PNG") || notAnImage.body().contains("not a JPEG"));

        assertEquals(404, get("olga", "/case-a/image/3/selfie").status);
        assertEquals(404, get("olga", "/nosuch/image/1/selfie").status);
        assertEquals(404, get("olga", "/case-a/image/2/passport-scan").status, "an unknown kind");
        assertEquals(404, get("olga", "/case-a/image/x/selfie").status);
        assertEquals(404, get("olga", "/case-a/../case-b").status);
    }

    @Test
    void anApprovalCompletesTheCaseAndTheRedirectSaysSo() throws Exception {
        FakeHttp.Response r = post("olga", "case-a", "action", "approve", "confirm", "yes");
        assertEquals(303, r.status, r.body());
        assertEquals("/console/identity/case-a?done=approved", r.headers.get("Location"));
        IdentityCase c = cases.cases.get("case-a");
        assertEquals(CaseStatus.APPROVED, c.status());
        Decision d = c.decisions().get(c.decisions().size() - 1);
        assertTrue(d.approved());
        assertEquals("olga", d.operator());
        assertEquals(2, d.attempt());

        FakeHttp.Response page = call("GET", "olga", "/case-a", Map.of("done", "approved"));
        assertTrue(page.body().contains("Identity approved: the order&#39;s identity check has passed.")
                || page.body().contains("Identity approved: the order's identity check has passed."));
        assertFalse(page.body().contains("id=\"approve-form\""), "nothing more to decide");
        assertTrue(page.body().contains("No decision can be taken: the case is Approved."));
        assertFalse(get("olga", null).body().contains("case-a"), "out of the queue");
    }

    @Test
    void anApprovalNeedsTheConfirmationAndTheFormsToken() throws Exception {
        FakeHttp.Response unconfirmed = post("olga", "case-a", "action", "approve");
        assertEquals(400, unconfirmed.status);
        assertTrue(unconfirmed.body().contains("tick the box"));

        FakeHttp.Response noToken = call("POST", "olga", "/case-a", Map.of("action", "approve", "confirm", "yes"),
                "Origin", ORIGIN);
        assertEquals(403, noToken.status);
        assertTrue(noToken.body().contains("This form is out of date or was not sent from this page"));
        FakeHttp.Response othersToken = call("POST", "olga", "/case-a", Map.of("action", "approve", "confirm", "yes",
                "csrf", access.token("rita", IdentityReviewServlet.FORM)), "Origin", ORIGIN);
        assertEquals(403, othersToken.status);
        FakeHttp.Response otherSite = call("POST", "olga", "/case-a", Map.of("action", "approve", "confirm", "yes",
                "csrf", access.token("olga", IdentityReviewServlet.FORM)), "Origin", "https://evil.example");
        assertEquals(403, otherSite.status);
        assertEquals(400, post("olga", "case-a", "action", "delete").status);
        assertEquals(CaseStatus.REVIEW, cases.cases.get("case-a").status());
        assertEquals(1, cases.cases.get("case-a").decisions().size(), "nothing decided");
    }

    @Test
    void aRejectionNeedsAReasonOfTheListAndMayAllowAnotherAttempt() throws Exception {
        FakeHttp.Response none = post("olga", "case-b", "action", "reject", "comment", "Blurred");
        assertEquals(400, none.status);
        assertTrue(none.body().contains("choose a reason from the list"));
        assertTrue(none.body().contains(">Blurred</textarea>"), "what was typed is kept");
        FakeHttp.Response unknown = post("olga", "case-b", "action", "reject", "reason", "looks-odd");
        assertEquals(400, unknown.status);
        FakeHttp.Response tooLong = post("olga", "case-b", "action", "reject", "reason", "selfie-mismatch",
                "comment", "x".repeat(IdentityReviewServlet.MAX_COMMENT + 1));
        assertEquals(400, tooLong.status);
        assertTrue(tooLong.body().contains("at most 1000 characters"));
        assertEquals(CaseStatus.REVIEW, cases.cases.get("case-b").status());

        FakeHttp.Response r = post("olga", "case-b", "action", "reject", "reason", "selfie-mismatch", "comment",
                "The face on the selfie is not the one on the passport", "retry", "yes");
        assertEquals(303, r.status, r.body());
        assertEquals("/console/identity/case-b?done=rejected-retry", r.headers.get("Location"));
        IdentityCase c = cases.cases.get("case-b");
        assertEquals(CaseStatus.OPEN, c.status(), "another attempt allowed");
        Decision d = c.decisions().get(0);
        assertFalse(d.approved());
        assertEquals("selfie-mismatch", d.reason());
        assertEquals("The face on the selfie is not the one on the passport", d.comment());
    }

    @Test
    void aRejectionWithoutRetryEndsTheCase() throws Exception {
        FakeHttp.Response r = post("olga", "case-b", "action", "reject", "reason", "copy-not-original");
        assertEquals(303, r.status);
        assertEquals("/console/identity/case-b?done=rejected", r.headers.get("Location"));
        assertEquals(CaseStatus.REJECTED, cases.cases.get("case-b").status());
    }

    @Test
    void theLastAttemptSaysThatRejectingEndsTheIdentification() throws Exception {
        cases.put(review("case-last", "ord_l", OrderRole.CERTIFICATE_MANAGER, T0, 3));
        String body = get("olga", "/case-last").body();
        assertTrue(body.contains("id=\"last-attempt\""));
        assertFalse(body.contains("id=\"reject-retry\""));
    }

    @Test
    void aSecondApprovalMustComeFromAnotherOperator() throws Exception {
        cases.secondApproval = true;
        FakeHttp.Response first = post("olga", "case-a", "action", "approve", "confirm", "yes");
        assertEquals(303, first.status);
        assertEquals("/console/identity/case-a?done=first-approval", first.headers.get("Location"));
        assertEquals(CaseStatus.REVIEW, cases.cases.get("case-a").status());

        String mine = get("olga", "/case-a").body();
        assertTrue(mine.contains("id=\"awaiting-second\""));
        assertTrue(mine.contains("You approved this identity"));
        assertFalse(mine.contains("id=\"approve-form\""), "no second approval by the same operator");
        assertTrue(get("olga", null).body().contains("1, awaiting a second approval"));

        FakeHttp.Response again = post("olga", "case-a", "action", "approve", "confirm", "yes");
        assertEquals(409, again.status);
        assertTrue(again.body().contains("You have already approved this identity"));
        assertEquals(CaseStatus.REVIEW, cases.cases.get("case-a").status());

        String theirs = get("rita", "/case-a").body();
        assertTrue(theirs.contains("Approved by olga: awaiting a second approval"));
        assertTrue(theirs.contains("Give the second approval"));
        FakeHttp.Response second = post("rita", "case-a", "action", "approve", "confirm", "yes");
        assertEquals("/console/identity/case-a?done=approved", second.headers.get("Location"));
        assertEquals(CaseStatus.APPROVED, cases.cases.get("case-a").status());
    }

    @Test
    void aDecisionOnACaseNoLongerUnderReviewIsRefusedClearly() throws Exception {
        FakeHttp.Response r = post("olga", "case-open", "action", "reject", "reason", "selfie-mismatch");
        assertEquals(409, r.status);
        assertTrue(r.body().contains("no longer awaiting review"));
        assertEquals(CaseStatus.OPEN, cases.cases.get("case-open").status());
        assertEquals(404, post("olga", "nosuch", "action", "approve", "confirm", "yes").status);
        assertEquals(404, get("olga", "/nosuch").status);
    }

    @Test
    void aFailingServiceGivesAMessageNeverAStackTrace() throws Exception {
        cases.failure = new IllegalStateException("database connection refused at org.h2.Driver");
        for (FakeHttp.Response r : List.of(get("olga", null), get("olga", "/case-a"),
                post("olga", "case-a", "action", "approve", "confirm", "yes"))) {
            assertEquals(503, r.status);
            assertTrue(r.body().contains("cannot be read right now; try again later"));
            assertFalse(r.body().contains("org.h2") || r.body().contains("Exception"));
        }
    }

    @Test
    void routes() {
        assertEquals(IdentityReviewServlet.Route.Kind.QUEUE, IdentityReviewServlet.Route.of(null).kind());
        assertEquals(IdentityReviewServlet.Route.Kind.QUEUE, IdentityReviewServlet.Route.of("/").kind());
        assertEquals("abc_D-1", IdentityReviewServlet.Route.of("/abc_D-1").caseId());
        IdentityReviewServlet.Route image = IdentityReviewServlet.Route.of("/c1/image/2/document-back");
        assertEquals(IdentityReviewServlet.Route.Kind.IMAGE, image.kind());
        assertEquals(2, image.attempt());
        assertEquals(EvidenceKind.DOCUMENT_BACK, image.image());
        assertEquals(IdentityReviewServlet.Route.Kind.NONE, IdentityReviewServlet.Route.of("/c1/image/0/selfie").kind());
        assertEquals(IdentityReviewServlet.Route.Kind.NONE, IdentityReviewServlet.Route.of("/a/b").kind());
    }
}
