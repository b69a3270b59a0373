package io.cachet.ca.internal.http;

import java.math.BigInteger;
import java.net.URI;
import java.util.Arrays;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsApplicationSelect;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsResource;

import com.fasterxml.jackson.annotation.JsonInclude;
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
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import io.cachet.api.ca.CertificateAuthority;
import io.cachet.api.ca.CertificateAuthorityException;
import io.cachet.api.ca.IssuedCertificate;
import io.cachet.api.ca.RevocationReason;
import io.cachet.api.ca.SealCertificateRequest;
import io.cachet.api.rest.ApiCaller;
import io.cachet.api.rest.ApiException;
import io.cachet.api.rest.BodyLimit;
import io.cachet.api.rest.RestApi;

/**
 * Operator REST API of the CA under {@code /api/v1}: {@code POST /certificates} issues,
 * {@code GET /certificates/{serial}} reads, {@code POST /certificates/{serial}/revocation} revokes. Issuing and
 * revoking need the role {@code admin} or {@code operator}; every call that changes state is audited by the CA
 * with the actor {@code api:<login>}.
 */
@Component(service = CertificatesResource.class)
@JakartarsResource
@JakartarsApplicationSelect(RestApi.APPLICATION_SELECT)
@Path("/certificates")
@Produces(MediaType.APPLICATION_JSON)
@BodyLimit(value = CertificatesResource.MAX_BODY, hint = "a CSR and a few names fit in far less")
@Tag(name = "certificates", description = "Qualified e-seal certificates of this CA")
public class CertificatesResource {
    static final int MAX_BODY = 64 * 1024;
    private static final Pattern SERIAL = Pattern.compile("[0-9a-fA-F]{1,40}");

    /**
     * Dynamic and optional so that this resource joins the API when the bundle starts, with the others, rather than
     * once the CA has opened its token: each late resource makes the REST whiteboard build the whole API again
     * (about half a second of CPU during start-up). Until the CA is there, calls answer 503.
     */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile CertificateAuthority ca;

    public CertificatesResource() {
    }

    /** For tests and plain-Java use. */
    public CertificatesResource(CertificateAuthority ca) {
        this.ca = ca;
    }

    private CertificateAuthority ca() {
        CertificateAuthority current = this.ca;
        if (current == null) {
            throw new ApiException(503, "unavailable", "The CA is starting (its token is being opened); try again in a few seconds.");
        }
        return current;
    }

    /** What {@code POST /certificates} takes. */
    @Schema(name = "CertificateRequest")
    public record CertificateRequest(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED,
                    description = "PKCS#10 request, PEM; RSA >= 2048 bits or EC P-256/P-384") String csr,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, minLength = 1, maxLength = 64,
                    description = "Plain text (written as a UTF8String): no control, formatting or bidi characters,"
                            + " no space at either end") String commonName,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, allowableValues = { "qscd", "cloud" },
                    description = "qscd: key on a token (QcSSCD, QCP-l-qscd); cloud: key in the provider's HSM"
                            + " (QCP-l)") String profile,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, minimum = "1", maximum = "10") int validityYears,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) Organisation organisation) {

        /** Checks the fields a person fills in; the CA checks the rest (names, CSR) and names the field too. */
        static CertificateRequest of(JsonNode body) {
            object(body);
            String csr = text(body, "csr", true);
            String commonName = text(body, "commonName", true);
            String profile = text(body, "profile", true);
            if (!profile.equals("qscd") && !profile.equals("cloud")) {
                throw ApiException.badRequest("profile '" + profile + "' is unknown: use \"qscd\" (key on a"
                        + " token) or \"cloud\" (key in the provider's HSM).");
            }
            JsonNode years = body.get("validityYears");
            if (years == null || !years.isInt() || years.asInt() < 1 || years.asInt() > 10) {
                throw ApiException.badRequest("validityYears must be a whole number of years from 1 to 10.");
            }
            JsonNode org = body.get("organisation");
            if (org == null || !org.isObject()) {
                throw ApiException.badRequest("organisation must be an object {name, identifier, country}.");
            }
            return new CertificateRequest(csr, commonName, profile, years.asInt(), new Organisation(
                    text(org, "name", true), text(org, "identifier", true), text(org, "country", true)));
        }

        SealCertificateRequest seal() {
            return new SealCertificateRequest(csr, profile.equals("qscd") ? SealCertificateRequest.Profile.QSCD
                    : SealCertificateRequest.Profile.CLOUD, commonName, new SealCertificateRequest.Organisation(
                            organisation.name(), organisation.identifier(), organisation.country()), validityYears);
        }
    }

    /** The organisation a seal certificate names (its verified identity). */
    public record Organisation(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, minLength = 1, maxLength = 64,
                    description = "Plain text, as commonName") String name,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, maxLength = 64,
                    pattern = "^(VAT|NTR|PSD|LEI|[A-Za-z0-9]{2}:)[A-Z]{2}-[!-~]+$",
                    description = "ETSI EN 319 412-1 §5.1.4 organizationIdentifier: type (VAT, NTR, PSD, LEI, or two"
                            + " characters and ':' for a national scheme), country, '-', identifier; e.g."
                            + " NTRFR-123456789") String identifier,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, pattern = "^[A-Z]{2}$") String country) {
    }

    /** What {@code POST /certificates/{serial}/revocation} takes. */
    @Schema(name = "Revocation")
    public record RevocationRequest(@Schema(allowableValues = { "unspecified", "keyCompromise", "caCompromise",
            "affiliationChanged", "superseded", "cessationOfOperation", "privilegeWithdrawn" },
            defaultValue = "unspecified") String reason) {
    }

    /** A certificate as the API shows it. */
    @Schema(name = "Certificate")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record CertificateView(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "hexadecimal") String serial,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) String subject,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, format = "date-time") String notBefore,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, format = "date-time") String notAfter,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, allowableValues = { "good", "revoked" }) String status,
            @Schema(description = "Only when revoked") Revoked revocation,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "PEM") String certificate) {

        static CertificateView of(IssuedCertificate c) {
            return new CertificateView(c.serialHex(), c.certificate().getSubjectX500Principal().getName(),
                    c.certificate().getNotBefore().toInstant().toString(),
                    c.certificate().getNotAfter().toInstant().toString(), c.revoked() ? "revoked" : "good",
                    c.revocation().map(r -> new Revoked(r.time().toString(), r.reason().rfcName())).orElse(null),
                    Pem.of(c.certificate()));
        }
    }

    /** When and why a certificate was revoked. */
    public record Revoked(@Schema(format = "date-time") String time, String reason) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({ RestApi.ROLE_ADMIN, RestApi.ROLE_OPERATOR })
    @Operation(operationId = "issueCertificate", summary = "Issue a qualified e-seal certificate", description = "The"
            + " subject is built from commonName and organisation (the verified identity), not from the CSR, which"
            + " only carries the key and proves its possession. Needs the role admin or operator. Audited as"
            + " ca().certificate.issued.")
    @RequestBody(required = true, content = @Content(schema = @Schema(implementation = CertificateRequest.class)))
    @ApiResponse(responseCode = "201", description = "Issued", headers = @Header(name = "Location",
            schema = @Schema(type = "string")), content = @Content(schema = @Schema(implementation =
            CertificateView.class)))
    @ApiResponse(responseCode = "400", description = "Malformed CSR, bad CSR signature, weak key or unapproved"
            + " curve, unknown profile, bad names (the message names the field, e.g. organisation.identifier)")
    @ApiResponse(responseCode = "401", description = "No valid API key")
    @ApiResponse(responseCode = "403", description = "The API key's operator lacks the role")
    @ApiResponse(responseCode = "413", description = "Body over 64 KiB")
    @ApiResponse(responseCode = "503", description = "The CA key cannot be used now")
    public Response issue(@Context SecurityContext security, @Parameter(hidden = true) JsonNode body) {
        ApiCaller caller = ApiCaller.of(security.getUserPrincipal());
        CertificateRequest request = CertificateRequest.of(body);
        IssuedCertificate issued = call(() -> ca().issue(request.seal(), caller.actor()));
        return Response.created(URI.create(RestApi.BASE_PATH + "/certificates/" + issued.serialHex()))
                .entity(CertificateView.of(issued)).header("Cache-Control", "no-store").build();
    }

    @GET
    @Path("{serial}")
    @Operation(operationId = "getCertificate", summary = "Read a certificate and its status")
    @ApiResponse(responseCode = "200", description = "Found", content = @Content(schema = @Schema(implementation =
            CertificateView.class)))
    @ApiResponse(responseCode = "400", description = "Not a hexadecimal serial")
    @ApiResponse(responseCode = "401", description = "No valid API key")
    @ApiResponse(responseCode = "404", description = "Not issued by this CA")
    public Response read(@Parameter(description = "Serial number in hexadecimal", schema = @Schema(type = "string",
            pattern = "^[0-9a-fA-F]{1,40}$")) @PathParam("serial") String serialText) {
        BigInteger serial = serial(serialText);
        IssuedCertificate found = call(() -> ca().find(serial)).orElseThrow(() -> ApiException.notFound(
                "No certificate with serial " + serial.toString(16) + " was issued by this CA."));
        return Response.ok(CertificateView.of(found)).header("Cache-Control", "no-store").build();
    }

    @POST
    @Path("{serial}/revocation")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({ RestApi.ROLE_ADMIN, RestApi.ROLE_OPERATOR })
    @Operation(operationId = "revokeCertificate", summary = "Revoke a certificate", description = "Final. OCSP answers"
            + " revoked at once and the CRL served from then on lists it. Needs the role admin or operator."
            + " Audited as ca().certificate.revoked.")
    @RequestBody(required = true, content = @Content(schema = @Schema(implementation = RevocationRequest.class)))
    @ApiResponse(responseCode = "200", description = "Revoked", content = @Content(schema = @Schema(implementation =
            CertificateView.class)))
    @ApiResponse(responseCode = "400", description = "Unknown reason or bad serial")
    @ApiResponse(responseCode = "401", description = "No valid API key")
    @ApiResponse(responseCode = "403", description = "The API key's operator lacks the role")
    @ApiResponse(responseCode = "404", description = "Not issued by this CA")
    @ApiResponse(responseCode = "409", description = "Already revoked")
    public Response revoke(@Context SecurityContext security, @Parameter(description = "Serial number in hexadecimal",
            schema = @Schema(type = "string", pattern = "^[0-9a-fA-F]{1,40}$")) @PathParam("serial") String serialText,
            @Parameter(hidden = true) JsonNode body) {
        ApiCaller caller = ApiCaller.of(security.getUserPrincipal());
        object(body);
        BigInteger serial = serial(serialText);
        String reasonText = text(body, "reason", false);
        RevocationReason reason = reasonText == null ? RevocationReason.UNSPECIFIED
                : RevocationReason.parse(reasonText).orElseThrow(() -> ApiException.badRequest("reason '"
                        + reasonText + "' is not one of " + reasons()));
        IssuedCertificate revoked = call(() -> ca().revoke(serial, reason, caller.actor()));
        return Response.ok(CertificateView.of(revoked)).header("Cache-Control", "no-store").build();
    }

    private static void object(JsonNode body) {
        if (body == null || body.isMissingNode()) {
            throw ApiException.badRequest("The request body is empty: send a JSON object.");
        }
        if (!body.isObject()) {
            throw ApiException.badRequest("The request body must be a JSON object.");
        }
    }

    private static String text(JsonNode node, String field, boolean required) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            if (required) {
                throw ApiException.badRequest("Field '" + field + "' is missing.");
            }
            return null;
        }
        if (!value.isTextual()) {
            throw ApiException.badRequest("Field '" + field + "' must be a string.");
        }
        return value.asText();
    }

    private static BigInteger serial(String text) {
        if (!SERIAL.matcher(text).matches()) {
            throw ApiException.badRequest("'" + (text.length() > 50 ? text.substring(0, 50) + "…" : text)
                    + "' is not a serial number: give it in hexadecimal, at most 40 digits.");
        }
        return new BigInteger(text, 16);
    }

    /** Maps what the CA refuses to HTTP; the CA's messages name the problem and never hold key material. */
    private static <T> T call(Supplier<T> call) {
        try {
            return call.get();
        } catch (CertificateAuthorityException e) {
            throw switch (e.kind()) {
            case INVALID_REQUEST -> ApiException.badRequest(sentence(e.getMessage()));
            case NOT_FOUND -> ApiException.notFound(sentence(e.getMessage()));
            case CONFLICT -> ApiException.conflict(sentence(e.getMessage()));
            case UNAVAILABLE -> new ApiException(503, "unavailable", "The CA cannot work now; try again later or"
                    + " ask the operator to check the CA token (" + e.getMessage() + ").");
            };
        }
    }

    private static String sentence(String message) {
        if (message == null || message.isEmpty()) {
            return "The request was refused.";
        }
        String s = Character.toUpperCase(message.charAt(0)) + message.substring(1);
        return s.endsWith(".") ? s : s + ".";
    }

    private static String reasons() {
        return String.join(", ", Arrays.stream(RevocationReason.values()).map(RevocationReason::rfcName).toList());
    }
}
