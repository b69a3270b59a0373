package io.cachet.ca.internal.http;

import java.io.IOException;
import java.io.InputStream;
import java.security.cert.X509CRL;
import java.util.Arrays;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsApplicationSelect;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsResource;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
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

import io.cachet.api.ca.CertificateAuthorityException;
import io.cachet.api.rest.ApiCaller;
import io.cachet.api.rest.ApiException;
import io.cachet.api.rest.BodyLimit;
import io.cachet.api.rest.RestApi;
import io.cachet.ca.internal.RootCeremony;

/**
 * The root's ARL ceremony over the REST API, so that it works while the server runs (the embedded database cannot
 * be opened by a second process): {@code POST /api/v1/ca/arl} with {@code {"rootPin": "..."}} signs a new authority
 * revocation list with the root token, opened for that signature only; {@code GET /api/v1/ca/arl} shows the current
 * one. Role {@code admin} only; the CA audits the renewal and every refusal with the actor {@code api:<login>}.
 * The PIN is read from the raw body as characters and wiped; it is never a String and never logged.
 * {@code cachet-cli ca renew-arl} calls this after asking for the PIN without echo.
 */
@Component(service = ArlResource.class)
@JakartarsResource
@JakartarsApplicationSelect(RestApi.APPLICATION_SELECT)
@Path("/ca/arl")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(RestApi.ROLE_ADMIN)
@BodyLimit(4096)
@Tag(name = "ca", description = "The CA's own ceremonies")
public class ArlResource {
    private static final JsonFactory JSON_FACTORY = new JsonFactory();

    /**
     * Dynamic and optional so that this resource joins the API when the bundle starts, with the others, rather than
     * once the CA has opened its token: each late resource makes the REST whiteboard build the whole API again
     * (about half a second of CPU during start-up). Until the CA is there, calls answer 503.
     */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile RootCeremony root;

    public ArlResource() {
    }

    /** For tests and plain-Java use. */
    public ArlResource(RootCeremony root) {
        this.root = root;
    }

    private RootCeremony root() {
        RootCeremony current = this.root;
        if (current == null) {
            throw new ApiException(503, "unavailable", "The CA is starting (its token is being opened); try again in a few seconds.");
        }
        return current;
    }

    /** An authority revocation list as the API shows it. */
    @Schema(name = "Arl")
    public record ArlView(@Schema(description = "cRLNumber, decimal") String number, String issuer,
            @Schema(format = "date-time") String thisUpdate, @Schema(format = "date-time") String nextUpdate,
            int entries, String url) {

        static ArlView of(X509CRL arl) {
            byte[] ext = arl.getExtensionValue(org.bouncycastle.asn1.x509.Extension.cRLNumber.getId());
            String number = ext == null ? null : org.bouncycastle.asn1.ASN1Integer.getInstance(
                    org.bouncycastle.asn1.ASN1OctetString.getInstance(ext).getOctets()).getValue().toString();
            return new ArlView(number, arl.getIssuerX500Principal().getName(),
                    arl.getThisUpdate().toInstant().toString(), arl.getNextUpdate().toInstant().toString(),
                    arl.getRevokedCertificates() == null ? 0 : arl.getRevokedCertificates().size(), "/pki/root().crl");
        }
    }

    /** For the description only: the body is read as characters, never bound to an object. */
    @Schema(name = "ArlRenewal")
    record Renewal(@Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "User PIN of the root token")
            String rootPin) {
    }

    @GET
    @Operation(operationId = "getArl", summary = "The root's current authority revocation list", description = "Number,"
            + " thisUpdate and nextUpdate of the ARL published at /pki/root().crl. Needs the role admin. 404 for a CA"
            + " whose root Cachet does not keep offline (adopted, or made before the root had a token of its own).")
    @ApiResponse(responseCode = "200", description = "The current ARL", content = @Content(schema = @Schema(
            implementation = ArlView.class)))
    @ApiResponse(responseCode = "401", description = "No valid API key")
    @ApiResponse(responseCode = "403", description = "Not an admin")
    @ApiResponse(responseCode = "404", description = "No ARL kept here")
    public Response current() {
        X509CRL arl = root().arl().orElseThrow(() -> ApiException.notFound("This CA's root publishes no ARL here"
                + " (a CA made before the root had a token of its own, or an adopted CA)."));
        return Response.ok(ArlView.of(arl)).header("Cache-Control", "no-store").build();
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "renewArl", summary = "Renew the root's ARL (operator ceremony)", description = "Logs in"
            + " to the root token with the PIN given for this call only, signs a new ARL valid arlValidityDays, stores"
            + " and publishes it at /pki/root().crl, logs out. Needs the role admin. Audited as ca.arl.published, a"
            + " refusal as ca.arl.refused. cachet-cli ca renew-arl asks for the PIN without echo and calls this.")
    @RequestBody(required = true, content = @Content(schema = @Schema(implementation = Renewal.class)))
    @ApiResponse(responseCode = "201", description = "The new ARL", content = @Content(schema = @Schema(
            implementation = ArlView.class)))
    @ApiResponse(responseCode = "400", description = "Wrong PIN, or a token that is not this CA's root token")
    @ApiResponse(responseCode = "401", description = "No valid API key")
    @ApiResponse(responseCode = "403", description = "Not an admin")
    @ApiResponse(responseCode = "409", description = "This CA has no root kept offline by Cachet")
    @ApiResponse(responseCode = "413", description = "Body over 4 KiB")
    @ApiResponse(responseCode = "503", description = "The root token is not connected")
    public Response renew(@Context SecurityContext security, @Parameter(hidden = true) InputStream body)
            throws IOException {
        ApiCaller caller = ApiCaller.of(security.getUserPrincipal());
        char[] pin = rootPin(body);
        try {
            X509CRL made = root().renewArl(pin, caller.actor());
            return Response.status(201).entity(ArlView.of(made)).header("Cache-Control", "no-store").build();
        } catch (CertificateAuthorityException e) {
            throw switch (e.kind()) {
            case INVALID_REQUEST -> ApiException.badRequest(e.getMessage());
            case NOT_FOUND -> ApiException.notFound(e.getMessage());
            case CONFLICT -> ApiException.conflict(e.getMessage());
            case UNAVAILABLE -> new ApiException(503, "unavailable", e.getMessage());
            };
        } finally {
            Arrays.fill(pin, '\0');
        }
    }

    /** The {@code rootPin} field, read without making a String of it; the body bytes are wiped. */
    static char[] rootPin(InputStream in) throws IOException {
        byte[] body;
        try (in) {
            body = in.readAllBytes();
        }
        char[] pin = null;
        try (JsonParser p = JSON_FACTORY.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw ApiException.badRequest("The request body must be a JSON object {\"rootPin\": \"...\"}.");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if ("rootPin".equals(field) && value == JsonToken.VALUE_STRING) {
                    if (pin != null) {
                        Arrays.fill(pin, '\0');
                    }
                    pin = Arrays.copyOfRange(p.getTextCharacters(), p.getTextOffset(),
                            p.getTextOffset() + p.getTextLength());
                } else if ("rootPin".equals(field)) {
                    throw ApiException.badRequest("Field 'rootPin' must be a string.");
                } else {
                    p.skipChildren();
                }
            }
        } catch (JsonProcessingException e) {
            if (pin != null) {
                Arrays.fill(pin, '\0');
            }
            throw ApiException.badRequest("The request body is not valid JSON.");
        } finally {
            Arrays.fill(body, (byte) 0);
        }
        if (pin == null || pin.length == 0) {
            throw ApiException.badRequest("Field 'rootPin' is missing: give the root token's user PIN.");
        }
        return pin;
    }
}
