package io.cachet.portal.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.text.MessageFormat;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.Test;

import io.cachet.api.order.CheckState;
import io.cachet.api.order.CheckStatus;
import io.cachet.api.order.Order;
import io.cachet.api.order.OrderEvent;
import io.cachet.api.order.OrderRole;
import io.cachet.api.order.OrderState;

/** What the status page tells each person, from the portal's own English messages. */
class StatusViewTest {

    static final Instant T = Instant.parse("2026-12-02T10:00:00Z");

    /** The bundle's English messages, {0}… replaced as the page framework does. */
    static StatusView.Messages english() throws Exception {
        Properties p = new Properties();
        try (var in = StatusViewTest.class.getClassLoader().getResourceAsStream("pages/portal/messages_en.properties")) {
            p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        }
        return new StatusView.Messages() {
            @Override
            public boolean has(String key) {
                return p.containsKey(key);
            }

            @Override
            public String text(String key, Object... args) {
                String s = p.getProperty(key, "??" + key + "??");
                for (int i = 0; i < args.length; i++) {
                    s = s.replace("{" + i + "}", String.valueOf(args[i]));
                }
                return s;
            }
        };
    }

    static List<OrderEvent> events(String id) {
        return List.of(new OrderEvent(id, 1, T, null, OrderState.SUBMITTED, "customer", ""),
                new OrderEvent(id, 2, T, OrderState.SUBMITTED, OrderState.VERIFICATION, "customer", ""));
    }

    static final List<CheckState> VERIFICATION = List.of(
            new CheckState("identity.certificate-manager", OrderState.VERIFICATION, CheckStatus.PENDING, "", T),
            new CheckState("identity.legal-representative", OrderState.VERIFICATION, CheckStatus.PENDING, "", T),
            new CheckState("organisation", OrderState.VERIFICATION, CheckStatus.PASSED, "", T.plusSeconds(60)),
            new CheckState("payment", OrderState.VERIFICATION, CheckStatus.FAILED, "card refused", T));

    @Test
    void eachPersonIsToldWhatTheyMustDoAndWhatOthersAreAwaitedFor() throws Exception {
        Order order = Orders4Test.order("ord_a", OrderState.VERIFICATION, false, VERIFICATION, null);
        Map<String, Object> anna = StatusView.model(order, events("ord_a"), OrderRole.CERTIFICATE_MANAGER, english());
        @SuppressWarnings("unchecked")
        List<String> todo = (List<String>) anna.get("todo");
        @SuppressWarnings("unchecked")
        List<String> waiting = (List<String>) anna.get("waiting");
        assertTrue(todo.get(0).startsWith("Identify yourself"), todo.toString());
        assertTrue(todo.get(1).startsWith("Payment: this step did not pass") && todo.get(1).endsWith("(card refused)"),
                todo.toString());
        assertEquals(List.of("Waiting for Bob Martin: Identity check"), waiting);
        assertEquals("Anna Maria Eriksson", anna.get("name"));
        assertEquals("certificate manager", anna.get("role"));
        assertEquals("Also named: Bob Martin, legal representative", anna.get("other"));
        @SuppressWarnings("unchecked")
        List<Map<String, String>> done = (List<Map<String, String>>) anna.get("done");
        assertEquals(List.of("Order received", "Verification started", "Organisation check: done"),
                done.stream().map(d -> d.get("text")).toList());

        Map<String, Object> bob = StatusView.model(order, events("ord_a"), OrderRole.LEGAL_REPRESENTATIVE, english());
        assertTrue(((List<?>) bob.get("todo")).get(0).toString().startsWith("Identify yourself"));
        assertEquals(List.of("Waiting for Anna Maria Eriksson: Identity check"), bob.get("waiting"));

        // of the other person, the name only
        String shown = bob.toString();
        for (String secret : List.of(Orders4Test.ANNA.email(), Orders4Test.ANNA.mobile(), "1974-08-12")) {
            assertFalse(shown.contains(secret), secret + " shown to the other person");
        }
    }

    @Test
    void onePersonInBothRolesDoesBothPartsAndAwaitsNobody() throws Exception {
        Order order = Orders4Test.order("ord_b", OrderState.VERIFICATION, true, VERIFICATION.subList(0, 3), null);
        Map<String, Object> anna = StatusView.model(order, events("ord_b"), OrderRole.CERTIFICATE_MANAGER, english());
        assertEquals("certificate manager and legal representative", anna.get("role"));
        assertEquals("", anna.get("other"));
        assertEquals(2, ((List<?>) anna.get("todo")).size());
        assertEquals(List.of(), anna.get("waiting"));
    }

    @Test
    void anUnknownCheckKindIsShownByItsKindAndAStateWithoutChecksSaysWhatCachetDoes() throws Exception {
        Order order = Orders4Test.order("ord_c", OrderState.ACCEPTANCE, true, List.of(
                new CheckState("audit.second-look", OrderState.ACCEPTANCE, CheckStatus.PENDING, "", T)), null);
        Map<String, Object> m = StatusView.model(order, events("ord_c"), OrderRole.CERTIFICATE_MANAGER, english());
        assertEquals(List.of("We are working on: audit.second-look"), m.get("waiting"));
        assertEquals(List.of(), m.get("todo"));

        Order issuing = Orders4Test.order("ord_d", OrderState.ISSUANCE, true, List.of(), null);
        assertEquals(List.of("We are issuing the certificate."),
                StatusView.model(issuing, events("ord_d"), OrderRole.CERTIFICATE_MANAGER, english()).get("waiting"));
    }

    @Test
    void theDateTheOrderExpiresIsGivenOnlyWhileItCanStillExpire() throws Exception {
        for (OrderState state : OrderState.values()) {
            Order order = Orders4Test.order("ord_f", state, true, List.of(), null);
            Object deadline = StatusView.model(order, events("ord_f"), OrderRole.CERTIFICATE_MANAGER, english())
                    .get("deadline");
            if (state == OrderState.SUBMITTED || state == OrderState.VERIFICATION || state == OrderState.ACCEPTANCE) {
                assertEquals("The identity checks and the acceptance form must be completed by 2027-01-01 10:00 UTC;"
                        + " after that the order expires and a new one is needed.", deadline, state.name());
            } else {
                assertEquals("", deadline, state + ": issued or ended, it does not expire any more");
            }
        }
    }

    @Test
    void aRejectedOrderShowsItsReasonAndNothingToDo() throws Exception {
        Order order = Orders4Test.order("ord_e", OrderState.REJECTED, false, VERIFICATION, "Registry extract too old");
        List<OrderEvent> events = List.of(events("ord_e").get(0), events("ord_e").get(1),
                new OrderEvent("ord_e", 3, T.plusSeconds(3600), OrderState.VERIFICATION, OrderState.REJECTED,
                        "operator:alice", "Registry extract too old"));
        Map<String, Object> m = StatusView.model(order, events, OrderRole.CERTIFICATE_MANAGER, english());
        assertEquals(true, m.get("ended"));
        assertEquals("Registry extract too old", m.get("reason"));
        assertEquals(List.of(), m.get("todo"));
        assertEquals("Rejected", m.get("stateName"));
        assertTrue(MessageFormat.format("{0}", m.get("done")).contains("Registry extract too old"));
    }
}
