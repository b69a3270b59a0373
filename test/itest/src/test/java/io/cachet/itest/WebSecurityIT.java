package io.cachet.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Collections;
import java.util.Dictionary;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.inject.Inject;

import org.junit.Assume;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;

import com.fasterxml.jackson.databind.JsonNode;

import io.cachet.api.audit.AuditLog;
import io.cachet.api.audit.AuditRecord;

/**
 * The HTTP face of the shipped distribution, over real HTTP: cross-site requests to the Web Console refused,
 * console security headers, one error page without internals, TRACE off, the public and the operators' health,
 * JSON limits, console changes audited under the operator, and the server bound to 127.0.0.1 only.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class WebSecurityIT {

    private static final String BRAND_PID = "io.cachet.web.brand";
    private static final String FORM = "application/x-www-form-urlencoded";

    @Inject
    BundleContext context;

    @Inject
    ConfigurationAdmin configurations;

    @Inject
    AuditLog audit;

    private Probe probe;
    private static String login;
    private static String password;

    @Configuration
    public Option[] config() throws Exception {
        return CachetRuntime.options(Files.createTempDirectory("cachet-it-web-"), Map.of());
    }

    /** Waits for the server, and replaces the first administrator's password once, so that the console opens. */
    @Before
    public synchronized void ready() throws Exception {
        probe = new Probe(context);
        probe.healthy();
        if (password != null) {
            return;
        }
        probe.adminApiKey(); // replaces the initial password with Probe.ADMIN_PASSWORD unless done already
        login = probe.initialAdmin().get("login");
        password = Probe.ADMIN_PASSWORD;
    }

    private String basic() {
        return Probe.basic(login, password);
    }

    private Object brand() {
        org.osgi.service.cm.Configuration[] found;
        try {
            found = configurations.listConfigurations("(service.pid=" + BRAND_PID + ")");
        } catch (IOException | org.osgi.framework.InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
        if (found == null) {
            return null;
        }
        Dictionary<String, Object> p = found[0].getProperties();
        return p == null ? null : p.get("brand");
    }

    @Test
    public void aCrossSiteConfigurationChangeIsRefusedAndASameOriginOneIsAuditedUnderTheOperator() throws Exception {
        String form = "apply=true&action=ajaxConfigManager&propertylist=brand&brand=";
        long before = audit.head().map(AuditRecord::sequence).orElse(0L);

        HttpResponse<String> foreign = probe.post("/system/console/configMgr/" + BRAND_PID, form + "evil",
                "Content-Type", FORM, "Authorization", basic(), "Origin", "http://evil.example");
        assertEquals(foreign.body(), 403, foreign.statusCode());
        assertTrue(foreign.body(), foreign.body().startsWith("403 Forbidden: Refused"));
        HttpResponse<String> none = probe.post("/system/console/configMgr/" + BRAND_PID, form + "evil",
                "Content-Type", FORM, "Authorization", basic());
        assertEquals("no Origin nor Referer", 403, none.statusCode());
        assertNotEquals("evil", brand());

        HttpResponse<String> own = probe.post("/system/console/configMgr/" + BRAND_PID, form + "itest-brand",
                "Content-Type", FORM, "Authorization", basic(), "Origin", probe.base());
        assertTrue(own.statusCode() + " " + own.body(), own.statusCode() < 400);
        Probe.await("the configuration changed", () -> "itest-brand".equals(brand()));

        Probe.await("an audit record names the operator", () -> audit.read(before + 1, 1000).stream().anyMatch(r ->
                r.actor().equals("operator:" + login) && r.action().equals("console.configuration.updated")
                        && r.subject().equals("pid:" + BRAND_PID)));
        assertTrue(audit.read(before + 1, 1000).stream().noneMatch(r -> r.actor().equals("operator:" + login)
                && r.action().startsWith("console.") && r.subject().contains("evil")));
        assertTrue(audit.verify().intact());
    }

    @Test
    public void aCrossSiteBundleInstallIsRefused() throws Exception {
        int bundles = context.getBundles().length;
        HttpResponse<String> r = probe.post("/system/console/bundles/install", "action=install&bundlestart=start",
                "Content-Type", FORM, "Authorization", basic(), "Origin", "https://evil.example");
        assertEquals(403, r.statusCode());
        assertEquals(bundles, context.getBundles().length);
    }

    @Test
    public void aBundleInstalledThroughTheConsoleIsAuditedUnderTheOperator() throws Exception {
        long before = audit.head().map(AuditRecord::sequence).orElse(0L);
        byte[] jar = Files.readAllBytes(java.nio.file.Path.of(System.getProperty("cachet.itest.samples"),
                "io.cachet.brand.example.jar"));
        String boundary = "cachet" + UUID.randomUUID();
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"action\"\r\n\r\ninstall\r\n--" + boundary
                + "\r\nContent-Disposition: form-data; name=\"bundlefile\"; filename=\"example.jar\"\r\n"
                + "Content-Type: application/java-archive\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.write(jar);
        body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(probe.base() + "/system/console/bundles/install"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .header("Authorization", basic()).header("Origin", probe.base())
                .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(),
                HttpResponse.BodyHandlers.ofString());
        assertTrue(r.statusCode() + " " + r.body(), r.statusCode() < 400);
        try {
            Probe.await("the install is audited under the operator", () -> audit.read(before + 1, 1000).stream()
                    .anyMatch(a -> a.actor().equals("operator:" + login) && a.action().equals("console.bundle.installed")));
        } finally {
            Probe.await("the example bundle is installed", () -> List.of(context.getBundles()).stream()
                    .anyMatch(b -> "io.cachet.brand.example".equals(b.getSymbolicName())));
            for (org.osgi.framework.Bundle b : context.getBundles()) {
                if ("io.cachet.brand.example".equals(b.getSymbolicName())) {
                    b.uninstall();
                }
            }
        }
    }

    @Test
    public void consolePagesCannotBeFramedOrCached() {
        HttpResponse<String> page = probe.get("/system/console/bundles", "Authorization", basic());
        assertEquals(200, page.statusCode());
        assertEquals("DENY", page.headers().firstValue("X-Frame-Options").orElse(""));
        String csp = page.headers().firstValue("Content-Security-Policy").orElse("");
        assertTrue(csp, csp.contains("frame-ancestors 'none'") && csp.contains("object-src 'none'"));
        assertEquals("no-store", page.headers().firstValue("Cache-Control").orElse(""));
        assertEquals("nosniff", page.headers().firstValue("X-Content-Type-Options").orElse(""));
        assertEquals("same-origin", page.headers().firstValue("Referrer-Policy").orElse(""));
        // also when the console refuses: the 401 carries them
        assertEquals("DENY", probe.get("/system/console/bundles").headers().firstValue("X-Frame-Options").orElse(""));
    }

    @Test
    public void traceIsOffAndEchoesNothing() throws Exception {
        String[] answer = raw("TRACE /health HTTP/1.1", "Authorization: Basic c2VjcmV0LWVjaG8=");
        assertTrue(answer[0], answer[0].startsWith("HTTP/1.1 405"));
        assertFalse(answer[1], answer[1].contains("c2VjcmV0LWVjaG8"));
    }

    @Test
    public void errorsShowNoStackTraceNoServletAndNoClass() throws Exception {
        String[] badQuery = raw("GET /console/password?login=%ZZ HTTP/1.1");
        assertTrue(badQuery[0], badQuery[0].startsWith("HTTP/1.1 400"));
        noInternals(badQuery[1]);

        // a form body the container cannot decode: the servlet fails inside the runtime, which answers 400 now
        HttpResponse<String> badForm = probe.post("/console/password", "login=%ZZ&current=x&new=y&confirm=y",
                "Content-Type", FORM, "Origin", probe.base());
        assertEquals(badForm.body(), 400, badForm.statusCode());
        noInternals(badForm.body());

        HttpResponse<String> method = probe.post("/health", "x");
        assertEquals(405, method.statusCode());
        assertTrue(method.body(), method.body().startsWith("405 Method Not Allowed"));
        noInternals(method.body());

        HttpResponse<String> apiMethod = probe.post("/api/v1/health", "{}", "Authorization",
                "Bearer " + probe.initialAdmin().get("api-key"));
        assertEquals(405, apiMethod.statusCode());
        assertEquals("method_not_allowed", Probe.json(apiMethod).path("error").asText());
        noInternals(apiMethod.body());
    }

    @Test
    public void deeplyNestedJsonIsABadRequest() throws Exception {
        HttpResponse<String> r = probe.post("/api/v1/certificates", "[".repeat(20_000) + "]".repeat(20_000),
                "Authorization", "Bearer " + probe.initialAdmin().get("api-key"), "Content-Type", "application/json");
        assertEquals(r.body(), 400, r.statusCode());
        assertTrue(r.body(), Probe.json(r).path("error_description").asText().contains("levels of nesting"));
    }

    /**
     * Every operation the API describes, whatever a later module adds: hostile bodies (malformed JSON, an array, null,
     * plain text) and junk query parameters are answered with a client error that says what was wrong — RFC 9457
     * problem+json, or the CSC API's own {@code error}/{@code error_description} — never a server error, and with no
     * internals. Path parameters name nothing that exists, so no change can be made by it.
     */
    @Test
    public void everyApiOperationAnswersHostileInputWithAClientErrorAndNoInternals() throws Exception {
        String key = "Bearer " + probe.initialAdmin().get("api-key");
        JsonNode paths = Probe.json(probe.get("/api/v1/openapi.json")).path("paths");
        assertTrue("the API describes its operations", paths.size() > 20);
        String[][] bodies = {{"{\"a\":", "application/json"}, {"[1,2]", "application/json"},
            {"null", "application/json"}, {"hello", "text/plain"}};
        List<String> wrong = new java.util.ArrayList<>();
        int sent = 0;
        for (var path : (Iterable<Map.Entry<String, JsonNode>>) paths::fields) {
            String address = (path.getKey().startsWith("/api/") ? "" : "/api/v1")
                    + path.getKey().replaceAll("\\{[^}]+}", "no-such-" + UUID.randomUUID());
            for (var operation : (Iterable<String>) path.getValue()::fieldNames) {
                String method = operation.toUpperCase(java.util.Locale.ROOT);
                boolean withBody = List.of("POST", "PUT", "PATCH").contains(method);
                if (!withBody && !List.of("GET", "DELETE").contains(method)) {
                    continue;
                }
                for (String[] body : withBody ? bodies : new String[][] {{null, null}}) {
                    String target = withBody ? address : address + "?limit=-5&from=yesterday&state=%00&page=x";
                    HttpResponse<String> r = body[1] == null
                            ? probe.send(method, target, null, "Authorization", key, "Origin", probe.base())
                            : probe.send(method, target, body[0], "Authorization", key, "Origin", probe.base(),
                                    "Content-Type", body[1]);
                    sent++;
                    String what = method + " " + target + " " + (body[0] == null ? "" : body[0]) + " -> "
                            + r.statusCode() + " " + r.body();
                    String type = r.headers().firstValue("Content-Type").orElse("");
                    if (r.statusCode() >= 500) {
                        wrong.add("a server error: " + what);
                    } else if (r.statusCode() >= 400 && !(type.startsWith("application/problem+json")
                            || type.startsWith("application/json") && address.startsWith("/api/v1/csc/")
                                    && Probe.json(r).hasNonNull("error_description"))) {
                        wrong.add("not a problem (" + type + "): " + what);
                    } else if (r.statusCode() >= 400 && Probe.json(r).path("detail").asText().isBlank()
                            && Probe.json(r).path("error_description").asText().isBlank()) {
                        wrong.add("no explanation: " + what);
                    }
                    for (String leak : INTERNALS) {
                        if (r.body().contains(leak)) {
                            wrong.add("'" + leak + "' in " + what);
                        }
                    }
                }
            }
        }
        assertTrue("only " + sent + " requests", sent > 100);
        assertTrue(String.join("\n", wrong), wrong.isEmpty());
    }

    @Test
    public void publicHealthSaysUpOnlyAndOperatorsGetTheReport() throws Exception {
        HttpResponse<String> open = probe.get("/health");
        assertEquals(200, open.statusCode());
        JsonNode body = Probe.json(open);
        assertEquals(1, body.size());
        assertEquals("UP", body.path("status").asText());
        assertFalse(open.body(), open.body().contains("jdbc") || open.body().contains(probe.data().toString()));

        HttpResponse<String> anonymous = probe.get("/api/v1/health");
        assertEquals(401, anonymous.statusCode());
        HttpResponse<String> report = probe.healthReport();
        assertEquals(200, report.statusCode());
        assertTrue(report.body(), Probe.json(report).path("checks").path("database").path("detail").asText()
                .startsWith("H2 at jdbc:h2:file:"));
        assertTrue(probe.get("/api/v1/openapi.json").body().contains("\"/health\""));
    }

    @Test
    public void theServerListensOnTheLoopbackAddressOnly() throws Exception {
        int port = Integer.parseInt(context.getProperty("org.osgi.service.http.port"));
        assertEquals("127.0.0.1", context.getProperty("org.apache.felix.http.host"));
        InetAddress external = null;
        for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            for (InetAddress a : Collections.list(ni.getInetAddresses())) {
                if (ni.isUp() && !a.isLoopbackAddress() && a instanceof Inet4Address) {
                    external = a;
                }
            }
        }
        Assume.assumeTrue("this machine has no address besides the loopback one", external != null);
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(external, port), 3000);
            throw new AssertionError("port " + port + " answers on " + external);
        } catch (ConnectException expected) {
            // refused: nothing listens there
        }
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 3000);
        }
    }

    /** What an answer must never show: stack traces, class, package and servlet names, a container's HTML page. */
    private static final List<String> INTERNALS = List.of("Exception", "\tat ", "at org.", "at io.", "Servlet",
            "io.cachet", "jetty", "<html", "com.fasterxml");

    private static void noInternals(String body) {
        for (String leak : INTERNALS) {
            assertFalse("'" + leak + "' in " + body, body.contains(leak));
        }
    }

    /** A request Java's HTTP client would not send (TRACE, a malformed query); returns status line and body. */
    private String[] raw(String requestLine, String... headers) throws IOException {
        int port = Integer.parseInt(context.getProperty("org.osgi.service.http.port"));
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(20_000);
            StringBuilder request = new StringBuilder(requestLine).append("\r\nHost: 127.0.0.1:").append(port)
                    .append("\r\nConnection: close\r\n");
            for (String h : headers) {
                request.append(h).append("\r\n");
            }
            socket.getOutputStream().write(request.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int end = answer.indexOf("\r\n\r\n");
            return new String[] {answer.substring(0, Math.max(0, answer.indexOf("\r\n"))),
                    end < 0 ? "" : answer.substring(end + 4)};
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
    /**
     * A large body refused before it is read (413 on its announced length) does not cost the client its connection:
     * the server answers, reads and drops the rest, and the same connection serves the next request. Without
     * that, Jetty closed the connection under a client still sending, which Java's HttpClient reported as
     * "EOF reached while reading" instead of the 413.
     */
    @Test
    public void aRefusedBodyIsDrainedAndTheConnectionServesTheNextRequest() throws Exception {
        int port = Integer.parseInt(context.getProperty("org.osgi.service.http.port"));
        // over the 256 KiB the guard reads ahead of every servlet, under the 1 MiB it drains after a refusal
        byte[] body = "x".repeat(300_000).getBytes(StandardCharsets.US_ASCII);
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(20_000);
            var out = socket.getOutputStream();
            var in = new java.io.BufferedInputStream(socket.getInputStream());
            out.write(("POST /api/v1/certificates HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nAuthorization: Bearer "
                    + probe.adminApiKey() + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length
                    + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body, 0, 1000);
            out.flush();
            String first = head(in);
            assertTrue(first, first.startsWith("HTTP/1.1 413"));
            assertFalse(first, first.toLowerCase(java.util.Locale.ROOT).contains("connection: close"));
            skipBody(in, first);
            out.write(body, 1000, body.length - 1000);
            out.write(("GET /health HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String second = head(in);
            assertTrue(second, second.startsWith("HTTP/1.1 200"));
        }
    }

    /** The status line and headers of one HTTP/1.1 answer. */
    private static String head(java.io.InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("the server closed the connection after: " + head);
            }
            head.append((char) c);
        }
        return head.toString();
    }

    /** Skips the body of an answer whose head was read: by its Content-Length, or chunk by chunk. */
    private static void skipBody(java.io.InputStream in, String head) throws IOException {
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                in.skipNBytes(Long.parseLong(line.substring(15).strip()));
                return;
            }
        }
        assertTrue(head, head.toLowerCase(java.util.Locale.ROOT).contains("transfer-encoding: chunked"));
        while (true) {
            String size = line(in);
            long n = Long.parseLong(size.split(";")[0].strip(), 16);
            in.skipNBytes(n);
            line(in); // the CRLF after the chunk
            if (n == 0) {
                return;
            }
        }
    }

    private static String line(java.io.InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) != '\n') {
            if (c < 0) {
                throw new IOException("the server closed the connection inside a chunked body");
            }
            line.append((char) c);
        }
        return line.toString().strip();
    }
}
