package io.cachet.api.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ConsoleOrderActionTest {

    @Test
    void anActionsPageReadsItsOrderIdFromItsPath() {
        assertEquals("ord_abc-123", ConsoleOrderAction.orderIdIn("/ord_abc-123"));
        assertEquals("ord_abc-123", ConsoleOrderAction.orderIdIn("/ord_abc-123/"));
        assertEquals("", ConsoleOrderAction.orderIdIn(null));
        assertEquals("", ConsoleOrderAction.orderIdIn("/"));
        assertEquals("", ConsoleOrderAction.orderIdIn("/ord/more"));
        assertEquals("", ConsoleOrderAction.orderIdIn("/<b>"));
        assertEquals("", ConsoleOrderAction.orderIdIn("/" + "a".repeat(41)));
    }

    @Test
    void aLinkOpensAConsolePage() {
        assertEquals("/console/x", new ConsoleOrderAction.Link("X", "/console/x", "").path());
        assertThrows(IllegalArgumentException.class, () -> new ConsoleOrderAction.Link("X", "https://evil.example", ""));
        assertThrows(IllegalArgumentException.class, () -> new ConsoleOrderAction.Link("X", "/order/status/x", ""));
    }
}
