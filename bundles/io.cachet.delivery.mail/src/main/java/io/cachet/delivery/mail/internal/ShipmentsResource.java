package io.cachet.delivery.mail.internal;

import java.util.Locale;
import java.util.Optional;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsApplicationSelect;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsResource;

import com.fasterxml.jackson.databind.JsonNode;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import io.cachet.api.delivery.DeliveryException;
import io.cachet.api.delivery.Shipment;
import io.cachet.api.delivery.ShipmentState;
import io.cachet.api.delivery.Shipments.Receipt;
import io.cachet.api.rest.ApiCaller;
import io.cachet.api.rest.ApiException;
import io.cachet.api.rest.BodyLimit;
import io.cachet.api.rest.RestApi;
import io.cachet.delivery.mail.internal.ShipmentViews.MoveRequest;
import io.cachet.delivery.mail.internal.ShipmentViews.ShipmentList;
import io.cachet.delivery.mail.internal.ShipmentViews.ShipmentView;

/**
 * {@code /api/v1/shipments}: the registered letters carrying tokens. Reading: admin, operator, support, auditor;
 * moving a letter and attaching its receipt: admin, operator (audited with the caller). Refusals are problem+json.
 */
@Component(service = ShipmentsResource.class)
@JakartarsResource
@JakartarsApplicationSelect(RestApi.APPLICATION_SELECT)
@Path("/shipments")
@Produces(MediaType.APPLICATION_JSON)
@BodyLimit(value = 16 * 1024, hint = "a state change fits in far less")
@Tag(name = "shipments", description = "Registered-mail shipments of tokens")
public class ShipmentsResource {


    private final ShipmentService service;

    @Activate
    public ShipmentsResource(@Reference ShipmentsComponent shipments) {
        this(shipments.service());
    }

    ShipmentsResource(ShipmentService service) {
        this.service = service;
    }

    @GET
    @RolesAllowed({ RestApi.ROLE_ADMIN, RestApi.ROLE_OPERATOR, RestApi.ROLE_SUPPORT, RestApi.ROLE_AUDITOR })
    @Operation(summary = "Shipments in a state, or the latest", description = "With 'state': those in it, oldest"
            + " first (the work queue). Without: the latest shipments, newest first.")
    @ApiResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = ShipmentList.class)))
    @ApiResponse(responseCode = "400", description = "An unknown state or a limit out of range")
    public ShipmentList list(@Parameter(description = "PREPARED, SENT, DELIVERED, RETURNED or LOST")
            @QueryParam("state") String state,
            @Parameter(description = "1 to 1000") @QueryParam("limit") @DefaultValue("200") int limit) {
        if (limit < 1 || limit > 1000) {
            throw ApiException.badRequest("Parameter 'limit' must be 1 to 1000.");
        }
        if (state == null || state.isBlank()) {
            return ShipmentList.of(service.latest(limit));
        }
        return ShipmentList.of(service.inState(state(state), limit));
    }

    @GET
    @Path("{id}")
    @RolesAllowed({ RestApi.ROLE_ADMIN, RestApi.ROLE_OPERATOR, RestApi.ROLE_SUPPORT, RestApi.ROLE_AUDITOR })
    @Operation(summary = "A shipment")
    @ApiResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = ShipmentView.class)))
    @ApiResponse(responseCode = "404", description = "No such shipment")
    public ShipmentView get(@PathParam("id") String id) {
        return ShipmentView.of(found(id));
    }

    @POST
    @Path("{id}/state")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({ RestApi.ROLE_ADMIN, RestApi.ROLE_OPERATOR })
    @Operation(summary = "Report where the letter stands", description = "PREPARED -> SENT (with the tracking number)"
            + " -> DELIVERED, RETURNED or LOST (LOST also from PREPARED). The same state again changes nothing. A LOST"
            + " token's certificate is revoked and its provisioning reopened by the token delivery.")
    @RequestBody(required = true, content = @Content(schema = @Schema(implementation = MoveRequest.class)))
    @ApiResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = ShipmentView.class)))
    @ApiResponse(responseCode = "400", description = "No or an unknown state, a missing or malformed tracking number,"
            + " a note over 500 characters")
    @ApiResponse(responseCode = "404", description = "No such shipment")
    @ApiResponse(responseCode = "409", description = "A move the letter's state does not allow")
    public ShipmentView move(@Context SecurityContext security, @PathParam("id") String id,
            @Parameter(hidden = true) JsonNode body) {
        if (body == null || !body.path("state").isTextual()) {
            throw ApiException.badRequest("'state' is required: SENT, DELIVERED, RETURNED or LOST.");
        }
        ShipmentState to = state(body.path("state").asText());
        try {
            return ShipmentView.of(service.move(id, to, text(body, "trackingNumber"), text(body, "note"),
                    ApiCaller.of(security.getUserPrincipal()).actor()));
        } catch (DeliveryException e) {
            throw ShipmentViews.problem(e);
        }
    }

    @GET
    @Path("{id}/label")
    @Produces({ "application/pdf", MediaType.APPLICATION_JSON })
    @RolesAllowed({ RestApi.ROLE_ADMIN, RestApi.ROLE_OPERATOR, RestApi.ROLE_SUPPORT, RestApi.ROLE_AUDITOR })
    @Operation(summary = "The printable label and cover letter (PDF, A4, for a DL window envelope)")
    @ApiResponse(responseCode = "200", description = "The PDF", content = @Content(mediaType = "application/pdf",
            schema = @Schema(type = "string", format = "binary")))
    @ApiResponse(responseCode = "400", description = "A language other than fr or en")
    @ApiResponse(responseCode = "404", description = "No such shipment")
    public Response label(@PathParam("id") String id,
            @Parameter(description = "fr or en; default: the order's language") @QueryParam("lang") String lang) {
        try {
            byte[] pdf = service.label(id, lang);
            return Response.ok(pdf, "application/pdf").header("Cache-Control", "no-store")
                    .header("Content-Disposition", "inline; filename=\"label-" + id + ".pdf\"").build();
        } catch (DeliveryException e) {
            throw ShipmentViews.problem(e);
        }
    }

    @PUT
    @Path("{id}/receipt")
    @Consumes({ "application/pdf", "image/jpeg", "image/png", MediaType.APPLICATION_OCTET_STREAM })
    @BodyLimit(value = 50 * 1024 * 1024, hint = "the configured receipt limit applies (5 MB by default)")
    @RolesAllowed({ RestApi.ROLE_ADMIN, RestApi.ROLE_OPERATOR })
    @Operation(summary = "Attach the scan of the signed acknowledgement of receipt", description = "PDF, JPEG or PNG,"
            + " told by its bytes; stored encrypted; replaces an earlier scan. Audited with the caller.")
    @ApiResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = ShipmentView.class)))
    @ApiResponse(responseCode = "400", description = "Empty, over the limit, or not a PDF, JPEG or PNG")
    @ApiResponse(responseCode = "404", description = "No such shipment")
    @RequestBody(required = true, description = "The file's bytes; its type is told by its bytes, not by the"
            + " Content-Type", content = {
                @Content(mediaType = "application/pdf", schema = @Schema(type = "string", format = "binary")),
                @Content(mediaType = "image/jpeg", schema = @Schema(type = "string", format = "binary")),
                @Content(mediaType = "image/png", schema = @Schema(type = "string", format = "binary")),
                @Content(mediaType = MediaType.APPLICATION_OCTET_STREAM, schema = @Schema(type = "string",
                        format = "binary")) })
    public ShipmentView attach(@Context SecurityContext security, @PathParam("id") String id,
            @Parameter(hidden = true) byte[] body) {
        try {
            return ShipmentView.of(service.attachReceipt(id, body, ApiCaller.of(security.getUserPrincipal())
                    .actor()));
        } catch (DeliveryException e) {
            throw ShipmentViews.problem(e);
        }
    }

    @GET
    @Path("{id}/receipt")
    @Produces({ "application/pdf", "image/jpeg", "image/png", MediaType.APPLICATION_JSON })
    @RolesAllowed({ RestApi.ROLE_ADMIN, RestApi.ROLE_OPERATOR, RestApi.ROLE_SUPPORT, RestApi.ROLE_AUDITOR })
    @Operation(summary = "The scan of the acknowledgement of receipt, decrypted (the read is audited)")
    @ApiResponse(responseCode = "200", description = "The scan as attached", content = {
        @Content(mediaType = "application/pdf", schema = @Schema(type = "string", format = "binary")),
        @Content(mediaType = "image/jpeg", schema = @Schema(type = "string", format = "binary")),
        @Content(mediaType = "image/png", schema = @Schema(type = "string", format = "binary")) })
    @ApiResponse(responseCode = "404", description = "No such shipment, or no receipt attached yet")
    public Response receipt(@Context SecurityContext security, @PathParam("id") String id) {
        Optional<Receipt> r;
        try {
            r = service.receipt(id, ApiCaller.of(security.getUserPrincipal()).actor());
        } catch (DeliveryException e) {
            throw ShipmentViews.problem(e);
        }
        if (r.isEmpty()) {
            throw ApiException.notFound("Shipment " + id + " has no receipt attached yet.");
        }
        String ext = switch (r.get().mediaType()) {
            case "application/pdf" -> ".pdf";
            case "image/jpeg" -> ".jpg";
            default -> ".png";
        };
        return Response.ok(r.get().content(), r.get().mediaType()).header("Cache-Control", "no-store")
                .header("Content-Disposition", "attachment; filename=\"receipt-" + id + ext + "\"").build();
    }

    private Shipment found(String id) {
        return service.find(id).orElseThrow(() -> ApiException.notFound("No shipment " + id + "."));
    }

    static ShipmentState state(String value) {
        try {
            return ShipmentState.valueOf(value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("Unknown shipment state '" + value + "': PREPARED, SENT, DELIVERED, RETURNED"
                    + " or LOST.");
        }
    }

    /** A text field, null when absent or null; a value of another type is the caller's mistake, said so. */
    private static String text(JsonNode body, String field) {
        JsonNode n = body.path(field);
        if (n.isMissingNode() || n.isNull()) {
            return null;
        }
        if (!n.isTextual()) {
            throw ApiException.badRequest("Field '" + field + "' must be a string.");
        }
        return n.asText();
    }
}
