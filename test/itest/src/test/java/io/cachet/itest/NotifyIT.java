package io.cachet.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.inject.Inject;

import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationAdmin;

import com.fasterxml.jackson.databind.JsonNode;

import io.cachet.api.audit.AuditLog;
import io.cachet.api.notify.Channel;
import io.cachet.api.notify.Notification;
import io.cachet.api.notify.NotificationRecord;
import io.cachet.api.notify.NotificationStatus;
import io.cachet.api.notify.Notifier;
import io.cachet.api.notify.Outbox;
import io.cachet.api.testing.Processes;

/**
 * Notifications in the distribution: the embedded default keeps messages in the outbox; configured for SMTP, the
 * bundle sends through Jakarta Mail and Angus Mail inside Felix (found through SPI Fly) to a real SMTP server,
 * GreenMail, running in a JVM of its own, with the password sealed at rest.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class NotifyIT {

    private static final String PID = "io.cachet.notify";

    @Inject
    BundleContext context;

    @Inject
    ConfigurationAdmin configurations;

    @Inject
    AuditLog audit;

    @Configuration
    public Option[] config() throws Exception {
        return CachetRuntime.options(Files.createTempDirectory("cachet-it-notify-"), Map.of());
    }

    @Before
    public void ready() {
        new Probe(context).healthy();
    }

    private <T> T service(Class<T> type) {
        ServiceReference<T> ref = context.getServiceReference(type);
        return ref == null ? null : context.getService(ref);
    }

    private NotificationStatus status(String id) {
        return service(Notifier.class).find(id).map(NotificationRecord::status).orElse(null);
    }

    @Test
    public void theEmbeddedDefaultKeepsMessagesInTheOutbox() {
        Probe.await("the notifier on the embedded default", () -> service(Outbox.class) != null
                && service(Outbox.class).channels().contains(Channel.EMAIL));
        String id = service(Notifier.class).send(Notification.email("alice@example.org", "notify.test", "fr",
                Map.of("reference", "IT-1")));
        Probe.await("kept in the outbox", () -> status(id) == NotificationStatus.OUTBOX);
        Optional<NotificationRecord> listed = service(Outbox.class).list(Channel.EMAIL, 0, 50).stream()
                .filter(m -> m.id().equals(id)).findFirst();
        assertTrue(listed.isPresent());
        assertEquals("Cachet : message d'essai", listed.get().subject());
        assertTrue(listed.get().body().contains("IT-1"));
        List<String> actions = audit.read(1, 100_000).stream().filter(r -> r.subject().equals("notification:" + id))
                .map(r -> r.action()).toList();
        assertEquals(List.of("notify.email.queued", "notify.email.outbox"), actions);
    }

    @Test
    public void operatorsReadTheOutboxOverRestAndInTheConsole() throws Exception {
        Probe probe = new Probe(context);
        Probe.await("the notifier on the embedded default", () -> service(Outbox.class) != null
                && service(Outbox.class).channels().contains(Channel.SMS));
        String id = service(Notifier.class).send(Notification.sms("+33612345678", "notify.test", "en",
                Map.of("reference", "<b>IT-3</b>")));
        Probe.await("kept in the outbox", () -> status(id) == NotificationStatus.OUTBOX);

        assertEquals(401, probe.get("/api/v1/outbox").statusCode());
        String key = probe.adminApiKey();
        Probe.await("the outbox resource served", () -> probe.get("/api/v1/outbox", "Authorization", "Bearer " + key)
                .statusCode() == 200);
        HttpResponse<String> r = probe.get("/api/v1/outbox?channel=sms&limit=10", "Authorization", "Bearer " + key);
        assertEquals(r.body(), 200, r.statusCode());
        JsonNode page = Probe.json(r);
        assertTrue(page.path("channels").toString(), page.path("channels").toString().contains("sms"));
        JsonNode first = page.path("messages").get(0);
        assertEquals(id, first.path("id").asText());
        assertEquals("+33612345678", first.path("to").asText());
        assertTrue(first.path("body").asText().contains("<b>IT-3</b>"));
        HttpResponse<String> bad = probe.get("/api/v1/outbox?channel=fax", "Authorization", "Bearer " + key);
        assertEquals(400, bad.statusCode());
        assertTrue(bad.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));

        JsonNode described = Probe.json(probe.get("/api/v1/openapi.json")).path("paths").path("/outbox");
        assertTrue("GET /api/v1/outbox is in the OpenAPI description", described.has("get"));
        JsonNode health = probe.healthyReport().path("checks").path("notify");
        assertTrue(health.toString(), health.path("detail").asText().startsWith(
                "e-mail kept in the outbox, SMS kept in the outbox;"));

        Map<String, String> admin = probe.initialAdmin();
        HttpResponse<String> console = probe.get("/console/outbox", "Authorization",
                Probe.basic(admin.get("login"), Probe.ADMIN_PASSWORD));
        assertEquals(console.body(), 200, console.statusCode());
        assertTrue(console.body().contains("+33612345678"));
        assertTrue("escaped in the page", console.body().contains("&lt;b&gt;IT-3&lt;/b&gt;"));
        assertFalse(console.body().contains("<b>IT-3</b>"));
    }

    @Test
    public void configuredForSmtpItSendsToARealServer() throws Exception {
        Path jar = Path.of(System.getProperty("cachet.itest.greenmail"));
        int smtp = freePort();
        int api = freePort();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        try (Processes.Running greenMail = Processes.start(null, List.of(java, "-Xmx128m",
                "-Dgreenmail.hostname=127.0.0.1", "-Dgreenmail.smtp.port=" + smtp, "-Dgreenmail.api.hostname=127.0.0.1",
                "-Dgreenmail.api.port=" + api, "-Dgreenmail.users=cachet:it-smtp-password@cachet.example", "-jar",
                jar.toString()))) {
            greenMail.awaitReady(Duration.ofSeconds(60), () -> get(http, api, "/api/service/readiness").statusCode() == 200);

            Path passwordFile = new Probe(context).data().resolve("secrets/smtp.password");
            Files.writeString(passwordFile, "it-smtp-password\n");
            org.osgi.service.cm.Configuration config = configurations.getConfiguration(PID, "?");
            Hashtable<String, Object> props = new Hashtable<>();
            props.put("emailTransport", "smtp");
            props.put("smtpHost", "127.0.0.1");
            props.put("smtpPort", smtp);
            props.put("smtpSecurity", "none");
            props.put("smtpUser", "cachet");
            props.put("smsTransport", "gateway");
            props.put("pollSeconds", 1);
            config.update(props);
            try {
                Probe.await("the notifier on SMTP", () -> service(Outbox.class) != null
                        && service(Outbox.class).channels().isEmpty());
                Probe probe = new Probe(context);
                String key = probe.adminApiKey();
                Probe.await("no outbox over REST once nothing uses it", () -> probe.get("/api/v1/outbox",
                        "Authorization", "Bearer " + key).statusCode() == 404);
                assertFalse("the password is sealed at rest", new String(Files.readAllBytes(passwordFile),
                        StandardCharsets.ISO_8859_1).contains("it-smtp-password"));
                String id = service(Notifier.class).send(Notification.email("bob@example.org", "notify.test", "en",
                        Map.of("reference", "IT-2")));
                Probe.await("sent", () -> status(id) == NotificationStatus.SENT);
                HttpResponse<String> inbox = get(http, api, "/api/user/bob@example.org/messages/INBOX");
                JsonNode mails = Probe.JSON.readTree(inbox.body());
                assertEquals(inbox.body(), 1, mails.size());
                assertEquals("<" + id + "@cachet.notify>", mails.get(0).path("Message-ID").asText());
                assertEquals("Cachet: test message", mails.get(0).path("subject").asText());
                assertTrue(mails.get(0).path("mimeMessage").asText().contains("(reference IT-2)"));
                List<String> actions = audit.read(1, 100_000).stream()
                        .filter(r -> r.subject().equals("notification:" + id)).map(r -> r.action()).toList();
                assertEquals(List.of("notify.email.queued", "notify.email.sent"), actions);
            } finally {
                config.delete();
                Probe.await("back on the outbox", () -> service(Outbox.class) != null
                        && service(Outbox.class).channels().size() == 2);
            }
        }
    }

    private static HttpResponse<String> get(HttpClient http, int port, String path) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
