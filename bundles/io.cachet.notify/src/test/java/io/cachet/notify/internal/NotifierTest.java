package io.cachet.notify.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.cachet.api.audit.AuditLog;
import io.cachet.api.audit.AuditRecord;
import io.cachet.api.notify.Channel;
import io.cachet.api.notify.Notification;
import io.cachet.api.notify.NotificationException;
import io.cachet.api.notify.NotificationRecord;
import io.cachet.api.notify.NotificationStatus;
import io.cachet.api.notify.SmsGateway;
import io.cachet.api.security.SecretVault;
import io.cachet.audit.launch.AuditLogs;
import io.cachet.store.testing.TestDatabases;
import io.cachet.store.testing.TestVaults;

/**
 * The notifier as the framework runs it (the component, constructed directly) on the real database (H2 and
 * PostgreSQL), the real master-key vault and the real audit log: the outbox, the caller's transaction, idempotency,
 * and SMS through the HTTP gateway to a local gateway that succeeds, fails temporarily (5xx) or refuses (4xx).
 */
class NotifierTest {

    @TempDir
    Path data;

    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    static List<String> products() {
        return TestDatabases.products().toList();
    }

    private TestDatabases.Handle db(String product) {
        TestDatabases.Handle h = TestDatabases.open(product, data);
        open.add(h);
        return h;
    }

    private NotifyComponent component(TestDatabases.Handle db, AuditLog audit, Map<String, ?> config, String node) {
        Map<String, Object> values = new HashMap<>(Map.of("pollSeconds", 1, "initialBackoffSeconds", 1,
                "maxBackoffSeconds", 2));
        values.putAll(config);
        NotifyComponent c = new NotifyComponent(db.database(), audit, vault(),
                Configs.of(NotifyConfiguration.class, values), data, node);
        open.add(c::deactivate);
        return c;
    }

    SecretVault vault() {
        return TestVaults.embedded(data);
    }

    static void await(String what, BooleanSupplier condition) {
        long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < end) {
            if (condition.getAsBoolean()) {
                return;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        throw new AssertionError("timed out waiting for " + what);
    }

    static NotificationStatus status(NotifyComponent n, String id) {
        return n.find(id).map(NotificationRecord::status).orElseThrow();
    }

    static List<String> actions(AuditLog audit, String subject) {
        return audit.read(1, 10_000).stream().filter(r -> r.subject().equals(subject)).map(AuditRecord::action).toList();
    }

    @ParameterizedTest
    @MethodSource("products")
    void theEmbeddedDefaultKeepsEveryMessageInTheOutboxForOperators(String product) {
        TestDatabases.Handle db = db(product);
        AuditLog audit = AuditLogs.open(db.database(), List.of());
        NotifyComponent notifier = component(db, audit, Map.of(), "node-a");
        assertEquals(java.util.Set.of(Channel.EMAIL, Channel.SMS), notifier.channels());

        String mail = notifier.send(Notification.email("alice@example.org", "notify.test", "fr", Map.of("reference", "R1")));
        String sms = notifier.send(Notification.sms("+33612345678", "notify.test", "en", Map.of()));
        await("both in the outbox", () -> status(notifier, mail) == NotificationStatus.OUTBOX
                && status(notifier, sms) == NotificationStatus.OUTBOX);

        List<NotificationRecord> all = notifier.list(null, 0, 10);
        assertEquals(List.of(sms, mail), all.stream().map(NotificationRecord::id).toList(), "newest first");
        NotificationRecord m = notifier.list(Channel.EMAIL, 0, 10).get(0);
        assertEquals("Cachet : message d'essai", m.subject());
        assertTrue(m.body().contains("(référence R1)"), m.body());
        assertEquals("alice@example.org", m.recipient());
        assertEquals("default", m.brand());
        assertEquals(0, m.attempts());
        assertTrue(m.sentAt() != null && m.lastError() == null);
        assertEquals(1, notifier.count(Channel.SMS));
        assertEquals(2, notifier.count(null));
        assertEquals(List.of("notify.email.queued", "notify.email.outbox"), actions(audit, "notification:" + mail));
        assertTrue(audit.verify().intact());
        assertEquals(new io.cachet.api.health.HealthIndicator.Health(true,
                "e-mail kept in the outbox, SMS kept in the outbox; 0 pending"), notifier.check());
    }

    @ParameterizedTest
    @MethodSource("products")
    void aMessageIsQueuedOnlyIfTheCallersTransactionCommitsAndOnlyOncePerIdempotencyKey(String product) {
        TestDatabases.Handle db = db(product);
        AuditLog audit = AuditLogs.open(db.database(), List.of());
        NotifyComponent notifier = component(db, audit, Map.of(), "node-a");
        long auditBefore = audit.head().map(AuditRecord::sequence).orElse(0L);

        String[] rolledBack = new String[1];
        assertThrows(IllegalStateException.class, () -> db.database().inTransaction(c -> {
            rolledBack[0] = notifier.send(Notification.email("bob@example.org", "notify.test", "en", Map.of()));
            throw new IllegalStateException("the caller's change fails");
        }));
        assertTrue(notifier.find(rolledBack[0]).isEmpty(), "queued although the caller's transaction rolled back");
        assertEquals(auditBefore, audit.head().map(AuditRecord::sequence).orElse(0L), "its audit record went too");

        Notification once = Notification.email("bob@example.org", "notify.test", "en", Map.of())
                .withIdempotencyKey("order:42:accepted");
        String first = notifier.send(once);
        String again = notifier.send(once);
        assertEquals(first, again);
        String inOneTransaction = db.database().inTransaction(c -> {
            notifier.send(once);
            return notifier.send(once);
        });
        assertEquals(first, inOneTransaction);
        assertNotEquals(first, notifier.send(once.withIdempotencyKey("order:43:accepted")));
        await("delivered", () -> notifier.count(Channel.EMAIL) == 2);
        assertEquals(List.of("notify.email.queued", "notify.email.outbox"), actions(audit, "notification:" + first));
    }

    @ParameterizedTest
    @MethodSource("products")
    void malformedRecipientsAndUnknownTemplatesAreRefusedAndNothingIsQueued(String product) {
        TestDatabases.Handle db = db(product);
        NotifyComponent notifier = component(db, AuditLogs.open(db.database(), List.of()), Map.of(),
                "node-a");
        for (String bad : List.of("not-an-address", "Alice <alice@example.org>", "a@b.c, d@e.f", "")) {
            assertThrows(NotificationException.class,
                    () -> notifier.send(Notification.email(bad, "notify.test", "en", Map.of())), bad);
        }
        for (String bad : List.of("0612345678", "+0612345678", "+33 6 12 34 56 78", "alice@example.org")) {
            assertThrows(NotificationException.class,
                    () -> notifier.send(Notification.sms(bad, "notify.test", "en", Map.of())), bad);
        }
        NotificationException unknown = assertThrows(NotificationException.class,
                () -> notifier.send(Notification.email("alice@example.org", "no.such.template", "en", Map.of())));
        assertTrue(unknown.getMessage().contains("no.such.template"), unknown.getMessage());
        assertEquals(Integer.valueOf(0), db.database().<Integer>inTransaction(c -> {
            try (var rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM notify_message")) {
                rs.next();
                return rs.getInt(1);
            }
        }));
    }

    private HttpSmsGatewayComponent httpGateway(LocalSmsGateway local, String token) throws Exception {
        Path tokenFile = data.resolve("secrets/sms-gateway.token");
        Files.createDirectories(tokenFile.getParent());
        Files.writeString(tokenFile, token + "\n");
        HttpSmsGatewayComponent g = new HttpSmsGatewayComponent(vault(), Configs.of(HttpSmsGatewayConfiguration.class,
                Map.of("url", local.url(), "sender", "Cachet", "timeoutSeconds", 5)), data);
        open.add(g::deactivate);
        return g;
    }

    @ParameterizedTest
    @MethodSource("products")
    void smsGoThroughTheHttpGatewayWithRetriesForServerErrorsAndNoneForRefusals(String product) throws Exception {
        TestDatabases.Handle db = db(product);
        AuditLog audit = AuditLogs.open(db.database(), List.of());
        LocalSmsGateway local = new LocalSmsGateway();
        open.add(local);
        HttpSmsGatewayComponent gateway = httpGateway(local, "gw-token-123");
        byte[] sealed = Files.readAllBytes(data.resolve("secrets/sms-gateway.token"));
        assertFalse(new String(sealed, StandardCharsets.ISO_8859_1).contains("gw-token-123"), "the token file is sealed");
        NotifyComponent notifier = component(db, audit, Map.of("smsTransport", "gateway", "maxAttempts", 3), "node-a");
        notifier.gateways = List.of(Map.entry(Map.of(SmsGateway.ID, "http"), gateway));
        assertEquals(java.util.Set.of(Channel.EMAIL), notifier.channels(), "e-mail still goes to the outbox");

        // accepted at once
        String ok = notifier.send(Notification.sms("+33612345678", "notify.test", "fr", Map.of("reference", "111")));
        await("sent", () -> status(notifier, ok) == NotificationStatus.SENT);
        LocalSmsGateway.Received r = local.received.get(0);
        assertEquals("Bearer gw-token-123", r.authorization());
        assertEquals(ok, r.idempotencyKey());
        assertEquals("application/json", r.contentType());
        assertEquals("+33612345678", r.body().path("to").asText());
        assertEquals("Cachet : message d'essai 111. Les notifications par SMS fonctionnent.", r.body().path("text").asText());
        assertEquals("Cachet", r.body().path("sender").asText());
        assertEquals(ok, r.body().path("reference").asText());
        assertEquals(List.of("notify.sms.queued", "notify.sms.sent"), actions(audit, "notification:" + ok));

        // 503 then 502: tried again after the back-off, then accepted
        local.answer(503, 502);
        String retried = notifier.send(Notification.sms("+33612345679", "notify.test", "en", Map.of()));
        await("sent after two failures", () -> status(notifier, retried) == NotificationStatus.SENT);
        NotificationRecord m = notifier.find(retried).orElseThrow();
        assertEquals(3, m.attempts());
        List<Integer> answered = local.received.stream().filter(x -> x.idempotencyKey().equals(retried))
                .map(LocalSmsGateway.Received::answered).toList();
        assertEquals(List.of(503, 502, 200), answered);
        assertEquals(List.of("notify.sms.queued", "notify.sms.retry", "notify.sms.retry", "notify.sms.sent"),
                actions(audit, "notification:" + retried));

        // 400: refused for good, never tried again
        local.answer(400);
        String refused = notifier.send(Notification.sms("+33612345670", "notify.test", "en", Map.of()));
        await("failed", () -> status(notifier, refused) == NotificationStatus.FAILED);
        NotificationRecord f = notifier.find(refused).orElseThrow();
        assertEquals(1, f.attempts());
        assertTrue(f.lastError().contains("answered 400") && f.lastError().contains("refused with 400"), f.lastError());
        assertEquals(List.of("notify.sms.queued", "notify.sms.failed"), actions(audit, "notification:" + refused));

        // 5xx every time: FAILED after maxAttempts
        local.answer(500, 500, 500);
        String down = notifier.send(Notification.sms("+33612345671", "notify.test", "en", Map.of()));
        await("gave up", () -> status(notifier, down) == NotificationStatus.FAILED);
        NotificationRecord d = notifier.find(down).orElseThrow();
        assertEquals(3, d.attempts());
        assertTrue(d.lastError().startsWith("gave up after 3 attempts: SMS gateway"), d.lastError());
        assertEquals(1 + 3 + 1 + 3, local.received.size(), "no request beyond those");
        io.cachet.api.health.HealthIndicator.Health health = notifier.check();
        assertTrue(health.healthy(), "a failing gateway does not take Cachet out of service");
        assertEquals("e-mail kept in the outbox, SMS by gateway 'http'; 0 pending; WARNING: 2 message(s) failed in the"
                + " last 24 h", health.detail());
        assertTrue(audit.verify().intact());
    }

    @ParameterizedTest
    @MethodSource("products")
    void withoutItsGatewayAnSmsWaitsAndIsSentOnceTheGatewayComes(String product) throws Exception {
        TestDatabases.Handle db = db(product);
        LocalSmsGateway local = new LocalSmsGateway();
        open.add(local);
        NotifyComponent notifier = component(db, AuditLogs.open(db.database(), List.of()),
                Map.of("smsTransport", "gateway", "maxAttempts", 20), "node-a");
        String id = notifier.send(Notification.sms("+33612345678", "notify.test", "en", Map.of()));
        await("a first failed attempt", () -> notifier.find(id).orElseThrow().attempts() >= 1);
        NotificationRecord waiting = notifier.find(id).orElseThrow();
        assertEquals(NotificationStatus.PENDING, waiting.status());
        assertTrue(waiting.lastError().startsWith("no SMS gateway 'http' is running"), waiting.lastError());
        assertEquals("e-mail kept in the outbox, SMS by gateway 'http'; 1 pending; WARNING: SMS gateway 'http' is not"
                + " running", notifier.check().detail());
        notifier.gateways = List.of(Map.entry(Map.of(SmsGateway.ID, "http"), httpGateway(local, "t0k3n")));
        await("sent", () -> status(notifier, id) == NotificationStatus.SENT);
        assertEquals(1, local.received.size());
    }

    @ParameterizedTest
    @MethodSource("products")
    void aTimeOutIsTemporary(String product) throws Exception {
        TestDatabases.Handle db = db(product);
        LocalSmsGateway local = new LocalSmsGateway();
        open.add(local);
        Path tokenFile = data.resolve("gw.token");
        Files.writeString(tokenFile, "t");
        HttpSmsGatewayComponent slow = new HttpSmsGatewayComponent(vault(), Configs.of(HttpSmsGatewayConfiguration.class,
                Map.of("url", local.url(), "timeoutSeconds", 1, "tokenFile", tokenFile.toString())), data);
        local.delayMillis = 3000;
        io.cachet.api.notify.SmsException e = assertThrows(io.cachet.api.notify.SmsException.class,
                () -> slow.send("ref-1", "+33612345678", "x"));
        assertTrue(e.retryable());
        assertTrue(e.getMessage().contains("did not answer within 1 s"), e.getMessage());
    }

    @org.junit.jupiter.api.Test
    void configurationMistakesAreRefusedWithTheirName() {
        TestDatabases.Handle db = db("h2");
        AuditLog audit = AuditLogs.open(db.database(), List.of());
        assertEquals("emailTransport of configuration PID io.cachet.notify must be one of outbox, smtp, not 'smpt'",
                assertThrows(IllegalArgumentException.class,
                        () -> component(db, audit, Map.of("emailTransport", "smpt"), "n")).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> component(db, audit, Map.of("emailTransport",
                "smtp"), "n")).getMessage().startsWith("smtpHost is required"));
        IllegalStateException noPassword = assertThrows(IllegalStateException.class, () -> component(db, audit,
                Map.of("emailTransport", "smtp", "smtpHost", "mail.example.org", "smtpUser", "u"), "n"));
        assertTrue(noPassword.getMessage().startsWith("the SMTP password file " + data.resolve("secrets/smtp.password")
                + " is missing"), noPassword.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new HttpSmsGatewayComponent(vault(),
                Configs.of(HttpSmsGatewayConfiguration.class, Map.of("url", "ftp://x")), data));
        assertThrows(IllegalArgumentException.class, () -> new HttpSmsGatewayComponent(vault(),
                Configs.of(HttpSmsGatewayConfiguration.class, Map.of("url", "https://user:pw@sms.example/x")), data));
    }

    /** A reseller's brand: its name, and a message template in its bundle next to its page templates. */
    static final class AcmeBrand implements io.cachet.api.brand.Brand {
        @Override
        public String id() {
            return "acme";
        }

        @Override
        public String displayName() {
            return "ACME Trust";
        }

        @Override
        public String primaryColour() {
            return "#aa0000";
        }

        @Override
        public String supportEmail() {
            return "help@acme.example";
        }
    }

    @org.junit.jupiter.api.Test
    void aBrandOverridesMessageTemplatesFromItsBundleOrAsAServiceAndKeepsTheOthers() {
        TestDatabases.Handle db = db("h2");
        NotifyComponent notifier = component(db, AuditLogs.open(db.database(), List.of()), Map.of(),
                "node-a");
        notifier.brands = List.of(Map.entry(Map.of(io.cachet.api.brand.Brand.ID, "acme"), new AcmeBrand()));

        // brand/templates/notify/email/notify.test.fr.ftl in the brand's bundle
        String fr = notifier.send(Notification.email("a@example.org", "notify.test", "fr", Map.of()).withBrand("acme"));
        NotificationRecord own = notifier.find(fr).orElseThrow();
        assertEquals("acme", own.brand());
        assertEquals("ACME Trust — essai de la marque", own.subject());
        // no English file in the brand: Cachet's template, in the brand's name
        String en = notifier.send(Notification.email("a@example.org", "notify.test", "en", Map.of()).withBrand("acme"));
        assertEquals("ACME Trust: test message", notifier.find(en).orElseThrow().subject());
        // a MessageTemplates service of the brand comes before its files
        notifier.templateServices = List.of(Map.entry(Map.of(io.cachet.api.brand.Brand.ID, "acme"),
                (io.cachet.api.notify.MessageTemplates) (c, k, l) -> java.util.Optional.of("Subject: service\n\nbody")));
        String svc = notifier.send(Notification.email("a@example.org", "notify.test", "fr", Map.of()).withBrand("acme"));
        assertEquals("service", notifier.find(svc).orElseThrow().subject());
        // an unknown brand is the default one (here none is registered: Cachet's own values)
        String unknown = notifier.send(Notification.email("a@example.org", "notify.test", "en", Map.of()).withBrand("nope"));
        assertEquals("default", notifier.find(unknown).orElseThrow().brand());
        assertEquals("Cachet: test message", notifier.find(unknown).orElseThrow().subject());
    }
}
