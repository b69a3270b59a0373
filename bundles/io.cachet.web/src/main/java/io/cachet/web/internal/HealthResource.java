package io.cachet.web.internal;

import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsApplicationSelect;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsResource;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import io.cachet.api.rest.RestApi;

/**
 * {@code GET /api/v1/health}: the full health report (bundles, components, every check with its detail) for any
 * operator's API key. The public {@code GET /health} says only up or down.
 */
@Component(service = HealthResource.class)
@JakartarsResource
@JakartarsApplicationSelect(RestApi.APPLICATION_SELECT)
@Path("/health")
@Tag(name = "health", description = "How the server is")
public class HealthResource {

    private final HealthReports reports;

    @Activate
    public HealthResource(@Reference HealthReports reports) {
        this.reports = reports;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The full health report: bundles, components and every health check with its detail",
            description = "For operators. The public GET /health (outside the API) only says {\"status\":\"UP\"} or"
                    + " DOWN, with 200 or 503.")
    @ApiResponse(responseCode = "200", description = "Cachet is healthy; the report", content = @Content(schema =
            @Schema(type = "object")))
    @ApiResponse(responseCode = "401", description = "No valid API key")
    @ApiResponse(responseCode = "503", description = "Something is missing or unhealthy; the report names it",
            content = @Content(schema = @Schema(type = "object")))
    public Response get() {
        HealthReport report = reports.report();
        Map<String, Object> body = report.body();
        return Response.status(report.healthy() ? 200 : 503).entity(body).header("Cache-Control", "no-store").build();
    }
}
