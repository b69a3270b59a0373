package io.cachet.web.internal;

import java.util.List;
import java.util.Map;

import org.osgi.service.component.annotations.Component;

import io.cachet.api.rest.OpenApiContribution;

/** {@code GET /api/v1/health} in the API's description. */
@Component(service = OpenApiContribution.class)
public class HealthOpenApi implements OpenApiContribution {

    @Override
    public Map<String, Object> paths() {
        return Map.of("/health", Map.of("get", Map.of(
                "summary", "The full health report: bundles, components and every health check with its detail",
                "description", "For operators. The public GET /health (outside the API) only says "
                        + "{\"status\":\"UP\"} or DOWN, with 200 or 503.",
                "tags", List.of("health"),
                "responses", Map.of(
                        "200", Map.of("description", "Cachet is healthy; the report"),
                        "401", Map.of("description", "No valid API key"),
                        "503", Map.of("description", "Something is missing or unhealthy; the report names it")))));
    }
}
