package io.cachet.delivery.cloud.internal.space;

import java.time.Instant;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsApplicationSelect;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsResource;

import com.fasterxml.jackson.databind.JsonNode;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import io.cachet.api.delivery.DeliveryException;
import io.cachet.api.rest.ApiCaller;
import io.cachet.api.rest.ApiException;
import io.cachet.api.rest.BodyLimit;
import io.cachet.api.rest.RestApi;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;

/**
 * {@code /api/v1/orders/{id}/cloud-space}: where a cloud order's customer space stands, opening it (when the
 * deployment does not open spaces at once), a new password link for its holder, closing its account and reopening
 * it.
 */
@Component(service = SpaceResource.class)
@JakartarsResource
@JakartarsApplicationSelect(RestApi.APPLICATION_SELECT)
@Path("/orders/{id}/cloud-space")
@Produces(MediaType.APPLICATION_JSON)
@BodyLimit(value = 1024, hint = "these calls take no body")
@Tag(name = "cloud delivery", description = "The customer space of cloud orders")
public class SpaceResource {

    private final SpaceService service;

    @Activate
    public SpaceResource(@Reference SpaceComponent space) {
        this(space.service());
    }

    SpaceResource(SpaceService service) {
        this.service = service;
    }

    @GET
    @RolesAllowed({ RestApi.ROLE_ADMIN, RestApi.ROLE_OPERATOR, RestApi.ROLE_SUPPORT, RestApi.ROLE_AUDITOR,
        RestApi.ROLE_RA_OFFICER })
    @Operation(summary = "Where the order's customer space stands", description = "state NOT_OPENED (not opened"
            + " yet), LINK_SENT (the holder has not set their password), ACTIVE or CLOSED (by an operator); email (the"
            + " account's login); linkExpiresAt (the open password link's expiry)")
    @ApiResponse(responseCode = "200", description = "orderId, state, email, openedAt, linkExpiresAt",
            content = @Content(schema = @Schema(implementation = CloudSpace.class)))
    @ApiResponse(responseCode = "404", description = "No such order")
    public Response read(@PathParam("id") String id) {
        return answer(() -> {
            service.find(id);
            return json(service.view(id));
        });
    }

    @POST
    @RolesAllowed({ RestApi.ROLE_ADMIN, RestApi.ROLE_OPERATOR })
    @Operation(summary = "Open the order's customer space now", description = "The account of the Certificate"
            + " Manager's e-mail (made if needed) gets a single-use link to set the password; a holder who already"
            + " has one is told that a new seal is in their space, and the order becomes ACTIVE. Idempotent.")
    @ApiResponse(responseCode = "200", description = "The space, as GET answers it",
            content = @Content(schema = @Schema(implementation = CloudSpace.class)))
    @ApiResponse(responseCode = "404", description = "No such order")
    @ApiResponse(responseCode = "409", description = "A token order, or an order not in DELIVERY")
    public Response open(@Context SecurityContext security, @PathParam("id") String id) {
        String actor = ApiCaller.of(security.getUserPrincipal()).actor();
        return answer(() -> json(service.open(id, actor)));
    }

    @POST
    @Path("link")
    @RolesAllowed({ RestApi.ROLE_ADMIN, RestApi.ROLE_OPERATOR, RestApi.ROLE_SUPPORT })
    @Operation(summary = "E-mail a new password link to the holder", description = "The links sent before stop"
            + " opening. Only while the holder has not set a password (afterwards they use /space/forgot).")
    @ApiResponse(responseCode = "200", description = "The space, with the new link's expiry",
            content = @Content(schema = @Schema(implementation = CloudSpace.class)))
    @ApiResponse(responseCode = "404", description = "No such order")
    @ApiResponse(responseCode = "409", description = "The space is not open, or its holder has a password already")
    public Response link(@Context SecurityContext security, @PathParam("id") String id) {
        String actor = ApiCaller.of(security.getUserPrincipal()).actor();
        return answer(() -> json(service.newLink(id, actor)));
    }

    @POST
    @Path("closure")
    @Consumes(MediaType.APPLICATION_JSON)
    @BodyLimit(value = 4096, hint = "a reason of at most 500 characters fits")
    @RolesAllowed({ RestApi.ROLE_ADMIN, RestApi.ROLE_OPERATOR })
    @Operation(summary = "Close the account holding the order's customer space", description = "For an account that"
            + " must stop at once (its holder left, it may be compromised, the contract ended). The account closes with"
            + " every seal in it (one account per e-mail): its sessions and unused links end, and logins,"
            + " re-authentications (so signatures) and password resets are refused until it is reopened. The holder"
            + " is e-mailed; the reason stays in the audit log. Certificates are not revoked.")
    @ApiResponse(responseCode = "200", description = "The space, state CLOSED",
            content = @Content(schema = @Schema(implementation = CloudSpace.class)))
    @ApiResponse(responseCode = "400", description = "No reason")
    @ApiResponse(responseCode = "404", description = "No such order")
    @ApiResponse(responseCode = "409", description = "The space is not opened, or closed already")
    @RequestBody(required = true, content = @Content(schema = @Schema(implementation = Closure.class)))
    public Response close(@Context SecurityContext security, @PathParam("id") String id,
            @Parameter(hidden = true) JsonNode body) {
        String actor = ApiCaller.of(security.getUserPrincipal()).actor();
        JsonNode reason = body == null ? null : body.get("reason");
        return answer(() -> json(service.close(id, reason == null || !reason.isTextual() ? null : reason.asText(),
                actor)));
    }

    @POST
    @Path("reopening")
    @RolesAllowed({ RestApi.ROLE_ADMIN, RestApi.ROLE_OPERATOR })
    @Operation(summary = "Reopen the closed account holding the order's customer space", description = "Its password"
            + " is dropped (a closed account may have been compromised) and its holder is e-mailed a single-use link"
            + " to set a new one; its second factors stay.")
    @ApiResponse(responseCode = "200", description = "The space, state LINK_SENT",
            content = @Content(schema = @Schema(implementation = CloudSpace.class)))
    @ApiResponse(responseCode = "404", description = "No such order")
    @ApiResponse(responseCode = "409", description = "The space is not opened, or not closed")
    public Response reopen(@Context SecurityContext security, @PathParam("id") String id) {
        String actor = ApiCaller.of(security.getUserPrincipal()).actor();
        return answer(() -> json(service.reopen(id, actor)));
    }

    /** Why the account is closed. */
    @Schema(name = "CloudSpaceClosure")
    public record Closure(@Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "why the account is"
            + " closed, at most 500 characters (kept in the audit log)") String reason) {
    }

    /** Where an order's customer space stands, as the API answers it. */
    @Schema(name = "CloudSpace")
    public record CloudSpace(String orderId,
            @Schema(allowableValues = { "NOT_OPENED", "LINK_SENT", "ACTIVE", "CLOSED" }) String state,
            @Schema(description = "the account's login; null when not opened") String email,
            @Schema(format = "date-time") String openedAt,
            @Schema(format = "date-time", description = "the open password link's expiry; null when none is open")
            String linkExpiresAt) {
    }

    static CloudSpace json(SpaceService.SpaceView v) {
        return new CloudSpace(v.orderId(), v.state().name(), v.email(), text(v.openedAt()), text(v.linkExpiresAt()));
    }

    private static String text(Instant t) {
        return t == null ? null : t.toString();
    }

    private static Response answer(java.util.function.Supplier<Object> call) {
        try {
            return Response.ok(call.get()).header("Cache-Control", "no-store").build();
        } catch (DeliveryException e) {
            throw switch (e.kind()) {
                case INVALID -> ApiException.badRequest(e.getMessage());
                case NOT_FOUND -> ApiException.notFound(e.getMessage());
                case CONFLICT, LOCKED -> ApiException.conflict(e.getMessage());
                case UNAVAILABLE -> new ApiException(503, "unavailable", e.getMessage());
            };
        }
    }
}
