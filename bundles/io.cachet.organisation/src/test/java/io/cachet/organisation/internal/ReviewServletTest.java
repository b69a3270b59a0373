package io.cachet.organisation.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cachet.api.order.CheckStatus;
import io.cachet.api.order.Order;
import io.cachet.api.organisation.OrganisationCase;
import io.cachet.api.organisation.OrganisationDocument;
import io.cachet.api.web.PageSource;
import io.cachet.web.testing.FakeHttp;
import io.cachet.web.testing.FakeHttp.Response;
import io.cachet.web.testing.TestConsoleAccess;
import io.cachet.web.testing.TestPages;

import jakarta.servlet.http.HttpServletRequest;

/**
 * The console review on the real page framework and console shell template, the real cases (H2) and a stand-in of
 * the console's access (the operator named by a header; tokens per operator and form; the same-origin rule).
 */
class ReviewServletTest {

    static final String ORIGIN = "http://cachet.test";

    @TempDir
    Path dir;

    /** The operators the requests name. */
    final TestConsoleAccess access = new TestConsoleAccess().knows("olga", "ra-officer").knows("sam", "support")
            .knows("root", "admin");

    /** A request from the console's page, by {@code operator} (or nobody). */
    static HttpServletRequest request(String method, String pathInfo, String operator, Map<String, String> params) {
        return FakeHttp.request(method, ReviewServlet.PATH, pathInfo).header(TestConsoleAccess.OPERATOR_HEADER,
                operator).header("Origin", ORIGIN).header("Accept-Language", "en").params(params).build();
    }

    @Test
    void anOfficerReadsTheCaseAndItsPagesAndDecidesOthersAreRefused() throws Exception {
        try (Fixture f = new Fixture("h2", dir)) {
            Order o = f.submit(null);
            byte[] kbis = Fixture.kbis(LocalDate.parse("2026-11-20"), "ACME SAS", "552100554", "Anna Maria ERIKSSON");
            OrganisationCase k = f.service.upload(o.id(), OrganisationDocument.EXTRACT, "kbis.pdf", kbis, "customer");
            PageSource console = () -> "console";
            ReviewServlet servlet = new ReviewServlet(f.service, f.orders::find, access,
                    TestPages.create(new OrganisationPages(), console));
            access.origin = ORIGIN;

            Response queue = new Response();
            servlet.doGet(request("GET", null, "sam", Map.of()), queue.proxy);
            assertEquals(200, queue.status);
            assertTrue(queue.body().contains(o.id()) && queue.body().contains("ACME SAS"), queue.body());
            assertFalse(queue.body().contains("/console/organisation/" + k.id()), "support sees the queue, not the case");

            Response forbidden = new Response();
            servlet.doGet(request("GET", "/" + k.id(), "sam", Map.of()), forbidden.proxy);
            assertEquals(403, forbidden.status);
            Response anonymous = new Response();
            servlet.doGet(request("GET", "/" + k.id(), null, Map.of()), anonymous.proxy);
            assertEquals(401, anonymous.status);

            Response page = new Response();
            servlet.doGet(request("GET", "/" + k.id(), "olga", Map.of()), page.proxy);
            assertEquals(200, page.status);
            String html = page.body();
            assertTrue(html.contains("Registration number well formed") && html.contains("check-PASSED"), html);
            String docId = k.documents().get(0).id();
            assertTrue(html.contains("/console/organisation/" + k.id() + "/page/" + docId + "/1"), html);

            Response png = new Response();
            servlet.doGet(request("GET", "/" + k.id() + "/page/" + docId + "/1", "olga", Map.of()), png.proxy);
            assertEquals(200, png.status);
            assertEquals("image/png", png.headers.get("Content-Type"));
            assertEquals("no-store", png.headers.get("Cache-Control"));
            byte[] b = png.bytes.toByteArray();
            assertTrue(b.length > 8 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G', "a PNG image");
            Response missing = new Response();
            servlet.doGet(request("GET", "/" + k.id() + "/page/" + docId + "/2", "olga", Map.of()), missing.proxy);
            assertEquals(404, missing.status);

            Response forged = new Response();
            servlet.doPost(request("POST", "/" + k.id(), "olga", Map.of("action", "reject", "reason", "x",
                    "csrf", "guess")), forged.proxy);
            assertEquals(403, forged.status);
            String token = access.token("olga", ReviewServlet.FORM);
            Response noBasis = new Response();
            servlet.doPost(request("POST", "/" + k.id(), "olga", Map.of("action", "approve", "csrf", token)),
                    noBasis.proxy);
            assertEquals(400, noBasis.status);
            assertTrue(noBasis.body().contains("Choose what names the legal representative"), noBasis.body());
            assertEquals(OrganisationCase.IN_REVIEW, f.service.find(k.id()).orElseThrow().status());

            Response approved = new Response();
            servlet.doPost(request("POST", "/" + k.id(), "olga", Map.of("action", "approve", "basis", "EXTRACT",
                    "csrf", token)), approved.proxy);
            assertEquals(303, approved.status, approved.body());
            assertEquals(ReviewServlet.PATH + "/" + k.id() + "?done=approved", approved.headers.get("Location"));
            assertEquals("olga", f.service.find(k.id()).orElseThrow().decidedBy());
            assertEquals(CheckStatus.PASSED, f.orders.find(o.id()).orElseThrow().checks().stream()
                    .filter(c -> c.kind().equals("organisation")).findFirst().orElseThrow().status());
            assertTrue(f.records("organisation.document.read").stream()
                    .allMatch(r -> r.actor().equals("operator:olga")), "every read audited with its reader");
        }
    }
}
