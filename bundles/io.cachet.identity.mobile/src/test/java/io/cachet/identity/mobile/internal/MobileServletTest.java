package io.cachet.identity.mobile.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cachet.api.audit.AuditLog;
import io.cachet.api.audit.AuditRecord;
import io.cachet.api.identity.EvidenceKind;
import io.cachet.api.order.Orders;
import io.cachet.api.security.SecretVault;
import io.cachet.api.web.ClientLimiter;
import io.cachet.audit.launch.AuditLogs;
import io.cachet.store.testing.TestDatabases;
import io.cachet.store.testing.TestVaults;
import io.cachet.web.testing.FakeHttp;
import io.cachet.web.testing.TestPages;

/**
 * The phone flow's servlet on the real page framework and store (H2), with a stand-in identity service: the desktop
 * hand-over (QR code, short link, its limit), the pages' policy, the upload's refusals (non-image, too small, 40 MB
 * declared or not, wrong or missing anti-forgery token, unknown flow, unknown kind), the zone and the submission.
 */
class MobileServletTest {

    static final String FLOW = "flow_" + "A".repeat(38);
    static final long MAX = 15L * 1024 * 1024;
    static final String PHONE = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko)"
            + " Chrome/126.0 Mobile Safari/537.36";
    static final String DESKTOP = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko)"
            + " Chrome/126.0 Safari/537.36";

    @TempDir
    Path dir;

    TestDatabases.Handle db;
    StandInCases cases;
    MobileServlet servlet;
    ShortLinks links;
    AuditLog audit;

    @BeforeEach
    void setUp() {
        db = TestDatabases.open("h2", dir);
        ShortLinks.migrate(db.database());
        SecretVault vault = TestVaults.embedded(dir);
        audit = AuditLogs.open(db.database(), List.of());
        links = new ShortLinks(db.database(), vault, audit, Clock.systemUTC(), new SecureRandom(),
                Duration.ofMinutes(20));
        cases = new StandInCases();
        cases.open("case-1", FLOW);
        Orders orders = (Orders) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Orders.class},
                (p, m, a) -> "find".equals(m.getName()) ? Optional.empty() : null);
        servlet = new MobileServlet(TestPages.create(new MobilePages()), cases, orders,
                FormTokens.load(db.database(), vault, new SecureRandom()), links,
                new ClientLimiter(5, Clock.systemUTC()), "", MAX);
    }

    @AfterEach
    void tearDown() {
        db.close();
    }

    /** A request of a phone's browser, in English, to the server the flow's links name. */
    static FakeHttp.Request phone(String method, String servletPath, String pathInfo) {
        return FakeHttp.request(method, servletPath, pathInfo).server("http://cachet.test:8080")
                .header("Accept-Language", "en").header("User-Agent", PHONE);
    }

    FakeHttp.Response get(FakeHttp.Request r) throws IOException {
        FakeHttp.Response out = new FakeHttp.Response();
        servlet.doGet(r.build(), out.proxy);
        return out;
    }

    FakeHttp.Response post(FakeHttp.Request r) throws IOException {
        FakeHttp.Response out = new FakeHttp.Response();
        servlet.doPost(r.build(), out.proxy);
        return out;
    }

    /** The capture page on a phone: its cookie and upload token. */
    String[] session() throws IOException {
        FakeHttp.Response page = get(phone("GET", MobileServlet.PATH, "/" + FLOW + "/capture")
                .param("type", "passport"));
        assertEquals(200, page.status, page.body());
        Matcher m = Pattern.compile("data-token=\"([^\"]+)\"").matcher(page.body());
        assertTrue(m.find(), page.body());
        String cookie = page.cookie(FormTokens.COOKIE);
        assertNotNull(cookie);
        return new String[] {cookie, m.group(1)};
    }

    FakeHttp.Response upload(String kind, byte[] image, String cookie, String token, boolean declared)
            throws IOException {
        FakeHttp.Request r = phone("POST", MobileServlet.PATH, "/" + FLOW + "/image/" + kind)
                .body("image/png", image);
        if (!declared) {
            r.chunked();
        }
        if (cookie != null) {
            r.cookie(FormTokens.COOKIE, cookie);
        }
        if (token != null) {
            r.header(FormTokens.HEADER, token);
        }
        return post(r);
    }

    static byte[] png(int w, int h) throws IOException {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "png", out);
        return out.toByteArray();
    }

    @Test
    void aComputerGetsAQrCodeAndAShortCodeThatOpensTheFlowOnAPhone() throws Exception {
        FakeHttp.Response desktop = get(phone("GET", MobileServlet.PATH, "/" + FLOW)
                .header("User-Agent", DESKTOP));
        assertEquals(200, desktop.status);
        String html = desktop.body();
        assertTrue(html.contains("<svg class=\"qr\""), html);
        assertEquals(PagePolicy.CSP, desktop.headers.get("Content-Security-Policy"));
        Matcher code = Pattern.compile("id=\"short-code\">([2-9A-Z]{4}-[2-9A-Z]{4})<").matcher(html);
        assertTrue(code.find(), html);
        Matcher path = Pattern.compile("d=\"([^\"]+)\"").matcher(html.substring(html.indexOf("<svg")));
        assertTrue(path.find());
        Matcher size = Pattern.compile("viewBox=\"0 0 (\\d+) ").matcher(html);
        assertTrue(size.find());
        assertEquals("http://cachet.test:8080/identity/m/" + code.group(1).replace("-", ""),
                QrSvgTest.decode(Integer.parseInt(size.group(1)), path.group(1)), "the QR code holds the short link");

        // the phone scans it (or types the code, in lower case, with a space)
        FakeHttp.Response scanned = get(phone("GET", MobileServlet.SHORT_PATH,
                "/" + code.group(1).replace("-", "")));
        assertEquals(303, scanned.status);
        assertEquals(MobileServlet.PATH + "/" + FLOW + "?lang=en", scanned.headers.get("Location"));
        FakeHttp.Response form = get(phone("GET", MobileServlet.SHORT_PATH, null));
        Matcher t = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(form.body());
        assertTrue(t.find(), form.body());
        FakeHttp.Response typed = post(phone("POST", MobileServlet.SHORT_PATH, null)
                .cookie(FormTokens.COOKIE, form.cookie(FormTokens.COOKIE)).param("csrf", t.group(1))
                .param("code", code.group(1).toLowerCase().replace("-", " ")));
        assertEquals(303, typed.status, typed.body());
        FakeHttp.Response forged = post(phone("POST", MobileServlet.SHORT_PATH, null)
                .cookie(FormTokens.COOKIE, form.cookie(FormTokens.COOKIE)).param("csrf", "x").param("code", code.group(1)));
        assertEquals(403, forged.status);

        // on the phone, the flow's first page: the prerequisites and the documents to choose from
        FakeHttp.Response phone = get(phone("GET", MobileServlet.PATH, "/" + FLOW));
        assertEquals(200, phone.status);
        assertTrue(phone.body().contains("original identity document"), phone.body());
        assertTrue(phone.body().contains("back-light"), phone.body());
        assertTrue(phone.body().contains("value=\"passport\""), phone.body());
        assertTrue(phone.body().contains("href=\"/identity/documents\""), phone.body());

        // a wrong code is refused, and guessing is limited per client (5 here, 2 used above)
        assertEquals(404, get(phone("GET", MobileServlet.SHORT_PATH, "/ZZZZZZZZ")).status);
        assertEquals(404, get(phone("GET", MobileServlet.SHORT_PATH, "/ZZZZZZZ2")).status);
        assertEquals(404, get(phone("GET", MobileServlet.SHORT_PATH, "/ZZZZZZZ3")).status);
        FakeHttp.Response limited = get(phone("GET", MobileServlet.SHORT_PATH,
                "/" + code.group(1).replace("-", "")));
        assertEquals(429, limited.status);
        assertNotNull(limited.headers.get("Retry-After"));
        assertTrue(audit.read(0, 100).stream().map(AuditRecord::toString)
                .anyMatch(s -> s.contains("identity.mobile.short-link.issued")));
    }

    @Test
    void anExpiredShortCodeNoLongerOpensTheFlow() {
        ShortLinks old = new ShortLinks(db.database(), TestVaults.embedded(dir), audit,
                Clock.fixed(Instant.now().minus(Duration.ofMinutes(30)), ZoneOffset.UTC), new SecureRandom(),
                Duration.ofMinutes(20));
        String code = old.issue("case-1", FLOW, "fr");
        assertTrue(old.resolve(code).isPresent(), "valid at its own time");
        assertTrue(links.resolve(code).isEmpty(), "expired now");
        String fresh = links.issue("case-1", FLOW, "fr");
        assertEquals(FLOW, links.resolve(fresh.toLowerCase()).orElseThrow().flowToken());
    }

    @Test
    void anUnknownOrClosedFlowGetsAClearPage() throws Exception {
        FakeHttp.Response unknown = get(phone("GET", MobileServlet.PATH, "/" + "B".repeat(43)));
        assertEquals(404, unknown.status);
        assertTrue(unknown.body().contains("This link no longer works"), unknown.body());
        FakeHttp.Response garbage = get(phone("GET", MobileServlet.PATH, "/%3Cscript%3E"));
        assertEquals(404, garbage.status);
        FakeHttp.Response upload = upload("selfie", png(1080, 1920), "c".repeat(43), "t", true);
        assertEquals(404, MobileServlet.PATH.isEmpty() ? 0 : post(phone("POST", MobileServlet.PATH,
                "/" + "B".repeat(43) + "/image/selfie").body(null, png(1080, 1920))).status);
        assertEquals(403, upload.status, "a known flow without this browser's token");
    }

    @Test
    void uploadsAreCheckedAndRefusedWithAClearMessage() throws Exception {
        String[] s = session();
        FakeHttp.Response ok = upload("document-front", png(1080, 1920), s[0], s[1], true);
        assertEquals(200, ok.status, ok.body());
        assertEquals("{\"kind\":\"document-front\",\"width\":1080,\"height\":1920}", ok.body());
        assertTrue(cases.evidence.containsKey(EvidenceKind.DOCUMENT_FRONT));

        FakeHttp.Response text = upload("selfie", "not an image".getBytes(), s[0], s[1], true);
        assertEquals(422, text.status);
        assertTrue(text.body().contains("\"code\":\"image.not-an-image\""), text.body());
        assertTrue(text.body().contains("not a JPEG or PNG photograph"), text.body());

        FakeHttp.Response small = upload("selfie", png(720, 1280), s[0], s[1], true);
        assertEquals(422, small.status);
        assertTrue(small.body().contains("too small (720 × 1280 pixels)"), small.body());

        int before = cases.calls.size();
        byte[] huge = new byte[40 * 1024 * 1024];
        System.arraycopy(png(1080, 1920), 0, huge, 0, 8);
        FakeHttp.Response declared = upload("selfie", huge, s[0], s[1], true);
        assertEquals(413, declared.status);
        assertTrue(declared.body().contains("more than 15 MB"), declared.body());
        FakeHttp.Response streamed = upload("selfie", huge, s[0], s[1], false);
        assertEquals(413, streamed.status, "refused after reading the limit, without a declared length too");
        assertEquals(before, cases.calls.size(), "too large: never handed to the identity service");

        assertEquals(403, upload("selfie", png(1080, 1920), s[0], "forged", true).status);
        assertEquals(403, upload("selfie", png(1080, 1920), null, s[1], true).status);
        assertEquals(403, upload("selfie", png(1080, 1920), "C".repeat(43), s[1], true).status,
                "another browser's cookie");
        FakeHttp.Response kind = upload("passport-photo", png(1080, 1920), s[0], s[1], true);
        assertEquals(404, kind.status);
        assertFalse(cases.evidence.containsKey(EvidenceKind.SELFIE), "nothing refused was kept");
        assertEquals(List.of("addImage document-front"), cases.calls.stream().filter(c -> c.contains("front"))
                .map(c -> c.substring(0, c.indexOf(' ', 9))).toList());
    }

    @Test
    void theZoneIsCheckedThenTheCaseIsSubmittedOnceComplete() throws Exception {
        String[] s = session();
        FakeHttp.Response page = get(phone("GET", MobileServlet.PATH, "/" + FLOW + "/mrz")
                .param("type", "passport").cookie(FormTokens.COOKIE, s[0]));
        assertEquals(200, page.status);
        assertTrue(page.body().contains("2 lines of 44 characters"), page.body());
        Matcher t = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(page.body());
        assertTrue(t.find());
        String token = t.group(1);

        FakeHttp.Response wrong = post(phone("POST", MobileServlet.PATH, "/" + FLOW + "/mrz")
                .cookie(FormTokens.COOKIE, s[0]).param("csrf", token).param("type", "passport").param("mrz", "BAD<<"));
        assertEquals(422, wrong.status);
        assertTrue(wrong.body().contains("The check digit of the birth date is wrong"), wrong.body());
        assertTrue(wrong.body().contains("BAD&lt;&lt;</textarea>"), "what was typed is kept");

        FakeHttp.Response forged = post(phone("POST", MobileServlet.PATH, "/" + FLOW + "/mrz")
                .cookie(FormTokens.COOKIE, s[0]).param("csrf", "x").param("type", "passport").param("mrz", StandInCases.GOOD_MRZ));
        assertEquals(403, forged.status);
        assertEquals(null, cases.mrz);

        FakeHttp.Response good = post(phone("POST", MobileServlet.PATH, "/" + FLOW + "/mrz")
                .cookie(FormTokens.COOKIE, s[0]).param("csrf", token).param("type", "passport").param("mrz", StandInCases.GOOD_MRZ));
        assertEquals(303, good.status, good.body());
        FakeHttp.Response accepted = get(phone("GET", MobileServlet.PATH, "/" + FLOW + "/mrz")
                .cookie(FormTokens.COOKIE, s[0]));
        assertTrue(accepted.body().contains("id=\"mrz-accepted\""), accepted.body());

        FakeHttp.Response incomplete = post(phone("POST", MobileServlet.PATH, "/" + FLOW + "/submit")
                .cookie(FormTokens.COOKIE, s[0]).param("csrf", token).param("type", "passport"));
        assertEquals(422, incomplete.status);
        assertTrue(incomplete.body().contains("Something is still missing: Front of the document, Your face"),
                incomplete.body());

        assertEquals(200, upload("document-front", png(1080, 1920), s[0], s[1], true).status);
        assertEquals(200, upload("selfie", png(1920, 1080), s[0], s[1], true).status);
        FakeHttp.Response done = post(phone("POST", MobileServlet.PATH, "/" + FLOW + "/submit")
                .cookie(FormTokens.COOKIE, s[0]).param("csrf", token));
        assertEquals(200, done.status, done.body());
        assertTrue(done.body().contains("with an operator"), done.body());
        assertTrue(done.body().contains("by e-mail"), done.body());
        assertEquals(404, get(phone("GET", MobileServlet.PATH, "/" + FLOW)).status,
                "the flow token stops working once submitted");
    }

    @Test
    void aCardNeedsItsBackTooAndAnUnknownTypeIsAskedAgain() throws Exception {
        FakeHttp.Response card = get(phone("GET", MobileServlet.PATH, "/" + FLOW + "/capture")
                .param("type", "eu-id-card"));
        assertEquals(200, card.status);
        assertTrue(card.body().contains("data-kinds=\"document-front,document-back,selfie\""), card.body());
        assertTrue(card.body().contains("id=\"step-document-back\""));
        FakeHttp.Response passport = get(phone("GET", MobileServlet.PATH, "/" + FLOW + "/capture")
                .param("type", "passport"));
        assertTrue(passport.body().contains("data-kinds=\"document-front,selfie\""), passport.body());
        FakeHttp.Response unknown = get(phone("GET", MobileServlet.PATH, "/" + FLOW + "/capture")
                .param("type", "library-card"));
        assertEquals(422, unknown.status);
        assertTrue(unknown.body().contains("Choose your identity document first."), unknown.body());
        assertTrue(capturePolicy(passport), "scripts of this server, the camera, uploads: allowed");
    }

    static boolean capturePolicy(FakeHttp.Response r) {
        String csp = r.headers.get("Content-Security-Policy");
        return csp.contains("script-src 'self'") && !csp.contains("unsafe-inline") && csp.contains("connect-src 'self'")
                && "camera=(self), microphone=(), geolocation=()".equals(r.headers.get("Permissions-Policy"));
    }

    @Test
    void frenchPagesAndTheProviderSendsToTheFlow() throws Exception {
        FakeHttp.Response fr = get(phone("GET", MobileServlet.PATH, "/" + FLOW)
                .header("Accept-Language", "fr-FR"));
        assertTrue(fr.body().contains("Prouvez votre identité"), fr.body());
        assertFalse(fr.body().contains("??"), fr.body());
        assertEquals("/identity/mobile/" + FLOW + "?lang=en",
                new MobileProvider().start(cases.cases.get("case-1"), FLOW, "en").url());
        assertEquals("mobile", new MobileProvider().id());
        assertTrue(Arrays.asList(MobileServlet.status(new io.cachet.api.identity.IdentityException(
                io.cachet.api.identity.IdentityException.Reason.CONFLICT, "case.not-open", "x"))).contains(409));
    }

    @Test
    void theFlowIsShownInTheBrandOfItsOrder() throws Exception {
        io.cachet.api.brand.Brand reseller = new io.cachet.api.brand.Brand() {
            @Override
            public String id() {
                return "reseller-x";
            }

            @Override
            public String displayName() {
                return "Reseller X Trust";
            }

            @Override
            public String primaryColour() {
                return "#7a1f5c";
            }

            @Override
            public String supportEmail() {
                return "help@reseller-x.example";
            }
        };
        io.cachet.api.order.Order order = new io.cachet.api.order.Order("ord_1",
                io.cachet.api.order.OrderState.VERIFICATION, null, "r-1", "reseller-x", "en", Instant.now(),
                Instant.now(), Instant.now().plus(Duration.ofDays(30)), null, List.of(), 1);
        Orders orders = (Orders) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Orders.class},
                (p, m, a) -> "find".equals(m.getName()) ? Optional.of(order) : null);
        SecretVault vault = TestVaults.embedded(dir);
        MobileServlet branded = new MobileServlet(TestPages.create(TestPages.DEFAULT_BRAND, List.of(reseller),
                new MobilePages()), cases, orders, FormTokens.load(db.database(), vault, new SecureRandom()), links,
                new ClientLimiter(5, Clock.systemUTC()), "", MAX);
        FakeHttp.Response out = new FakeHttp.Response();
        branded.doGet(phone("GET", MobileServlet.PATH, "/" + FLOW).build(), out.proxy);
        assertEquals(200, out.status);
        assertTrue(out.body().contains("<span class=\"brand-name\">Reseller X Trust</span>"), out.body());
        FakeHttp.Response unknown = new FakeHttp.Response();
        branded.doGet(phone("GET", MobileServlet.PATH, "/" + "Z".repeat(43)).build(), unknown.proxy);
        assertTrue(unknown.body().contains("<span class=\"brand-name\">Cachet</span>"), "no order, no brand");
    }
}
