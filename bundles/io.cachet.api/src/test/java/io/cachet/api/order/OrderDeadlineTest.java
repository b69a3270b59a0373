package io.cachet.api.order;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** An order has a deadline while the customer's part is under way, and none once it can no longer expire. */
class OrderDeadlineTest {

    static Order order(OrderState state, Instant expiresAt) {
        Instant t = Instant.parse("2026-12-02T10:00:00Z");
        return new Order("ord_d", state, null, null, "default", "en", t, t, expiresAt, null, List.of(), 1);
    }

    @Test
    void onlyTheCustomersPartHasADeadline() {
        Instant at = Instant.parse("2027-01-01T10:00:00Z");
        for (OrderState s : OrderState.values()) {
            boolean customersPart = s == OrderState.SUBMITTED || s == OrderState.VERIFICATION
                    || s == OrderState.ACCEPTANCE;
            assertEquals(customersPart ? Optional.of(at) : Optional.empty(), order(s, at).deadline(), s.name());
        }
        assertEquals(Optional.empty(), order(OrderState.VERIFICATION, null).deadline());
    }
}
