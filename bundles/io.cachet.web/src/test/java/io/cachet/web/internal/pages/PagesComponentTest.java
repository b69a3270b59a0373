package io.cachet.web.internal.pages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.cachet.api.web.Pages;

/** The Pages service over (fake) HTTP: the language chosen, remembered, and the headers of every page. */
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
}
