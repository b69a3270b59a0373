package io.cachet.evidence.internal;

import java.io.IOException;
import java.io.InputStream;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsApplicationSelect;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsResource;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import io.cachet.api.issuance.EvidenceInfo;
import io.cachet.api.issuance.IssuanceException;
import io.cachet.api.rest.ApiCaller;
import io.cachet.api.rest.ApiException;
import io.cachet.api.rest.RestApi;

/** {@code /api/v1/orders/{id}/evidence}: the order's sealed evidence file, what is known of it, a new archive time-stamp. */
@Component(service = EvidenceResource.class)
@JakartarsResource
@JakartarsApplicationSelect(RestApi.APPLICATION_SELECT)
@Path("/orders/{id}/evidence")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "orders", description = "Orders of seal certificates")
public class EvidenceResource {
    private final EvidenceComponent evidence;

    @Activate
    public EvidenceResource(@Reference EvidenceComponent evidence) {
        this.evidence = evidence;
    }

    @Schema(name = "EvidenceInfo", description = "What is known of an order's evidence file")
    public record InfoView(String orderId, String fileName, long size, String sha256,
            @Schema(description = "the attachments, in the cover page's order") java.util.List<String> sections,
            @Schema(description = "what could not be included, and why") java.util.List<String> missing,
            @Schema(format = "date-time") String createdAt, @Schema(format = "date-time") String timestampedAt,
            @Schema(format = "date-time", description = "end of the newest archive time-stamp's TSA certificate")
            String timestampValidUntil, int timestamps) {
        static InfoView of(EvidenceInfo i) {
            return new InfoView(i.orderId(), i.fileName(), i.size(), i.sha256(), i.sections(), i.missing(),
                    i.createdAt().toString(), i.timestampedAt().toString(),
                    i.timestampValidUntil().map(Object::toString).orElse(null), i.timestamps());
        }
    }

    @GET
    @Produces("application/pdf")
    @RolesAllowed({ RestApi.ROLE_ADMIN, RestApi.ROLE_OPERATOR, RestApi.ROLE_AUDITOR })
    @Operation(summary = "The order's evidence file", description = "A PDF sealed by the platform at PAdES-LTA, with"
            + " the order, identity and organisation records, the signed acceptance form, the certificate and the audit"
            + " records as attachments. Each download is audited. 404 until it is made (after issuance).")
    @ApiResponse(responseCode = "200", description = "The evidence file (PDF)", content = @Content(
            mediaType = "application/pdf", schema = @Schema(type = "string", format = "binary")))
    public Response download(@Context SecurityContext security, @PathParam("id") String id) {
        ApiCaller caller = ApiCaller.of(security.getUserPrincipal());
        byte[] pdf;
        try (InputStream in = evidence.service().open(id, caller.actor())) {
            pdf = in.readAllBytes();
        } catch (IssuanceException e) {
            throw problem(e);
        } catch (IOException e) {
            throw new ApiException(503, "unavailable", "The evidence file cannot be read now; try again later.");
        }
        return Response.ok(pdf, "application/pdf").header("Content-Disposition", "attachment; filename=\"evidence-"
                + id.replaceAll("[^A-Za-z0-9_-]", "") + ".pdf\"").header("Cache-Control", "no-store").build();
    }

    @GET
    @Path("/info")
    @RolesAllowed({ RestApi.ROLE_ADMIN, RestApi.ROLE_OPERATOR, RestApi.ROLE_AUDITOR })
    @Operation(summary = "What is known of the order's evidence file")
    @ApiResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = InfoView.class)))
    public Response info(@PathParam("id") String id) {
        EvidenceInfo i = evidence.find(id).orElseThrow(() -> {
            String pending = evidence.service().pendingError(id);
            return ApiException.notFound("Order " + (id.length() > 40 ? id.substring(0, 40) + "…" : id)
                    + (pending == null ? " has no evidence file (it is made once its certificate is issued)."
                            : " has no evidence file yet: it is being made (" + pending + ")."));
        });
        return Response.ok(InfoView.of(i)).header("Cache-Control", "no-store").build();
    }

    @POST
    @Path("/timestamp")
    @RolesAllowed({ RestApi.ROLE_ADMIN, RestApi.ROLE_OPERATOR })
    @Operation(summary = "Add an archive time-stamp now", description = "PAdES-LTA augmentation: the signatures are"
            + " not made again; the new version replaces the stored one.")
    @ApiResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = InfoView.class)))
    public Response timestamp(@Context SecurityContext security, @PathParam("id") String id) {
        ApiCaller caller = ApiCaller.of(security.getUserPrincipal());
        try {
            return Response.ok(InfoView.of(evidence.service().timestamp(id, caller.actor())))
                    .header("Cache-Control", "no-store").build();
        } catch (IssuanceException e) {
            throw problem(e);
        }
    }

    private static ApiException problem(IssuanceException e) {
        return switch (e.kind()) {
        case INVALID -> ApiException.badRequest(e.getMessage());
        case NOT_FOUND -> ApiException.notFound(e.getMessage());
        case CONFLICT -> ApiException.conflict(e.getMessage());
        case UNAVAILABLE -> new ApiException(503, "unavailable", e.getMessage());
        };
    }
}
