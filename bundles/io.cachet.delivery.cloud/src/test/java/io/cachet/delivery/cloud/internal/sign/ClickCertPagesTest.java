package io.cachet.delivery.cloud.internal.sign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.cachet.api.security.Digests;
import io.cachet.api.web.Pages;
import io.cachet.delivery.cloud.internal.HolderAccess;
import io.cachet.delivery.cloud.internal.HolderSession;
import io.cachet.delivery.cloud.internal.sign.Document.State;
import io.cachet.signature.testing.Pdfs;
import io.cachet.signature.testing.Tools;
import io.cachet.web.testing.FakeHttp;
import io.cachet.web.testing.TestPages;

/**
 * Click&amp;Cert's pages through the real page framework, in French and English: the basic path without script
 * (forms, the preview as an image button), the anti-forgery field on every post, the login redirect, the page
 * policy, what a refusal shows.
 */
class ClickCertPagesTest {

    @TempDir
    Path dir;

    private static final class Browser {
        final ClickCertServlet servlet;
        final HolderSession session;
        final String language;

        Browser(ClickCertServlet servlet, HolderSession session, String language) {
            this.servlet = servlet;
            this.session = session;
            this.language = language;
        }

        FakeHttp.Request request(String method, String path) {
            FakeHttp.Request r = FakeHttp.request(method, path).header("Accept-Language", language);
            if (session != null) {
                r.cookie(HolderAccess.SESSION_COOKIE, Fixture.Holders.cookie(session));
            }
            return r;
        }

        FakeHttp.Response get(String path) throws Exception {
            FakeHttp.Response resp = new FakeHttp.Response();
            servlet.doGet(request("GET", path).build(), resp.proxy);
            return resp;
        }

        FakeHttp.Response post(FakeHttp.Request r) throws Exception {
            FakeHttp.Response resp = new FakeHttp.Response();
            servlet.doPost(r.build(), resp.proxy);
            return resp;
        }

        FakeHttp.Request form(String path) {
            return request("POST", path).param("csrf", session.csrf());
        }
    }

    private static ClickCertServlet servlet(Fixture f) {
        Pages pages = TestPages.create(new ClickCertPages());
        return new ClickCertServlet(f.service, f.holders, pages, new io.cachet.api.web.ClientLimiter(1000, f.clock));
    }

    /** The page policy, no caching, no inline script or style (the certificates' pages too). */
    static void policed(FakeHttp.Response r) {
        String csp = r.headers.get("Content-Security-Policy");
        assertNotNull(csp, "a page policy");
        assertTrue(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"), csp);
        assertEquals("no-store", r.headers.get("Cache-Control"));
        assertFalse(Pattern.compile("<script(?![^>]*\\ssrc=)").matcher(r.body()).find(), "no inline script");
        assertFalse(r.body().contains(" style="), "no inline style");
    }

    private static String documentId(String location) {
        Matcher m = Pattern.compile("document=([0-9a-f-]{36})").matcher(location);
        assertTrue(m.find(), location);
        return m.group(1);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "en", "fr" })
    void theHolderSealsAPdfWithAVisibleSealWithoutScript(String language) throws Exception {
        boolean en = language.equals("en");
        try (Fixture f = new Fixture("h2", dir)) {
            f.holderWithSeal("h1", "ord_page");
            Browser b = new Browser(servlet(f), f.holders.login("h1"), language);

            FakeHttp.Response start = b.get("/space/sign");
            assertEquals(200, start.status, start.body());
            policed(start);
            String page = start.body();
            assertTrue(page.contains(en ? "Choose the certificate" : "Choisissez le certificat"), page);
            assertTrue(page.contains("value=\"ord_page\" required checked"), "the one valid seal is chosen");
            assertTrue(page.contains(en ? "at most 20 MB" : "20 Mo au plus"), "the size limit is shown");
            assertTrue(page.contains("accept=\"application/pdf,.pdf\""));
            assertTrue(page.contains("name=\"csrf\" value=\"" + b.session.csrf() + "\""));
            assertTrue(page.contains("action=\"/space/logout\""), "the space's navigation");
            assertTrue(page.contains("ACME SAS"));

            byte[] pdf = Files.readAllBytes(Pdfs.pages(dir.resolve("p.pdf"), 2));
            FakeHttp.Response up = b.post(b.form("/space/sign/upload").param("order", "ord_page").part("file",
                    "offre.pdf", pdf));
            assertEquals(302, up.status, up.body());
            String id = documentId(up.headers.get("Location"));
            assertTrue(up.headers.get("Location").contains("order=ord_page"));

            FakeHttp.Response doc = b.get("/space/sign?document=" + id + "&order=ord_page");
            assertEquals(200, doc.status, doc.body());
            policed(doc);
            String sha = Digests.sha256Hex(pdf);
            assertTrue(doc.body().contains(sha.substring(0, 8) + " " + sha.substring(8, 16)), "the hash, grouped");
            assertTrue(doc.body().contains("type=\"image\" name=\"at\" id=\"preview\" src=\"/space/sign/documents/"
                    + id + "/pages/1.png\""), doc.body());
            assertTrue(doc.body().contains(en ? "the signature will be invisible" : "la signature sera invisible"));

            // the image button posts where it was clicked; page 2 chosen first
            FakeHttp.Response placed = b.get("/space/sign?document=" + id + "&order=ord_page&page=2&px=0&py=0");
            assertTrue(placed.body().contains(en ? "on page 2, 0 points from the left and 0 from the top"
                    : "en page 2, à 0 points du bord gauche et 0 du haut"), placed.body());
            assertTrue(placed.body().contains("<input type=\"hidden\" name=\"x\" value=\"0\">"));
            FakeHttp.Response boxed = b.get("/space/sign/documents/" + id + "/pages/2.png?x=0&y=0");
            assertEquals("image/png", boxed.headers.get("Content-Type"));

            FakeHttp.Response wrong = b.post(b.form("/space/sign/documents/" + id + "/sign").param("order",
                    "ord_page").param("sha256", sha).param("password", "wrong").param("page", "2")
                    .param("x", "0").param("y", "0"));
            assertEquals(401, wrong.status);
            assertTrue(wrong.body().contains(en ? "Your password is wrong; nothing was signed."
                    : "Votre mot de passe est faux ; rien n’a été signé."), wrong.body());
            // back at the same document's signature, its hash shown again: nothing to upload again
            assertTrue(wrong.body().contains("id=\"sign-form\""), wrong.body());
            assertTrue(wrong.body().contains("/space/sign/documents/" + id + "/sign"), wrong.body());
            assertEquals(State.UPLOADED, f.service.find("h1", id).orElseThrow().state());

            FakeHttp.Response done = b.post(b.form("/space/sign/documents/" + id + "/sign").param("order",
                    "ord_page").param("sha256", sha).param("password", Fixture.PASSWORD).param("page", "2")
                    .param("x", "300").param("y", "600"));
            assertEquals(200, done.status, done.body());
            policed(done);
            assertTrue(done.body().contains("href=\"/space/history/" + id + "/signed\""), done.body());
            assertTrue(done.body().contains("PAdES-LT"));

            FakeHttp.Response download = b.get("/space/history/" + id + "/signed");
            assertEquals("application/pdf", download.headers.get("Content-Type"));
            byte[] signed = download.bytes.toByteArray();
            Path file = dir.resolve("offre-signed-" + language + ".pdf");
            Files.write(file, signed);
            assertEquals(0, Tools.pdfsigValid(file, 1));
            try (PDDocument d = Loader.loadPDF(signed)) {
                var widget = d.getSignatureFields().get(0).getWidgets().get(0);
                assertEquals(d.getPage(1).getCOSObject(), widget.getPage().getCOSObject(), "on page 2");
                assertTrue(widget.getRectangle().getWidth() > 100, "a visible box");
            }

            FakeHttp.Response history = b.get("/space/history");
            assertEquals(200, history.status);
            policed(history);
            assertTrue(history.body().contains("offre.pdf"));
            assertTrue(history.body().contains(sha));
            assertTrue(history.body().contains("PAdES-LT"));
            assertTrue(history.body().contains("/space/history/" + id + "/signed"));
        }
    }

    @Test
    void withoutASessionThePagesSendToTheLoginAndComeBack() throws Exception {
        try (Fixture f = new Fixture("h2", dir)) {
            Browser nobody = new Browser(servlet(f), null, "fr");
            FakeHttp.Response r = nobody.get("/space/sign?order=ord_1");
            assertEquals(302, r.status);
            assertEquals("/space/login?next=%2Fspace%2Fsign%3Forder%3Dord_1", r.headers.get("Location"));
            assertEquals("/space/login?next=%2Fspace%2Fhistory", nobody.get("/space/history").headers.get("Location"));
            FakeHttp.Response post = new FakeHttp.Response();
            nobody.servlet.doPost(nobody.request("POST", "/space/sign/upload").build(), post.proxy);
            assertEquals(302, post.status);
            assertEquals("/space/login?next=%2Fspace%2Fsign", post.headers.get("Location"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "en", "fr" })
    void aPostWithoutTheSessionsTokenChangesNothing(String language) throws Exception {
        try (Fixture f = new Fixture("h2", dir)) {
            f.holderWithSeal("h1", "ord_1");
            Browser b = new Browser(servlet(f), f.holders.login("h1"), language);
            byte[] pdf = Files.readAllBytes(Pdfs.pages(dir.resolve("p.pdf"), 1));
            FakeHttp.Response r = b.post(b.request("POST", "/space/sign/upload").param("order", "ord_1")
                    .part("file", "a.pdf", pdf));
            assertEquals(403, r.status);
            assertTrue(r.body().contains(language.equals("en") ? "did not come from this page"
                    : "ne vient pas de cette page"), r.body());
            r = b.post(b.request("POST", "/space/sign/upload").param("csrf", "forged").param("order", "ord_1")
                    .part("file", "a.pdf", pdf));
            assertEquals(403, r.status);
            assertTrue(f.service.history("h1").isEmpty());
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "en", "fr" })
    void refusedUploadsSayWhyInTheHoldersLanguage(String language) throws Exception {
        boolean en = language.equals("en");
        try (Fixture f = new Fixture("h2", dir)) {
            f.holderWithSeal("h1", "ord_1");
            Browser b = new Browser(servlet(f), f.holders.login("h1"), language);
            FakeHttp.Response r = b.post(b.form("/space/sign/upload").param("order", "ord_1").part("file",
                    "photo.jpg", new byte[] { (byte) 0xff, (byte) 0xd8, (byte) 0xff, (byte) 0xe0, 0, 16, 'J', 'F',
                        'I', 'F' }));
            assertEquals(415, r.status);
            assertTrue(r.body().contains(en ? "Only PDF documents can be sealed in the cloud space"
                    : "Seuls les documents PDF peuvent être scellés dans l’espace cloud"), r.body());
            assertTrue(r.body().contains("id=\"upload-form\""), "the form again");

            byte[] enc = Files.readAllBytes(Pdfs.encrypted(dir.resolve("e.pdf"), "pw-7", "owner"));
            FakeHttp.Response up = b.post(b.form("/space/sign/upload").param("order", "ord_1").part("file",
                    "secret.pdf", enc));
            String id = documentId(up.headers.get("Location"));
            FakeHttp.Response ask = b.get("/space/sign?document=" + id + "&order=ord_1");
            assertTrue(ask.body().contains("id=\"password-form\""), ask.body());
            FakeHttp.Response bad = b.post(b.form("/space/sign/documents/" + id + "/password").param("order",
                    "ord_1").param("pdfPassword", "nope"));
            assertEquals(422, bad.status);
            assertTrue(bad.body().contains(en ? "password is wrong" : "Le mot de passe du PDF est faux"));
            FakeHttp.Response ok = b.post(b.form("/space/sign/documents/" + id + "/password").param("order",
                    "ord_1").param("pdfPassword", "pw-7"));
            assertEquals(302, ok.status);
            assertTrue(b.get(ok.headers.get("Location")).body().contains("id=\"sign-form\""));
        }
    }

    @Test
    void theSecondFactorsTheHolderEnrolledAreAskedFor() throws Exception {
        try (Fixture f = new Fixture("h2", dir)) {
            f.holderWithSeal("h1", "ord_1");
            f.holders.factors.get("h1").add("totp");
            f.holders.factors.get("h1").add("webauthn");
            // the space part's script, in its namespace
            io.cachet.api.web.PageSource space = new io.cachet.api.web.PageSource() {
                @Override
                public String namespace() {
                    return "cloud-space";
                }

                @Override
                public java.net.URL resource(String path) {
                    return ClickCertPagesTest.class.getResource("/clickcert-test/" + path);
                }
            };
            ClickCertServlet servlet = new ClickCertServlet(f.service, f.holders, TestPages.create(
                    new ClickCertPages(), space), new io.cachet.api.web.ClientLimiter(100, f.clock));
            Browser b = new Browser(servlet, f.holders.login("h1"), "en");
            Document d = f.service.upload(b.session, "a.pdf", Files.readAllBytes(Pdfs.pages(dir.resolve("a.pdf"),
                    1)));
            String page = b.get("/space/sign?document=" + d.id()).body();
            assertTrue(page.contains("id=\"totp\" name=\"totp\""), page);
            assertTrue(page.contains("data-webauthn-get=\"/space/api/webauthn/options\""));
            assertTrue(page.contains("data-webauthn-start"));
            assertTrue(page.contains("data-webauthn-error hidden"), "where the script says a key did not answer");
            assertTrue(Pattern.compile("<script src=\"/assets/cloud-space/[^/]+/webauthn.js\"></script>").matcher(page)
                    .find(), "the space's WebAuthn script");
            assertTrue(page.contains("name=\"factorKind\"") && page.contains("name=\"factorResponse\""));

            FakeHttp.Response noCode = b.post(b.form("/space/sign/documents/" + d.id() + "/sign").param("order",
                    "ord_1").param("sha256", d.sha256()).param("password", Fixture.PASSWORD));
            assertEquals(401, noCode.status);
            assertTrue(noCode.body().contains("Give your second factor too"), noCode.body());
            FakeHttp.Response ok = b.post(b.form("/space/sign/documents/" + d.id() + "/sign").param("order",
                    "ord_1").param("sha256", d.sha256()).param("password", Fixture.PASSWORD).param("totp",
                            "492 039"));
            assertEquals(200, ok.status, ok.body());
            assertEquals(State.SIGNED, f.service.find("h1", d.id()).orElseThrow().state());
            assertFalse(new String(f.audit.all().getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8)
                    .contains("492039"));
        }
    }

    @Test
    void thePagesAreShownInTheBrandOfTheHoldersOrder() throws Exception {
        try (Fixture f = new Fixture("h2", dir)) {
            f.holderWithSeal("h1", "ord_brand");
            io.cachet.api.brand.Brand acme = new io.cachet.api.brand.Brand() {
                @Override
                public String id() {
                    return "acme";
                }

                @Override
                public String displayName() {
                    return "ACME Seals";
                }

                @Override
                public String primaryColour() {
                    return "#123456";
                }

                @Override
                public String supportEmail() {
                    return "help@acme.example";
                }
            };
            io.cachet.api.order.Order order = new io.cachet.api.order.Order("ord_brand",
                    io.cachet.api.order.OrderState.ACTIVE, null, "reseller-acme", "acme", "fr", null, null, null,
                    null, java.util.List.of(), 1);
            f.service.orders(() -> (io.cachet.api.order.Orders) java.lang.reflect.Proxy.newProxyInstance(
                    getClass().getClassLoader(), new Class<?>[] { io.cachet.api.order.Orders.class },
                    (p, m, args) -> m.getName().equals("find") ? java.util.Optional.of(order)
                            : m.getName().equals("hashCode") ? 1 : null));
            ClickCertServlet servlet = new ClickCertServlet(f.service, f.holders, TestPages.create(
                    TestPages.DEFAULT_BRAND, java.util.List.of(acme), new ClickCertPages()),
                    new io.cachet.api.web.ClientLimiter(100, f.clock));
            Browser b = new Browser(servlet, f.holders.login("h1"), "en");
            String page = b.get("/space/sign").body();
            assertTrue(page.contains("data-brand=\"acme\""), page);
            assertTrue(page.contains("ACME Seals"));
            assertTrue(b.get("/space/history").body().contains("help@acme.example"));
        }
    }
}
