package io.cachet.acceptance.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cachet.api.operator.Operator;
import io.cachet.api.order.Order;
import io.cachet.api.order.OrderRole;
import io.cachet.api.web.ConsoleOrderAction;
import io.cachet.web.testing.FakeHttp;
import io.cachet.web.testing.TestConsoleAccess;
import io.cachet.web.testing.TestPages;

import jakarta.servlet.http.HttpServletRequest;

/**
 * An order's acceptance in the console, on the real acceptance service (H2, the form sealed with the signature
 * tests' PKI): offered on the order's page once the order entered acceptance, to the roles that read it through the
 * API; each person and whether they accepted; the signed form for the roles that may download it (not support).
 */
class AcceptanceConsoleServletTest {

    @TempDir
    Path dir;

    private static FakeHttp.Response get(AcceptanceConsoleServlet servlet, String pathInfo) throws Exception {
        FakeHttp.Response r = new FakeHttp.Response();
        servlet.doGet(FakeHttp.request("GET", AcceptanceConsoleServlet.PATH + pathInfo, pathInfo, Map.of(), "x", null,
                "en"), r.proxy);
        return r;
    }

    @Test
    void eachPersonsAcceptanceIsShownAndTheSignedFormDownloadedByThoseWhoMay() throws Exception {
        try (Fixture f = new Fixture("h2", dir).sealing()) {
            TestConsoleAccess access = new TestConsoleAccess();
            AcceptanceConsoleServlet servlet = new AcceptanceConsoleServlet(f.service, access,
                    TestPages.create(new AcceptancePages(), () -> "console"));
            Operator officer = new Operator("rita", Set.of("ra-officer"), false);
            Operator support = new Operator("sam", Set.of("support"), false);
            HttpServletRequest request = FakeHttp.request("GET", "/console/orders/x", "/x", Map.of(), "x", null, "en");

            Order before = f.submit(Fixture.JEAN, "en");
            assertEquals(List.of(), servlet.actions(before, officer, request), "not in acceptance yet");
            access.current = officer;
            assertEquals(404, get(servlet, "/" + before.id()).status);

            Order o = f.inAcceptance(Fixture.JEAN, "en");
            assertTrue(f.service.requestCode(o.id(), OrderRole.CERTIFICATE_MANAGER, "person:certificate-manager").ok());
            assertTrue(f.service.accept(o.id(), OrderRole.CERTIFICATE_MANAGER, f.lastCode("+33612345678"),
                    "person:certificate-manager").ok());

            List<ConsoleOrderAction.Link> links = servlet.actions(o, support, request);
            assertEquals(1, links.size());
            assertEquals("Acceptance", links.get(0).label());
            assertEquals("/console/acceptance/" + o.id(), links.get(0).path());
            assertEquals("1 of 2 accepted.", links.get(0).hint());

            FakeHttp.Response page = get(servlet, "/" + o.id());
            assertEquals(200, page.status, page.body());
            String html = page.body();
            assertTrue(html.contains("Waiting for every person to accept."), html);
            assertTrue(html.matches("(?s).*<td data-label=\"Name\">Anna Maria Eriksson</td><td data-label=\"Roles\">"
                    + "certificate manager</td><td data-label=\"Mobile\">[^<]*</td><td data-label=\"Acceptance\">"
                    + "Accepted on \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2} UTC</td>.*"), html);
            assertTrue(html.contains(">Jean Dupont</td><td data-label=\"Roles\">legal representative</td>")
                    && html.contains(">Not yet</td>"), html);
            assertFalse(html.contains("+33612345678") || html.contains("+33698765412"), "mobiles masked");
            assertTrue(html.contains("href=\"/console/acceptance/" + o.id() + "/form\""));

            FakeHttp.Response form = get(servlet, "/" + o.id() + "/form");
            assertEquals(200, form.status);
            assertEquals("application/pdf", form.headers.get("Content-Type"));
            assertEquals("no-store", form.headers.get("Cache-Control"));
            assertEquals("nosniff", form.headers.get("X-Content-Type-Options"), "sent as every download is");
            assertTrue(form.headers.get("Content-Disposition").startsWith("attachment; filename=\"acceptance-"));
            assertArrayEquals(f.service.form(o.id()).orElseThrow(), form.bytes.toByteArray(), "the form as stored");

            access.current = support;
            assertFalse(get(servlet, "/" + o.id()).body().contains("/form\""), "support reads, does not download");
            FakeHttp.Response refused = get(servlet, "/" + o.id() + "/form");
            assertEquals(403, refused.status);
            assertEquals(0, refused.bytes.size());
            assertTrue(refused.body().contains("The signed form needs the admin, operator, ra-officer or auditor"));

            access.current = new Operator("rsl", Set.of("reseller"), false);
            assertEquals(403, get(servlet, "/" + o.id()).status, "not for a reseller's account");
            assertEquals(List.of(), servlet.actions(o, access.current, request));
        }
    }
}
