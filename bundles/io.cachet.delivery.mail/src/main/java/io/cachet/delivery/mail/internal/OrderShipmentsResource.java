package io.cachet.delivery.mail.internal;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsApplicationSelect;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsResource;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import io.cachet.api.rest.RestApi;
import io.cachet.delivery.mail.internal.ShipmentViews.ShipmentList;

/** {@code /api/v1/orders/{id}/shipments}: an order's letters, oldest first (a lost one, then its replacement). */
@Component(service = OrderShipmentsResource.class)
@JakartarsResource
@JakartarsApplicationSelect(RestApi.APPLICATION_SELECT)
@Path("/orders/{orderId}/shipments")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "shipments", description = "Registered-mail shipments of tokens")
public class OrderShipmentsResource {

    private final ShipmentService service;

    @Activate
    public OrderShipmentsResource(@Reference ShipmentsComponent shipments) {
        this(shipments.service());
    }

    OrderShipmentsResource(ShipmentService service) {
        this.service = service;
    }

    @GET
    @RolesAllowed({ RestApi.ROLE_ADMIN, RestApi.ROLE_OPERATOR, RestApi.ROLE_SUPPORT, RestApi.ROLE_AUDITOR })
    @Operation(summary = "The order's shipments, oldest first (an empty list when none was prepared)")
    @ApiResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = ShipmentList.class)))
    public ShipmentList list(@PathParam("orderId") String orderId) {
        return ShipmentList.of(service.forOrder(orderId));
    }
}
