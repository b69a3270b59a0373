package io.cachet.portal.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.cachet.api.link.PersonalLinks.Outcome;
import io.cachet.api.notify.Notification;
import io.cachet.api.order.Order;
import io.cachet.api.order.StatusAction;
import io.cachet.api.reseller.Reseller;
import io.cachet.api.reseller.Resellers;
import io.cachet.api.rest.ApiException;
import io.cachet.api.rest.RestApi;
import io.cachet.api.testing.TestCallers;
import io.cachet.store.testing.TestDatabases;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;

/**
 * Support sends a person who lost the order's e-mail a fresh status link, on the real order service and link store
 * (H2 and PostgreSQL): to the address the order holds, the link before shut, the caller never shown the link; one
 * person or each; refused for an ended or unknown order and for a role no person holds apart; a reseller's key for
 * its own customers' orders only.
 */
class StatusLinksResourceTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecurityContext SUPPORT = TestCallers.as("sam", RestApi.ROLE_SUPPORT);

    @TempDir
    Path dir;

    static List<String> products() {
        return TestDatabases.products().toList();
    }

    private static JsonNode body(Object... kv) {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return JSON.valueToTree(m);
    }

    private static int status(org.junit.jupiter.api.function.Executable call) {
        return assertThrows(ApiException.class, call).status();
    }

    @ParameterizedTest
    @MethodSource("products")
    void eachPersonGetsAFreshLinkAtTheirAddressAndTheCallerNeverSeesIt(String product) throws Exception {
        try (OrdersFixture f = new OrdersFixture(dir, product, Duration.ofDays(30))) {
            StatusLinksResource resource = new StatusLinksResource(f.db.database(), f.orders, f.mailer);
            Order order = f.submit("ACME SAS", false);
            String annasFirst = f.tokenOf("portal.order.submitted", "anna@example.org");
            String bobsFirst = f.tokenOf("portal.order.submitted", "bob@example.org");

            Response answer = resource.send(SUPPORT, order.id(), null);
            assertEquals(200, answer.getStatus());
            assertEquals("no-store", answer.getHeaderString("Cache-Control"));
            String json = JSON.writeValueAsString(answer.getEntity());
            JsonNode sent = JSON.readTree(json);
            assertEquals(order.id(), sent.path("orderId").asText());
            assertEquals(List.of("certificate-manager", "legal-representative"), List.of(
                    sent.path("sent").path(0).path("role").asText(), sent.path("sent").path(1).path("role").asText()));
            assertEquals("anna@example.org", sent.path("sent").path(0).path("email").asText());
            assertEquals(f.clock.instant().plus(Duration.ofDays(30)).toString(),
                    sent.path("sent").path(0).path("expiresAt").asText());

            List<Notification> mails = f.notifier.of("portal.order.link");
            assertEquals(List.of("anna@example.org", "bob@example.org"), mails.stream().map(Notification::recipient)
                    .toList());
            assertEquals("en", mails.get(0).language());
            String annasNew = f.tokenOf("portal.order.link", "anna@example.org");
            assertFalse(json.contains(annasNew), "the answer never carries the link: " + json);
            assertEquals(Outcome.VALID, f.links.open(annasNew, StatusAction.STATUS_LINK_PURPOSE).outcome());
            assertEquals(Outcome.REVOKED, f.links.open(annasFirst, StatusAction.STATUS_LINK_PURPOSE).outcome(),
                    "the link before no longer opens");
            assertTrue(f.audit.read(1, 10_000).stream().anyMatch(r -> r.action().equals("portal.link.issued")
                    && r.actor().equals("api:sam") && r.subject().equals("order:" + order.id())), "audited as sam's");

            resource.send(SUPPORT, order.id(), body("role", "legal-representative"));
            assertEquals(List.of("bob@example.org"), f.notifier.of("portal.order.link").subList(2, 3).stream()
                    .map(Notification::recipient).toList(), "only the person asked for");
            assertEquals(3, f.notifier.of("portal.order.link").size());
            assertEquals(Outcome.REVOKED, f.links.open(bobsFirst, StatusAction.STATUS_LINK_PURPOSE).outcome());
            assertEquals(Outcome.VALID, f.links.open(annasNew, StatusAction.STATUS_LINK_PURPOSE).outcome(),
                    "Anna's stays");
        }
    }

    @ParameterizedTest
    @MethodSource("products")
    void refusalsSayWhyAndSendNothing(String product) {
        try (OrdersFixture f = new OrdersFixture(dir, product, Duration.ofDays(30))) {
            StatusLinksResource resource = new StatusLinksResource(f.db.database(), f.orders, f.mailer);
            Order both = f.submit("Solo SAS", true);
            Order ended = f.submit("Gone SAS", false);
            f.orders.cancel(ended.id(), "customer", "changed our mind", true);
            int before = f.notifier.sent.size();

            assertEquals(404, status(() -> resource.send(SUPPORT, "ord_none", null)));
            ApiException gone = assertThrows(ApiException.class, () -> resource.send(SUPPORT, ended.id(), null));
            assertEquals(409, gone.status());
            assertTrue(gone.getMessage().contains("CANCELLED"), gone.getMessage());
            ApiException apart = assertThrows(ApiException.class, () -> resource.send(SUPPORT, both.id(),
                    body("role", "legal-representative")));
            assertEquals(400, apart.status());
            assertTrue(apart.getMessage().contains("send to the certificate manager"), apart.getMessage());
            assertEquals(400, status(() -> resource.send(SUPPORT, both.id(), body("role", "manager"))));
            ApiException typed = assertThrows(ApiException.class, () -> resource.send(SUPPORT, both.id(),
                    body("role", 1)));
            assertEquals("Field 'role' must be certificate-manager or legal-representative.", typed.getMessage());
            assertEquals(before, f.notifier.sent.size(), "nothing was sent");

            assertEquals(1, ((StatusLinksResource.SentView) resource.send(SUPPORT, both.id(), body("role",
                    "certificate-manager")).getEntity()).sent().size(), "one person in both roles: one link");
        }
    }

    @ParameterizedTest
    @MethodSource("products")
    void aResellerSendsForItsOwnCustomersOrdersOnly(String product) {
        try (OrdersFixture f = new OrdersFixture(dir, product, Duration.ofDays(30))) {
            StatusLinksResource resource = new StatusLinksResource(f.db.database(), f.orders, f.mailer);
            Order ours = f.submit("Ours SAS", false, "rsl_a");
            Order theirs = f.submit("Theirs SAS", false, "rsl_b");
            Order direct = f.submit("Direct SAS", false);
            SecurityContext a = TestCallers.as("acct-a", RestApi.ROLE_RESELLER);
            assertEquals(503, status(() -> resource.send(a, ours.id(), null)), "resellers' module not running");
            Map<String, Reseller> byLogin = new java.util.HashMap<>(Map.of(
                    "acct-a", new Reseller("rsl_a", "A", "acct-a", null, Instant.EPOCH, null),
                    "acct-b", new Reseller("rsl_b", "B", "acct-b", null, Instant.EPOCH, null)));
            resource.resellers = new LoginResellers(byLogin);
            int before = f.notifier.sent.size();

            ApiException notOurs = assertThrows(ApiException.class, () -> resource.send(a, theirs.id(), null));
            assertEquals(404, notOurs.status());
            assertEquals("No order " + theirs.id() + ".", notOurs.getMessage(), "not told apart from none");
            assertEquals(404, status(() -> resource.send(a, direct.id(), null)), "a direct customer's order");
            assertEquals(403, status(() -> resource.send(TestCallers.as("nobody", RestApi.ROLE_RESELLER), ours.id(),
                    null)), "a reseller's role on an account of no reseller");
            assertEquals(403, status(() -> resource.send(TestCallers.as("aud", RestApi.ROLE_AUDITOR), ours.id(),
                    null)));
            assertEquals(before, f.notifier.sent.size(), "nothing was sent");

            Response answer = resource.send(a, ours.id(), body("role", "certificate-manager"));
            assertEquals(200, answer.getStatus());
            assertEquals(List.of("anna@example.org"), f.notifier.of("portal.order.link").stream()
                    .map(Notification::recipient).toList());
            assertTrue(f.audit.read(1, 10_000).stream().anyMatch(r -> r.action().equals("portal.link.issued")
                    && r.actor().equals("api:acct-a") && r.subject().equals("order:" + ours.id())), "audited as A's");
            assertEquals(200, resource.send(TestCallers.as("sam", RestApi.ROLE_SUPPORT), theirs.id(), null)
                    .getStatus(), "support reaches every order");

            byLogin.put("acct-a", new Reseller("rsl_a", "A", "acct-a", null, Instant.EPOCH, Instant.EPOCH));
            ApiException disabled = assertThrows(ApiException.class, () -> resource.send(a, ours.id(), null));
            assertEquals(403, disabled.status());
            assertEquals("This reseller is disabled.", disabled.getMessage());
        }
    }

    /** The resellers' module as far as this resource uses it: who holds which account (the module is proven in ResellersIT). */
    private record LoginResellers(Map<String, Reseller> byLogin) implements Resellers {
        @Override
        public Optional<Reseller> byLogin(String login) {
            return Optional.ofNullable(byLogin.get(login));
        }

        @Override
        public Created create(String name, String brand, String actor) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<Reseller> find(String id) {
            return byLogin.values().stream().filter(r -> r.id().equals(id)).findFirst();
        }

        @Override
        public List<Reseller> list() {
            return List.copyOf(byLogin.values());
        }

        @Override
        public Reseller setDisabled(String id, boolean disabled, String actor) {
            throw new UnsupportedOperationException();
        }
    }

    @org.junit.jupiter.api.Test
    void staffAndResellersMaySend() throws Exception {
        RolesAllowed allowed = StatusLinksResource.class.getMethod("send", SecurityContext.class, String.class,
                JsonNode.class).getAnnotation(RolesAllowed.class);
        assertArrayEquals(new String[] { RestApi.ROLE_ADMIN, RestApi.ROLE_OPERATOR, RestApi.ROLE_SUPPORT,
            RestApi.ROLE_RESELLER }, allowed.value(), "not auditors or RA officers");
    }
}
