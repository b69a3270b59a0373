package io.cachet.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.After;
import org.junit.Assume;
import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.cachet.api.testing.Processes;

/**
 * Two Cachet nodes on one PostgreSQL database never send a notification twice: two real {@code cachet.jar}
 * processes (data directories and ports of their own) share a fresh database, each configured the way an operator
 * does it ({@code DATA/deploy/*.cfg} and clear secret files in {@code DATA/secrets}) to send e-mail over SMTP to
 * GreenMail, run in a JVM of its own, and SMS to an HTTP gateway in this JVM. An administrator queues 30 SMS and 15
 * e-mails through the console's test form on both nodes, as a browser posts it; each message must reach the SMTP
 * server or the gateway exactly once, be recorded {@code SENT} with one {@code sent} audit record, and both nodes
 * must have delivered some (each node has a gateway token of its own, so the gateway sees who sent what).
 *
 * <p>The gateway holds its answers until both nodes have a request in flight (at most {@link #HOLD}, below the
 * nodes' time limit): the first node keeps its claimed row locked meanwhile, so the second can only deliver by
 * skipping that row, which is the case the design must get right.
 *
 * <p>Not a Pax Exam test: it runs two servers, started with {@code java -jar} as an operator does (see CrashIT).
 */
public class TwoNodesIT {

    private static final int SMS = 30;
    private static final int EMAILS = 15;
    private static final Duration DELIVERY_LIMIT = Duration.ofSeconds(120);
    /** Longest time the gateway holds an answer waiting for the other node; the nodes give it 30 s. */
    private static final Duration HOLD = Duration.ofSeconds(15);
    private static final String MAILBOX = "twonodes@example.org";
    private static final Pattern QUEUED = Pattern.compile("\\(([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\\)");
    private static final Pattern TOKEN = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<CrashIT.Server> servers = new ArrayList<>();
    private final List<AutoCloseable> cleanups = new ArrayList<>();

    @After
    public void cleanUp() throws Exception {
        servers.forEach(CrashIT.Server::kill);
        for (int i = cleanups.size() - 1; i >= 0; i--) {
            cleanups.get(i).close();
        }
    }

    @Test
    public void twoNodesOnOnePostgresqlDeliverEveryMessageExactlyOnce() throws Exception {
        String base = System.getProperty("cachet.test.pg.url");
        String user = System.getProperty("cachet.test.pg.user", "postgres");
        Assume.assumeTrue("no PostgreSQL test server configured", base != null && !base.isBlank());
        CrashIT.FreshDatabase database = CrashIT.FreshDatabase.create(base, user, "twonodes_");
        cleanups.add(database);
        String url = database.url();

        // the SMTP server, in a JVM of its own
        int smtp = CrashIT.freePort();
        int mailApi = CrashIT.freePort();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Processes.Running greenMail = Processes.start(null, List.of(java, "-Xmx128m", "-Dgreenmail.hostname=127.0.0.1",
                "-Dgreenmail.smtp.port=" + smtp, "-Dgreenmail.api.hostname=127.0.0.1", "-Dgreenmail.api.port=" + mailApi,
                "-Dgreenmail.users=cachet:two-nodes-smtp@cachet.example", "-jar",
                System.getProperty("cachet.itest.greenmail")));
        cleanups.add(greenMail);
        greenMail.awaitReady(Duration.ofSeconds(60), () -> {
            try {
                return get("http://127.0.0.1:" + mailApi + "/api/service/readiness").statusCode() == 200;
            } catch (IOException e) {
                return false;
            }
        });

        // the SMS gateway, in this JVM
        Gateway gateway = new Gateway(Set.of("token-a", "token-b"));
        cleanups.add(gateway);

        // node A: a fresh data directory configured before its first start
        Path a = temp("cachet-twonodes-a-").resolve("data");
        configure(a, url, user, smtp, gateway, "token-a");
        CrashIT.Server nodeA = CrashIT.Server.start(a, CrashIT.freePort());
        servers.add(nodeA);
        nodeA.awaitReady(http);
        String admin = takeOver(nodeA.base(), a);
        String apiKey = readInitial(a).get("api-key");

        // node B: what nodes sharing a database must share (master key, anchor key pair, the CA's tokens and its
        // sealed PINs) copied from A, and its own configuration and gateway token
        Path b = temp("cachet-twonodes-b-").resolve("data");
        for (String shared : List.of("keys", "tokens")) {
            copyTree(a.resolve(shared), b.resolve(shared));
        }
        Files.createDirectories(b.resolve("secrets"));
        for (String shared : List.of("master.key", "ca-token.pin", "ca-token.pin.so")) {
            Files.copy(a.resolve("secrets").resolve(shared), b.resolve("secrets").resolve(shared),
                    StandardCopyOption.COPY_ATTRIBUTES);
        }
        configure(b, url, user, smtp, gateway, "token-b");
        CrashIT.Server nodeB = CrashIT.Server.start(b, CrashIT.freePort());
        servers.add(nodeB);
        nodeB.awaitReady(http, apiKey);

        for (CrashIT.Server node : List.of(nodeA, nodeB)) {
            String[] last = {""};
            try {
                CrashIT.await("the notifier of " + node.base() + " on SMTP and the gateway", Duration.ofSeconds(60), () -> {
                    last[0] = notifyHealth(node.base(), apiKey);
                    return last[0].startsWith("e-mail by SMTP, SMS by gateway 'http'") && !last[0].contains("WARNING");
                });
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "; last detail: " + last[0], e);
            }
        }

        // an administrator logs in to the console of both nodes and sends test messages, as a browser posts the form
        Map<String, String> queued = new LinkedHashMap<>(); // id -> recipient
        Map<CrashIT.Server, String> tokens = new HashMap<>();
        Map<CrashIT.Server, String> sessions = new HashMap<>();
        for (CrashIT.Server node : List.of(nodeA, nodeB)) {
            sessions.put(node, logIn(node.base(), admin));
            HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(node.base() + "/console/outbox"))
                    .header("Cookie", sessions.get(node)).header("Accept-Language", "en")
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(page.body(), 200, page.statusCode());
            // the test form comes after the console shell's logout form: its token is the page's last
            Matcher m = TOKEN.matcher(page.body());
            String last = null;
            while (m.find()) {
                last = m.group(1);
            }
            assertTrue("the test form and its token on " + node.base(), last != null);
            tokens.put(node, last);
        }
        for (int i = 0; i < SMS + EMAILS; i++) {
            CrashIT.Server node = i % 2 == 0 ? nodeA : nodeB;
            String to = i % 3 == 2 ? MAILBOX : String.format("+336123456%02d", i);
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(node.base() + "/console/outbox"))
                    .header("Cookie", sessions.get(node)).header("Origin", node.base()).header("Accept-Language", "en")
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("csrf=" + Probe.enc(tokens.get(node)) + "&to="
                            + Probe.enc(to)))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(r.body(), 200, r.statusCode());
            Matcher m = QUEUED.matcher(r.body());
            assertTrue("the page names the queued message: " + r.body(), m.find());
            assertEquals("a message queued twice", null, queued.put(m.group(1), to));
        }
        assertEquals(SMS + EMAILS, queued.size());

        // every message leaves the queue
        try (Connection db = DriverManager.getConnection(url, user, "")) {
            Map<String, Integer> byStatus = new TreeMap<>();
            try {
                CrashIT.await("all " + queued.size() + " messages delivered", DELIVERY_LIMIT, () -> {
                    byStatus.clear();
                    byStatus.putAll(statuses(db));
                    return byStatus.getOrDefault("PENDING", 0) == 0 && byStatus.values().stream()
                            .mapToInt(Integer::intValue).sum() == queued.size();
                });
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "; messages by status: " + byStatus + "; gateway: "
                        + gateway.deliveries, e);
            }
            assertEquals("every message SENT: " + lastErrors(db), Map.of("SENT", queued.size()), byStatus);

            // each SMS reached the gateway exactly once, as queued
            Map<String, String> sms = new HashMap<>(queued);
            sms.values().removeIf(MAILBOX::equals);
            assertEquals(SMS, sms.size());
            gateway.assertNoError();
            assertEquals("the SMS the gateway received, by Idempotency-Key", sms.keySet(), gateway.deliveries.keySet());
            for (Map.Entry<String, String> e : sms.entrySet()) {
                List<Gateway.Delivery> got = gateway.deliveries.get(e.getKey());
                assertEquals("SMS " + e.getKey() + " delivered " + got.size() + " times: " + got, 1, got.size());
                assertEquals(e.getValue(), got.get(0).to());
                assertEquals(e.getKey(), got.get(0).reference());
            }
            // both nodes delivered (each has its own gateway token)
            Map<String, Long> byNode = new TreeMap<>();
            gateway.deliveries.values().forEach(l -> l.forEach(d -> byNode.merge(d.token(), 1L, Long::sum)));
            assertEquals("SMS per node's token: " + byNode, Set.of("token-a", "token-b"), byNode.keySet());

            // each e-mail reached the SMTP server exactly once, recognised by its Message-ID
            HttpResponse<String> inbox = get("http://127.0.0.1:" + mailApi + "/api/user/" + MAILBOX + "/messages/INBOX");
            assertEquals(inbox.body(), 200, inbox.statusCode());
            Map<String, Integer> mails = new TreeMap<>();
            for (JsonNode mail : Probe.JSON.readTree(inbox.body())) {
                mails.merge(mail.path("Message-ID").asText(), 1, Integer::sum);
            }
            Map<String, Integer> expected = new TreeMap<>();
            queued.forEach((id, to) -> {
                if (to.equals(MAILBOX)) {
                    expected.put("<" + id + "@cachet.notify>", 1);
                }
            });
            assertEquals(EMAILS, expected.size());
            assertEquals("e-mails received, by Message-ID", expected, mails);

            // and the shared audit chain says so once per message
            Map<String, List<String>> audited = audit(db);
            for (Map.Entry<String, String> e : queued.entrySet()) {
                String channel = e.getValue().equals(MAILBOX) ? "email" : "sms";
                assertEquals("audit of notification " + e.getKey(), List.of("notify." + channel + ".queued",
                        "notify." + channel + ".sent"), audited.get("notification:" + e.getKey()));
            }
        }
        nodeB.stop();
        nodeA.stop();
    }

    // ---------------------------------------------------------------------------------------------------------

    /** What an operator writes before the first start: the database, the notify configurations, the secrets. */
    private static void configure(Path data, String url, String user, int smtp, Gateway gateway, String token)
            throws IOException {
        Path deploy = Files.createDirectories(data.resolve("deploy"));
        Files.writeString(deploy.resolve("io.cachet.store.cfg"), "url=" + url + "\nuser=" + user + "\n");
        Files.writeString(deploy.resolve("io.cachet.notify.cfg"), """
                emailTransport=smtp
                smtpHost=127.0.0.1
                smtpPort=%d
                smtpSecurity=none
                smtpUser=cachet
                smsTransport=gateway
                pollSeconds=1
                """.formatted(smtp));
        Files.writeString(deploy.resolve("io.cachet.notify.sms.http.cfg"), """
                url=%s
                timeoutSeconds=30
                """.formatted(gateway.url()));
        Path secrets = Files.createDirectories(data.resolve("secrets"));
        // in clear: Cachet seals each in place when it first reads it
        Files.writeString(secrets.resolve("smtp.password"), "two-nodes-smtp\n");
        Files.writeString(secrets.resolve("sms-gateway.token"), token + "\n");
    }

    /** Logs in on the console's login form; returns the session cookie (a node's sessions are its own). */
    private String logIn(String base, String login) throws IOException, InterruptedException {
        String form = "login=" + Probe.enc(login) + "&password=" + Probe.enc(Probe.ADMIN_PASSWORD) + "&next="
                + Probe.enc("/console/outbox");
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/console/login"))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Origin", base)
                .POST(HttpRequest.BodyPublishers.ofString(form)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals("console login: " + r.body(), 303, r.statusCode());
        String cookie = r.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("cachet_console="))
                .findFirst().orElseThrow(() -> new AssertionError("no session cookie: " + r.headers()));
        return cookie.substring(0, cookie.indexOf(';'));
    }

    /** Replaces the initial password as the operator's browser would; returns the administrator's login. */
    private String takeOver(String base, Path data) throws IOException, InterruptedException {
        Map<String, String> initial = readInitial(data);
        String next = Probe.ADMIN_PASSWORD;
        String form = "login=" + Probe.enc(initial.get("login")) + "&current=" + Probe.enc(initial.get("password"))
                + "&new=" + Probe.enc(next) + "&confirm=" + Probe.enc(next);
        HttpResponse<String> changed = http.send(HttpRequest.newBuilder(URI.create(base + "/console/password"))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Origin", base)
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals("initial password change: " + changed.body(), 303, changed.statusCode());
        return initial.get("login");
    }

    private static Map<String, String> readInitial(Path data) throws IOException {
        Path file = data.resolve("initial-admin.txt");
        CrashIT.await(file + " to be written", Duration.ofSeconds(60), () -> {
            try {
                return Files.exists(file) && Files.readString(file).contains("api-key=");
            } catch (IOException e) {
                return false;
            }
        });
        Map<String, String> values = new HashMap<>();
        for (String line : Files.readAllLines(file)) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                values.put(line.substring(0, eq), line.substring(eq + 1).trim());
            }
        }
        assertNotNull(values.get("login"));
        return values;
    }

    private String notifyHealth(String base, String apiKey) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/health"))
                    .header("Authorization", "Bearer " + apiKey).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return Probe.JSON.readTree(r.body()).path("checks").path("notify").path("detail").asText();
        } catch (IOException e) {
            return e.toString();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** GET from GreenMail's API. */
    private HttpResponse<String> get(String url) throws IOException {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private static Map<String, Integer> statuses(Connection db) {
        Map<String, Integer> counts = new TreeMap<>();
        try (Statement s = db.createStatement();
                ResultSet rs = s.executeQuery("SELECT status, COUNT(*) FROM notify_message GROUP BY status")) {
            while (rs.next()) {
                counts.put(rs.getString(1), rs.getInt(2));
            }
        } catch (SQLException e) {
            // the table is made by the first node's migration; until then nothing is queued
        }
        return counts;
    }

    private static List<String> lastErrors(Connection db) throws SQLException {
        List<String> errors = new ArrayList<>();
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT id, status, attempts, last_error FROM notify_message WHERE status <> 'SENT'")) {
            while (rs.next()) {
                errors.add(rs.getString(1) + " " + rs.getString(2) + " after " + rs.getInt(3) + ": " + rs.getString(4));
            }
        }
        return errors;
    }

    private static Map<String, List<String>> audit(Connection db) throws SQLException {
        Map<String, List<String>> bySubject = new HashMap<>();
        try (PreparedStatement ps = db.prepareStatement(
                "SELECT subject, action FROM audit_record WHERE subject LIKE 'notification:%' ORDER BY seq");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                bySubject.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(rs.getString(2));
            }
        }
        return bySubject;
    }

    private Path temp(String prefix) throws IOException {
        Path dir = Files.createTempDirectory(prefix);
        cleanups.add(() -> CrashIT.deleteTree(dir));
        return dir;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        if (!Files.isDirectory(from)) {
            return;
        }
        try (Stream<Path> all = Files.walk(from)) {
            for (Path p : all.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.COPY_ATTRIBUTES, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    /**
     * A local SMS gateway: records every POST by its {@code Idempotency-Key} with the bearer token that sent it, and
     * answers 200 once both nodes' tokens have sent a request (or after {@link #HOLD}).
     */
    private static final class Gateway implements AutoCloseable {
        record Delivery(String token, String to, String reference) {
        }

        final Map<String, List<Delivery>> deliveries = new ConcurrentHashMap<>();
        private final Set<String> tokens;
        private final Set<String> seen = ConcurrentHashMap.newKeySet();
        private final CountDownLatch bothSeen = new CountDownLatch(1);
        private final List<String> errors = new CopyOnWriteArrayList<>();
        private final HttpServer server;
        private final ExecutorService threads = Executors.newFixedThreadPool(8);

        Gateway(Set<String> tokens) throws IOException {
            this.tokens = tokens;
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/sms", this::handle);
            server.setExecutor(threads);
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/sms";
        }

        private void handle(HttpExchange exchange) throws IOException {
            try (InputStream in = exchange.getRequestBody()) {
                String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                String auth = exchange.getRequestHeaders().getFirst("Authorization");
                String token = auth != null && auth.startsWith("Bearer ") ? auth.substring(7) : "";
                String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
                if (!"POST".equals(exchange.getRequestMethod()) || !tokens.contains(token) || key == null) {
                    errors.add(exchange.getRequestMethod() + " token=" + token + " key=" + key);
                    exchange.sendResponseHeaders(401, -1);
                    return;
                }
                JsonNode json = Probe.JSON.readTree(body);
                deliveries.computeIfAbsent(key, k -> new CopyOnWriteArrayList<>())
                        .add(new Delivery(token, json.path("to").asText(), json.path("reference").asText()));
                if (seen.add(token) && seen.containsAll(tokens)) {
                    bothSeen.countDown();
                }
                bothSeen.await(HOLD.toMillis(), TimeUnit.MILLISECONDS);
                byte[] answer = ("{\"id\":\"" + key + "\"}").getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, answer.length);
                exchange.getResponseBody().write(answer);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                errors.add(e.toString());
                throw e;
            } finally {
                exchange.close();
            }
        }

        void assertNoError() {
            assertEquals("requests the gateway refused", List.of(), errors);
        }

        @Override
        public void close() {
            server.stop(0);
            threads.shutdownNow();
        }
    }
}
