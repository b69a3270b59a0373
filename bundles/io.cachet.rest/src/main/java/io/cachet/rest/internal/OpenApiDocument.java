package io.cachet.rest.internal;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.cachet.api.rest.OpenApiContribution;
import io.cachet.api.rest.RestApi;

/** Builds the OpenAPI 3.0 document from the contributions installed now. */
final class OpenApiDocument {

    private OpenApiDocument() {
    }

    static Map<String, Object> build(String version, Collection<OpenApiContribution> contributions) {
        Map<String, Object> paths = new TreeMap<>();
        Map<String, Object> schemas = new TreeMap<>();
        schemas.put("Error", Map.of("type", "object", "required", List.of("error", "error_description"),
                "properties", Map.of("error", Map.of("type", "string"),
                        "error_description", Map.of("type", "string"))));
        for (OpenApiContribution c : contributions) {
            paths.putAll(c.paths());
            schemas.putAll(c.schemas());
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("openapi", "3.0.3");
        doc.put("info", Map.of("title", "Cachet API", "version", version,
                "description", "Operator and integrator API of Cachet. Authenticate with 'Authorization: Bearer "
                        + "<api-key>'; errors are JSON objects {error, error_description}."));
        doc.put("servers", List.of(Map.of("url", RestApi.CONTEXT_PATH)));
        doc.put("security", List.of(Map.of("apiKey", List.of())));
        doc.put("paths", paths);
        doc.put("components", Map.of("securitySchemes",
                Map.of("apiKey", Map.of("type", "http", "scheme", "bearer", "description",
                        "The API key from DATA/initial-admin.txt or one created for an operator")),
                "schemas", schemas));
        return doc;
    }
}
