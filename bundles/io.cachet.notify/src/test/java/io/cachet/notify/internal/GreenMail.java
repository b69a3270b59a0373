package io.cachet.notify.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.cachet.api.testing.Processes;

/**
 * A real SMTP server for the tests: GreenMail standalone in a JVM of its own (its jar is copied by the build, never
 * on this class path), on free ports, with one SMTP account; received mail is read through its REST API.
 */
final class GreenMail implements AutoCloseable {

    static final String USER = "cachet";
    static final String PASSWORD = "smtp-pass-4-tests";

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Processes.Running process;
    final int smtpPort;
    /** SMTPS with GreenMail's own self-signed certificate, which no trust store knows. */
    final int smtpsPort;
    final int apiPort;

    GreenMail() {
        String jar = System.getProperty("cachet.test.greenmail");
        if (jar == null || !Files.isRegularFile(Path.of(jar))) {
            throw new IllegalStateException("GreenMail's jar is missing (" + jar + "): build with Maven, which copies it");
        }
        smtpPort = freePort();
        smtpsPort = freePort();
        apiPort = freePort();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        process = Processes.start(null, List.of(java, "-Xmx128m", "-Dgreenmail.hostname=127.0.0.1",
                "-Dgreenmail.smtp.port=" + smtpPort, "-Dgreenmail.smtps.port=" + smtpsPort, "-Dgreenmail.api.hostname=127.0.0.1",
                "-Dgreenmail.api.port=" + apiPort, "-Dgreenmail.users=" + USER + ":" + PASSWORD + "@cachet.example",
                "-jar", jar));
        try {
            process.awaitReady(Duration.ofSeconds(60), () -> get("/api/service/readiness").statusCode() == 200);
        } catch (AssertionError e) {
            process.close();
            throw e;
        }
    }

    /** The messages {@code address} received: each with {@code Message-ID}, {@code subject} and {@code mimeMessage}. */
    List<JsonNode> messages(String address) {
        HttpResponse<String> r = get("/api/user/" + address + "/messages/INBOX");
        if (r.statusCode() == 404 || r.statusCode() == 400) {
            return List.of(); // no mail yet: GreenMail makes the user at the first delivery
        }
        try {
            List<JsonNode> out = new ArrayList<>();
            JSON.readTree(r.body()).forEach(out::add);
            return out;
        } catch (IOException e) {
            throw new AssertionError("GreenMail answered " + r.statusCode() + ": " + r.body(), e);
        }
    }

    private HttpResponse<String> get(String path) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + apiPort + path))
                    .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        process.close();
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
