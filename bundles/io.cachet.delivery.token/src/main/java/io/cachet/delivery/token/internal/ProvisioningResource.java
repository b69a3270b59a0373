package io.cachet.delivery.token.internal;

import java.util.function.Function;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsApplicationSelect;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsResource;

import com.fasterxml.jackson.databind.JsonNode;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import io.cachet.api.rest.ApiCaller;
import io.cachet.api.rest.ApiException;
import io.cachet.api.rest.BodyLimit;
import io.cachet.api.rest.RestApi;

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

/**
 * {@code /api/v1/orders/{id}/token}: the provisioning steps the operator's station ({@code cachet-cli token
 * provision}) drives, where the order's token stands, and support's reopening of a locked PIN retrieval. Errors are
 * problem+json saying what was wrong and what to do; every step is audited with the caller.
 */
@Component(service = ProvisioningResource.class)
@JakartarsResource
@JakartarsApplicationSelect(RestApi.APPLICATION_SELECT)
@Path("/orders/{id}/token")
@Produces(MediaType.APPLICATION_JSON)
@BodyLimit(value = 32 * 1024, hint = "a certification request and a few names fit in far less")
@Tag(name = "token delivery", description = "Provisioning, delivery and activation of token orders")
public class ProvisioningResource {

    private final TokenDeliveryService service;

    @Activate
    public ProvisioningResource(@Reference TokenDeliveriesComponent deliveries) {
        this(deliveries.service());
    }

    ProvisioningResource(TokenDeliveryService service) {
        this.service = service;
    }

    @GET
    @RolesAllowed({ RestApi.ROLE_ADMIN, RestApi.ROLE_OPERATOR, RestApi.ROLE_SUPPORT, RestApi.ROLE_AUDITOR,
        RestApi.ROLE_RA_OFFICER })
    @Operation(summary = "Where the order's token stands: provisioning, PIN custody, activation")
    @ApiResponse(responseCode = "200", description = "The token delivery",
            content = @Content(schema = @Schema(implementation = TokenViews.Delivery.class)))
    @ApiResponse(responseCode = "404", description = "A cloud order, or one that has not reached ISSUANCE")
    public Response read(@PathParam("id") String id) {
        return Json.noStore(Json.delivery(service.find(id).orElseThrow(() -> new ApiException(404, "not_found",
                "Order " + id + " has no token delivery: unknown, a cloud order, or not yet in ISSUANCE."))));
    }

    @POST
    @Path("provisioning")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({ RestApi.ROLE_ADMIN, RestApi.ROLE_OPERATOR })
    @Operation(summary = "Start (or resume) provisioning on a token", description = "The same token at INITIALISED"
            + " to CERTIFIED resumes (with the held PIN encrypted to 'resumeKey'); another token discards the current"
            + " one (its certificate revoked) and starts a new attempt.")
    @ApiResponse(responseCode = "200", description = "stage, resume, tokenLabel, keyAlias, keyAlgorithm,"
            + " maxUserPinTries, pinDigits, certificateSerial?, pin?",
            content = @Content(schema = @Schema(implementation = TokenViews.Started.class)))
    @ApiResponse(responseCode = "404", description = "Unknown order, or not yet in ISSUANCE")
    @ApiResponse(responseCode = "409", description = "A cloud order, an order ended, or its token already provisioned")
    @RequestBody(required = true, content = @Content(schema = @Schema(implementation = StationRequests.Start.class)))
    public Response start(@Context SecurityContext security, @PathParam("id") String id,
            @Parameter(hidden = true) JsonNode body) {
        return step(security, actor -> {
            TokenDeliveryService.Started s = service.start(id, Json.field(body, "tokenSerial"),
                    Json.field(body, "manufacturer"), Json.field(body, "model"), Json.field(body, "firmware"),
                    Json.field(body, "resumeKey"), actor);
            return Json.started(s, service.settings());
        });
    }

    @POST
    @Path("provisioning/initialised")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({ RestApi.ROLE_ADMIN, RestApi.ROLE_OPERATOR })
    @Operation(summary = "Register the initialisation PIN, encrypted to the pin-key, before the token is initialised")
    @ApiResponse(responseCode = "200", description = "The token delivery (stage INITIALISED, pin HELD)",
            content = @Content(schema = @Schema(implementation = TokenViews.Delivery.class)))
    @ApiResponse(responseCode = "400", description = "Wrong keyId, not decryptable, or not exactly pinDigits digits")
    @ApiResponse(responseCode = "409", description = "Another token, or a later stage reached")
    @RequestBody(required = true, content = @Content(schema = @Schema(
            implementation = StationRequests.Initialised.class)))
    public Response initialised(@Context SecurityContext security, @PathParam("id") String id,
            @Parameter(hidden = true) JsonNode body) {
        JsonNode pin = body == null ? null : body.get("pin");
        return step(security, actor -> Json.delivery(service.initialised(id, Json.field(body, "tokenSerial"),
                Json.field(pin, "keyId"), Json.field(pin, "ciphertext"), actor)));
    }

    @POST
    @Path("provisioning/key")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({ RestApi.ROLE_ADMIN, RestApi.ROLE_OPERATOR })
    @Operation(summary = "Register the key pair made on the token, with its attributes as read back")
    @ApiResponse(responseCode = "200", description = "The token delivery (stage KEY_GENERATED)",
            content = @Content(schema = @Schema(implementation = TokenViews.Delivery.class)))
    @ApiResponse(responseCode = "400", description = "Not the configured algorithm, or not sensitive and"
            + " non-extractable (the attribute is named)")
    @ApiResponse(responseCode = "409", description = "No PIN registered yet, or another key after CERTIFIED")
    @RequestBody(required = true, content = @Content(schema = @Schema(implementation = StationRequests.Key.class)))
    public Response key(@Context SecurityContext security, @PathParam("id") String id,
            @Parameter(hidden = true) JsonNode body) {
        return step(security, actor -> Json.delivery(service.key(id, Json.field(body, "tokenSerial"),
                Json.field(body, "publicKey"), new TokenDeliveryService.KeyAttributes(Json.flag(body, "sensitive"),
                        Json.flag(body, "extractable"), Json.flag(body, "alwaysSensitive"),
                        Json.flag(body, "neverExtractable")), actor)));
    }

    @POST
    @Path("provisioning/csr")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({ RestApi.ROLE_ADMIN, RestApi.ROLE_OPERATOR })
    @Operation(summary = "The certification request made on the token: the certificate issued (once)")
    @ApiResponse(responseCode = "200", description = "certificateSerial, certificate (PEM), chain (issuing CA, root)",
            content = @Content(schema = @Schema(implementation = TokenViews.Certified.class)))
    @ApiResponse(responseCode = "400", description = "Not made with the token's key, or its signature does not verify")
    @ApiResponse(responseCode = "503", description = "The CA is unavailable: nothing changed")
    @RequestBody(required = true, content = @Content(schema = @Schema(implementation = StationRequests.Csr.class)))
    public Response csr(@Context SecurityContext security, @PathParam("id") String id,
            @Parameter(hidden = true) JsonNode body) {
        return step(security, actor -> Json.certified(service.csr(id, Json.field(body, "tokenSerial"),
                Json.field(body, "csr"), actor)));
    }

    @POST
    @Path("provisioning/written")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({ RestApi.ROLE_ADMIN, RestApi.ROLE_OPERATOR })
    @Operation(summary = "The certificate is on the token: the shipment is prepared, the token PROVISIONED")
    @ApiResponse(responseCode = "200", description = "stage, shipment {id, state, labelUrl}",
            content = @Content(schema = @Schema(implementation = TokenViews.Provisioned.class)))
    @ApiResponse(responseCode = "503", description = "No shipment service: nothing changed")
    @RequestBody(required = true, content = @Content(schema = @Schema(implementation = StationRequests.Step.class)))
    public Response written(@Context SecurityContext security, @PathParam("id") String id,
            @Parameter(hidden = true) JsonNode body) {
        return step(security, actor -> Json.provisioned(service.written(id, Json.field(body, "tokenSerial"), actor)));
    }

    @POST
    @Path("provisioning/failure")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({ RestApi.ROLE_ADMIN, RestApi.ROLE_OPERATOR })
    @Operation(summary = "Record where and why the station stopped")
    @ApiResponse(responseCode = "200", description = "The token delivery, lastError set",
            content = @Content(schema = @Schema(implementation = TokenViews.Delivery.class)))
    @RequestBody(required = true, content = @Content(schema = @Schema(implementation = StationRequests.Failure.class)))
    public Response failure(@Context SecurityContext security, @PathParam("id") String id,
            @Parameter(hidden = true) JsonNode body) {
        return step(security, actor -> Json.delivery(service.failure(id, Json.field(body, "tokenSerial"),
                Json.field(body, "step"), Json.field(body, "error"), actor)));
    }

    @POST
    @Path("pin/unlock")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({ RestApi.ROLE_ADMIN, RestApi.ROLE_SUPPORT })
    @Operation(summary = "Reopen the PIN's retrieval after too many wrong codes (with the reason, audited)")
    @ApiResponse(responseCode = "200", description = "The token delivery, pin HELD",
            content = @Content(schema = @Schema(implementation = TokenViews.Delivery.class)))
    @ApiResponse(responseCode = "409", description = "The retrieval is not locked")
    @RequestBody(required = true, content = @Content(schema = @Schema(implementation = StationRequests.Unlock.class)))
    public Response unlock(@Context SecurityContext security, @PathParam("id") String id,
            @Parameter(hidden = true) JsonNode body) {
        return step(security, actor -> Json.delivery(service.unlockPin(id, Json.field(body, "reason"), actor)));
    }

    /**
     * Runs one call for the API key's operator: the service's answer (a {@link TokenViews} record built by the step) is
     * sent uncached, its refusal as problem+json.
     */
    private static Response step(SecurityContext security, Function<String, Object> step) {
        String actor = ApiCaller.of(security.getUserPrincipal()).actor();
        return Json.answer(() -> step.apply(actor));
    }
}
