package io.cachet.api.rest;

import java.util.Map;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A piece of the OpenAPI 3.0 description served at {@code /api/v1/openapi.json}, registered by the bundle
 * that serves those paths. When the bundle goes, its paths leave the description.
 */
@ConsumerType
public interface OpenApiContribution {

    /** OpenAPI {@code paths} entries, keyed by path relative to {@code /api/v1}, e.g. {@code /certificates}. */
    Map<String, Object> paths();

    /** OpenAPI {@code components.schemas} entries this contribution refers to. */
    default Map<String, Object> schemas() {
        return Map.of();
    }
}
