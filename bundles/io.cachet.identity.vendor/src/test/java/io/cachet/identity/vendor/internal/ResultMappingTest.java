package io.cachet.identity.vendor.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.cachet.api.identity.CheckResult;
import io.cachet.api.identity.ProviderResult.Outcome;
import io.cachet.identity.vendor.testing.FakeVendor;

/** The vendor's result, read with the configured field paths and vocabulary. */
class ResultMappingTest {

    final ResultMapping defaults = Configs.settings(Map.of()).mapping;

    ResultMapping.Event read(ResultMapping m, String json) throws Exception {
        return m.read(json.getBytes(StandardCharsets.UTF_8));
    }

    String malformed(ResultMapping m, String json) {
        return assertThrows(ResultMapping.MalformedEvent.class, () -> read(m, json)).getMessage();
    }

    @Test
    void theDefaultLayoutMapsEveryField() throws Exception {
        ResultMapping.Event e = read(defaults, FakeVendor.resultBody("evt_1", "ses_1", "approved", "MARTIN",
                "Zoé Anne", "1985-03-14", "id_card", "X4RTBPFW4", "2031-04-15"));
        assertEquals("evt_1", e.eventId());
        assertEquals("ses_1", e.sessionId());
        assertEquals(Outcome.VERIFIED, e.result().outcome());
        assertEquals("MARTIN", e.result().surname());
        assertEquals("Zoé Anne", e.result().givenNames());
        assertEquals(LocalDate.of(1985, 3, 14), e.result().birthDate());
        assertEquals("eu-id-card", e.result().documentType());
        assertEquals("X4RTBPFW4", e.result().documentNumber());
        assertEquals(LocalDate.of(2031, 4, 15), e.result().expiryDate());
        assertEquals(new CheckResult("vendor.result", true, "vendor outcome 'approved' → VERIFIED"),
                e.result().checks().get(0));
        assertTrue(e.result().checks().contains(new CheckResult("vendor.liveness", true, "")));
        assertTrue(e.result().checks().contains(new CheckResult("vendor.document_authentic", true, "")));
    }

    @Test
    void outcomesMapByConfigurationAndAnUnknownOneIsInconclusive() throws Exception {
        String body = "{\"event_id\":\"e\",\"session_id\":\"s\",\"status\":\"%s\"}";
        assertEquals(Outcome.REJECTED, read(defaults, body.formatted("declined")).result().outcome());
        assertEquals(Outcome.INCONCLUSIVE, read(defaults, body.formatted("review")).result().outcome());
        ResultMapping.Event odd = read(defaults, body.formatted("APPROVED-ish"));
        assertEquals(Outcome.INCONCLUSIVE, odd.result().outcome());
        assertFalse(odd.result().checks().get(0).passed());
        assertNull(odd.result().surname());
        ResultMapping custom = Configs.settings(Map.of("outcomeMapping", new String[] { "ok=verified,ko=REJECTED" }))
                .mapping;
        assertEquals(Outcome.VERIFIED, read(custom, body.formatted("ok")).result().outcome());
        assertEquals(Outcome.INCONCLUSIVE, read(custom, body.formatted("approved")).result().outcome());
    }

    @Test
    void otherVendorsLayoutsAreConfiguration() throws Exception {
        ResultMapping m = Configs.settings(Map.of("eventIdField", "id", "sessionField", "data.verification.id",
                "outcomeField", "data.verification.decision", "surnameField", "data.person.lastName",
                "givenNamesField", "data.person.firstName", "birthDateField", "data.person.dateOfBirth",
                "documentTypeField", "data.document.kind", "documentTypeMapping", new String[] { "PASSPORT=passport" },
                "checksField", "")).mapping;
        ResultMapping.Event e = read(m, "{\"id\":42,\"data\":{\"verification\":{\"id\":\"v-9\",\"decision\":"
                + "\"approved\"},\"person\":{\"lastName\":\"Dupont\",\"firstName\":\"Jean\",\"dateOfBirth\":\"1970-01-02\"},"
                + "\"document\":{\"kind\":\"PASSPORT\"}},\"checks\":\"ignored\"}");
        assertEquals("42", e.eventId());
        assertEquals("v-9", e.sessionId());
        assertEquals("Dupont", e.result().surname());
        assertEquals("passport", e.result().documentType());
        assertEquals(LocalDate.of(1970, 1, 2), e.result().birthDate());
        assertEquals(1, e.result().checks().size());
        ResultMapping.Event unmapped = read(defaults, "{\"event_id\":\"e\",\"session_id\":\"s\",\"status\":\"approved\","
                + "\"document\":{\"type\":\"driving_licence\"}}");
        assertEquals("driving_licence", unmapped.result().documentType());
    }

    @Test
    void aBodyThatIsNotTheExpectedJsonIsMalformed() {
        assertEquals("The body is not JSON.", malformed(defaults, "{\"event_id\":"));
        assertEquals("The body is not JSON.", malformed(defaults, ""));
        assertEquals("The body is not JSON.", malformed(defaults, "{\"event_id\":\"a\",\"event_id\":\"b\"}"));
        assertEquals("The body is not JSON.", malformed(defaults, "{} {}"));
        assertEquals("The body must be a JSON object.", malformed(defaults, "[1]"));
        assertEquals("Field 'event_id' is required.", malformed(defaults, "{\"session_id\":\"s\",\"status\":\"x\"}"));
        assertEquals("Field 'session_id' is required.", malformed(defaults, "{\"event_id\":\"e\",\"status\":\"x\"}"));
        assertEquals("Field 'status' is required.", malformed(defaults, "{\"event_id\":\"e\",\"session_id\":\"s\",\"status\":null}"));
        String base = "{\"event_id\":\"e\",\"session_id\":\"s\",\"status\":\"approved\",";
        assertEquals("Field 'document.birth_date' must be a date yyyy-MM-dd.",
                malformed(defaults, base + "\"document\":{\"birth_date\":\"14/03/1985\"}}"));
        assertEquals("Field 'document.surname' must be a string.",
                malformed(defaults, base + "\"document\":{\"surname\":{\"x\":1}}}"));
        assertEquals("Field 'document.number' is longer than 200 characters.",
                malformed(defaults, base + "\"document\":{\"number\":\"" + "9".repeat(201) + "\"}}"));
        assertEquals("Field 'checks' must be an object of true/false checks.",
                malformed(defaults, base + "\"checks\":{\"liveness\":\"yes\"}}"));
        assertEquals("Field 'checks' must be an object of true/false checks.", malformed(defaults, base + "\"checks\":[]}"));
    }
}
