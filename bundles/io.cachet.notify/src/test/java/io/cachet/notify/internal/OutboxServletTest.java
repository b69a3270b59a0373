package io.cachet.notify.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cachet.api.notify.Channel;
import io.cachet.api.notify.Notification;
import io.cachet.api.operator.Operator;
import io.cachet.api.web.ConsoleAccess;
import io.cachet.api.web.PageSource;
import io.cachet.audit.launch.AuditLogs;
import io.cachet.store.testing.TestDatabases;
import io.cachet.store.testing.TestVaults;
import io.cachet.web.testing.FakeHttp;
import io.cachet.web.testing.TestConsoleAccess;
import io.cachet.web.testing.TestPages;

/** The console's outbox page through the real page framework, on the real notifier and database. */
class OutboxServletTest {

    @TempDir
    Path data;

    private TestDatabases.Handle db;
    private NotifyComponent notifier;
    private OutboxServlet servlet;

    /** The console's templates (its shell layout), from the console bundle on the test class path. */
    static final PageSource CONSOLE_SHELL = () -> "console";

    /** The console's access rules as far as this page needs them: the current operator, a token per form. */
    private final TestConsoleAccess access = new TestConsoleAccess();

    @BeforeEach
    void setUp() {
        db = TestDatabases.open("h2", data);
        notifier = new NotifyComponent(db.database(), AuditLogs.open(db.database(), List.of()),
                TestVaults.embedded(data), Configs.of(NotifyConfiguration.class, Map.of("pollSeconds", 1)), data, "n");
        servlet = new OutboxServlet(TestPages.create(new NotifyPages(), CONSOLE_SHELL), access, notifier, notifier);
        access.current = new Operator("alice", Set.of("admin"), false);
    }

    @AfterEach
    void tearDown() {
        notifier.deactivate();
        db.close();
    }

    private FakeHttp.Response get(String query) throws Exception {
        FakeHttp.Response r = new FakeHttp.Response();
        servlet.doGet(FakeHttp.request("GET", OutboxServlet.PATH + (query == null ? "" : "?" + query)).build(),
                r.proxy);
        return r;
    }

    private FakeHttp.Response post(Map<String, String> params) throws Exception {
        FakeHttp.Response r = new FakeHttp.Response();
        servlet.doPost(FakeHttp.request("POST", OutboxServlet.PATH).params(params).build(), r.proxy);
        return r;
    }

    @Test
    void operatorsReadTheOutboxNewestFirstWithEverythingEscaped() throws Exception {
        String id = notifier.send(Notification.email("bob@example.org", "notify.test", "en",
                Map.of("reference", "<script>alert(1)</script>")));
        NotifierTest.await("in the outbox", () -> notifier.count(Channel.EMAIL) == 1);
        access.current = new Operator("olga", Set.of("operator"), false);
        FakeHttp.Response r = get(null);
        assertEquals(200, r.status);
        String html = r.body();
        assertTrue(html.contains("bob@example.org"), html);
        assertTrue(html.contains("<strong>Cachet: test message</strong>"), html);
        assertTrue(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "escaped: " + html);
        assertFalse(html.contains("<script>alert(1)"), html);
        assertFalse(html.contains("name=\"to\""), "only administrators get the test form");
        assertTrue(notifier.find(id).isPresent());
    }

    @Test
    void operatorsWithoutRoleAreRefused() throws Exception {
        access.current = new Operator("audrey", Set.of("auditor"), false);
        FakeHttp.Response r = get(null);
        assertEquals(403, r.status);
        assertFalse(r.body().contains("<tbody>"), "no message shown");
    }

    @Test
    void anAdministratorSendsTheTestMessageWithTheFormsToken() throws Exception {
        FakeHttp.Response page = get(null);
        assertTrue(page.body().contains("name=\"to\""), page.body());
        assertTrue(page.body().contains("value=\"token-alice-outbox\""), page.body());

        FakeHttp.Response forged = post(Map.of("to", "carol@example.org"));
        assertEquals(403, forged.status);
        FakeHttp.Response bad = post(Map.of("to", "not an address", ConsoleAccess.TOKEN_FIELD, "token-alice-outbox"));
        assertEquals(400, bad.status);
        FakeHttp.Response sent = post(Map.of("to", "+33612345678", ConsoleAccess.TOKEN_FIELD, "token-alice-outbox"));
        assertEquals(200, sent.status, sent.body());
        NotifierTest.await("the test SMS in the outbox", () -> notifier.count(Channel.SMS) == 1);
        assertEquals(0, notifier.count(Channel.EMAIL), "neither the forged nor the refused one was queued");

        access.current = new Operator("olga", Set.of("operator"), false);
        assertEquals(403, post(Map.of("to", "+33612345679", ConsoleAccess.TOKEN_FIELD, "token-olga-outbox")).status);
    }

    @Test
    void longOutboxesArePaged() throws Exception {
        for (int i = 0; i < OutboxServlet.PAGE + 5; i++) {
            notifier.send(Notification.sms("+3361234" + String.format("%04d", i), "notify.test", "en", Map.of()));
        }
        NotifierTest.await("all in the outbox", () -> notifier.count(Channel.SMS) == OutboxServlet.PAGE + 5);
        String first = get(null).body();
        assertTrue(first.contains("href=\"/console/outbox?offset=50\""), first);
        assertTrue(first.contains("+33612340054"), "newest first");
        String second = get("offset=50").body();
        assertTrue(second.contains("+33612340000"), second);
        assertTrue(second.contains("href=\"/console/outbox?offset=0\""), second);
        assertEquals(5, second.split("<tr><td>").length - 1);
    }
}
