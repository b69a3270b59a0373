package io.cachet.identity.vendor.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A local identity proofing vendor for the tests, plain JDK: {@code POST /sessions} (Bearer API key) creates a
 * session and answers {@code {id, url}}; {@code GET /verify/<id>} is the vendor's page the person lands on; and
 * {@link #sendResult} plays the vendor posting its signed result to Cachet's webhook. Its HMAC is computed here, on
 * its own, so that it checks Cachet's verification rather than mirroring it.
 */
public final class FakeVendor implements AutoCloseable {

    /** A session the fake vendor created. */
    public record Session(String id, String reference, String language, String body) {
    }

    /** What Cachet answered to a webhook. */
    public record Answer(int status, String body) {
    }

    private static final Pattern STRING_FIELD = Pattern.compile("\"(reference|language)\"\\s*:\\s*\"([^\"]*)\"");

    private final HttpServer server;
    private final String apiKey;
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final List<Session> created = new CopyOnWriteArrayList<>();
    private final List<String> refusedKeys = new CopyOnWriteArrayList<>();
    private final List<String> pagesServed = new CopyOnWriteArrayList<>();
    private volatile int failWith;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public FakeVendor(String apiKey) throws IOException {
        this.apiKey = apiKey;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "fake-vendor");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/sessions", this::sessions);
        server.createContext("/verify/", this::page);
        server.start();
    }

    /** {@code http://127.0.0.1:<port>}, the API base URL to configure. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** From now on POST /sessions answers {@code status} (0: normal service again). */
    public void failWith(int status) {
        this.failWith = status;
    }

    public Map<String, Session> sessions() {
        return Map.copyOf(sessions);
    }

    /** The latest session created for a case, or null. */
    public Session sessionFor(String caseId) {
        return created.stream().filter(s -> caseId.equals(s.reference())).reduce((a, b) -> b).orElse(null);
    }

    /** Authorization headers refused (wrong or missing key), as received. */
    public List<String> refusedKeys() {
        return List.copyOf(refusedKeys);
    }

    /** The session ids whose page was served. */
    public List<String> pagesServed() {
        return List.copyOf(pagesServed);
    }

    private void sessions(HttpExchange x) throws IOException {
        try (x) {
            if (!"POST".equals(x.getRequestMethod())) {
                send(x, 405, "text/plain", "POST only");
                return;
            }
            String auth = x.getRequestHeaders().getFirst("Authorization");
            if (!("Bearer " + apiKey).equals(auth)) {
                refusedKeys.add(String.valueOf(auth));
                send(x, 401, "application/json", "{\"error\":\"bad api key\"}");
                return;
            }
            String body;
            try (InputStream in = x.getRequestBody()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            if (failWith != 0) {
                send(x, failWith, "application/json", "{\"error\":\"failing on purpose\"}");
                return;
            }
            String reference = null;
            String language = null;
            Matcher m = STRING_FIELD.matcher(body);
            while (m.find()) {
                if (m.group(1).equals("reference")) {
                    reference = m.group(2);
                } else {
                    language = m.group(2);
                }
            }
            if (reference == null) {
                send(x, 400, "application/json", "{\"error\":\"reference is required\"}");
                return;
            }
            String id = "ses_" + UUID.randomUUID().toString().replace("-", "");
            Session session = new Session(id, reference, language, body);
            sessions.put(id, session);
            created.add(session);
            send(x, 201, "application/json", "{\"id\":\"" + id + "\",\"url\":\"" + baseUrl() + "/verify/" + id + "\"}");
        }
    }

    private void page(HttpExchange x) throws IOException {
        try (x) {
            String id = x.getRequestURI().getPath().substring("/verify/".length());
            if (!sessions.containsKey(id)) {
                send(x, 404, "text/plain", "no such session");
                return;
            }
            pagesServed.add(id);
            send(x, 200, "text/html; charset=utf-8", "<!doctype html><title>Fake Vendor</title><h1>Fake Vendor"
                    + " verification</h1><p>Session " + id + "</p>");
        }
    }

    private static void send(HttpExchange x, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().set("Content-Type", type);
        x.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = x.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** A result body in the default field layout of io.cachet.identity.vendor. */
    public static String resultBody(String eventId, String sessionId, String status, String surname,
            String givenNames, String birthDate, String documentType, String number, String expiry) {
        return "{\"event_id\":\"" + eventId + "\",\"session_id\":\"" + sessionId + "\",\"status\":\"" + status
                + "\",\"document\":{\"surname\":\"" + surname + "\",\"given_names\":\"" + givenNames
                + "\",\"birth_date\":\"" + birthDate + "\",\"type\":\"" + documentType + "\",\"number\":\"" + number
                + "\",\"expiry_date\":\"" + expiry + "\"},\"checks\":{\"liveness\":true,\"document_authentic\":true}}";
    }

    /** {@code sha256=<hex HMAC-SHA256(secret, timestamp + "." + body)>}, computed independently of Cachet. */
    public static String signature(String secret, long timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] prefix = (timestamp + ".").getBytes(StandardCharsets.UTF_8);
            byte[] all = new byte[prefix.length + body.length];
            System.arraycopy(prefix, 0, all, 0, prefix.length);
            System.arraycopy(body, 0, all, prefix.length, body.length);
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(all));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Posts {@code body} to Cachet's webhook as the vendor does, signed with {@code secret} at {@code timestamp};
     * {@code signatureOverride} replaces the signature header when not null (tampering tests).
     */
    public Answer sendResult(URI webhook, byte[] body, String secret, long timestamp, String signatureOverride)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(webhook).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .header("X-Vendor-Timestamp", Long.toString(timestamp))
                .header("X-Vendor-Signature", signatureOverride != null ? signatureOverride
                        : signature(secret, timestamp, body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), r.body());
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
