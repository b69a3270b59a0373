package io.cachet.evidence.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cachet.api.audit.AuditRecord;
import io.cachet.api.operator.Operator;
import io.cachet.api.order.Order;
import io.cachet.api.order.OrderState;
import io.cachet.api.security.Digests;
import io.cachet.api.web.ConsoleAccess;
import io.cachet.api.web.ConsoleOrderAction;
import io.cachet.api.web.PageSource;
import io.cachet.web.testing.FakeHttp;
import io.cachet.web.testing.TestConsoleAccess;
import io.cachet.web.testing.TestPages;

import jakarta.servlet.http.HttpServletRequest;

/**
 * An order's evidence file in the console, through the real page framework and the real evidence service (sealed
 * with DSS and time-stamped by the test PKI's TSA): offered on the order's page to those who may read it once it is
 * made; its contents, fingerprint and time-stamps; the PDF downloaded and the download audited with the operator; a
 * new archive time-stamp for admins and operators only, from a form of this console only.
 */
class EvidenceConsoleServletTest {

    @TempDir
    Path dir;

    @BeforeAll
    static void pki() {
        EvidenceServiceTest.pki();
    }

    private static FakeHttp.Response get(EvidenceConsoleServlet servlet, String pathInfo) throws Exception {
        FakeHttp.Response r = new FakeHttp.Response();
        servlet.doGet(FakeHttp.request("GET", EvidenceConsoleServlet.PATH + pathInfo, pathInfo, Map.of(), "x", null,
                "en"), r.proxy);
        return r;
    }

    private static FakeHttp.Response post(EvidenceConsoleServlet servlet, String pathInfo, Map<String, String> form)
            throws Exception {
        FakeHttp.Response r = new FakeHttp.Response();
        servlet.doPost(FakeHttp.request("POST", EvidenceConsoleServlet.PATH + pathInfo, pathInfo, form, "x", null,
                "en"), r.proxy);
        return r;
    }

    @Test
    void theFileIsShownDownloadedAndTimestampedByThoseWhoMay() throws Exception {
        try (EvidenceServiceTest.Fixture f = EvidenceServiceTest.fixture("h2", dir)) {
            TestConsoleAccess access = new TestConsoleAccess();
            PageSource shell = () -> "console";
            EvidenceConsoleServlet servlet = new EvidenceConsoleServlet(f.service(), access,
                    TestPages.create(new EvidencePages(), shell));

            access.as("alice", "auditor");
            FakeHttp.Response none = get(servlet, "/ord_ev");
            assertEquals(404, none.status);
            assertTrue(none.body().contains("This order has no evidence file: it is made once the order"), none.body());

            f.service().enqueue("ord_ev");
            assertTrue(f.service().runDue());
            var info = f.service().find("ord_ev").orElseThrow();

            FakeHttp.Response page = get(servlet, "/ord_ev");
            assertEquals(200, page.status, page.body());
            String html = page.body();
            assertTrue(html.contains(info.sha256()), "the fingerprint");
            assertTrue(html.contains("<code>order.json</code>") && html.contains("<code>certificate.pem</code>"));
            assertTrue(html.contains("acceptance: the acceptance module is not running"), "what is missing, and why");
            assertTrue(html.contains("href=\"/console/evidence/ord_ev/file\""), "the download");
            assertTrue(html.contains("href=\"/console/orders/ord_ev\""), "the way back to the order");
            assertFalse(html.contains("timestamp-form"), "an auditor reads, does not time-stamp");

            FakeHttp.Response file = get(servlet, "/ord_ev/file");
            assertEquals(200, file.status);
            assertEquals("application/pdf", file.headers.get("Content-Type"));
            assertTrue(file.headers.get("Content-Disposition").startsWith("attachment; filename=\"evidence-ord_ev.pdf\""));
            assertEquals("nosniff", file.headers.get("X-Content-Type-Options"), "sent as every download is");
            assertEquals("no-store", file.headers.get("Cache-Control"));
            assertEquals(info.sha256(), Digests.sha256Hex(file.bytes.toByteArray()), "the stored file, whole");
            assertTrue(f.audit().read(1, 1000).stream().anyMatch(r -> r.action().equals("evidence.downloaded")
                    && r.actor().equals("operator:alice") && r.subject().equals("order:ord_ev")), "audited as Alice's");

            assertEquals(403, post(servlet, "/ord_ev", Map.of(ConsoleAccess.TOKEN_FIELD,
                    access.formToken(access.current, EvidenceConsoleServlet.FORM))).status, "not an auditor");

            access.as("olivia", "operator");
            assertTrue(get(servlet, "/ord_ev").body().contains("timestamp-form"));
            FakeHttp.Response forged = post(servlet, "/ord_ev", Map.of(ConsoleAccess.TOKEN_FIELD, "token-alice-x"));
            assertEquals(403, forged.status);
            assertTrue(forged.body().contains("This form has expired or did not come from this console"));
            assertEquals(1, f.service().find("ord_ev").orElseThrow().timestamps(), "nothing added");

            FakeHttp.Response stamped = post(servlet, "/ord_ev", Map.of(ConsoleAccess.TOKEN_FIELD,
                    access.formToken(access.current, EvidenceConsoleServlet.FORM)));
            assertEquals(200, stamped.status, stamped.body());
            assertTrue(stamped.body().contains("An archive time-stamp was added: the file now carries 2"),
                    stamped.body());
            assertEquals(2, f.service().find("ord_ev").orElseThrow().timestamps());
            assertTrue(f.audit().read(1, 1000).stream().map(AuditRecord::actor).anyMatch("operator:olivia"::equals));

            access.as("sam", "support");
            FakeHttp.Response refused = get(servlet, "/ord_ev/file");
            assertEquals(403, refused.status);
            assertEquals(0, refused.bytes.size(), "no file for a role that may not read it");
            assertFalse(refused.body().contains(info.sha256()));

            access.as("olivia", "operator");
            FakeHttp.Response odd = get(servlet, "/../etc/file");
            assertEquals(404, odd.status, "a path that is no order id");
            assertEquals(0, odd.bytes.size());
        }
    }

    @Test
    void theOrderPageOffersTheFileOnceMadeToThoseWhoMayReadIt() throws Exception {
        try (EvidenceServiceTest.Fixture f = EvidenceServiceTest.fixture("h2", dir)) {
            TestConsoleAccess access = new TestConsoleAccess();
            EvidenceConsoleServlet servlet = new EvidenceConsoleServlet(f.service(), access,
                    TestPages.create(new EvidencePages(), () -> "console"));
            Order order = new Order("ord_act", OrderState.DELIVERY, null, null, "default", "en", Instant.EPOCH,
                    Instant.EPOCH, null, null, List.of(), 1);
            HttpServletRequest request = FakeHttp.request("GET", "/console/orders/ord_act", "/ord_act", Map.of(), "x",
                    null, "en");
            Operator auditor = new Operator("alice", Set.of("auditor"), false);
            assertEquals(List.of(), servlet.actions(order, auditor, request), "nothing made yet");

            f.service().enqueue("ord_act");
            assertTrue(f.service().runDue());
            List<ConsoleOrderAction.Link> links = servlet.actions(order, auditor, request);
            assertEquals(1, links.size());
            assertEquals("Evidence file", links.get(0).label());
            assertEquals("/console/evidence/ord_act", links.get(0).path());
            assertTrue(links.get(0).hint().matches("Sealed \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2} UTC: 2 attachments, 1"
                    + " missing\\."), links.get(0).hint());
            assertEquals(List.of(), servlet.actions(order, new Operator("sam", Set.of("support"), false), request),
                    "support does not read evidence files");
        }
    }
}
