package io.cachet.web.internal.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
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
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleEvent;

/**
 * The guard's Jetty customizer, on a real Jetty whose only handler answers 404 as Felix's dispatcher does without a
 * whiteboard: while the HTTP runtime has not put the guard in front (before {@code init}; after it but before Felix's
 * dispatcher uses the whiteboard; once the HTTP bundle begins to stop or gives the request log back; after
 * {@code destroy}) a request gets the guard's 503 "starting" with {@code Retry-After}, never the bare 404; in front
 * it passes. This test plays Felix HTTP's part in the order Felix 5.1.26 does it.
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

            assertStarting(http, base + "/health", "before the whiteboard initialised the guard");

            guard.init(null);
            // Felix HTTP's whiteboard has initialised the guard but its dispatcher does not use the whiteboard yet
            assertStarting(http, base + "/api/v1/orders", "initialised, the dispatcher not yet handing requests over");

            Bundle felixHttp = bundle();
            guard.dispatcherWatch().getService(felixHttp, null); // Felix's request-log tracker, opened after that
            assertEquals(404, get(http, base + "/health").statusCode(), "in front: the server's handler answers");

            // the HTTP bundle begins to stop: its dispatcher drops the whiteboard before the guard is destroyed
            guard.dispatcherWatch().bundleChanged(new BundleEvent(BundleEvent.STOPPING, bundle()));
            assertEquals(404, get(http, base + "/health").statusCode(), "another bundle stopping changes nothing");
            guard.dispatcherWatch().bundleChanged(new BundleEvent(BundleEvent.STOPPING, felixHttp));
            assertStarting(http, base + "/", "the HTTP bundle stopping");

            // Jetty restarted on a new configuration: the tracker gives the watch back, then takes it again
            guard.dispatcherWatch().getService(felixHttp, null);
            guard.dispatcherWatch().ungetService(felixHttp, null, null);
            assertStarting(http, base + "/", "the request log given back");
            guard.dispatcherWatch().getService(felixHttp, null);
            assertEquals(404, get(http, base + "/health").statusCode(), "in front again");

            guard.destroy();
            HttpResponse<String> after = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/orders"))
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(503, after.statusCode(), after.body());
            assertEquals("1", after.headers().firstValue("Retry-After").orElse(null));
        } finally {
            server.stop();
        }
    }

    private static HttpResponse<String> get(HttpClient http, String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void assertStarting(HttpClient http, String url, String when) throws Exception {
        HttpResponse<String> r = get(http, url);
        assertEquals(503, r.statusCode(), when + ": " + r.body());
        assertEquals("1", r.headers().firstValue("Retry-After").orElse(null), when);
        assertEquals("nosniff", r.headers().firstValue("X-Content-Type-Options").orElse(null), when);
        assertTrue(r.body().contains(GuardedResponse.STARTING), when + ": " + r.body());
    }

    /** A bundle that is only itself: the watch compares bundles and nothing else. */
    private static Bundle bundle() {
        return (Bundle) Proxy.newProxyInstance(Bundle.class.getClassLoader(), new Class<?>[] { Bundle.class },
                (proxy, method, args) -> switch (method.getName()) {
                case "equals" -> proxy == args[0];
                case "hashCode" -> System.identityHashCode(proxy);
                default -> throw new UnsupportedOperationException(method.getName());
                });
    }
}
