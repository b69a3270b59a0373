package io.cachet.issuance.internal;

import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.Optional;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsApplicationSelect;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsResource;

import com.fasterxml.jackson.databind.JsonNode;

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

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import io.cachet.api.ca.IssuedCertificate;
import io.cachet.api.issuance.Issuance;
import io.cachet.api.issuance.IssuanceException;
import io.cachet.api.rest.ApiCaller;
import io.cachet.api.rest.ApiException;
import io.cachet.api.rest.BodyLimit;
import io.cachet.api.rest.RestApi;

/**
 * {@code /api/v1/orders/{id}/certificate}: where an order's issuance stands and its certificate (operators), and the
 * token path: the certification request made on the order's token, from which the certificate is issued.
 */
@Component(service = CertificateResource.class)
@JakartarsResource
@JakartarsApplicationSelect(RestApi.APPLICATION_SELECT)
@Path("/orders/{id}/certificate")
@Produces(MediaType.APPLICATION_JSON)
@BodyLimit(value = CertificateResource.MAX_BODY, hint = "a certification request fits in far less")
@Tag(name = "orders", description = "Orders of seal certificates")
public class CertificateResource {
    static final int MAX_BODY = 32 * 1024;

    private final IssuanceComponent issuance;

    @Activate
    public CertificateResource(@Reference IssuanceComponent issuance) {
        this.issuance = issuance;
    }

    @Schema(name = "OrderCertificate", description = "Where the order's issuance stands, and its certificate once issued")
    public record CertificateView(String orderId,
            @Schema(allowableValues = { "ISSUING", "AWAITING_REQUEST", "ISSUED", "FAILED" }) String status,
            @Schema(allowableValues = { "CLOUD", "QSCD" }) String profile, String commonName,
            OrganisationView organisation, @Schema(description = "lower-case hex, once issued") String serial,
            @Schema(format = "date-time") String notBefore, @Schema(format = "date-time") String notAfter,
            @Schema(description = "PEM, once issued") String certificate, boolean revoked, int attempts,
            @Schema(description = "why the last attempt failed, if it did") String lastError,
            @Schema(format = "date-time") String createdAt, @Schema(format = "date-time") String updatedAt) {
        static CertificateView of(Issuance i, Optional<IssuedCertificate> c) {
            X509Certificate x = c.map(IssuedCertificate::certificate).orElse(null);
            return new CertificateView(i.orderId(), i.status().name(), i.profile().name(), i.commonName(),
                    new OrganisationView(i.organisation().name(), i.organisation().identifier(),
                            i.organisation().country()),
                    i.serial().orElse(null), x == null ? null : x.getNotBefore().toInstant().toString(),
                    x == null ? null : x.getNotAfter().toInstant().toString(), x == null ? null : pem(x),
                    c.map(IssuedCertificate::revoked).orElse(false), i.attempts(), i.lastError().orElse(null),
                    i.createdAt().toString(), i.updatedAt().toString());
        }
    }

    public record OrganisationView(String name, String identifier, String country) {
    }

    public record RequestView(@Schema(description = "PKCS#10 certification request, PEM") String csr) {
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON) // the default for a client that accepts anything (qs 1 over the PEM's 0.5)
    @RolesAllowed({ RestApi.ROLE_ADMIN, RestApi.ROLE_OPERATOR, RestApi.ROLE_RA_OFFICER, RestApi.ROLE_SUPPORT,
        RestApi.ROLE_AUDITOR })
    @Operation(summary = "The order's issuance and certificate", description = "404 before the order entered"
            + " ISSUANCE. The subject was frozen then; 'certificate' is there once issued.")
    @ApiResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = CertificateView.class)))
    public Response read(@PathParam("id") String id) {
        Issuance i = issuance.status(id).orElseThrow(() -> ApiException.notFound("Order " + shown(id)
                + " has no certificate: it has not entered ISSUANCE."));
        return Response.ok(CertificateView.of(i, certificate(id))).header("Cache-Control", "no-store").build();
    }

    @GET
    @Produces({ "application/pem-certificate-chain; qs=0.5", "application/x-pem-file; qs=0.5" })
    @RolesAllowed({ RestApi.ROLE_ADMIN, RestApi.ROLE_OPERATOR, RestApi.ROLE_RA_OFFICER, RestApi.ROLE_SUPPORT,
        RestApi.ROLE_AUDITOR })
    @Operation(summary = "The order's certificate, PEM", description = "With Accept: application/pem-certificate-chain"
            + " (RFC 8555): the certificate then the issuing CA; 404 until it is issued.")
    @ApiResponse(responseCode = "200", content = @Content(mediaType = "application/pem-certificate-chain"))
    public Response pem(@PathParam("id") String id) {
        IssuedCertificate c = certificate(id).orElseThrow(() -> ApiException.notFound("Order " + shown(id)
                + " has no certificate yet."));
        StringBuilder chain = new StringBuilder(pem(c.certificate()));
        issuance.issuingCa().ifPresent(ca -> chain.append(pem(ca)));
        return Response.ok(chain.toString(), "application/pem-certificate-chain").header("Cache-Control", "no-store")
                .header("Content-Disposition", "attachment; filename=\"" + id.replaceAll("[^A-Za-z0-9_-]", "")
                        + ".pem\"").build();
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({ RestApi.ROLE_ADMIN, RestApi.ROLE_OPERATOR })
    @Operation(summary = "Issue a token order's certificate", description = "From the certification request made on"
            + " the order's token, with the subject frozen when the order entered ISSUANCE; the order then moves to"
            + " DELIVERY. The same request again gives back the same certificate (200); another one once issued is a"
            + " 409, as is a cloud order.")
    @RequestBody(required = true, content = @Content(schema = @Schema(implementation = RequestView.class)))
    @ApiResponse(responseCode = "201", content = @Content(schema = @Schema(implementation = CertificateView.class)))
    public Response issue(@Context SecurityContext security, @PathParam("id") String id,
            @Parameter(hidden = true) JsonNode body) {
        ApiCaller caller = ApiCaller.of(security.getUserPrincipal());
        JsonNode csr = body == null ? null : body.get("csr");
        if (csr == null || !csr.isTextual() || csr.asText().isBlank()) {
            throw ApiException.badRequest("Field 'csr' (a PKCS#10 certification request, PEM) is required.");
        }
        boolean before = issuance.status(id).map(i -> i.status() == Issuance.Status.ISSUED).orElse(false);
        try {
            issuance.issue(id, csr.asText(), caller.actor());
        } catch (IssuanceException e) {
            throw switch (e.kind()) {
            case INVALID -> ApiException.badRequest(e.getMessage());
            case NOT_FOUND -> ApiException.notFound(e.getMessage());
            case CONFLICT -> ApiException.conflict(e.getMessage());
            case UNAVAILABLE -> new ApiException(503, "unavailable", e.getMessage());
            };
        }
        Issuance i = issuance.status(id).orElseThrow();
        return Response.status(before ? 200 : 201).entity(CertificateView.of(i, certificate(id)))
                .header("Cache-Control", "no-store").build();
    }

    private Optional<IssuedCertificate> certificate(String id) {
        try {
            return issuance.find(id);
        } catch (IssuanceException e) {
            throw new ApiException(503, "unavailable", e.getMessage());
        }
    }

    private static String shown(String id) {
        return id.length() > 40 ? id.substring(0, 40) + "…" : id;
    }

    static String pem(X509Certificate certificate) {
        try {
            return "-----BEGIN CERTIFICATE-----\n"
                    + Base64.getMimeEncoder(64, new byte[] { '\n' }).encodeToString(certificate.getEncoded())
                    + "\n-----END CERTIFICATE-----\n";
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException("certificate cannot be encoded", e);
        }
    }
}
