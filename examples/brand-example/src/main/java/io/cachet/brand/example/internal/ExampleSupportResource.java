package io.cachet.brand.example.internal;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsApplicationSelect;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsResource;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import io.cachet.api.rest.ApiCaller;
import io.cachet.api.rest.RestApi;

/**
 * What a reseller can add to Cachet's REST API without touching Cachet: a resource of its own under
 * {@code /api/v1}, here {@code GET /api/v1/example/support}. It joins Cachet's application by its select filter,
 * is authenticated like every API call (any operator's key), answers JSON through Cachet's provider and shows in
 * {@code /api/v1/openapi.json} while the bundle is installed.
 */
@Component(service = ExampleSupportResource.class)
@JakartarsResource
@JakartarsApplicationSelect(RestApi.APPLICATION_SELECT)
@Path("/example/support")
@Tag(name = "example", description = "Added by the example reseller's bundle")
public class ExampleSupportResource {

    /** The reseller's support desk, and who asked. */
    public record Support(String reseller, String email, String askedBy) {
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The example reseller's support desk")
    @ApiResponse(responseCode = "200", description = "Where the reseller's customers get help")
    @ApiResponse(responseCode = "401", description = "No valid API key")
    public Support support(@Context SecurityContext security) {
        ApiCaller caller = ApiCaller.of(security.getUserPrincipal());
        return new Support("Example Trust Services", "support@example.test", caller.getName());
    }
}
