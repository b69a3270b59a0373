package io.cachet.web.internal.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.service.condition.Condition;
import org.osgi.service.servlet.context.ServletContextHelper;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.cachet.api.audit.AuditAnchor;
import io.cachet.api.audit.AuditEvent;
import io.cachet.api.audit.AuditLog;
import io.cachet.api.audit.AuditRecord;
import io.cachet.api.audit.AuditVerification;
import io.cachet.web.internal.LocalJetty;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The guard in front of servlets on the Jetty 11 the runtime uses, over real HTTP. The servlet behind it plays
 * the HTTP runtime's dispatcher: a servlet's exception becomes {@code sendError(500)} with the exception in the
 * request, as Felix HTTP does; the Web Console's security provider puts the operator's login in the request.
 * (RuntimeIT and WebSecurityIT prove the same inside the real server.)
 */
class HttpGuardTest {

    static LocalJetty server;
    static String base;
    static HttpGuard guard;
    static final AtomicInteger consoleCalls = new AtomicInteger();
    static final Events audit = new Events();
    static final HttpClient HTTP = HttpClient.newHttpClient();

    /** Just the events the guard appends; the real log is tested in the audit bundle and the itests. */
    static final class Events implements AuditLog {
        final List<AuditEvent> events = new ArrayList<>();

        @Override
        public synchronized AuditRecord append(AuditEvent event) {
            events.add(event);
            return null;
        }

        @Override
        public List<AuditRecord> read(long fromSequence, int max) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<AuditRecord> head() {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<AuditAnchor> anchor() {
            throw new UnsupportedOperationException();
        }

        @Override
        public AuditVerification verify() {
            throw new UnsupportedOperationException();
        }
    }

    /** Routes like the HTTP runtime and answers a servlet's exception like it does. */
    static final class Runtime extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            try {
                route(req, resp);
            } catch (Exception e) {
                req.setAttribute(RequestDispatcher.ERROR_EXCEPTION, e);
                resp.sendError(500);
            }
        }

        private static void route(HttpServletRequest req, HttpServletResponse resp) throws Exception {
            String path = req.getPathInfo();
            if (path.startsWith("/system/console")) {
                consoleCalls.incrementAndGet();
                req.setAttribute(ServletContextHelper.REMOTE_USER, "alice");
                resp.setContentType("text/html");
                resp.getWriter().write("<html>console</html>");
            } else if (path.equals("/console/password")) {
                resp.getWriter().write("login " + req.getParameter("login"));
            } else if (path.equals("/missing") || path.equals("/api/v1/missing")) {
                resp.sendError(404); // as the HTTP runtime for an address no servlet serves, and Jersey
            } else if (path.equals("/starting-flag")) {
                resp.getWriter().write("starting " + req.getAttribute(HttpGuard.STARTING_ATTRIBUTE));
            } else if (path.equals("/orders/42")) {
                resp.setStatus(404); // a servlet's own answer: there is no such order
                resp.getWriter().write("no order 42");
            } else if (path.equals("/boom")) {
                throw new IllegalStateException("secret internals at io.cachet.Boom");
            } else if (path.startsWith("/api/")) {
                new HttpServlet() {
                    private static final long serialVersionUID = 1L;

                    @Override
                    protected void doGet(HttpServletRequest q, HttpServletResponse r) throws IOException {
                        r.getWriter().write("{}");
                    }
                }.service(req, resp);
            } else if (path.equals("/form")) {
                resp.getWriter().write("form " + String.join(",", req.getParameterValues("a")));
            } else if (path.equals("/empty")) {
                jakarta.servlet.ServletInputStream in = req.getInputStream();
                resp.getWriter().write("empty " + in.read() + " " + in.isFinished() + " "
                        + in.getClass().getName().contains("PrefetchedBody"));
            } else if (path.equals("/late")) {
                // a framework peeks at the body (is there one?), then the server is busy elsewhere (a database
                // lookup, a loaded machine) before it reads the rest
                java.io.InputStream in = req.getInputStream();
                int first = in.read();
                Thread.sleep(300);
                resp.getWriter().write("late " + (char) first + new String(in.readAllBytes(),
                        java.nio.charset.StandardCharsets.UTF_8));
            } else {
                new HttpServlet() {
                    private static final long serialVersionUID = 1L;

                    @Override
                    protected void doGet(HttpServletRequest q, HttpServletResponse r) throws IOException {
                        r.getWriter().write("plain");
                    }

                    @Override
                    protected void doPost(HttpServletRequest q, HttpServletResponse r) throws IOException {
                        r.getWriter().write("posted");
                    }
                }.service(req, resp);
            }
        }
    }

    @BeforeAll
    static void start() throws Exception {
        guard = new HttpGuard(null, "/system/console");
        guard.setAudit(audit);
        guard.setReady(Condition.INSTANCE);
        server = LocalJetty.start(guard, new Runtime(), "/*");
        base = server.base();
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @BeforeEach
    void reset() {
        consoleCalls.set(0);
        synchronized (audit) {
            audit.events.clear();
        }
    }

    static HttpResponse<String> send(String method, String path, String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).method(method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A request line Java's HTTP client would refuse to send; returns the status line and the body. */
    static String[] raw(String requestLine) throws IOException {
        URI uri = URI.create(base);
        try (java.net.Socket socket = new java.net.Socket(uri.getHost(), uri.getPort())) {
            socket.getOutputStream().write((requestLine + " HTTP/1.1\r\nHost: " + uri.getAuthority()
                    + "\r\nConnection: close\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            String answer = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            int end = answer.indexOf("\r\n\r\n");
            return new String[] {answer.substring(0, answer.indexOf("\r\n")), end < 0 ? "" : answer.substring(end + 4)};
        }
    }

    static void noInternals(HttpResponse<String> r) {
        for (String leak : List.of("Exception", "at io.", "at org.", "Servlet", "io.cachet", "jetty", "<html")) {
            assertFalse(r.body().contains(leak), "'" + leak + "' in " + r.body());
        }
    }

    /**
     * Jetty's minimum data rate (1 KiB/s here, as in the server) counts from the body's first byte to each read
     * that needs more of it, its end included: a small body finished 300 ms after its first byte was read looked
     * like 23 bytes/s and ended in 408. The guard reads small bodies whole at once.
     */
    @Test
    void aSmallBodyReadLateByTheServerIsNotTooSlow() throws Exception {
        send("GET", "/plain", null); // the limits are applied at the first request
        HttpResponse<String> json = send("POST", "/late", "{\"a\":1}", "Content-Type", "application/json");
        assertEquals(200, json.statusCode(), json.body());
        assertEquals("late {\"a\":1}", json.body());
    }

    /** A request without a body reads as empty without reaching the container's input (and its rate check). */
    @Test
    void aRequestWithoutABodyReadsAsEmptyFromMemory() throws Exception {
        HttpResponse<String> r = send("GET", "/empty", null);
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("empty -1 true true", r.body());
    }

    @Test
    void formFieldsComeAfterTheQueryStringsAndAMalformedOneIsABadRequest() throws Exception {
        HttpResponse<String> both = send("POST", "/form?a=query", "a=body&a=second", "Content-Type",
                "application/x-www-form-urlencoded", "Origin", base);
        assertEquals("form query,body,second", both.body());
        HttpResponse<String> bad = send("POST", "/form", "a=%ZZ", "Content-Type",
                "application/x-www-form-urlencoded", "Origin", base);
        assertEquals(400, bad.statusCode());
        noInternals(bad);
    }

    @Test
    void aCrossSiteFormPostToTheConsoleIsRefusedBeforeTheConsoleSeesIt() throws Exception {
        HttpResponse<String> r = send("POST", "/system/console/bundles/install", "action=install",
                "Content-Type", "application/x-www-form-urlencoded", "Origin", "http://evil.example",
                "Authorization", "Basic YWxpY2U6c2VjcmV0");
        assertEquals(403, r.statusCode());
        assertTrue(r.body().startsWith("403 Forbidden: Refused"), r.body());
        assertEquals(0, consoleCalls.get());
        assertTrue(audit.events.isEmpty());
    }

    @Test
    void aStateChangeWithoutOriginOrRefererOrWithOriginNullIsRefused() throws Exception {
        assertEquals(403, send("POST", "/system/console/configMgr/x", "apply=true",
                "Content-Type", "application/x-www-form-urlencoded").statusCode());
        assertEquals(403, send("POST", "/system/console/configMgr/x", "apply=true",
                "Content-Type", "application/x-www-form-urlencoded", "Origin", "null").statusCode());
        assertEquals(403, send("DELETE", "/console/anything", null, "Referer", "http://127.0.0.1:1/x")
                .statusCode());
        assertEquals(0, consoleCalls.get());
    }

    @Test
    void aSameOriginConsoleChangePassesAndIsAuditedUnderTheOperator() throws Exception {
        HttpResponse<String> r = send("POST", "/system/console/configMgr/io.cachet.web.brand",
                "apply=true&propertylist=brand&brand=acme", "Content-Type", "application/x-www-form-urlencoded",
                "Origin", base);
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(1, consoleCalls.get());
        assertEquals(1, audit.events.size());
        AuditEvent e = audit.events.get(0);
        assertEquals("operator:alice", e.actor());
        assertEquals("console.configuration.updated", e.action());
        assertEquals("pid:io.cachet.web.brand", e.subject());

        // a Referer of the same origin will do when a browser sends no Origin
        assertEquals(200, send("POST", "/system/console/configMgr/x", "delete=true", "Content-Type",
                "application/x-www-form-urlencoded", "Referer", base + "/system/console/configMgr").statusCode());
        assertEquals("console.configuration.deleted", audit.events.get(1).action());
    }

    @Test
    void browserCredentialsAnywhereNeedTheSameOriginButBearerKeysDoNot() throws Exception {
        assertEquals(403, send("POST", "/elsewhere", "x", "Authorization", "Basic YWxpY2U6c2VjcmV0",
                "Origin", "https://evil.example").statusCode());
        assertEquals(403, send("POST", "/elsewhere", "x", "Cookie", "JSESSIONID=abc").statusCode());
        assertEquals(200, send("POST", "/elsewhere", "x", "Authorization", "Bearer ck_key").statusCode());
        assertEquals(200, send("POST", "/elsewhere", "x").statusCode(), "OCSP and TSA clients send no credentials");
    }

    @Test
    void theCscLoginTakesHttpBasicWithoutAnOriginButNothingElseDoes() throws Exception {
        assertEquals(200, send("POST", "/csc/v2/auth/login", "{}", "Authorization", "Basic YWxpY2U6c2VjcmV0")
                .statusCode(), "signing software logs in with Basic and sends no Origin");
        HttpResponse<String> cookie = send("POST", "/csc/v2/auth/login", "{}", "Authorization",
                "Basic YWxpY2U6c2VjcmV0", "Cookie", "cachet_space=abc", "Origin", "https://evil.example");
        assertEquals(403, cookie.statusCode(), "with a cookie it is a browser's request");
        assertTrue(cookie.body().contains("\"error_description\""), "CSC clients read error_description: "
                + cookie.body());
        assertEquals(403, send("POST", "/csc/v2/credentials/authorize", "{}", "Authorization",
                "Basic YWxpY2U6c2VjcmV0", "Origin", "https://evil.example").statusCode());
        assertEquals(403, send("POST", "/csc/v2/auth/login/x", "{}", "Authorization", "Basic YWxpY2U6c2VjcmV0",
                "Origin", "https://evil.example").statusCode());
    }

    @Test
    void consolePagesCannotBeFramedOrCachedAndCarryAPolicy() throws Exception {
        HttpResponse<String> r = send("GET", "/system/console/bundles", null);
        assertEquals(200, r.statusCode());
        assertEquals("DENY", r.headers().firstValue("X-Frame-Options").orElse(""));
        assertTrue(r.headers().firstValue("Content-Security-Policy").orElse("").contains("frame-ancestors 'none'"));
        assertEquals("no-store", r.headers().firstValue("Cache-Control").orElse(""));
        assertEquals("nosniff", r.headers().firstValue("X-Content-Type-Options").orElse(""));
        assertEquals("same-origin", r.headers().firstValue("Referrer-Policy").orElse(""));
        assertTrue(r.headers().firstValue("Strict-Transport-Security").isEmpty(), "no HSTS over plain HTTP");
    }

    @Test
    void traceIsRefusedAndEchoesNothing() throws Exception {
        HttpResponse<String> r = send("TRACE", "/elsewhere", null, "Authorization", "Basic c2VjcmV0LXZhbHVl");
        assertEquals(405, r.statusCode());
        assertFalse(r.body().contains("c2VjcmV0LXZhbHVl"), r.body());
        assertFalse(r.headers().firstValue("Allow").orElse("").contains("TRACE"));
        HttpResponse<String> options = send("OPTIONS", "/elsewhere", null);
        assertFalse(options.headers().firstValue("Allow").orElse("TRACE").contains("TRACE"),
                options.headers().toString());
    }

    @Test
    void aMalformedPercentEncodingIsABadRequestWithoutAStackTrace() throws Exception {
        for (String query : List.of("login=%ZZ", "login=%", "login=%C3", "login=%C3%28")) {
            String[] r = raw("GET /console/password?" + query);
            assertTrue(r[0].startsWith("HTTP/1.1 400"), query + ": " + r[0]);
            assertTrue(r[1].contains("percent-encoding"), r[1]);
            for (String leak : List.of("Exception", "at org.", "jetty", "<html")) {
                assertFalse(r[1].contains(leak), r[1]);
            }
        }
        assertEquals("login a b", send("GET", "/console/password?login=a%20b", null).body());
    }

    @Test
    void aFormBodyTheContainerCannotDecodeIsABadRequest() throws Exception {
        HttpResponse<String> r = send("POST", "/form", "a=%ZZ", "Content-Type", "application/x-www-form-urlencoded");
        assertEquals(400, r.statusCode(), r.body());
        noInternals(r);
    }

    @Test
    void aServletFailureShowsAReferenceAndNoInternals() throws Exception {
        HttpResponse<String> r = send("GET", "/boom", null);
        assertEquals(500, r.statusCode());
        assertTrue(r.body().contains("Quote reference"), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
        noInternals(r);
        assertFalse(r.body().contains("secret internals"));
    }

    @Test
    void underApiErrorsAreJsonAndAnUnservedMethodNamesNoServlet() throws Exception {
        HttpResponse<String> r = send("PUT", "/api/v1/thing", "{}", "Authorization", "Bearer ck_key");
        assertEquals(405, r.statusCode());
        JsonNode json = new ObjectMapper().readTree(r.body());
        assertEquals("method_not_allowed", json.path("error").asText());
        assertTrue(json.path("error_description").asText().contains("PUT"));
        noInternals(r);

        HttpResponse<String> plain = send("PUT", "/elsewhere", "x");
        assertEquals(405, plain.statusCode());
        assertTrue(plain.body().startsWith("405 Method Not Allowed"), plain.body());
        noInternals(plain);
    }

    /**
     * The HTTP connector opens early in a start, before every part has registered what it serves: until Cachet is
     * ready, "nothing here" may only mean "not yet", so the client is told to come back rather than that the address
     * does not exist. A servlet's own 404 (it looked and found nothing) is left alone, and once ready a 404 is a 404.
     */
    @Test
    void whileStartingAnAddressNothingServesYetIsA503WithRetryAfterNotA404() throws Exception {
        guard.unsetReady(Condition.INSTANCE);
        try {
            assertTrue(guard.starting());
            HttpResponse<String> page = send("GET", "/missing", null);
            assertEquals(503, page.statusCode());
            assertEquals("1", page.headers().firstValue("Retry-After").orElse(null));
            assertTrue(page.body().contains("Cachet is starting"), page.body());
            noInternals(page);

            HttpResponse<String> api = send("GET", "/api/v1/missing", null, "Authorization", "Bearer ck_key");
            assertEquals(503, api.statusCode());
            assertEquals("1", api.headers().firstValue("Retry-After").orElse(null));
            assertTrue(new ObjectMapper().readTree(api.body()).path("error_description").asText()
                    .contains("GET /health"), api.body());

            assertEquals("starting true", send("GET", "/starting-flag", null).body(), "told to the servlets");
            HttpResponse<String> own = send("GET", "/orders/42", null);
            assertEquals(404, own.statusCode());
            assertEquals("no order 42", own.body());
        } finally {
            guard.setReady(Condition.INSTANCE);
        }
        assertFalse(guard.starting());
        assertEquals("starting null", send("GET", "/starting-flag", null).body());
        HttpResponse<String> ready = send("GET", "/missing", null);
        assertEquals(404, ready.statusCode());
        assertTrue(ready.headers().firstValue("Retry-After").isEmpty());
    }
}
