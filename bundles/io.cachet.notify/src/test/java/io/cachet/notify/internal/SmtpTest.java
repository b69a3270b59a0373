package io.cachet.notify.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.cachet.api.notify.Channel;
import io.cachet.api.notify.Notification;
import io.cachet.api.notify.NotificationRecord;
import io.cachet.api.notify.NotificationStatus;
import io.cachet.api.audit.AuditLog;
import io.cachet.audit.launch.AuditLogs;
import io.cachet.store.testing.TestDatabases;
import io.cachet.store.testing.TestVaults;

/**
 * E-mail to a real SMTP server: GreenMail standalone, in a JVM of its own. The transport alone, and the component
 * with the password sealed at rest.
 */
class SmtpTest {

    private static GreenMail greenMail;

    @TempDir
    Path data;

    private TestDatabases.Handle db;
    private NotifyComponent component;

    @BeforeAll
    static void startServer() {
        greenMail = new GreenMail();
    }

    @AfterAll
    static void stopServer() {
        greenMail.close();
    }

    @AfterEach
    void close() {
        if (component != null) {
            component.deactivate();
        }
        if (db != null) {
            db.close();
        }
    }

    private static NotificationRecord message(String id, String to, String subject, String body) {
        Instant now = Instant.now();
        return new NotificationRecord(id, Channel.EMAIL, to, "notify.test", "fr", "default", subject, body,
                NotificationStatus.PENDING, 0, now, now, null, null);
    }

    private static SmtpTransport transport(SmtpTransport.Security security, String user, String password, int port) {
        return new SmtpTransport(new SmtpTransport.Settings("127.0.0.1", port, security, user,
                password == null ? null : password.toCharArray(), "Cachet <no-reply@cachet.example>", Duration.ofSeconds(10)));
    }

    @Test
    void theTransportDeliversAUtf8MailWithTheNotificationsMessageId() {
        String id = java.util.UUID.randomUUID().toString();
        DeliveryResult r = transport(SmtpTransport.Security.NONE, GreenMail.USER, GreenMail.PASSWORD, greenMail.smtpPort)
                .deliver(message(id, "chloe@example.org", "Votre certificat « cachet » est prêt", "Bonjour Chloé,\nC'est prêt.\n"));
        assertEquals(DeliveryResult.sent(), r);
        List<JsonNode> inbox = greenMail.messages("chloe@example.org");
        assertEquals(1, inbox.size());
        assertEquals("<" + id + "@cachet.notify>", inbox.get(0).path("Message-ID").asText());
        assertEquals("Votre certificat « cachet » est prêt", inbox.get(0).path("subject").asText());
        String mime = inbox.get(0).path("mimeMessage").asText();
        assertTrue(mime.contains("From: Cachet <no-reply@cachet.example>"), mime);
        assertTrue(mime.contains("charset=UTF-8"), mime);
        assertTrue(mime.contains("Content-Language: fr"), mime);
    }

    @Test
    void aWrongPasswordAndAnUnreachableServerAreTemporaryFailures() {
        DeliveryResult wrong = transport(SmtpTransport.Security.NONE, GreenMail.USER, "not-the-password", greenMail.smtpPort)
                .deliver(message(java.util.UUID.randomUUID().toString(), "dan@example.org", "s", "b"));
        assertTrue(wrong instanceof DeliveryResult.Failed f && f.retryable()
                && f.error().startsWith("SMTP authentication failed at 127.0.0.1:"), wrong.toString());
        DeliveryResult down = transport(SmtpTransport.Security.NONE, null, null, GreenMail.freePort())
                .deliver(message(java.util.UUID.randomUUID().toString(), "dan@example.org", "s", "b"));
        assertTrue(down instanceof DeliveryResult.Failed f && f.retryable(), down.toString());
        assertTrue(greenMail.messages("dan@example.org").isEmpty());
    }

    @Test
    void starttlsIsRequiredNotOptional() {
        // GreenMail's plain SMTP does not offer STARTTLS: with starttls configured nothing goes out in clear
        DeliveryResult r = transport(SmtpTransport.Security.STARTTLS, GreenMail.USER, GreenMail.PASSWORD, greenMail.smtpPort)
                .deliver(message(java.util.UUID.randomUUID().toString(), "eve@example.org", "s", "b"));
        assertTrue(r instanceof DeliveryResult.Failed f && f.retryable() && f.error().contains("STARTTLS"), r.toString());
        assertTrue(greenMail.messages("eve@example.org").isEmpty());
    }

    @Test
    void smtpRepliesDecideWhetherToTryAgain() throws Exception {
        jakarta.mail.internet.InternetAddress bad = new jakarta.mail.internet.InternetAddress("nobody@example.org");
        jakarta.mail.SendFailedException unknownUser = new jakarta.mail.SendFailedException("Invalid Addresses",
                new jakarta.mail.MessagingException("550 5.1.1 <nobody@example.org>: user unknown"),
                new jakarta.mail.Address[0], new jakarta.mail.Address[0], new jakarta.mail.Address[] {bad});
        assertEquals(DeliveryResult.permanent("SMTP mx:25: 550 5.1.1 <nobody@example.org>: user unknown"),
                SmtpTransport.classify(unknownUser, "mx:25"));
        jakarta.mail.SendFailedException greylisted = new jakarta.mail.SendFailedException("Invalid Addresses",
                new jakarta.mail.MessagingException("450 4.2.0 greylisted, try again later"),
                new jakarta.mail.Address[0], new jakarta.mail.Address[0], new jakarta.mail.Address[] {bad});
        assertTrue(SmtpTransport.classify(greylisted, "mx:25") instanceof DeliveryResult.Failed f && f.retryable());
        jakarta.mail.SendFailedException noReply = new jakarta.mail.SendFailedException("Invalid Addresses", null,
                new jakarta.mail.Address[0], new jakarta.mail.Address[0], new jakarta.mail.Address[] {bad});
        assertTrue(SmtpTransport.classify(noReply, "mx:25") instanceof DeliveryResult.Failed f && !f.retryable());
        jakarta.mail.MessagingException refused = new jakarta.mail.MessagingException("Could not connect to SMTP host",
                new java.net.ConnectException("Connection refused"));
        DeliveryResult r = SmtpTransport.classify(refused, "mx:25");
        assertTrue(r instanceof DeliveryResult.Failed f && f.retryable()
                && f.error().equals("SMTP mx:25: ConnectException: Connection refused"), r.toString());
        assertTrue(SmtpTransport.classify(new jakarta.mail.MessagingException("554 5.7.1 rejected: spam"), "mx:25")
                instanceof DeliveryResult.Failed f && !f.retryable());
    }

    @Test
    void tlsChecksTheServersCertificate() {
        // GreenMail's SMTPS certificate is self-signed: nothing goes to a server whose certificate is not trusted
        DeliveryResult r = transport(SmtpTransport.Security.TLS, GreenMail.USER, GreenMail.PASSWORD, greenMail.smtpsPort)
                .deliver(message(java.util.UUID.randomUUID().toString(), "gina@example.org", "s", "b"));
        assertTrue(r instanceof DeliveryResult.Failed f && f.retryable()
                && (f.error().contains("certification path") || f.error().contains("PKIX")), r.toString());
        assertTrue(greenMail.messages("gina@example.org").isEmpty());
    }

    @Test
    void theComponentSendsWithThePasswordSealedAtRest() throws Exception {
        db = TestDatabases.open("h2", data);
        AuditLog audit = AuditLogs.open(db.database(), List.of());
        Path passwordFile = data.resolve("secrets/smtp.password");
        Files.createDirectories(passwordFile.getParent());
        Files.writeString(passwordFile, GreenMail.PASSWORD + "\n");
        Map<String, Object> config = new HashMap<>(Map.of("emailTransport", "smtp", "smtpHost", "127.0.0.1",
                "smtpPort", greenMail.smtpPort, "smtpSecurity", "none", "smtpUser", GreenMail.USER, "pollSeconds", 1,
                "from", "ACME <no-reply@acme.example>"));
        component = new NotifyComponent(db.database(), audit, TestVaults.embedded(data),
                Configs.of(NotifyConfiguration.class, config), data, "node-a");
        assertFalse(new String(Files.readAllBytes(passwordFile), StandardCharsets.ISO_8859_1).contains(GreenMail.PASSWORD),
                "the password file is sealed once read");
        assertEquals(java.util.Set.of(Channel.SMS), component.channels());

        String id = component.send(Notification.email("frank@example.org", "notify.test", "en", Map.of("reference", "Z9")));
        NotifierTest.await("sent", () -> NotifierTest.status(component, id) == NotificationStatus.SENT);
        List<JsonNode> inbox = greenMail.messages("frank@example.org");
        assertEquals(1, inbox.size());
        assertEquals("Cachet: test message", inbox.get(0).path("subject").asText());
        assertTrue(inbox.get(0).path("mimeMessage").asText().contains("(reference Z9)"));
        assertEquals(List.of("notify.email.queued", "notify.email.sent"), NotifierTest.actions(audit, "notification:" + id));
        component.deactivate();

        // a restart reads the sealed file
        component = new NotifyComponent(db.database(), audit, TestVaults.embedded(data),
                Configs.of(NotifyConfiguration.class, config), data, "node-a");
        String again = component.send(Notification.email("frank@example.org", "notify.test", "fr", Map.of()));
        NotifierTest.await("sent again", () -> NotifierTest.status(component, again) == NotificationStatus.SENT);
        assertEquals(2, greenMail.messages("frank@example.org").size());
    }
}
