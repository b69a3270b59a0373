package io.cachet.portal.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.cachet.api.link.PersonalLinks.Outcome;
import io.cachet.api.notify.Notification;
import io.cachet.api.order.Order;
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
 * person or each; refused for an ended or unknown order and for a role no person holds apart.
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
            assertEquals(Outcome.VALID, f.links.open(annasNew, OrderMailer.STATUS).outcome());
            assertEquals(Outcome.REVOKED, f.links.open(annasFirst, OrderMailer.STATUS).outcome(),
                    "the link before no longer opens");
            assertTrue(f.audit.read(1, 10_000).stream().anyMatch(r -> r.action().equals("portal.link.issued")
                    && r.actor().equals("api:sam") && r.subject().equals("order:" + order.id())), "audited as sam's");

            resource.send(SUPPORT, order.id(), body("role", "legal-representative"));
            assertEquals(List.of("bob@example.org"), f.notifier.of("portal.order.link").subList(2, 3).stream()
                    .map(Notification::recipient).toList(), "only the person asked for");
            assertEquals(3, f.notifier.of("portal.order.link").size());
            assertEquals(Outcome.REVOKED, f.links.open(bobsFirst, OrderMailer.STATUS).outcome());
            assertEquals(Outcome.VALID, f.links.open(annasNew, OrderMailer.STATUS).outcome(), "Anna's stays");
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

    @org.junit.jupiter.api.Test
    void onlyOperatorsAndSupportMaySend() throws Exception {
        RolesAllowed allowed = StatusLinksResource.class.getMethod("send", SecurityContext.class, String.class,
                JsonNode.class).getAnnotation(RolesAllowed.class);
        assertArrayEquals(new String[] { RestApi.ROLE_ADMIN, RestApi.ROLE_OPERATOR, RestApi.ROLE_SUPPORT },
                allowed.value(), "not resellers, auditors or RA officers");
    }
}
