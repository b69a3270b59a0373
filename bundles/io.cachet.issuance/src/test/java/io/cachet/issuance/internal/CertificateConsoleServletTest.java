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
import io.cachet.api.web.ConsoleOrderAction;
import io.cachet.web.testing.FakeHttp;
import io.cachet.web.testing.TestConsoleAccess;
import io.cachet.web.testing.TestPages;

import jakarta.servlet.http.HttpServletRequest;

/**
 * An order's certificate in the console, on the real issuance service and CA (software token, H2): offered on the
 * order's page once the order entered issuance, to the roles that read it through the API; where the issuance stands,
 * the frozen subject, the serial and validity once issued, and the PEM chain, which the JDK reads back
 * as the stored certificate then its issuing CA.
 */
class CertificateConsoleServletTest {

    @TempDir
    Path dir;

    private static FakeHttp.Response get(CertificateConsoleServlet servlet, String pathInfo) throws Exception {
        FakeHttp.Response r = new FakeHttp.Response();
        servlet.doGet(FakeHttp.request("GET", CertificateConsoleServlet.PATH + pathInfo, pathInfo, Map.of(), "x",
                null, "en"), r.proxy);
        return r;
    }

    private static FakeHttp.Response post(CertificateConsoleServlet servlet, String orderId, Map<String, String> form,
            String language) throws Exception {
        FakeHttp.Response r = new FakeHttp.Response();
        servlet.doPost(FakeHttp.request("POST", CertificateConsoleServlet.PATH + "/" + orderId, "/" + orderId, form,
                "x", null, language), r.proxy);
        return r;
    }

    @Test
    void theCertificateIsShownAndDownloadedByThoseWhoMayAndOfferedOnceTheOrderEnteredIssuance() throws Exception {
        try (IssuanceFixture f = new IssuanceFixture("h2", dir)) {
            TestConsoleAccess access = new TestConsoleAccess();
            X509Certificate issuing = f.ca.chain().get(0);
            CertificateConsoleServlet servlet = new CertificateConsoleServlet(f.service, () -> Optional.of(issuing),
                    f.service::revoke, access, TestPages.create(new IssuancePages(), () -> "console"));
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

    @Test
    void anOperatorRevokesTheCertificateWithAReasonAndAConfirmationFromTheConsole() throws Exception {
        try (IssuanceFixture f = new IssuanceFixture("h2", dir)) {
            TestConsoleAccess access = new TestConsoleAccess();
            CertificateConsoleServlet servlet = new CertificateConsoleServlet(f.service, Optional::empty,
                    f.service::revoke, access, TestPages.create(new IssuancePages(), () -> "console"));
            Order o = f.inIssuance(Medium.CLOUD);
            assertTrue(f.service.runDue());
            IssuedCertificate c = f.service.find(o.id()).orElseThrow();
            String token = access.token("olga", CertificateConsoleServlet.FORM);
            Map<String, String> ok = Map.of("csrf", token, "reason", "keyCompromise", "confirm", "yes");

            // who may: admins and operators see the form; support and auditors read the page only, and a post is refused
            access.current = new Operator("sam", Set.of("support", "auditor"), false);
            assertFalse(get(servlet, "/" + o.id()).body().contains("id=\"revoke-form\""));
            FakeHttp.Response refused = post(servlet, o.id(), ok, "en");
            assertEquals(403, refused.status);
            access.current = new Operator("olga", Set.of("operator"), false);
            String form = get(servlet, "/" + o.id()).body();
            assertTrue(form.contains("id=\"revoke-form\""), form);
            assertTrue(form.contains("name=\"csrf\" value=\"" + token + "\""), "the form carries its token");
            assertTrue(form.contains("<option value=\"keyCompromise\">Key compromised</option>"), form);
            assertFalse(form.contains("cACompromise"), "the CA's own reason is not offered");

            // a forged post, a missing or unknown reason, no confirmation: nothing revoked, the operator told why
            access.formsAllowed = false;
            FakeHttp.Response forged = post(servlet, o.id(), ok, "en");
            assertEquals(403, forged.status);
            assertTrue(forged.body().contains("did not come from this console"), forged.body());
            access.formsAllowed = true;
            FakeHttp.Response noReason = post(servlet, o.id(), Map.of("csrf", token, "confirm", "yes"), "en");
            assertEquals(400, noReason.status);
            assertTrue(noReason.body().contains("Choose the reason"), noReason.body());
            assertEquals(400, post(servlet, o.id(), Map.of("csrf", token, "reason", "cACompromise", "confirm", "yes"),
                    "en").status);
            FakeHttp.Response unconfirmed = post(servlet, o.id(), Map.of("csrf", token, "reason", "superseded"),
                    "fr");
            assertEquals(400, unconfirmed.status);
            assertTrue(unconfirmed.body().contains("Cochez la case"), unconfirmed.body());
            assertTrue(unconfirmed.body().contains("<option value=\"superseded\" selected>"), "the reason is kept");
            f.ca.revocationsDown = true;
            FakeHttp.Response down = post(servlet, o.id(), ok, "en");
            assertEquals(503, down.status);
            assertTrue(down.body().contains("nothing was revoked"), down.body());
            f.ca.revocationsDown = false;
            assertFalse(f.service.find(o.id()).orElseThrow().revoked(), "nothing revoked so far");

            FakeHttp.Response done = post(servlet, o.id(), ok, "en");
            assertEquals(200, done.status, done.body());
            assertTrue(done.body().contains("Certificate " + c.serialHex() + " is revoked (Key compromised)"),
                    done.body());
            assertTrue(done.body().contains("id=\"revoked\""), "the page shows the revocation");
            assertFalse(done.body().contains("id=\"revoke-form\""), "no form for a revoked certificate");
            assertTrue(f.ca.status(c.serial()).orElseThrow().revoked());
            assertEquals("operator:olga", f.audit.read(1, 100_000).stream()
                    .filter(r -> r.action().equals("ca.certificate.revoked")).findFirst().orElseThrow().actor());

            FakeHttp.Response twice = post(servlet, o.id(), Map.of("csrf", token, "reason", "superseded",
                    "confirm", "yes"), "en");
            assertEquals(409, twice.status);
            assertTrue(twice.body().contains("already revoked"), twice.body());
            assertTrue(get(servlet, "/" + o.id()).body().contains("Key compromised"), "the first reason stays");
            String hint = servlet.actions(o, access.current, FakeHttp.request("GET", "/console/orders/x", "/x",
                    Map.of(), "x", null, "en")).get(0).hint();
            assertTrue(hint.matches("Serial " + c.serialHex() + ", revoked on \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2} UTC"
                    + " \\(Key compromised\\)\\."), "the order's page says so: " + hint);
            Order notIssued = f.inIssuance(Medium.USB_A);
            assertEquals(404, post(servlet, notIssued.id(), ok, "en").status, "a token order still waiting");
        }
    }
}
