package io.cachet.order.console.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.cachet.api.order.OrderQuery;
import io.cachet.api.order.OrderState;

class ListQueryTest {

    static ListQuery parse(String... pairs) {
        Map<String, String> p = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            p.put(pairs[i], pairs[i + 1]);
        }
        return ListQuery.parse(p::get);
    }

    @Test
    void noParameterIsTheFirstPageOfEveryOrder() {
        ListQuery q = parse();
        assertEquals(new OrderQuery(null, null, null, null, null, null, ListQuery.PAGE), q.query());
        assertTrue(q.errors().isEmpty());
        assertEquals("", q.search());
    }

    @Test
    void everyFilterIsRead() {
        ListQuery q = parse("q", "  ACME ", "state", "verification", "reseller", "rs_1", "from", "2026-03-01",
                "to", "2026-03-31", "after", "cursor-2");
        OrderQuery oq = q.query();
        assertEquals("ACME", oq.text());
        assertEquals(OrderState.VERIFICATION, oq.state());
        assertEquals("rs_1", oq.reseller());
        assertEquals(Instant.parse("2026-03-01T00:00:00Z"), oq.from());
        assertEquals(Instant.parse("2026-04-01T00:00:00Z"), oq.to(), "the end date is included: up to the next day");
        assertEquals("cursor-2", oq.after());
        assertEquals("VERIFICATION", q.values().get("state"), "shown selected in the form");
        assertEquals("q=ACME&state=VERIFICATION&reseller=rs_1&from=2026-03-01&to=2026-03-31", q.search(),
                "the next page's link repeats the search, not the cursor");
    }

    @Test
    void anUnreadableValueIsLeftOutAndNamedByItsField() {
        ListQuery q = parse("state", "LOST", "from", "01/03/2026", "to", "2026-02-30", "q", "x".repeat(201));
        assertEquals(Set.of("state", "from", "to", "q"), q.errors().keySet());
        assertEquals("order-console.list.error.state", q.errors().get("state"));
        assertEquals("order-console.list.error.date", q.errors().get("from"));
        assertNull(q.query().state());
        assertNull(q.query().from());
        assertNull(q.query().to());
        assertNull(q.query().text());
        assertEquals("", q.search(), "refused values are not carried to the next page");
    }

    @Test
    void anEndBeforeTheStartIsRefused() {
        ListQuery q = parse("from", "2026-03-10", "to", "2026-03-01");
        assertEquals("order-console.list.error.range", q.errors().get("to"));
        assertEquals(Instant.parse("2026-03-10T00:00:00Z"), q.query().from());
        assertNull(q.query().to());
        assertTrue(parse("from", "2026-03-10", "to", "2026-03-10").errors().isEmpty(), "one day is a range");
    }

    @Test
    void searchTextIsEncodedInTheLink() {
        assertEquals("q=Caf%C3%A9+%26+Co", parse("q", "Café & Co").search());
    }
}
