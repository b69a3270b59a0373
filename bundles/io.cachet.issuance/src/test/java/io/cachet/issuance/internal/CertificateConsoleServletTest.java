package io.cachet.issuance.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cachet.api.ca.IssuedCertificate;
import io.cachet.api.operator.Operator;
import io.cachet.api.order.Medium;
import io.cachet.api.order.Order;
import io.cachet.api.web.ConsoleAccess;
import io.cachet.api.web.ConsoleOrderAction;
import io.cachet.web.testing.FakeHttp;
import io.cachet.web.testing.TestPages;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * An order's certificate in the console, on the real issuance service and CA (software token, H2): offered on the
 * order's page once the order entered issuance, to the roles that read it through the API; where the issuance stands,
 * the frozen subject, the serial and validity once issued, and the PEM chain, which the JDK reads back
 * as the stored certificate then its issuing CA.
 */
class CertificateConsoleServletTest {

    @TempDir
    Path dir;

    /** The console's access as far as this read-only page uses it: the operator of the request. */
    static final class Access implements ConsoleAccess {
        Operator current;

        @Override
        public Optional<Operator> operator(HttpServletRequest request, HttpServletResponse response, String role) {
            return Optional.of(current);
        }

        @Override
        public String formToken(Operator operator, String form) {
            return "token";
        }

        @Override
        public boolean formAllowed(HttpServletRequest request, Operator operator, String form) {
            return false;
        }
    }

    private static FakeHttp.Response get(CertificateConsoleServlet servlet, String pathInfo) throws Exception {
        FakeHttp.Response r = new FakeHttp.Response();
        servlet.doGet(FakeHttp.request("GET", CertificateConsoleServlet.PATH + pathInfo, pathInfo, Map.of(), "x",
                null, "en"), r.proxy);
        return r;
    }

    @Test
    void theCertificateIsShownAndDownloadedByThoseWhoMayAndOfferedOnceTheOrderEnteredIssuance() throws Exception {
        try (IssuanceFixture f = new IssuanceFixture("h2", dir)) {
            Access access = new Access();
            X509Certificate issuing = f.ca.chain().get(0);
            CertificateConsoleServlet servlet = new CertificateConsoleServlet(f.service, () -> Optional.of(issuing),
                    access, TestPages.create(new IssuancePages(), () -> "console"));
            Operator support = new Operator("sam", Set.of("support"), false);
            access.current = support;
            HttpServletRequest request = FakeHttp.request("GET", "/console/orders/x", "/x", Map.of(), "x", null, "en");

            Order o = f.inIssuance(Medium.CLOUD);
            List<ConsoleOrderAction.Link> waiting = servlet.actions(o, support, request);
            assertEquals(1, waiting.size());
            assertEquals("Certificate", waiting.get(0).label());
            assertEquals("/console/certificate/" + o.id(), waiting.get(0).path());
            assertTrue(waiting.get(0).hint().startsWith("Being issued"), waiting.get(0).hint());
            FakeHttp.Response before = get(servlet, "/" + o.id());
            assertEquals(200, before.status, before.body());
            assertTrue(before.body().contains("Being issued") && before.body().contains("ACME SAS"));
            assertFalse(before.body().contains("id=\"pem\""), "nothing to download yet");
            assertEquals(404, get(servlet, "/" + o.id() + "/pem").status);

            assertTrue(f.service.runDue());
            IssuedCertificate c = f.service.find(o.id()).orElseThrow();
            List<ConsoleOrderAction.Link> done = servlet.actions(o, support, request);
            assertTrue(done.get(0).hint().startsWith("Serial " + c.serialHex() + ", valid until "),
                    done.get(0).hint());
            FakeHttp.Response page = get(servlet, "/" + o.id());
            assertEquals(200, page.status);
            assertTrue(page.body().contains("<code id=\"serial\">" + c.serialHex() + "</code>"), page.body());
            assertTrue(page.body().contains("href=\"/console/certificate/" + o.id() + "/pem\""));
            assertTrue(page.body().contains("href=\"/console/orders/" + o.id() + "\""), "back to the order");

            FakeHttp.Response pem = get(servlet, "/" + o.id() + "/pem");
            assertEquals(200, pem.status);
            assertEquals("application/pem-certificate-chain", pem.headers.get("Content-Type"));
            assertEquals("no-store", pem.headers.get("Cache-Control"));
            assertEquals("nosniff", pem.headers.get("X-Content-Type-Options"), "sent as every download is");
            assertTrue(pem.headers.get("Content-Disposition").startsWith("attachment; filename=\"" + o.id() + ".pem\""));
            Collection<? extends java.security.cert.Certificate> chain = CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem.bytes.toByteArray()));
            assertEquals(List.of(c.certificate(), issuing), List.copyOf(chain), "the certificate, then its issuing CA");
            assertTrue(new String(pem.bytes.toByteArray(), StandardCharsets.US_ASCII).startsWith(
                    "-----BEGIN CERTIFICATE-----\n"));

            Operator reseller = new Operator("rsl", Set.of("reseller"), false);
            assertEquals(List.of(), servlet.actions(o, reseller, request), "not for a reseller's account");
            access.current = reseller;
            FakeHttp.Response refused = get(servlet, "/" + o.id() + "/pem");
            assertEquals(403, refused.status);
            assertEquals(0, refused.bytes.size());
            access.current = support;
            assertEquals(404, get(servlet, "/ord_nothing").status, "an order that never entered issuance");
            assertEquals(404, get(servlet, "/../etc/pem").status, "a path that is no order id");
        }
    }
}
