package io.cachet.rest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.cachet.api.rest.OpenApiContribution;

class OpenApiDocumentTest {

    @Test
    void emptyDocumentHasTheRequiredOpenApiFields() throws Exception {
        Map<String, Object> doc = OpenApiDocument.build("1.2.3", List.of());
        assertEquals("3.0.3", doc.get("openapi"));
        assertEquals("1.2.3", ((Map<?, ?>) doc.get("info")).get("version"));
        assertTrue(((Map<?, ?>) doc.get("paths")).isEmpty());
        String json = ApiErrors.JSON.writeValueAsString(doc);
        assertTrue(json.contains("\"bearer\""), json);
    }

    @Test
    void contributionsAddTheirPathsAndSchemas() {
        OpenApiContribution c = new OpenApiContribution() {
            @Override
            public Map<String, Object> paths() {
                return Map.of("/things", Map.of("get", Map.of("responses", Map.of("200", Map.of("description", "ok")))));
            }

            @Override
            public Map<String, Object> schemas() {
                return Map.of("Thing", Map.of("type", "object"));
            }
        };
        Map<String, Object> doc = OpenApiDocument.build("1", List.of(c));
        assertTrue(((Map<?, ?>) doc.get("paths")).containsKey("/things"));
        assertTrue(((Map<?, ?>) ((Map<?, ?>) doc.get("components")).get("schemas")).containsKey("Thing"));
    }

    @Test
    void bearerParsing() {
        assertEquals("abc", ApiContext.bearer("Bearer abc").orElseThrow());
        assertEquals("abc", ApiContext.bearer("bearer  abc ").orElseThrow());
        assertFalse(ApiContext.bearer("Basic abc").isPresent());
        assertFalse(ApiContext.bearer("Bearer ").isPresent());
        assertFalse(ApiContext.bearer(null).isPresent());
    }
}
