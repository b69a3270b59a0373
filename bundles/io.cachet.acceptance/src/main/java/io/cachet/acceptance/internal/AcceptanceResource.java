package io.cachet.acceptance.internal;

import java.time.Instant;
import java.util.List;

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
import jakarta.ws.rs.core.Response;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import io.cachet.api.acceptance.AcceptanceRecord;
import io.cachet.api.acceptance.PersonAcceptance;
import io.cachet.api.order.OrderRole;
import io.cachet.api.rest.ApiException;
import io.cachet.api.rest.RestApi;

/**
 * {@code /api/v1/acceptance/{orderId}}: where an order's acceptance stands, and its form with the signatures made so
 * far ({@code /form}, a PDF) for operators and auditors.
 */
@Component(service = AcceptanceResource.class)
@JakartarsResource
@JakartarsApplicationSelect(RestApi.APPLICATION_SELECT)
@Path("/acceptance")
@Tag(name = "acceptance", description = "Online acceptance of orders by their persons")
public class AcceptanceResource {

    private final AcceptancesComponent acceptances;

    @Activate
    public AcceptanceResource(@Reference AcceptancesComponent acceptances) {
        this.acceptances = acceptances;
    }

    @Schema(name = "PersonAcceptance", description = "One person's acceptance")
    public record PersonView(List<String> roles, String name, String maskedMobile,
            @Schema(allowableValues = { "WAITING", "LOCKED", "ACCEPTED" }) String status,
            @Schema(format = "date-time") String acceptedAt) {
        static PersonView of(PersonAcceptance p) {
            return new PersonView(p.roles().stream().sorted().map(OrderRole::id).toList(), p.name(), p.maskedMobile(),
                    p.status(), text(p.acceptedAt()));
        }
    }

    @Schema(name = "Acceptance", description = "An order's acceptance")
    public record AcceptanceView(String orderId, String language, boolean complete,
            @Schema(format = "date-time") String completedAt, List<PersonView> persons, String form) {
        static AcceptanceView of(AcceptanceRecord r) {
            return new AcceptanceView(r.orderId(), r.language(), r.complete(), text(r.completedAt()),
                    r.persons().stream().map(PersonView::of).toList(),
                    RestApi.BASE_PATH + "/acceptance/" + r.orderId() + "/form");
        }
    }

    @GET
    @Path("/{orderId}")
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed({ RestApi.ROLE_ADMIN, RestApi.ROLE_OPERATOR, RestApi.ROLE_RA_OFFICER, RestApi.ROLE_SUPPORT,
        RestApi.ROLE_AUDITOR })
    @Operation(summary = "Where an order's acceptance stands")
    @ApiResponse(responseCode = "200", description = "The acceptance",
            content = @Content(schema = @Schema(implementation = AcceptanceView.class)))
    @ApiResponse(responseCode = "404", description = "No acceptance for this order (unknown, or not yet in ACCEPTANCE)")
    public Response read(@PathParam("orderId") String orderId) {
        AcceptanceRecord r = acceptances.forOrder(orderId).orElseThrow(() -> notFound(orderId));
        return Response.ok(AcceptanceView.of(r)).header("Cache-Control", "no-store").build();
    }

    @GET
    @Path("/{orderId}/form")
    @Produces("application/pdf")
    @RolesAllowed({ RestApi.ROLE_ADMIN, RestApi.ROLE_OPERATOR, RestApi.ROLE_RA_OFFICER, RestApi.ROLE_AUDITOR })
    @Operation(summary = "The acceptance form with every signature made so far (PDF/A-2b, PAdES-B-LT)")
    @ApiResponse(responseCode = "200", description = "The form", content = @Content(mediaType = "application/pdf",
            schema = @Schema(type = "string", format = "binary")))
    @ApiResponse(responseCode = "404", description = "No acceptance for this order")
    public Response form(@PathParam("orderId") String orderId) {
        byte[] pdf = acceptances.service().form(orderId).orElseThrow(() -> notFound(orderId));
        return Response.ok(pdf, "application/pdf").header("Cache-Control", "no-store")
                .header("Content-Disposition", "attachment; filename=\"acceptance-" + orderId + ".pdf\"").build();
    }

    private static ApiException notFound(String orderId) {
        return new ApiException(404, "not_found", "No acceptance for order " + orderId
                + ": unknown, or not yet in ACCEPTANCE.");
    }

    private static String text(Instant t) {
        return t == null ? null : t.toString();
    }
}
