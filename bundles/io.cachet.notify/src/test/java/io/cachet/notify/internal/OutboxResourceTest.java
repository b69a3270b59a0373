package io.cachet.notify.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cachet.api.notify.Notification;
import io.cachet.api.rest.ApiException;
import io.cachet.audit.launch.AuditLogs;
import io.cachet.store.testing.TestDatabases;
import io.cachet.store.testing.TestVaults;

/** GET /api/v1/outbox as plain Java, on the real notifier; roles and JSON are the REST platform's (NotifyIT). */
class OutboxResourceTest {

    @TempDir
    Path data;

    private TestDatabases.Handle db;
    private NotifyComponent notifier;

    @AfterEach
    void tearDown() {
        if (notifier != null) {
            notifier.deactivate();
        }
        if (db != null) {
            db.close();
        }
    }

    private OutboxResource resource(Map<String, ?> config) {
        db = TestDatabases.open("h2", data);
        notifier = new NotifyComponent(db.database(), AuditLogs.open(db.database(), List.of()),
                TestVaults.embedded(data), Configs.of(NotifyConfiguration.class, config), data, "n");
        return new OutboxResource(notifier);
    }

    @Test
    void listsTheOutboxNewestFirstByChannelAndPage() {
        OutboxResource resource = resource(Map.of("pollSeconds", 1));
        String mail = notifier.send(Notification.email("alice@example.org", "notify.test", "fr", Map.of()));
        String sms1 = notifier.send(Notification.sms("+33612345678", "notify.test", "en", Map.of()));
        String sms2 = notifier.send(Notification.sms("+33612345679", "notify.test", "en", Map.of()));
        NotifierTest.await("all three in the outbox", () -> notifier.count(null) == 3);

        OutboxResource.Page all = resource.list(null, 0, 50);
        assertEquals(List.of("email", "sms"), all.channels());
        assertEquals(3, all.total());
        assertEquals(List.of(sms2, sms1, mail), all.messages().stream().map(OutboxResource.MessageView::id).toList());
        OutboxResource.MessageView m = all.messages().get(2);
        assertEquals("email", m.channel());
        assertEquals("alice@example.org", m.to());
        assertEquals("Cachet : message d'essai", m.subject());
        assertEquals("notify.test", m.template());

        OutboxResource.Page sms = resource.list("sms", 1, 1);
        assertEquals(2, sms.total());
        assertEquals(List.of(sms1), sms.messages().stream().map(OutboxResource.MessageView::id).toList());
        assertEquals("", sms.messages().get(0).subject());
    }

    @Test
    void badParametersAreRefusedByName() {
        OutboxResource resource = resource(Map.of());
        assertEquals("Parameter 'channel' must be email or sms.",
                assertThrows(ApiException.class, () -> resource.list("fax", 0, 50)).getMessage());
        assertEquals(400, assertThrows(ApiException.class, () -> resource.list(null, -1, 50)).status());
        assertEquals(400, assertThrows(ApiException.class, () -> resource.list(null, 0, 0)).status());
        assertEquals(400, assertThrows(ApiException.class, () -> resource.list(null, 0, 501)).status());
    }

    @Test
    void withEveryChannelSentForRealThereIsNoOutbox() {
        OutboxResource resource = resource(Map.of("emailTransport", "smtp", "smtpHost", "127.0.0.1", "smtpPort", 2525,
                "smtpSecurity", "none", "smsTransport", "gateway"));
        ApiException e = assertThrows(ApiException.class, () -> resource.list(null, 0, 50));
        assertEquals(404, e.status());
    }
}
