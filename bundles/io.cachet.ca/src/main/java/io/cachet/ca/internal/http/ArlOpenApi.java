package io.cachet.ca.internal.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

import org.osgi.service.component.annotations.Component;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.cachet.api.rest.OpenApiContribution;

/** The {@code /ca/arl} paths of the OpenAPI description; kept as JSON beside this class. */
@Component(service = OpenApiContribution.class)
public class ArlOpenApi implements OpenApiContribution {

    private final Map<String, Object> document;

    public ArlOpenApi() {
        try (InputStream in = ArlOpenApi.class.getResourceAsStream("openapi-arl.json")) {
            if (in == null) {
                throw new IllegalStateException("openapi-arl.json is missing from the bundle");
            }
            document = new ObjectMapper().readValue(in, new TypeReference<Map<String, Object>>() { });
        } catch (IOException e) {
            throw new UncheckedIOException("openapi-arl.json cannot be read", e);
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
