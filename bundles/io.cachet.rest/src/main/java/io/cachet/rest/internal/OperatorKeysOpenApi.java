package io.cachet.rest.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

import org.osgi.service.component.annotations.Component;

import com.fasterxml.jackson.core.type.TypeReference;

import io.cachet.api.rest.OpenApiContribution;

/** The {@code /operators/me/api-keys} paths of the OpenAPI description; kept as JSON beside this class. */
@Component(service = OpenApiContribution.class)
public class OperatorKeysOpenApi implements OpenApiContribution {

    static final String RESOURCE = "openapi-operators.json";
    private final Map<String, Object> document;

    public OperatorKeysOpenApi() {
        try (InputStream in = OperatorKeysOpenApi.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the bundle");
            }
            document = ApiErrors.JSON.readValue(in, new TypeReference<Map<String, Object>>() { });
        } catch (IOException e) {
            throw new UncheckedIOException(RESOURCE + " cannot be read", e);
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
