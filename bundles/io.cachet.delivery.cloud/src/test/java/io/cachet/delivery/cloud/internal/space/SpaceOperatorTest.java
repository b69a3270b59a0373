package io.cachet.delivery.cloud.internal.space;

import static io.cachet.api.testing.TestCallers.as;
import static io.cachet.delivery.cloud.internal.space.SpaceFixture.ANNA;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.cachet.api.order.Medium;
import io.cachet.api.order.Order;
import io.cachet.api.order.OrderState;
import io.cachet.api.rest.ApiException;
import io.cachet.api.web.PageSource;
import io.cachet.web.testing.FakeHttp;
import io.cachet.web.testing.TestConsoleAccess;
import io.cachet.web.testing.TestPages;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;

/**
 * The operators' side: {@code /api/v1/orders/{id}/cloud-space} (read, open, new link; 409 for a token order or one not
 * in DELIVERY; closing the account and reopening it) and the console page {@code /console/cloud} with its buttons
 * (form tokens, roles).
 */
class SpaceOperatorTest {

    @TempDir
    Path dir;

    static java.util.stream.Stream<String> products() {
        return io.cachet.store.testing.TestDatabases.products();
    }

    /** The answer as its JSON has it: the fields in their order, nulls included. */
    private static Map<String, Object> entity(Response r) {
        Map<String, Object> json = new ObjectMapper().convertValue(r.getEntity(),
                new TypeReference<LinkedHashMap<String, Object>>() { });
        assertEquals(List.of("orderId", "state", "email", "openedAt", "linkExpiresAt"), List.copyOf(json.keySet()));
        return json;
    }

    @ParameterizedTest
    @MethodSource("products")
    void operatorsOpenTheSpaceAndSendANewLinkOverRest(String product) throws Exception {
        try (SpaceFixture f = new SpaceFixture(product, dir)) {
            f.settings.set(f.settings.get().withAutoOpen(false));
            Order o = f.cloudOrder();
            SpaceResource rest = new SpaceResource(f.service);
            SecurityContext olivia = as("olivia", "operator");
            assertEquals("NOT_OPENED", entity(rest.read(o.id())).get("state"));
            assertEquals("{\"orderId\":\"" + o.id() + "\",\"state\":\"NOT_OPENED\",\"email\":null,\"openedAt\":null,"
                    + "\"linkExpiresAt\":null}", new ObjectMapper().writeValueAsString(rest.read(o.id()).getEntity()));
            assertEquals(404, assertThrows(ApiException.class, () -> rest.read("ord_missing")).status());
            assertEquals(409, assertThrows(ApiException.class, () -> rest.link(olivia, o.id())).status(),
                    "not opened yet");

            Response opened = rest.open(olivia, o.id());
            assertEquals("no-store", opened.getHeaderString("Cache-Control"));
            Map<String, Object> v = entity(opened);
            assertEquals("LINK_SENT", v.get("state"));
            assertEquals("anna@example.org", v.get("email"));
            assertEquals("2026-12-06T10:00:00Z", v.get("linkExpiresAt"));
            assertEquals("LINK_SENT", entity(rest.open(olivia, o.id())).get("state"), "idempotent");
            assertEquals(1, f.notifier.of("cloudspace.password.set").size());
            assertTrue(f.audit.all().contains("api:olivia space.opened order:" + o.id()), f.audit.all());

            String first = f.lastSecret();
            rest.link(olivia, o.id());
            assertEquals(2, f.notifier.of("cloudspace.password.set").size());
            assertEquals(SpaceService.LinkState.USED, f.service.link(first).state(), "the old link is invalid");

            Order token = f.inDelivery(Medium.USB_C, ANNA, "en");
            assertEquals(409, assertThrows(ApiException.class, () -> rest.open(olivia, token.id())).status());
            Order early = f.submit(Medium.CLOUD, ANNA, "en");
            assertEquals(409, assertThrows(ApiException.class, () -> rest.open(olivia, early.id())).status());

            assertTrue(f.service.setPassword(f.lastSecret(), SpaceFixture.GOOD.toCharArray(), "c").ok());
            assertEquals("ACTIVE", entity(rest.read(o.id())).get("state"));
            assertEquals(OrderState.ACTIVE, f.order(o.id()).state());
            assertEquals(409, assertThrows(ApiException.class, () -> rest.link(olivia, o.id())).status());
        }
    }

    @ParameterizedTest
    @MethodSource("products")
    void anOperatorClosesAnAccountAtOnceAndReopensItWithANewPasswordLink(String product) throws Exception {
        try (SpaceFixture f = new SpaceFixture(product, dir)) {
            Order o = f.active();
            SpaceResource rest = new SpaceResource(f.service);
            SecurityContext olivia = as("olivia", "operator");
            SpaceService.Login l = f.service.login(ANNA.email(), SpaceFixture.GOOD.toCharArray(), null, null, null,
                    "192.0.2.1");
            assertTrue(l.outcome().ok(), l.toString());
            assertTrue(f.service.session(l.cookie()).isPresent());

            assertEquals(400, assertThrows(ApiException.class, () -> rest.close(olivia, o.id(), null)).status(),
                    "a reason is required");
            assertEquals(400, assertThrows(ApiException.class, () -> rest.close(olivia, o.id(), new ObjectMapper()
                    .readTree("{\"reason\":\"  \"}"))).status());
            assertEquals("ACTIVE", entity(rest.read(o.id())).get("state"), "nothing changed");
            assertEquals(404, assertThrows(ApiException.class, () -> rest.close(olivia, "ord_missing",
                    new ObjectMapper().readTree("{\"reason\":\"left\"}"))).status());

            Response closed = rest.close(olivia, o.id(), new ObjectMapper().readTree("{\"reason\":\"the holder left"
                    + " the organisation\"}"));
            assertEquals("CLOSED", entity(closed).get("state"));
            assertTrue(f.service.session(l.cookie()).isEmpty(), "the open session ended at once");
            SpaceService.Login again = f.service.login(ANNA.email(), SpaceFixture.GOOD.toCharArray(), null, null,
                    null, "192.0.2.1");
            assertEquals(io.cachet.delivery.cloud.internal.AuthOutcome.Failure.DISABLED, again.outcome().failure());
            assertEquals(io.cachet.delivery.cloud.internal.AuthOutcome.Failure.DISABLED, f.service.confirm(
                    f.accountId(), SpaceFixture.GOOD.toCharArray(), null, null, null, "c").failure(),
                    "no re-authentication, so no signature");
            assertEquals(SpaceService.ForgotOutcome.NOT_SENT, f.service.forgot(ANNA.email(), "c"));
            assertTrue(f.service.holder(f.accountId()).isEmpty(), "the CSC API's tokens of the account stop");
            assertEquals(1, f.notifier.of("cloudspace.account.closed").size(), "the holder is told");
            assertEquals(o.id(), f.notifier.of("cloudspace.account.closed").get(0).model().get("orderId"));
            assertTrue(f.audit.all().contains("api:olivia space.closed space:" + f.accountId()), f.audit.all());
            assertTrue(f.audit.last("space.closed").contains("reason=the holder left the organisation"),
                    f.audit.last("space.closed"));
            assertEquals(409, assertThrows(ApiException.class, () -> rest.close(olivia, o.id(), new ObjectMapper()
                    .readTree("{\"reason\":\"again\"}"))).status(), "closed already");
            assertEquals(409, assertThrows(ApiException.class, () -> rest.link(olivia, o.id())).status(),
                    "no link for a closed account");
            assertEquals(OrderState.ACTIVE, f.order(o.id()).state(), "the order keeps its state");

            int links = f.notifier.of("cloudspace.password.set").size();
            Map<String, Object> reopened = entity(rest.reopen(olivia, o.id()));
            assertEquals("LINK_SENT", reopened.get("state"));
            assertEquals(links + 1, f.notifier.of("cloudspace.password.set").size(), "a new link to set a password");
            assertEquals(io.cachet.delivery.cloud.internal.AuthOutcome.Failure.WRONG_PASSWORD, f.service.login(
                    ANNA.email(), SpaceFixture.GOOD.toCharArray(), null, null, null, "192.0.2.2").outcome().failure(),
                    "the old password no longer opens it");
            assertTrue(f.service.setPassword(f.lastSecret(), "a brand new long pass phrase 77".toCharArray(), "c")
                    .ok());
            assertTrue(f.service.login(ANNA.email(), "a brand new long pass phrase 77".toCharArray(), null, null,
                    null, "192.0.2.3").outcome().ok());
            assertEquals("ACTIVE", entity(rest.read(o.id())).get("state"));
            assertTrue(f.service.holder(f.accountId()).isPresent());
            assertEquals(409, assertThrows(ApiException.class, () -> rest.reopen(olivia, o.id())).status(),
                    "not closed");
        }
    }

    @Test
    void theConsoleListsCloudOrdersWithTheirSpaceAndItsButtons() throws Exception {
        try (SpaceFixture f = new SpaceFixture("h2", dir)) {
            f.settings.set(f.settings.get().withAutoOpen(false));
            Order o = f.cloudOrder();
            PageSource shell = () -> "console";
            CloudConsoleServlet console = new CloudConsoleServlet(f.service, new TestConsoleAccess()
                    .knows("olivia", "operator").knows("sam", "support"), TestPages.create(
                    new SpacePages(), shell));
            Http olivia = new Http();
            olivia.headers.put(TestConsoleAccess.OPERATOR_HEADER, "olivia");
            FakeHttp.Response page = olivia.get(console, "/console/cloud");
            assertEquals(200, page.status, page.body());
            assertTrue(page.body().contains(o.id()) && page.body().contains("Not opened"), page.body());
            assertTrue(page.body().contains("Open the space"));

            FakeHttp.Response forged = olivia.post(console, "/console/cloud", Map.of("do", "open", "order", o.id(),
                    "csrf", "forged"));
            assertEquals(403, forged.status);
            assertEquals(SpaceService.SpaceState.NOT_OPENED, f.service.view(o.id()).state());

            FakeHttp.Response opened = olivia.post(console, "/console/cloud", Map.of("do", "open", "order", o.id(),
                    "csrf", "token-olivia-cloud-space-open"));
            assertEquals(200, opened.status, opened.body());
            assertTrue(opened.body().contains("The customer space of order " + o.id() + " is open"), opened.body());
            assertTrue(opened.body().contains("Link sent") && opened.body().contains("Send a new link"));
            assertTrue(f.audit.all().contains("operator:olivia space.opened order:" + o.id()));

            FakeHttp.Response resent = olivia.post(console, "/console/cloud", Map.of("do", "link", "order", o.id(),
                    "csrf", "token-olivia-cloud-space-link"));
            assertEquals(200, resent.status);
            assertEquals(2, f.notifier.of("cloudspace.password.set").size());
            FakeHttp.Response unknown = olivia.post(console, "/console/cloud", Map.of("do", "link", "order", "ord_x",
                    "csrf", "token-olivia-cloud-space-link"));
            assertEquals(404, unknown.status);

            // the holder sets the password; then the account is closed with a reason, and reopened
            assertTrue(f.service.setPassword(f.lastSecret(), SpaceFixture.GOOD.toCharArray(), "c").ok());
            FakeHttp.Response active = olivia.get(console, "/console/cloud");
            assertTrue(active.body().contains("Close the account"), active.body());
            FakeHttp.Response noReason = olivia.post(console, "/console/cloud", Map.of("do", "close", "order",
                    o.id(), "csrf", "token-olivia-cloud-space-close"));
            assertEquals(400, noReason.status, noReason.body());
            assertTrue(noReason.body().contains("say why the account is closed"), noReason.body());
            assertEquals(SpaceService.SpaceState.ACTIVE, f.service.view(o.id()).state());
            FakeHttp.Response closeForged = olivia.post(console, "/console/cloud", Map.of("do", "close", "order",
                    o.id(), "reason", "left", "csrf", "token-olivia-cloud-space-open"));
            assertEquals(403, closeForged.status, "another form's token does not close");
            FakeHttp.Response closed = olivia.post(console, "/console/cloud", Map.of("do", "close", "order", o.id(),
                    "reason", "the holder left", "csrf", "token-olivia-cloud-space-close"));
            assertEquals(200, closed.status, closed.body());
            assertTrue(closed.body().contains("is closed: its sessions ended"), closed.body());
            assertTrue(closed.body().contains(">Closed<") && closed.body().contains("Reopen (new password link)"),
                    closed.body());
            assertEquals(SpaceService.SpaceState.CLOSED, f.service.view(o.id()).state());
            assertTrue(f.audit.all().contains("operator:olivia space.closed"), f.audit.all());
            FakeHttp.Response reopened = olivia.post(console, "/console/cloud", Map.of("do", "reopen", "order",
                    o.id(), "csrf", "token-olivia-cloud-space-reopen"));
            assertEquals(200, reopened.status, reopened.body());
            assertTrue(reopened.body().contains("is reopened"), reopened.body());
            assertEquals(SpaceService.SpaceState.LINK_SENT, f.service.view(o.id()).state());

            Http sam = new Http();
            sam.headers.put(TestConsoleAccess.OPERATOR_HEADER, "sam");
            FakeHttp.Response refused = sam.get(console, "/console/cloud");
            assertEquals(403, refused.status);
            // the console answers (here the stand-in's default ConsoleAccess.operatorWith), naming the roles
            assertTrue(refused.body().contains("This page needs one of the roles admin, operator"), refused.body());
            assertFalse(refused.body().contains(o.id()));
            FakeHttp.Response refusedPost = sam.post(console, "/console/cloud", Map.of("do", "open", "order", o.id(),
                    "csrf", "token-sam-cloud-space-open"));
            assertEquals(403, refusedPost.status);
            assertTrue(refusedPost.body().contains("This page needs one of the roles"), refusedPost.body());
        }
    }
}
