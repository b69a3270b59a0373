package io.cachet.web.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.servlet.ServletContextHandler;
import org.eclipse.jetty.servlet.ServletHolder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.osgi.service.condition.Condition;

import io.cachet.api.brand.Brand;
import io.cachet.web.internal.pages.PagesComponent;

/**
 * The catch-all page over real HTTP: home, a branded 404 once Cachet is ready, and while it starts a branded
 * "starting" page with 503 and Retry-After (the path's own servlet may not be there yet). The HTTP guard turns the
 * API paths' 404 into a 503 problem (HttpGuardTest).
 */
class HomeServletTest {

    record PlainBrand(String id, String displayName, String primaryColour, String supportEmail) implements Brand {
    }

    static Server server;
    static String base;
    static HomeServlet home;
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        home = new HomeServlet(PagesComponent.over(() -> new PlainBrand("default", "Acme Seals", "#0b3d91",
                "help@acme.example")));
        server = new Server(new InetSocketAddress("127.0.0.1", 0));
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        context.addServlet(new ServletHolder(home), "/");
        server.setHandler(context);
        server.start();
        base = "http://127.0.0.1:" + ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    }

    @AfterAll
    static void stop() throws Exception {
        server.stop();
    }

    static HttpResponse<String> get(String path, String language) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).header("Accept-Language", language).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void whileStartingAnUnknownPageSaysSoInTheBrandAndAsksToComeBack() throws Exception {
        home.unsetReady(Condition.INSTANCE);
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
        home.setReady(Condition.INSTANCE);
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
            home.unsetReady(Condition.INSTANCE);
        }
    }
}
