package io.cachet.ca.internal.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.cachet.api.rest.OpenApiContribution;

/** Paths and schemas of the OpenAPI description kept as a JSON file beside the class ({@code paths}, {@code schemas}). */
abstract class JsonOpenApi implements OpenApiContribution {

    private final Map<String, Object> document;

    JsonOpenApi(String resource) {
        try (InputStream in = getClass().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing from the bundle");
            }
            document = new ObjectMapper().readValue(in, new TypeReference<Map<String, Object>>() { });
        } catch (IOException e) {
            throw new UncheckedIOException(resource + " cannot be read", e);
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public Map<String, Object> paths() {
        return (Map<String, Object>) document.get("paths");
    }

    @Override
    @SuppressWarnings("unchecked")
    public Map<String, Object> schemas() {
        return (Map<String, Object>) document.get("schemas");
    }
}
