package io.cachet.audit.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import io.cachet.api.audit.AuditEvent;

class AuditEventTest {

    @Test
    void actorAndActionAreRequired() {
        assertThrows(NullPointerException.class, () -> new AuditEvent(null, "a.b", "", null));
        assertThrows(NullPointerException.class, () -> new AuditEvent("system", null, "", null));
        assertThrows(IllegalArgumentException.class, () -> new AuditEvent(" ", "a.b", "", null));
        assertThrows(IllegalArgumentException.class, () -> new AuditEvent("system", "", "", null));
    }

    @Test
    void subjectAndPayloadDefaultToEmpty() {
        AuditEvent e = new AuditEvent("system", "a.b", null, null);
        assertEquals("", e.subject());
        assertArrayEquals(new byte[0], e.payload());
        assertArrayEquals(new byte[0], AuditEvent.of("system", "a.b", null, null).payload());
    }

    @Test
    void payloadIsCopiedInAndOut() {
        byte[] payload = { 1, 2, 3 };
        AuditEvent e = new AuditEvent("system", "a.b", "x", payload);
        payload[0] = 9;
        e.payload()[1] = 9;
        assertArrayEquals(new byte[] { 1, 2, 3 }, e.payload());
        assertArrayEquals("é".getBytes(StandardCharsets.UTF_8), AuditEvent.of("system", "a.b", "", "é").payload());
    }
}
