package io.cachet.delivery.mail.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cachet.api.delivery.Shipment;
import io.cachet.api.delivery.ShipmentState;
import io.cachet.api.order.Order;
import io.cachet.api.web.PageSource;
import io.cachet.web.testing.FakeHttp;
import io.cachet.web.testing.FakeHttp.Response;
import io.cachet.web.testing.TestConsoleAccess;
import io.cachet.web.testing.TestPages;

import jakarta.servlet.http.HttpServletRequest;

/**
 * The console page on the real page framework and console shell template, the real shipments (H2) and a stand-in of
 * the console's access (the operator named by a header; tokens per operator and form; the same-origin rule).
 */
class ShipmentsServletTest {

    static final String ORIGIN = "http://cachet.test";

    @TempDir
    Path dir;

    /** The operators the requests name. */
    final TestConsoleAccess access = new TestConsoleAccess().knows("otto", "operator").knows("sam", "support")
            .knows("root", "admin");

    /** A request from the console's page, by {@code operator} (or nobody), with the form's file if any. */
    static HttpServletRequest request(String method, String pathInfo, String operator, Map<String, String> params,
            byte[] file) {
        FakeHttp.Request r = FakeHttp.request(method, ShipmentsServlet.PATH, pathInfo)
                .header(TestConsoleAccess.OPERATOR_HEADER, operator).header("Origin", ORIGIN)
                .header("Accept-Language", "en").params(params);
        if (file != null) {
            r.part("file", null, file);
        }
        return r.build();
    }

    static Response get(ShipmentsServlet servlet, String pathInfo, String operator) throws Exception {
        Response r = new Response();
        servlet.doGet(request("GET", pathInfo, operator, Map.of(), null), r.proxy);
        return r;
    }

    static Response post(ShipmentsServlet servlet, String pathInfo, String operator, Map<String, String> params,
            byte[] file) throws Exception {
        Response r = new Response();
        servlet.doPost(request("POST", pathInfo, operator, params, file), r.proxy);
        return r;
    }

    @Test
    void anOperatorPrintsSendsDeliversAndAttachesTheReceiptOthersAreRefused() throws Exception {
        try (Fixture f = new Fixture("h2", dir)) {
            Order o = f.submitToken("fr");
            Shipment s = f.service.prepare(o.id(), "SN-77", "api:tokdel");
            PageSource console = () -> "console";
            ShipmentsServlet servlet = new ShipmentsServlet(f.service, access,
                    TestPages.create(new ShipmentsPages(), console));
            access.origin = ORIGIN;
            String token = access.token("otto", ShipmentsServlet.FORM);

            Response list = get(servlet, null, "otto");
            assertEquals(200, list.status, list.body());
            String html = list.body();
            assertTrue(html.contains(o.id()) && html.contains("SN-77") && html.contains(Fixture.BENEFICIARY)
                    && html.contains("69002 Lyon, FR"), html);
            assertTrue(html.contains("Mark sent") && html.contains("/console/shipments/" + s.id() + "/label?lang=fr"),
                    html);
            assertTrue(html.contains("name=\"csrf\" value=\"" + token + "\""), "every form carries the token");
            assertFalse(html.contains("??"), "every message found: " + html);
            Response support = get(servlet, null, "sam");
            assertEquals(403, support.status, "support does not work on shipments");
            // the console answers (here the stand-in's default ConsoleAccess.operatorWith), naming the roles
            assertTrue(support.body().contains("This page needs one of the roles admin, operator"), support.body());
            assertFalse(support.body().contains(o.id()), support.body());
            assertEquals(401, get(servlet, null, null).status);

            Response label = get(servlet, "/" + s.id() + "/label", "otto");
            assertEquals(200, label.status);
            assertEquals("application/pdf", label.headers.get("Content-Type"));
            assertEquals("no-store", label.headers.get("Cache-Control"));
            try (var doc = Loader.loadPDF(label.bytes.toByteArray())) {
                assertTrue(new PDFTextStripper().getText(doc).contains("LETTRE RECOMMANDÉE"), "the order's language");
            }

            Response forged = post(servlet, "/" + s.id(), "otto", Map.of("action", "sent", "trackingNumber",
                    "1A0000000001", "csrf", "guess"), null);
            assertEquals(403, forged.status);
            assertEquals(ShipmentState.PREPARED, f.service.find(s.id()).orElseThrow().state(), "nothing changed");
            Response supportPost = post(servlet, "/" + s.id(), "sam", Map.of("action", "lost", "csrf",
                    access.token("sam", ShipmentsServlet.FORM)), null);
            assertEquals(403, supportPost.status);
            assertTrue(supportPost.body().contains("This page needs one of the roles"), supportPost.body());
            assertEquals(ShipmentState.PREPARED, f.service.find(s.id()).orElseThrow().state(), "nothing changed");

            Response noNumber = post(servlet, "/" + s.id(), "otto", Map.of("action", "sent", "csrf", token), null);
            assertEquals(400, noNumber.status);
            assertTrue(noNumber.body().contains("Nothing changed") && noNumber.body().contains("tracking number"),
                    noNumber.body());
            Response early = post(servlet, "/" + s.id(), "otto", Map.of("action", "delivered", "csrf", token), null);
            assertEquals(409, early.status);
            Response unknownAction = post(servlet, "/" + s.id(), "otto", Map.of("action", "burn", "csrf", token),
                    null);
            assertEquals(400, unknownAction.status);

            Response sent = post(servlet, "/" + s.id(), "otto", Map.of("action", "sent", "trackingNumber",
                    "1A 0000 0000 001", "note", "", "csrf", token), null);
            assertEquals(303, sent.status, sent.body());
            assertEquals(ShipmentsServlet.PATH + "?state=PREPARED&done=sent#s-" + s.id(), sent.headers.get("Location"));
            assertEquals(ShipmentState.SENT, f.service.find(s.id()).orElseThrow().state());
            assertEquals("operator:otto", f.records("shipment.sent").get(0).actor());
            Response done = new Response();
            servlet.doGet(request("GET", null, "otto", Map.of("state", "SENT", "done", "sent"), null), done.proxy);
            assertTrue(done.body().contains("The letter is marked sent.") && done.body().contains("1A00000000001"),
                    done.body());

            Response delivered = post(servlet, "/" + s.id(), "root", Map.of("action", "delivered", "note",
                    "avis signé", "csrf", access.token("root", ShipmentsServlet.FORM)), null);
            assertEquals(303, delivered.status, delivered.body());
            assertEquals(ShipmentState.DELIVERED, f.told.calls.get(f.told.calls.size() - 1).shipment().state());

            Response noFile = post(servlet, "/" + s.id() + "/receipt", "otto", Map.of("csrf", token), null);
            assertEquals(400, noFile.status);
            Response notAScan = post(servlet, "/" + s.id() + "/receipt", "otto", Map.of("csrf", token),
                    "hello".getBytes());
            assertEquals(400, notAScan.status);
            assertTrue(notAScan.body().contains("PDF, JPEG or PNG"), notAScan.body());
            byte[] scan = Samples.pdf("Avis de reception signe");
            Response attached = post(servlet, "/" + s.id() + "/receipt", "otto", Map.of("csrf", token), scan);
            assertEquals(303, attached.status, attached.body());
            assertTrue(f.service.find(s.id()).orElseThrow().receiptAttached());
            Response receipt = get(servlet, "/" + s.id() + "/receipt", "otto");
            assertEquals(200, receipt.status);
            assertArrayEquals(scan, receipt.bytes.toByteArray());
            assertEquals("operator:otto", f.records("shipment.receipt.read").get(0).actor());

            assertEquals(404, get(servlet, "/shp_nothing/label", "otto").status);
            assertEquals(404, post(servlet, "/shp_nothing", "otto", Map.of("action", "lost", "csrf", token), null)
                    .status);
            Response notReturned = post(servlet, "/" + s.id(), "otto", Map.of("action", "reship", "csrf", token), null);
            assertEquals(409, notReturned.status, "only a returned letter is sent again");
            Shipment back = f.service.move(f.service.move(f.service.prepare(o.id(), "SN-78", "api:tokdel").id(),
                    ShipmentState.SENT, "1A0000000002", null, "api:op").id(), ShipmentState.RETURNED, null, null,
                    "api:op");
            Response reship = post(servlet, "/" + back.id(), "otto", Map.of("action", "reship", "csrf", token), null);
            assertEquals(303, reship.status, reship.body());
            assertEquals(ShipmentsServlet.PATH + "?state=RETURNED&done=reship#s-" + back.id(),
                    reship.headers.get("Location"));
            Shipment again = f.service.current(o.id()).orElseThrow();
            assertEquals("SN-78", again.reference());
            assertEquals(ShipmentState.PREPARED, again.state());
            assertEquals(Fixture.ADDRESS, again.address());
            assertEquals("operator:otto", f.records("shipment.prepared").get(f.records("shipment.prepared").size() - 1)
                    .actor());

            Response all = new Response();
            servlet.doGet(request("GET", null, "otto", Map.of("state", "ALL"), null), all.proxy);
            assertTrue(all.body().contains(s.id()) && all.body().contains("/receipt\">Receipt<"), all.body());
        }
    }
}
