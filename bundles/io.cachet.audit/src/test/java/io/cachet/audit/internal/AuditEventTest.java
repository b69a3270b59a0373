package io.cachet.audit.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

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

    @Test
    void fieldsAreOneJsonObjectThatJacksonReadsBack() throws Exception {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("order", "o-1");
        fields.put("quote\"back\\slash", "line\nbreak\ttab\u0001é");
        fields.put("attempt", 3);
        fields.put("accepted", true);
        fields.put("reason", null);
        fields.put("at", Instant.parse("2026-12-06T01:02:03Z"));
        fields.put("ratio", Double.NaN);
        byte[] payload = AuditEvent.ofFields("system", "a.b", "order:o-1", fields).payload();

        JsonNode read = new ObjectMapper().readTree(payload);
        assertEquals(7, read.size());
        assertEquals("o-1", read.get("order").textValue());
        assertEquals("line\nbreak\ttab\u0001é", read.get("quote\"back\\slash").textValue());
        assertEquals(3, read.get("attempt").intValue());
        assertEquals(true, read.get("accepted").booleanValue());
        assertEquals(true, read.get("reason").isNull());
        assertEquals("2026-12-06T01:02:03Z", read.get("at").textValue());
        assertEquals("NaN", read.get("ratio").textValue());
        assertEquals("{\"order\":\"o-1\"}", new String(
                AuditEvent.ofFields("system", "a.b", "", Map.of("order", "o-1")).payload(), StandardCharsets.UTF_8));
        assertArrayEquals(new byte[0], AuditEvent.ofFields("system", "a.b", "", null).payload());
    }
}
