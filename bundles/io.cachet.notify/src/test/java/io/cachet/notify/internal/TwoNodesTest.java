package io.cachet.notify.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;

import io.cachet.api.notify.Notification;
import io.cachet.api.notify.SmsGateway;
import io.cachet.audit.launch.AuditLogs;
import io.cachet.store.launch.Databases;
import io.cachet.store.launch.LocalDatabase;
import io.cachet.api.store.Database;
import io.cachet.store.testing.TestDatabases;
import io.cachet.store.testing.TestVaults;

/**
 * Two Cachet nodes on one database, each with its own pool and its own sender, work one queue: every message reaches
 * the SMS gateway or the SMTP server (GreenMail, in its own JVM) exactly once, and both nodes take part.
 */
class TwoNodesTest {

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

    @ParameterizedTest
    @MethodSource("products")
    void eachMessageIsDeliveredExactlyOnce(String product) throws Exception {
        TestDatabases.Handle h = TestDatabases.open(product, data);
        open.add(h);
        // the second node's own pool on the same database
        LocalDatabase second = Databases.open(h.database().url(), product.equals("h2") ? ""
                : System.getProperty("cachet.test.pg.user", "postgres"), new char[0], 4);
        open.add(second);
        GreenMail greenMail = new GreenMail();
        open.add(greenMail);
        LocalSmsGateway local = new LocalSmsGateway();
        open.add(local);
        local.delayMillis = 40; // each delivery takes a while, so that both nodes are at work at once
        Path token = data.resolve("gw.token");
        Files.writeString(token, "tok");
        HttpSmsGatewayComponent gateway = new HttpSmsGatewayComponent(TestVaults.embedded(data),
                Configs.of(HttpSmsGatewayConfiguration.class, Map.of("url", local.url(), "tokenFile", token.toString())),
                data);
        Map<String, Object> config = Map.of("emailTransport", "smtp", "smtpHost", "127.0.0.1", "smtpPort",
                greenMail.smtpPort, "smtpSecurity", "none", "smsTransport", "gateway", "pollSeconds", 1, "batchSize", 5);

        List<NotifyComponent> nodes = new ArrayList<>();
        for (Database db : List.<Database>of(h.database(), second)) {
            NotifyComponent node = new NotifyComponent(db, AuditLogs.open(db, List.of()),
                    TestVaults.embedded(data), Configs.of(NotifyConfiguration.class, config), data,
                    "node-" + (nodes.size() + 1));
            node.gateways = List.of(Map.entry(Map.of(SmsGateway.ID, "http"), gateway));
            open.add(node::deactivate);
            nodes.add(node);
        }

        int sms = 40;
        int mails = 20;
        // queued in one transaction, so that both nodes find the whole queue at once
        List<String> ids = h.database().inTransaction(c -> {
            List<String> queued = new ArrayList<>();
            for (int i = 0; i < sms; i++) {
                queued.add(nodes.get(0).send(Notification.sms("+3361234" + String.format("%04d", i), "notify.test", "en",
                        Map.of("reference", "S" + i))));
            }
            for (int i = 0; i < mails; i++) {
                queued.add(nodes.get(0).send(Notification.email("user" + i + "@example.org", "notify.test", "en",
                        Map.of("reference", "M" + i))));
            }
            return queued;
        });
        NotifierTest.await("all sent", () -> ids.stream().allMatch(id ->
                NotifierTest.status(nodes.get(1), id) == io.cachet.api.notify.NotificationStatus.SENT));

        Map<String, Long> perReference = local.received.stream()
                .collect(Collectors.groupingBy(LocalSmsGateway.Received::idempotencyKey, Collectors.counting()));
        assertEquals(sms, perReference.size());
        assertTrue(perReference.values().stream().allMatch(n -> n == 1), "an SMS sent twice: " + perReference);
        for (int i = 0; i < mails; i++) {
            List<JsonNode> inbox = greenMail.messages("user" + i + "@example.org");
            assertEquals(1, inbox.size(), "user" + i + " got " + inbox.size() + " mails");
        }
        Function<String, String> deliveredBy = id -> h.database().inTransaction(c -> {
            try (var ps = c.prepareStatement("SELECT delivered_by FROM notify_message WHERE id = ?")) {
                ps.setString(1, id);
                try (var rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getString(1);
                }
            }
        });
        Set<String> workers = new HashSet<>();
        ids.forEach(id -> workers.add(deliveredBy.apply(id)));
        assertEquals(Set.of("node-1", "node-2"), workers, "both nodes delivered messages");
    }
}
