package io.cachet.organisation.internal;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
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

import io.cachet.api.organisation.OrganisationCase;
import io.cachet.api.organisation.OrganisationDocument;
import io.cachet.api.organisation.OrganisationException;
import io.cachet.api.rest.ApiCaller;
import io.cachet.api.rest.ApiException;
import io.cachet.api.rest.BodyLimit;
import io.cachet.api.rest.RestApi;

/**
 * {@code /api/v1/organisation}: the organisation checks for operators. Reading: admin, operator, ra-officer,
 * support, auditor; documents: admin, ra-officer, auditor (each read audited); uploading on the customer's behalf
 * (documents received by post or e-mail): admin, operator, ra-officer; the issue date and the decision: ra-officer
 * (and admin). Refusals are problem+json with the stable {@code code} of {@link OrganisationException}.
 */
@Component(service = OrganisationResource.class)
@JakartarsResource
@JakartarsApplicationSelect(RestApi.APPLICATION_SELECT)
@Path("/organisation")
@Produces(MediaType.APPLICATION_JSON)
@BodyLimit(value = 16 * 1024, hint = "a decision fits in far less")
@Tag(name = "organisation", description = "Organisation checks of orders")
public class OrganisationResource {

    private final OrganisationComponent organisation;

    @Activate
    public OrganisationResource(@Reference OrganisationComponent organisation) {
        this.organisation = organisation;
    }

    @Schema(name = "OrganisationDocument")
    public record DocumentView(String id, @Schema(allowableValues = { "EXTRACT", "MANDATE" }) String kind,
            String fileName, String mediaType, long size, String sha256,
            @Schema(format = "date-time") String uploadedAt) {
        static DocumentView of(OrganisationDocument d) {
            return new DocumentView(d.id(), d.kind(), d.fileName(), d.mediaType(), d.size(), d.sha256(),
                    d.uploadedAt() == null ? null : d.uploadedAt().toString());
        }
    }

    @Schema(name = "OrganisationCase", description = "The organisation check of one order")
    public record CaseView(@Schema(description = "org_…") String id, String orderId,
            @Schema(allowableValues = { "AWAITING_DOCUMENTS", "IN_REVIEW", "APPROVED", "REJECTED" }) String status,
            List<DocumentView> documents,
            @Schema(description = "check name -> PASSED|FAILED|UNKNOWN: detail") Map<String, String> checks,
            @Schema(allowableValues = { "EXTRACT", "MANDATE" }) String legalRepresentativeBasis,
            @Schema(format = "date") String extractIssued, String decidedBy,
            @Schema(format = "date-time") String decidedAt, String reason) {
        static CaseView of(OrganisationCase k) {
            return new CaseView(k.id(), k.orderId(), k.status(), k.documents().stream().map(DocumentView::of).toList(),
                    k.checks(), k.legalRepresentativeBasis(), k.extractIssued() == null ? null
                            : k.extractIssued().toString(), k.decidedBy(),
                    k.decidedAt() == null ? null : k.decidedAt().toString(), k.reason());
        }
    }

    @Schema(name = "OrganisationCases")
    public record CasesView(List<CaseView> cases) {
    }

    @Schema(name = "OrganisationDecision")
    public record DecisionView(@Schema(description = "true to approve, false to reject") boolean approve,
            @Schema(allowableValues = { "EXTRACT", "MANDATE" }, description = "what names the legal representative;"
                + " required to approve") String legalRepresentativeBasis,
            @Schema(description = "required to reject; shown to the customer") String reason) {
    }

    @Schema(name = "OrganisationExtractDate")
    public record ExtractDateView(@Schema(format = "date") String issued) {
    }

    @GET
    @Path("cases")
    @RolesAllowed({ RestApi.ROLE_ADMIN, RestApi.ROLE_OPERATOR, RestApi.ROLE_RA_OFFICER, RestApi.ROLE_SUPPORT,
        RestApi.ROLE_AUDITOR })
    @Operation(summary = "The case of an order, or the review queue", description = "With 'order': that order's"
            + " case (an empty list when none was opened). Without: the cases waiting for a decision, longest waiting"
            + " first.")
    @ApiResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = CasesView.class)))
    public CasesView cases(@Parameter(description = "an order id") @QueryParam("order") String order,
            @Parameter(description = "1 to 500, for the queue") @QueryParam("limit") @DefaultValue("100") int limit) {
        if (limit < 1 || limit > 500) {
            throw ApiException.badRequest("Parameter 'limit' must be 1 to 500.");
        }
        if (order != null && !order.isBlank()) {
            return new CasesView(organisation.forOrder(order.strip()).map(CaseView::of).stream().toList());
        }
        return new CasesView(organisation.queue(limit).stream().map(CaseView::of).toList());
    }

    @GET
    @Path("cases/{id}")
    @RolesAllowed({ RestApi.ROLE_ADMIN, RestApi.ROLE_OPERATOR, RestApi.ROLE_RA_OFFICER, RestApi.ROLE_SUPPORT,
        RestApi.ROLE_AUDITOR })
    @Operation(summary = "An organisation case")
    @ApiResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = CaseView.class)))
    @ApiResponse(responseCode = "404", description = "No such case")
    public CaseView get(@PathParam("id") String id) {
        return CaseView.of(organisation.find(id).orElseThrow(() -> ApiException.notFound("No organisation case " + id
                + ".")));
    }

    @GET
    @Path("cases/{id}/documents/{document}")
    @Produces({ "application/pdf", "image/jpeg", "image/png", MediaType.APPLICATION_JSON })
    @RolesAllowed({ RestApi.ROLE_ADMIN, RestApi.ROLE_RA_OFFICER, RestApi.ROLE_AUDITOR })
    @Operation(summary = "A document of the case, decrypted (the read is audited)")
    @ApiResponse(responseCode = "200", description = "The document as uploaded", content = {
        @Content(mediaType = "application/pdf", schema = @Schema(type = "string", format = "binary")),
        @Content(mediaType = "image/jpeg", schema = @Schema(type = "string", format = "binary")),
        @Content(mediaType = "image/png", schema = @Schema(type = "string", format = "binary")) })
    @ApiResponse(responseCode = "404", description = "No such case or document")
    public Response document(@Context SecurityContext security, @PathParam("id") String id,
            @PathParam("document") String document) {
        OrganisationCase k = organisation.find(id).orElseThrow(() -> ApiException.notFound("No organisation case "
                + id + "."));
        Optional<OrganisationDocument> d = k.documents().stream().filter(x -> x.id().equals(document)).findFirst();
        if (d.isEmpty()) {
            throw ApiException.notFound("No such document.");
        }
        try {
            byte[] content = organisation.service().document(id, document, ApiCaller.of(security.getUserPrincipal())
                    .actor());
            return Response.ok(content, d.get().mediaType()).header("Cache-Control", "no-store")
                    .header("Content-Disposition", "attachment; filename=\"" + d.get().id() + extension(d.get())
                            + "\"").build();
        } catch (OrganisationException e) {
            throw problem(e);
        }
    }

    @POST
    @Path("cases/{id}/documents")
    @Consumes({ "application/pdf", "image/jpeg", "image/png", MediaType.APPLICATION_OCTET_STREAM })
    @BodyLimit(value = 50 * 1024 * 1024, hint = "the configured upload limit applies (10 MB by default)")
    @RolesAllowed({ RestApi.ROLE_ADMIN, RestApi.ROLE_OPERATOR, RestApi.ROLE_RA_OFFICER })
    @Operation(summary = "Add a document received from the customer", description = "The same checks as the"
            + " customer's upload page: PDF, JPEG or PNG by its bytes, size limit, an extract older than the allowed"
            + " age or for another organisation refused (problem+json with 'code'). Audited with the caller.")
    @ApiResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = CaseView.class)))
    @ApiResponse(responseCode = "400", description = "Refused: code file.type, file.too-large, extract.too-old,"
            + " extract.other-organisation, …")
    @ApiResponse(responseCode = "409", description = "The order has left verification, or the case was approved")
    @RequestBody(required = true, description = "The file's bytes; its type is told by its bytes, not by the"
            + " Content-Type", content = {
                @Content(mediaType = "application/pdf", schema = @Schema(type = "string", format = "binary")),
                @Content(mediaType = "image/jpeg", schema = @Schema(type = "string", format = "binary")),
                @Content(mediaType = "image/png", schema = @Schema(type = "string", format = "binary")),
                @Content(mediaType = MediaType.APPLICATION_OCTET_STREAM, schema = @Schema(type = "string",
                        format = "binary")) })
    public CaseView upload(@Context SecurityContext security, @PathParam("id") String id,
            @Parameter(description = "EXTRACT or MANDATE") @QueryParam("kind") @DefaultValue("EXTRACT") String kind,
            @Parameter(description = "the file's name, for display") @QueryParam("fileName") String fileName,
            @Parameter(hidden = true) byte[] body) {
        OrganisationCase k = organisation.find(id).orElseThrow(() -> ApiException.notFound("No organisation case "
                + id + "."));
        try {
            return CaseView.of(organisation.upload(k.orderId(), kind == null ? null : kind.strip()
                    .toUpperCase(java.util.Locale.ROOT), fileName == null ? "document" : fileName, body,
                    ApiCaller.of(security.getUserPrincipal()).actor()));
        } catch (OrganisationException e) {
            throw problem(e);
        }
    }

    @POST
    @Path("cases/{id}/extract-date")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({ RestApi.ROLE_ADMIN, RestApi.ROLE_RA_OFFICER })
    @Operation(summary = "Record the extract's issue date read on the document")
    @RequestBody(required = true, content = @Content(schema = @Schema(implementation = ExtractDateView.class)))
    @ApiResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = CaseView.class)))
    @ApiResponse(responseCode = "400", description = "No date, not a date, or in the future")
    @ApiResponse(responseCode = "409", description = "The case is not waiting for a decision")
    public CaseView extractDate(@Context SecurityContext security, @PathParam("id") String id,
            @Parameter(hidden = true) JsonNode body) {
        String value = body == null ? "" : body.path("issued").asText("");
        LocalDate issued;
        try {
            issued = LocalDate.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw new ApiException(400, "invalid_request", "'issued' must be a date, e.g. 2026-11-20.",
                    Map.of("code", "extract.date-missing"));
        }
        try {
            return CaseView.of(organisation.recordExtractDate(id, issued, ApiCaller.of(security.getUserPrincipal())
                    .actor()));
        } catch (OrganisationException e) {
            throw problem(e);
        }
    }

    @POST
    @Path("cases/{id}/decision")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({ RestApi.ROLE_ADMIN, RestApi.ROLE_RA_OFFICER })
    @Operation(summary = "Approve or reject a case under review", description = "Approving needs"
            + " legalRepresentativeBasis (EXTRACT or MANDATE, the latter with a mandate uploaded) and a known extract"
            + " issue date less than the allowed age; it passes the order's 'organisation' check. Rejecting needs a"
            + " reason, e-mailed to the customer, who may upload again; the check fails meanwhile.")
    @RequestBody(required = true, content = @Content(schema = @Schema(implementation = DecisionView.class)))
    @ApiResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = CaseView.class)))
    @ApiResponse(responseCode = "400", description = "code basis.missing, basis.no-mandate, extract.date-missing,"
            + " extract.too-old, reason.missing")
    @ApiResponse(responseCode = "404", description = "No such case")
    @ApiResponse(responseCode = "409", description = "code case.not-in-review")
    public CaseView decide(@Context SecurityContext security, @PathParam("id") String id,
            @Parameter(hidden = true) JsonNode body) {
        if (body == null || !body.path("approve").isBoolean()) {
            throw new ApiException(400, "invalid_request", "'approve' (true or false) is required.",
                    Map.of("code", "decision.approve"));
        }
        try {
            return CaseView.of(organisation.decide(id, body.path("approve").asBoolean(),
                    text(body, "legalRepresentativeBasis"), text(body, "reason"),
                    ApiCaller.of(security.getUserPrincipal()).actor()));
        } catch (OrganisationException e) {
            throw problem(e);
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

    private static String extension(OrganisationDocument d) {
        return switch (d.mediaType()) {
            case "application/pdf" -> ".pdf";
            case "image/jpeg" -> ".jpg";
            default -> ".png";
        };
    }

    static ApiException problem(OrganisationException e) {
        int status = switch (e.reason()) {
            case INVALID -> 400;
            case NOT_FOUND -> 404;
            case CONFLICT -> 409;
        };
        String error = switch (e.reason()) {
            case INVALID -> "invalid_request";
            case NOT_FOUND -> "not_found";
            case CONFLICT -> "conflict";
        };
        return new ApiException(status, error, e.getMessage(), Map.of("code", e.code()));
    }
}
