package io.cachet.delivery.mail.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsApplicationSelect;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsResource;

import com.fasterxml.jackson.annotation.JsonInclude;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import io.cachet.api.delivery.DeliveryException;
import io.cachet.api.rest.ApiException;
import io.cachet.api.rest.BodyLimit;
import io.cachet.api.rest.RestApi;

/**
 * {@code POST /api/v1/carriers/{carrierId}/events}: a carrier integration's status reports. No API key: the installed
 * {@link io.cachet.api.delivery.Carrier} proves the call (its signature or shared secret, over the raw body, read as
 * bytes and never parsed before) and reads it; a call it does not accept is answered 401 and audited
 * ({@code shipment.webhook.refused}).
 */
@Component(service = CarrierWebhookResource.class)
@JakartarsResource
@JakartarsApplicationSelect(RestApi.APPLICATION_SELECT)
@Path("/carriers")
@Tag(name = "shipments", description = "Registered-mail shipments of tokens")
public class CarrierWebhookResource {

    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");

    private final ShipmentService service;

    /** The acknowledgement: the letter moved, or nothing for Cachet in the report (then status alone). */
    @Schema(name = "CarrierEventReceived")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Received(@Schema(allowableValues = { "applied", "ignored" }) String status,
            @Schema(description = "the letter moved (shp_…); absent when ignored") String shipment,
            @Schema(description = "its state now; absent when ignored") String state) {
    }

    @Activate
    public CarrierWebhookResource(@Reference ShipmentsComponent shipments) {
        this(shipments.service());
    }

    CarrierWebhookResource(ShipmentService service) {
        this.service = service;
    }

    @POST
    @Path("{carrierId}/events")
    @PermitAll
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    @BodyLimit(value = 256 * 1024, hint = "a carrier's status report fits in a few KiB")
    @Operation(summary = "A carrier's report on a letter", description = "Checked and read by the carrier's"
            + " integration; the letter with that tracking number moves (DELIVERED, RETURNED, LOST).")
    @ApiResponse(responseCode = "200", description = "Applied, or nothing for Cachet in it",
            content = @Content(schema = @Schema(implementation = Received.class)))
    @ApiResponse(responseCode = "400", description = "The carrier cannot read the body")
    @ApiResponse(responseCode = "401", description = "Not proven to come from the carrier (audited)")
    @ApiResponse(responseCode = "404", description = "No such carrier, or no letter with that tracking number")
    @ApiResponse(responseCode = "409", description = "A move the letter's state does not allow")
    public Response receive(@PathParam("carrierId") String carrierId, @Context HttpHeaders headers, byte[] body) {
        if (carrierId == null || !ID.matcher(carrierId).matches()) {
            throw ApiException.notFound("No such carrier.");
        }
        Map<String, String> h = new LinkedHashMap<>();
        if (headers != null) {
            headers.getRequestHeaders().forEach((k, v) -> h.put(k, v == null || v.isEmpty() ? "" : v.get(0)));
        }
        return receive(carrierId, h, body);
    }

    Response receive(String carrierId, Map<String, String> headers, byte[] body) {
        try {
            ShipmentService.Received r = service.receive(carrierId, headers, body);
            return Response.ok(r.shipment().map(s -> new Received("applied", s.id(), s.state().name()))
                    .orElse(new Received("ignored", null, null))).build();
        } catch (SecurityException e) {
            throw new ApiException(401, "unauthorized", "The call is not proven to come from carrier " + carrierId
                    + ": check the integration's shared secret or signature.");
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("Carrier " + carrierId + " could not read the report: " + e.getMessage());
        } catch (DeliveryException e) {
            throw ShipmentViews.problem(e);
        }
    }
}
