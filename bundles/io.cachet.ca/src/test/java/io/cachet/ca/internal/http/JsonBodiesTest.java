package io.cachet.ca.internal.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;

class JsonBodiesTest {

    private static String problemWith(String json) throws java.io.IOException {
        try (JsonParser parser = JsonBodies.MAPPER.createParser(json)) {
            JsonProcessingException e = assertThrows(JsonProcessingException.class,
                    () -> JsonBodies.MAPPER.readTree(parser));
            return JsonBodies.problem(e, parser);
        }
    }

    @Test
    void deepNestingIsRefusedWithTheLimitNamed() throws Exception {
        String deep = "[".repeat(5000) + "]".repeat(5000);
        String problem = problemWith(deep);
        assertTrue(problem.contains("32 levels of nesting"), problem);
        // at the limit it still reads
        String ok = "[".repeat(JsonBodies.MAX_NESTING) + "]".repeat(JsonBodies.MAX_NESTING);
        assertEquals(1, depth(ok));
    }

    @Test
    void anOverlongStringIsRefusedNamingItsField() throws Exception {
        String problem = problemWith("{\"organisation\":{\"identifier\":\"" + "A".repeat(JsonBodies.MAX_STRING + 1)
                + "\"}}");
        assertTrue(problem.startsWith("'organisation.identifier': ") && problem.contains("exceeds a limit"), problem);
    }

    @Test
    void brokenJsonSaysWhere() throws Exception {
        String problem = problemWith("{\"a\":\n  tru}");
        assertTrue(problem.startsWith("The request body is not valid JSON (line 2"), problem);
    }

    private static int depth(String json) {
        try {
            return JsonBodies.MAPPER.readTree(json).isArray() ? 1 : 0;
        } catch (JsonProcessingException e) {
            throw new AssertionError(e);
        }
    }
}
