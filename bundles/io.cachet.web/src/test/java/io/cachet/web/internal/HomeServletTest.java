package io.cachet.web.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import io.cachet.api.brand.Brand;
import io.cachet.web.internal.http.HttpGuard;
import io.cachet.web.internal.pages.PagesComponent;
import jakarta.servlet.Filter;

/**
 * The catch-all page over real HTTP: home, a branded 404 once Cachet is ready, and while it starts a branded
 * "starting" page with 503 and Retry-After (the path's own servlet may not be there yet). The HTTP guard says
 * which, with a request attribute (here a filter stands in for it), and turns the API paths' 404 into a 503 problem
 * (HttpGuardTest).
 */
class HomeServletTest {

    record PlainBrand(String id, String displayName, String primaryColour, String supportEmail) implements Brand {
    }

    static LocalJetty server;
    static String base;
    /** What the HTTP guard in front would tell the servlet. */
    static volatile boolean starting = true;
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        HomeServlet home = new HomeServlet(PagesComponent.over(() -> new PlainBrand("default", "Acme Seals",
                "#0b3d91", "help@acme.example")));
        Filter guard = (request, response, chain) -> {
            if (starting) {
                request.setAttribute(HttpGuard.STARTING_ATTRIBUTE, Boolean.TRUE);
            }
            chain.doFilter(request, response);
        };
        server = LocalJetty.start(guard, home, "/");
        base = server.base();
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    static HttpResponse<String> get(String path, String language) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).header("Accept-Language", language).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void whileStartingAnUnknownPageSaysSoInTheBrandAndAsksToComeBack() throws Exception {
        starting = true;
        HttpResponse<String> fr = get("/space/documents", "fr");
        assertEquals(503, fr.statusCode());
        assertEquals("1", fr.headers().firstValue("Retry-After").orElse(null));
        assertTrue(fr.body().contains("<title>Acme Seals démarre</title>"), fr.body());
        assertTrue(fr.body().contains("cette page sera disponible dans quelques secondes"), fr.body());
        assertTrue(fr.body().contains("<a href=\"\">Recharger la page</a>"), fr.body());

        HttpResponse<String> en = get("/space/documents", "en");
        assertEquals(503, en.statusCode());
        assertTrue(en.body().contains("<title>Acme Seals is starting</title>"), en.body());

        assertEquals(200, get("/", "en").statusCode(), "the home page is served while starting");
        HttpResponse<String> api = get("/api/v1/orders", "en");
        assertEquals(404, api.statusCode(), "an API path is left to the guard, which makes it a 503 problem");
        assertTrue(api.headers().firstValue("Retry-After").isEmpty());

        // any method: a form posted to a page whose servlet has not come is not "method not allowed"
        HttpResponse<String> posted = post("/space/api/session");
        assertEquals(503, posted.statusCode());
        assertEquals("1", posted.headers().firstValue("Retry-After").orElse(null));
        assertEquals(404, post("/api/v1/orders").statusCode(), "left to the guard, as for GET");
    }

    static HttpResponse<String> post(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).POST(HttpRequest.BodyPublishers.ofString("{}"))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void onceReadyAnUnknownPageIsABranded404() throws Exception {
        starting = false;
        try {
            HttpResponse<String> r = get("/space/documents", "en");
            assertEquals(404, r.statusCode());
            assertTrue(r.headers().firstValue("Retry-After").isEmpty());
            assertTrue(r.body().contains("<title>Page not found — Acme Seals</title>"), r.body());
            assertEquals(405, post("/space/api/session").statusCode(), "ready: a page that takes no POST");
            HttpResponse<String> homePage = get("/", "fr");
            assertEquals(200, homePage.statusCode());
            assertTrue(homePage.body().contains("Comment ça marche"), homePage.body());
        } finally {
            starting = true;
        }
    }
}
