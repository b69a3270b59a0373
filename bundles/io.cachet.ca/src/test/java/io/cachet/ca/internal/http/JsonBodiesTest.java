package io.cachet.ca.internal.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.JsonProcessingException;

class JsonBodiesTest {

    private static String problemWith(String json) {
        JsonProcessingException e = assertThrows(JsonProcessingException.class, () -> JsonBodies.MAPPER.readTree(json));
        return JsonBodies.problem(e);
    }

    @Test
    void deepNestingIsRefusedWithTheLimitNamed() {
        String deep = "[".repeat(5000) + "]".repeat(5000);
        String problem = problemWith(deep);
        assertTrue(problem.contains("32 levels of nesting"), problem);
        // at the limit it still reads
        String ok = "[".repeat(JsonBodies.MAX_NESTING) + "]".repeat(JsonBodies.MAX_NESTING);
        assertEquals(1, depth(ok));
    }

    @Test
    void anOverlongStringIsRefused() {
        String problem = problemWith("{\"csr\":\"" + "A".repeat(JsonBodies.MAX_STRING + 1) + "\"}");
        assertTrue(problem.contains("exceeds a limit"), problem);
    }

    @Test
    void brokenJsonSaysWhere() {
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
