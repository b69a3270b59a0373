package io.cachet.web.internal.pages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.cachet.api.brand.Brand;
import io.cachet.api.web.Pages;

/**
 * The Pages service over (fake) HTTP: the language chosen, remembered, the headers of every page, and the brand a
 * servlet names for a page.
 */
class PagesComponentTest {

    final PagesComponent pages = PagesComponent.over(() -> PageEngineTest.DEFAULT);

    PagesComponentTest() {
        pages.addSource(new PageEngineTest.Demo());
    }

    FakeRequests.Response show(String query, Map<String, String> headers, Map<String, String> params) throws Exception {
        FakeRequests.Response r = new FakeRequests.Response();
        pages.render(FakeRequests.get("/demo", query, headers, params), r.proxy, 200, "demo/hello.ftlh", Map.of("who", "Ana"));
        return r;
    }

    @Test
    void frenchUnlessTheBrowserOrTheSwitchSaysOtherwise() throws Exception {
        assertTrue(show(null, Map.of(), Map.of()).body().contains("<html lang=\"fr\">"));
        FakeRequests.Response en = show(null, Map.of("Accept-Language", "en-GB,en;q=0.9,fr;q=0.5"), Map.of());
        assertTrue(en.body().contains("<html lang=\"en\">"));
        assertEquals("en", en.headers.get("Content-Language"));
        assertEquals(List.of(), en.cookies, "nothing remembered without the switch");

        FakeRequests.Response switched = show("lang=fr", Map.of("Accept-Language", "en"), Map.of("lang", "fr"));
        assertTrue(switched.body().contains("<html lang=\"fr\">"));
        assertEquals(List.of("lang=fr; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly"), switched.cookies);

        FakeRequests.Response remembered = show(null, Map.of("Accept-Language", "en", "Cookie", "a=b; lang=fr"), Map.of());
        assertTrue(remembered.body().contains("<html lang=\"fr\">"));
        assertEquals(List.of(), remembered.cookies);
    }

    @Test
    void everyPageHasTheSecurityHeadersAndNoInlineCodeIsAllowed() throws Exception {
        FakeRequests.Response r = show(null, Map.of(), Map.of());
        assertEquals(200, r.status);
        assertEquals("text/html;charset=UTF-8", r.headers.get("Content-Type"));
        assertEquals("no-store", r.headers.get("Cache-Control"));
        assertEquals("DENY", r.headers.get("X-Frame-Options"));
        assertEquals("nosniff", r.headers.get("X-Content-Type-Options"));
        String csp = r.headers.get("Content-Security-Policy");
        assertEquals(Pages.CONTENT_SECURITY_POLICY, csp);
        assertFalse(csp.contains("unsafe-inline") || csp.contains("script-src"), csp);
        assertTrue(csp.contains("frame-ancestors 'none'"), csp);
    }

    @Test
    void aBrokenTemplateAnswers500WithAReferenceAndNoInternals() throws Exception {
        FakeRequests.Response r = new FakeRequests.Response();
        pages.render(FakeRequests.get("/demo", null, Map.of(), Map.of()), r.proxy, 200, "demo/broken.ftlh", Map.of());
        assertEquals(500, r.status);
        assertTrue(r.body().startsWith("500 Internal Server Error: the page could not be shown. Quote reference "), r.body());
        assertFalse(r.body().contains("undefinedValue") || r.body().contains("freemarker") || r.body().contains("Exception"), r.body());

        FakeRequests.Response missing = new FakeRequests.Response();
        pages.render(FakeRequests.get("/x", null, Map.of(), Map.of()), missing.proxy, 200, "demo/none.ftlh", Map.of());
        assertEquals(500, missing.status);
    }

    @Test
    void messagesForServletsFollowTheRequestsLanguage() {
        assertEquals("Hello Bo!", pages.message(FakeRequests.get("/", null, Map.of("Accept-Language", "en"), Map.of()),
                "demo", "demo.greeting", "Bo"));
        assertEquals("Bonjour Bo !", pages.message(FakeRequests.get("/", null, Map.of(), Map.of()), "demo",
                "demo.greeting", "Bo"));
    }

    @Test
    void aPageNamingAnInstalledBrandIsShownInItWhileTheActiveOneStaysForOthers() throws Exception {
        Brand acme = new PageEngineTest.AcmeBrand();
        PagesComponent two = PagesComponent.over(() -> PageEngineTest.DEFAULT, id -> id.equals("acme") ? acme : null);
        two.addSource(new PageEngineTest.Demo());
        Map<String, String> en = Map.of("Accept-Language", "en");

        FakeRequests.Response named = new FakeRequests.Response();
        two.render(FakeRequests.get("/demo", null, en, Map.of(), Map.of(Pages.BRAND_ATTRIBUTE, "acme")), named.proxy,
                200, "demo/hello.ftlh", Map.of("who", "Ana"));
        String page = named.body();
        assertTrue(page.contains("ACME's own page for Ana"), "the brand's template: " + page);
        assertTrue(page.contains("<span class=\"brand-name\">ACME Trust</span>"), page);
        assertTrue(page.contains("href=\"mailto:help@acme.example\""), page);
        assertEquals("Welcome, Bo, to ACME!", two.message(FakeRequests.get("/", null, en, Map.of(),
                Map.of(Pages.BRAND_ATTRIBUTE, "acme")), "demo", "demo.greeting", "Bo"), "the brand's message");

        // its logo and colours are served at their versioned URLs although another brand is active
        Matcher logo = Pattern.compile("<img src=\"/assets(/brand/acme/[0-9a-f]{12}/logo\\.svg)\"").matcher(page);
        assertTrue(logo.find(), page);
        Asset svg = two.engine().asset(logo.group(1));
        assertNotNull(svg, "the named brand's logo is served");
        assertEquals("image/svg+xml", svg.contentType());
        Matcher theme = Pattern.compile("href=\"/assets(/brand/acme/[0-9a-f]{12}/theme\\.css)\"").matcher(page);
        assertTrue(theme.find(), page);
        assertTrue(new String(two.engine().asset(theme.group(1)).bytes(), StandardCharsets.UTF_8)
                .contains("--brand-primary: #ffff00;"), "the named brand's colours");

        FakeRequests.Response active = new FakeRequests.Response();
        two.render(FakeRequests.get("/demo", null, en, Map.of()), active.proxy, 200, "demo/hello.ftlh",
                Map.of("who", "Ana"));
        assertTrue(active.body().contains("<h1>Hello Ana!</h1>"), "without the attribute: the active brand");
        assertTrue(active.body().contains("<span class=\"brand-name\">Cachet</span>"), active.body());
        assertTrue(active.body().contains("/assets/brand/default/"), active.body());
        assertNotNull(two.engine().asset(logo.group(1)), "the named brand's state is kept while it is installed");

        FakeRequests.Response unknown = new FakeRequests.Response();
        two.render(FakeRequests.get("/demo", null, en, Map.of(), Map.of(Pages.BRAND_ATTRIBUTE, "gone")),
                unknown.proxy, 200, "demo/hello.ftlh", Map.of("who", "Ana"));
        assertEquals(200, unknown.status);
        assertTrue(unknown.body().contains("<h1>Hello Ana!</h1>"), "a brand not installed: the active one");
        assertTrue(unknown.body().contains("<span class=\"brand-name\">Cachet</span>"), unknown.body());
        assertEquals("Hello Bo!", two.message(FakeRequests.get("/", null, en, Map.of(),
                Map.of(Pages.BRAND_ATTRIBUTE, "gone")), "demo", "demo.greeting", "Bo"));
        assertNull(two.engine().asset("/brand/gone/000000000000/theme.css"), "nothing for a brand not installed");
    }
}
