package io.cachet.identity.vendor.internal;

import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsApplicationSelect;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsResource;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import io.cachet.api.audit.AuditLog;
import io.cachet.api.identity.IdentityCases;
import io.cachet.api.rest.ApiException;
import io.cachet.api.rest.BodyLimit;
import io.cachet.api.rest.RestApi;
import io.cachet.api.store.Database;

/**
 * {@code POST /api/v1/identity/vendor/webhook}: the vendor's results. No API key: the request is authenticated by
 * its HMAC signature over the raw body (read as bytes, never parsed before it is verified). Registered only while the
 * vendor is configured (it needs {@link VendorProvider}). Errors are problem+json (see {@link VendorWebhooks} for
 * which status says what).
 */
// configuration required too: without the vendor's configuration this component is not even waiting for the
// provider (an unsatisfied reference would turn /health DOWN), it does not exist
@Component(service = VendorWebhookResource.class, configurationPid = VendorProvider.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@JakartarsResource
@JakartarsApplicationSelect(RestApi.APPLICATION_SELECT)
@Path("/identity/vendor")
@Tag(name = "identity", description = "Remote identity proofing")
public class VendorWebhookResource {

    private final VendorProvider provider;
    private final VendorWebhooks webhooks;

    @Activate
    public VendorWebhookResource(@Reference VendorProvider provider, @Reference IdentityCases cases,
            @Reference Database database, @Reference AuditLog audit) {
        this.provider = provider;
        this.webhooks = provider.webhooks(cases, database, audit);
    }

    @POST
    @Path("webhook")
    @PermitAll
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    @BodyLimit(value = 1024 * 1024, hint = "a vendor's result fits in a few KiB")
    @Operation(summary = "An external proofing vendor's result, signed: X-Vendor-Timestamp (Unix seconds) and"
            + " X-Vendor-Signature: sha256=<hex HMAC-SHA256(secret, \"<timestamp>.<raw body>\")>")
    @ApiResponse(responseCode = "200", description = "Recorded; the case waits for an operator")
    @ApiResponse(responseCode = "400", description = "The body is not the expected JSON")
    @ApiResponse(responseCode = "401", description = "No, a wrong or a stale signature")
    @ApiResponse(responseCode = "404", description = "No case has this vendor session")
    @ApiResponse(responseCode = "409", description = "The event was received before, or the case awaits no result")
    @ApiResponse(responseCode = "413", description = "The body is too large")
    public Response receive(@Context HttpHeaders headers, byte[] body) {
        VendorSettings s = provider.settings();
        VendorWebhooks.Answer answer = webhooks.receive(headers.getHeaderString(s.timestampHeader),
                headers.getHeaderString(s.signatureHeader), body);
        if (!answer.accepted()) {
            String error = switch (answer.status()) {
                case 400 -> "invalid_request";
                case 401 -> "unauthorized";
                case 404 -> "not_found";
                case 409 -> "conflict";
                case 413 -> "payload_too_large";
                default -> "unavailable";
            };
            throw new ApiException(answer.status(), error, answer.message(), Map.of("code", answer.code()));
        }
        return Response.ok(Map.of("status", "accepted", "case", answer.caseId())).build();
    }
}
