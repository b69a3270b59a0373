package io.cachet.web.internal.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.DefaultHandler;
import org.junit.jupiter.api.Test;

/**
 * The guard's Jetty customizer, on a real Jetty whose only handler answers 404 as Felix's dispatcher does without a
 * whiteboard: while the HTTP runtime has not put the guard in front (before {@code init}, after {@code destroy}) a
 * request gets the guard's 503 "starting" with {@code Retry-After}, never the bare 404; in between it passes.
 */
class GuardCustomizerTest {

    @Test
    void withoutTheGuardInFrontEveryRequestIsAnsweredStartingNotJettys404() throws Exception {
        HttpGuard guard = new HttpGuard(null, "/system/console");
        Server server = new Server();
        HttpConfiguration configuration = new HttpConfiguration();
        configuration.addCustomizer(guard.createCustomizer());
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(configuration));
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        server.setHandler(new DefaultHandler());
        server.start();
        try {
            String base = "http://127.0.0.1:" + connector.getLocalPort();
            HttpClient http = HttpClient.newHttpClient();

            HttpResponse<String> before = http.send(HttpRequest.newBuilder(URI.create(base + "/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(503, before.statusCode(), before.body());
            assertEquals("1", before.headers().firstValue("Retry-After").orElse(null));
            assertEquals("nosniff", before.headers().firstValue("X-Content-Type-Options").orElse(null));
            assertTrue(before.body().contains(GuardedResponse.STARTING), before.body());

            guard.init(null);
            HttpResponse<String> inFront = http.send(HttpRequest.newBuilder(URI.create(base + "/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(404, inFront.statusCode(), "the request reaches the server's handler: " + inFront.body());

            guard.destroy();
            HttpResponse<String> after = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/orders"))
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(503, after.statusCode(), after.body());
            assertEquals("1", after.headers().firstValue("Retry-After").orElse(null));
        } finally {
            server.stop();
        }
    }
}
