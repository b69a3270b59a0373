package io.cachet.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.After;
import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;

/**
 * Webhooks end to end with the real server: {@code cachet.jar} in a process of its own (configured, as an operator
 * does, by {@code DATA/deploy/io.cachet.webhook.cfg}), a receiver in this JVM (the JDK's HTTP server). A reseller
 * registers its webhook, submits an order; every transition arrives signed (checked here with the JDK's HMAC the way
 * the README tells receivers), the first attempt answered 500 is retried and delivered, the delivery log tells it.
 * Then the server is killed (SIGKILL) and started again on the same data: a later transition arrives, and no
 * delivery that had succeeded is ever posted again.
 *
 * <p>Not a Pax Exam test: it restarts the server (see CrashIT).
 */
public class WebhooksIT {

    private static final Duration LIMIT = Duration.ofSeconds(120);

    record Received(String id, String timestamp, String signature, byte[] body, int answered) {
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<CrashIT.Server> servers = new ArrayList<>();
    private HttpServer receiver;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedQueue<Integer> answers = new ConcurrentLinkedQueue<>();
    private final List<CrashIT.FreshDatabase> databases = new ArrayList<>();

    @After
    public void cleanUp() {
        servers.forEach(CrashIT.Server::kill);
        if (receiver != null) {
            receiver.stop(0);
        }
        for (CrashIT.FreshDatabase d : databases) {
            try {
                d.close(); // after the servers are gone
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException("cannot drop the test database " + d.url(), e);
            }
        }
    }

    @Test
    public void transitionsArriveSignedARetriedDeliveryOnceAndNothingTwiceAfterARestart() throws Exception {
        Path data = Files.createTempDirectory("cachet-webhooks-").resolve("data");
        Files.createDirectories(data.resolve("deploy"));
        deliverAcrossARestart(data);
    }

    /** The same on PostgreSQL: a fresh database, configured as an operator does in DATA/deploy. */
    @Test
    public void theSameOnPostgresql() throws Exception {
        String base = System.getProperty("cachet.test.pg.url");
        String user = System.getProperty("cachet.test.pg.user", "postgres");
        org.junit.Assume.assumeTrue("no PostgreSQL test server configured", base != null && !base.isBlank());
        CrashIT.FreshDatabase db = CrashIT.FreshDatabase.create(base, user, "webhooks_");
        databases.add(db);
        Path data = Files.createTempDirectory("cachet-webhooks-pg-").resolve("data");
        Files.createDirectories(data.resolve("deploy"));
        Files.writeString(data.resolve("deploy/io.cachet.store.cfg"), "url=" + db.url() + "\nuser=" + user + "\n");
        deliverAcrossARestart(data);
    }

    private void deliverAcrossARestart(Path data) throws Exception {
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/hook", exchange -> {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            Integer next = answers.poll();
            int code = next == null ? 200 : next;
            received.add(new Received(exchange.getRequestHeaders().getFirst("Cachet-Webhook-Id"),
                    exchange.getRequestHeaders().getFirst("Cachet-Timestamp"),
                    exchange.getRequestHeaders().getFirst("Cachet-Signature"), body, code));
            exchange.sendResponseHeaders(code, -1);
            exchange.close();
        });
        receiver.start();
        String hookUrl = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";

        Files.writeString(data.resolve("deploy/io.cachet.webhook.cfg"), "allowLocalhost=true\npollSeconds=1\n"
                + "initialBackoffSeconds=1\nmaxBackoffSeconds=2\n");
        CrashIT.Server server = start(data);
        String base = server.base();
        String admin = takeOver(base, data);

        JsonNode reseller = json(send(base, "POST", "/api/v1/resellers", admin, "{\"name\":\"Hooked\"}"), 201);
        String key = reseller.path("apiKey").asText();
        HttpResponse<String> refused = send(base, "POST", "/api/v1/webhooks", key, "{\"url\":\"http://10.0.0.1/x\"}");
        assertEquals(refused.body(), 400, refused.statusCode());
        assertTrue(refused.body(), refused.body().contains("'url'"));
        JsonNode hook = json(send(base, "POST", "/api/v1/webhooks", key, "{\"url\":\"" + hookUrl + "\"}"), 201);
        String secret = hook.path("secret").asText();
        String hookId = hook.path("id").asText();
        assertTrue(secret, secret.startsWith("whsec_"));
        assertEquals(1, json(send(base, "GET", "/api/v1/webhooks", key, null), 200).path("webhooks").size());
        assertEquals(404, send(base, "GET", "/api/v1/webhooks/" + hookId, json(send(base, "POST", "/api/v1/resellers",
                admin, "{\"name\":\"Other\"}"), 201).path("apiKey").asText(), null).statusCode());

        // the order's submission and its move to VERIFICATION: two deliveries; the first attempt gets a 500
        answers.add(500);
        JsonNode order = json(send(base, "POST", "/api/v1/orders", key, ResellersIT.order("Hooked SAS")), 201);
        String orderId = order.path("id").asText();
        CrashIT.await("both transitions delivered", LIMIT, () -> delivered().size() == 2);
        assertEquals(3, received.size());
        assertEquals(500, received.get(0).answered());
        assertEquals("the 500 was retried with the same delivery id", received.get(0).id(),
                received.stream().filter(r -> r.answered() == 200 && r.id().equals(received.get(0).id())).findFirst()
                        .orElseThrow().id());
        List<String> states = new ArrayList<>();
        for (Received r : received) {
            assertTrue("signature verifies: " + r.signature(), verifies(secret, r));
            long age = Math.abs(System.currentTimeMillis() / 1000 - Long.parseLong(r.timestamp()));
            assertTrue("timestamp within the replay window", age <= 300);
            JsonNode body = Probe.JSON.readTree(r.body());
            assertEquals(r.id(), body.path("id").asText());
            assertEquals("order.state_changed", body.path("type").asText());
            assertEquals(orderId, body.path("order").path("id").asText());
            if (r.answered() == 200) {
                states.add(body.path("order").path("previousState").asText() + ">" + body.path("order").path("state").asText());
            }
        }
        assertEquals(Set.of("null>SUBMITTED", "SUBMITTED>VERIFICATION"), Set.copyOf(states));

        JsonNode log = json(send(base, "GET", "/api/v1/webhooks/" + hookId + "/deliveries", key, null), 200);
        assertEquals(2, log.path("deliveries").size());
        List<String> codes = new ArrayList<>();
        for (JsonNode d : log.path("deliveries")) {
            assertEquals("delivered", d.path("status").asText());
            d.path("log").forEach(a -> codes.add(a.path("statusCode").asText()));
        }
        codes.sort(null);
        assertEquals(List.of("200", "200", "500"), codes);

        // killed (SIGKILL) once the log says delivered, then started again: nothing delivered before is posted again,
        // the next transition arrives once
        server.kill();
        servers.remove(server);
        CrashIT.Server again = start(data);
        int before = received.size();
        json(send(again.base(), "POST", "/api/v1/orders/" + orderId + "/cancellation", key,
                "{\"reason\":\"changed my mind\"}"), 200);
        CrashIT.await("the cancellation delivered", LIMIT, () -> delivered().size() == 3);
        List<Received> after = received.subList(before, received.size());
        assertEquals("only the cancellation was posted after the restart", 1, after.size());
        JsonNode cancelled = Probe.JSON.readTree(after.get(0).body());
        assertEquals("CANCELLED", cancelled.path("order").path("state").asText());
        assertEquals("changed my mind", cancelled.path("order").path("reason").asText());
        Map<String, Long> perId = received.stream().filter(r -> r.answered() == 200)
                .collect(Collectors.groupingBy(Received::id, Collectors.counting()));
        assertTrue("each delivery succeeded once: " + perId, perId.values().stream().allMatch(n -> n == 1));

        // the console's delivery log
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(again.base() + "/console/webhooks?id="
                + hookId)).header("Authorization", Probe.basic(adminLogin, Probe.ADMIN_PASSWORD)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(page.body(), 200, page.statusCode());
        assertTrue("the console's navigation, this page marked: " + page.body(),
                page.body().contains("<a href=\"/console/webhooks\" aria-current=\"page\">"));
        assertTrue(page.body().contains(orderId));
        assertTrue(page.body().contains("HTTP 500"));
        assertTrue("each delivery says what it tells (in French, the default)",
                page.body().contains("<br>Changement d’état<br>"));
    }

    private List<String> delivered() {
        return received.stream().filter(r -> r.answered() == 200).map(Received::id).distinct().toList();
    }

    /** As the README tells receivers: HMAC-SHA256(secret, timestamp + "." + raw body), any v1= entry. */
    private static boolean verifies(String secret, Received r) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        mac.update((r.timestamp() + ".").getBytes(StandardCharsets.US_ASCII));
        byte[] expected = mac.doFinal(r.body());
        for (String entry : r.signature().split(",")) {
            if (entry.startsWith("v1=") && java.security.MessageDigest.isEqual(expected,
                    HexFormat.of().parseHex(entry.substring(3)))) {
                return true;
            }
        }
        return false;
    }

    private CrashIT.Server start(Path data) throws IOException {
        CrashIT.Server s = CrashIT.Server.start(data, CrashIT.freePort());
        servers.add(s);
        s.awaitReady(http);
        return s;
    }

    private HttpResponse<String> send(String base, String method, String path, String key, String body)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + key);
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> r, int status) throws IOException {
        assertEquals(r.body(), status, r.statusCode());
        return Probe.JSON.readTree(r.body());
    }

    /** Replaces the initial password (as a browser does) so that the initial key works; returns the key. */
    private String takeOver(String base, Path data) throws Exception {
        Path file = data.resolve("initial-admin.txt");
        CrashIT.await(file + " to be written", LIMIT, () -> {
            try {
                return Files.exists(file) && Files.readString(file).contains("api-key=");
            } catch (IOException e) {
                return false;
            }
        });
        Map<String, String> initial = Files.readAllLines(file).stream().filter(l -> l.indexOf('=') > 0)
                .collect(Collectors.toMap(l -> l.substring(0, l.indexOf('=')), l -> l.substring(l.indexOf('=') + 1).trim()));
        String form = "login=" + Probe.enc(initial.get("login")) + "&current=" + Probe.enc(initial.get("password"))
                + "&new=" + Probe.enc(Probe.ADMIN_PASSWORD) + "&confirm=" + Probe.enc(Probe.ADMIN_PASSWORD);
        HttpResponse<String> changed = http.send(HttpRequest.newBuilder(URI.create(base + "/console/password"))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Origin", base)
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(changed.body(), 303, changed.statusCode());
        adminLogin = initial.get("login");
        assertNotNull(initial.get("api-key"));
        CrashIT.await("the resellers resource served", LIMIT, () -> {
            try {
                return send(base, "GET", "/api/v1/resellers", initial.get("api-key"), null).statusCode() == 200;
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        });
        return initial.get("api-key");
    }

    private String adminLogin;
}
