package io.cachet.rest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.lang.annotation.Annotation;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import jakarta.ws.rs.core.MediaType;

import io.cachet.api.rest.ApiException;

class JsonProviderTest {

    record Org(String name, int size) {
    }

    record Request(String csr, Org organisation, List<String> tags) {
    }

    enum Medium { TOKEN, CLOUD }

    record Typed(String name, int size, Integer count, boolean urgent, Medium medium) {
    }

    private final JsonProvider provider = new JsonProvider();

    private Object read(Class<?> type, String json) throws Exception {
        return read(type, new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
    }

    @SuppressWarnings({ "unchecked", "rawtypes" })
    private Object read(Class<?> type, InputStream in) throws Exception {
        return provider.readFrom((Class) type, type, new Annotation[0], MediaType.APPLICATION_JSON_TYPE, null, in);
    }

    private String problem(Class<?> type, String json) {
        ApiException e = assertThrows(ApiException.class, () -> read(type, json));
        assertEquals(400, e.status(), e.getMessage());
        assertEquals("invalid_request", e.error());
        return e.getMessage();
    }

    @Test
    void recordsAndTreesAreRead() throws Exception {
        Request r = (Request) read(Request.class, "{\"csr\":\"x\",\"organisation\":{\"name\":\"ACME\",\"size\":3},"
                + "\"unknown\":1}");
        assertEquals(new Request("x", new Org("ACME", 3), null), r);
        assertEquals("b", ((JsonNode) read(JsonNode.class, "{\"a\":\"b\"}")).get("a").asText());
    }

    @Test
    void whatIsWrongWithABodyIsSaidAndWhere() {
        assertTrue(problem(JsonNode.class, "").contains("empty"));
        assertTrue(problem(JsonNode.class, "null").contains("empty"));
        assertTrue(problem(JsonNode.class, "{\"a\":").contains("not valid JSON (line 1"));
        assertEquals("Field 'organisation.size' must be a whole number.",
                problem(Request.class, "{\"organisation\":{\"size\":\"big\"}}"));
        assertEquals("Field 'tags' must be an array.", problem(Request.class, "{\"tags\":{}}"));
        assertEquals("The request body must be a JSON object.", problem(Request.class, "[1]"));
    }

    @Test
    void aValueOfTheWrongTypeIsRefusedNotConverted() throws Exception {
        assertEquals(new Typed("7", 2, 3, true, Medium.CLOUD), read(Typed.class,
                "{\"name\":\"7\",\"size\":2,\"count\":3,\"urgent\":true,\"medium\":\"CLOUD\"}"));
        assertEquals("Field 'name' must be a string.", problem(Typed.class, "{\"name\":7}"));
        assertEquals("Field 'name' must be a string.", problem(Typed.class, "{\"name\":7.5}"));
        assertEquals("Field 'name' must be a string.", problem(Typed.class, "{\"name\":false}"));
        assertEquals("Field 'size' must be a whole number.", problem(Typed.class, "{\"size\":\"7\"}"));
        assertEquals("Field 'size' must be a whole number.", problem(Typed.class, "{\"size\":1.5}"));
        assertEquals("Field 'count' must be a whole number.", problem(Typed.class, "{\"count\":\"3\"}"));
        assertEquals("Field 'urgent' must be true or false.", problem(Typed.class, "{\"urgent\":\"true\"}"));
        assertEquals("Field 'urgent' must be true or false.", problem(Typed.class, "{\"urgent\":1}"));
        assertEquals("Field 'medium' must be a string.", problem(Typed.class, "{\"medium\":0}"));
        // an absent field and a null are still "not given"
        assertEquals(new Typed(null, 0, null, false, null), read(Typed.class, "{\"count\":null,\"size\":null}"));
    }

    @Test
    void hostileBodiesHitTheLimitsAndTheFieldIsNamed() {
        String deep = "[".repeat(JsonProvider.MAX_NESTING + 1) + "]".repeat(JsonProvider.MAX_NESTING + 1);
        assertTrue(problem(JsonNode.class, deep).contains("levels of nesting"));
        String ok = "[".repeat(JsonProvider.MAX_NESTING) + "]".repeat(JsonProvider.MAX_NESTING);
        assertEquals(400, assertThrows(ApiException.class, () -> read(Request.class, ok)).status());
        String longString = "{\"organisation\":{\"name\":\"" + "A".repeat(JsonProvider.MAX_STRING + 1) + "\"}}";
        String message = problem(JsonNode.class, longString);
        assertTrue(message.startsWith("'organisation.name': "), message);
        assertTrue(message.contains("16 KiB"), message);
    }

    @Test
    void aBodyOverItsLimitIs413WhileBeingRead() {
        byte[] body = ("{\"csr\":\"" + "x".repeat(5000) + "\"}").getBytes(StandardCharsets.UTF_8);
        ApiException tooLarge = BodyLimitFilter.tooLarge(4096, "");
        ApiException e = assertThrows(ApiException.class, () -> read(JsonNode.class,
                new LimitedInputStream(new ByteArrayInputStream(body), 4096, tooLarge)));
        assertEquals(413, e.status());
        assertEquals("The request body is over 4 KiB.", e.getMessage());
    }

    @Test
    void writesJsonAndProblemJsonButLeavesTextToJakartaRest() throws Exception {
        assertTrue(provider.isWriteable(Map.class, Map.class, null, MediaType.APPLICATION_JSON_TYPE));
        assertTrue(provider.isWriteable(Map.class, Map.class, null, MediaType.valueOf(Problems.MEDIA_TYPE)));
        assertTrue(!provider.isWriteable(String.class, String.class, null, MediaType.APPLICATION_JSON_TYPE));
        assertTrue(!provider.isWriteable(Map.class, Map.class, null, MediaType.TEXT_HTML_TYPE));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        provider.writeTo(new Org("ACME", 2), Org.class, Org.class, null, MediaType.APPLICATION_JSON_TYPE, null, out);
        assertEquals("{\"name\":\"ACME\",\"size\":2}", out.toString(StandardCharsets.UTF_8));
    }
}
