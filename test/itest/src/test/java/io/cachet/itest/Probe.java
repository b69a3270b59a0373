package io.cachet.itest;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

import org.osgi.framework.BundleContext;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Helpers for code running inside the framework: real HTTP to the running Jetty, and waiting for state. */
final class Probe {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private final BundleContext context;

    Probe(BundleContext context) {
        this.context = context;
    }

    Path data() {
        return Path.of(context.getProperty("cachet.data"));
    }

    String base() {
        return "http://127.0.0.1:" + context.getProperty("org.osgi.service.http.port");
    }

    HttpResponse<String> get(String path, String... headers) {
        return send(HttpRequest.newBuilder(URI.create(base() + path)).GET(), headers);
    }

    HttpResponse<String> post(String path, String body, String... headers) {
        return send(HttpRequest.newBuilder(URI.create(base() + path))
                .POST(HttpRequest.BodyPublishers.ofString(body)), headers);
    }

    /** Any method, with a body when {@code body} is not null. */
    HttpResponse<String> send(String method, String path, String body, String... headers) {
        return send(HttpRequest.newBuilder(URI.create(base() + path)).method(method, body == null
                ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)), headers);
    }

    HttpResponse<String> delete(String path, String... headers) {
        return send(HttpRequest.newBuilder(URI.create(base() + path)).DELETE(), headers);
    }

    private HttpResponse<String> send(HttpRequest.Builder b, String... headers) {
        if (headers.length > 0) {
            b.headers(headers);
        }
        try {
            return HTTP.send(b.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("HTTP failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static String basic(String login, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((login + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    static JsonNode json(HttpResponse<String> r) {
        try {
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON (" + r.statusCode() + "): " + r.body(), e);
        }
    }

    /** Waits for a condition the framework reaches asynchronously; fails with {@code what} after 60 s. */
    static void await(String what, BooleanSupplier condition) {
        long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < end) {
            try {
                if (condition.getAsBoolean()) {
                    return;
                }
            } catch (RuntimeException notYet) {
                // e.g. connection refused while the port is not open yet
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + what);
            }
        }
        throw new AssertionError("timed out waiting for " + what);
    }

    /** The key=value lines of DATA/initial-admin.txt. */
    Map<String, String> initialAdmin() throws IOException {
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : Files.readAllLines(data().resolve("initial-admin.txt"))) {
            int eq = line.indexOf('=');
            if (!line.startsWith("#") && eq > 0) {
                values.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return values;
    }

    /** The password tests give the initial administrator when they take the account over. */
    static final String ADMIN_PASSWORD = "itest-owner-passphrase-42";

    /**
     * The initial administrator's API key, usable: the key works only once the initial password has been replaced,
     * so this replaces it (with {@link #ADMIN_PASSWORD}, through the password page as a browser would) when that
     * has not been done yet.
     */
    String adminApiKey() throws IOException {
        Map<String, String> admin = initialAdmin();
        String key = admin.get("api-key");
        HttpResponse<String> probe = get("/api/v1/operators/me/api-keys", "Authorization", "Bearer " + key);
        if (probe.statusCode() == 403) {
            changePassword(admin.get("login"), admin.get("password"), ADMIN_PASSWORD);
        }
        return key;
    }

    /** Posts the password form as a browser on this origin would; fails unless the change is accepted. */
    void changePassword(String login, String current, String next) {
        String form = "login=" + enc(login) + "&current=" + enc(current) + "&new=" + enc(next) + "&confirm=" + enc(next);
        HttpResponse<String> changed = post("/console/password", form, "Content-Type",
                "application/x-www-form-urlencoded", "Origin", base());
        if (changed.statusCode() != 303) {
            throw new AssertionError("password change refused (" + changed.statusCode() + "): " + changed.body());
        }
    }

    static String enc(String s) {
        return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /**
     * {@code GET /api/v1/health}: the full health report, which only operators see, with the first
     * administrator's API key. (The public {@code GET /health} only says UP or DOWN.)
     */
    HttpResponse<String> healthReport() {
        try {
            return get("/api/v1/health", "Authorization", "Bearer " + adminApiKey());
        } catch (IOException e) {
            throw new IllegalStateException("cannot read initial-admin.txt: " + e, e);
        }
    }

    /**
     * Waits until GET /health answers 200 and returns the full report (see {@link #healthReport()}; reading it
     * takes the initial administrator's account over).
     */
    JsonNode healthyReport() {
        healthy();
        return json(healthReport());
    }

    /** Waits until GET /health answers 200 and returns its public answer ({@code {"status":"UP"}}). */
    JsonNode healthy() {
        String[] last = {"no answer"};
        @SuppressWarnings("unchecked")
        HttpResponse<String>[] answer = new HttpResponse[1];
        try {
            await("GET /health to answer 200", () -> {
                HttpResponse<String> r = get("/health");
                last[0] = r.statusCode() + " " + r.body();
                answer[0] = r;
                return r.statusCode() == 200;
            });
        } catch (AssertionError e) {
            String report;
            try {
                report = healthReport().body();
            } catch (RuntimeException unreadable) {
                report = unreadable.toString();
            }
            throw new AssertionError(e.getMessage() + "; last answer: " + last[0] + "; report: " + report, e);
        }
        return json(answer[0]);
    }
}
