package io.cachet.delivery.token.internal;

import java.time.Clock;
import java.time.Duration;

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

import io.cachet.api.rest.ApiException;
import io.cachet.api.rest.BodyLimit;
import io.cachet.api.rest.RestApi;
import io.cachet.api.web.ClientLimiter;

import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * {@code /api/v1/token-delivery}: the pin-key stations encrypt initialisation PINs to, the provisioning queue, and
 * the holder's public activation report (no API key: the certificate manager's status link is the credential;
 * limited per client address).
 */
@Component(service = TokenDeliveryResource.class)
@JakartarsResource
@JakartarsApplicationSelect(RestApi.APPLICATION_SELECT)
@Path("/token-delivery")
@Produces(MediaType.APPLICATION_JSON)
@BodyLimit(value = 8 * 1024, hint = "a link and a serial fit in far less")
@Tag(name = "token delivery", description = "Provisioning, delivery and activation of token orders")
public class TokenDeliveryResource {

    private final TokenDeliveryService service;
    private final java.util.function.IntSupplier perHour;
    private volatile ClientLimiter limiter;
    private volatile int limit;

    @Activate
    public TokenDeliveryResource(@Reference TokenDeliveriesComponent deliveries) {
        this(deliveries.service(), () -> deliveries.settings().activationsPerHour());
    }

    TokenDeliveryResource(TokenDeliveryService service, java.util.function.IntSupplier perHour) {
        this.service = service;
        this.perHour = perHour;
    }

    @GET
    @Path("pin-key")
    @RolesAllowed({ RestApi.ROLE_ADMIN, RestApi.ROLE_OPERATOR })
    @Operation(summary = "The key initialisation PINs are encrypted to", description = "RSA-3072, RSA-OAEP with"
            + " SHA-256 and MGF1-SHA-256 (Cipher RSA/ECB/OAEPPadding with an explicit OAEPParameterSpec); the"
            + " plaintext is the PIN's ASCII digits. keyId: hex of the first 16 bytes of SHA-256 of the SPKI.")
    @ApiResponse(responseCode = "200", description = "keyId, algorithm, publicKey (PEM)",
            content = @Content(schema = @Schema(implementation = TokenViews.PinKeyView.class)))
    public Response pinKey() {
        return Response.ok(new TokenViews.PinKeyView(service.pinKey().id(), PinCrypto.ALGORITHM,
                PinCrypto.pem(service.pinKey().publicKey()))).build();
    }

    @GET
    @Path("queue")
    @RolesAllowed({ RestApi.ROLE_ADMIN, RestApi.ROLE_OPERATOR, RestApi.ROLE_SUPPORT, RestApi.ROLE_AUDITOR,
        RestApi.ROLE_RA_OFFICER })
    @Operation(summary = "Token orders waiting for an operator (WAITING to CERTIFIED), oldest first")
    @ApiResponse(responseCode = "200", description = "items: token deliveries",
            content = @Content(schema = @Schema(implementation = TokenViews.Queue.class)))
    public Response queue(@Parameter(description = "1 to 500") @QueryParam("limit") @DefaultValue("100") int limit) {
        if (limit < 1 || limit > 500) {
            throw ApiException.badRequest("Parameter 'limit' must be 1 to 500.");
        }
        return Json.noStore(new TokenViews.Queue(service.toProvision(limit).stream().map(Json::delivery).toList()));
    }

    @POST
    @Path("activation")
    @PermitAll
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "The holder reports the token activated (its PIN replaced)", description = "With the"
            + " certificate manager's status link (the URL from the order e-mail, or its token) and the token's"
            + " serial. The order becomes ACTIVE. Idempotent.")
    @ApiResponse(responseCode = "200", description = "orderId, state ACTIVE",
            content = @Content(schema = @Schema(implementation = TokenViews.Activated.class)))
    @ApiResponse(responseCode = "404", description = "No order has this link")
    @ApiResponse(responseCode = "409", description = "The PIN was not retrieved yet, or another token's serial")
    @ApiResponse(responseCode = "410", description = "The link has expired or was replaced")
    @ApiResponse(responseCode = "429", description = "Too many reports from this address")
    @RequestBody(required = true, content = @Content(schema = @Schema(
            implementation = StationRequests.Activation.class)))
    public Response activation(@Context HttpServletRequest request, @Parameter(hidden = true) JsonNode body) {
        if (!limiter().allow(request == null ? "" : request.getRemoteAddr())) {
            throw new ApiException(429, "too_many_requests", "Too many activation reports from your address: try"
                    + " again in " + limiter().retryAfterSeconds() + " seconds.");
        }
        String link = Json.field(body, "link");
        if (link == null || link.isBlank()) {
            throw ApiException.badRequest("'link' is required: the status link from the order e-mail.");
        }
        return Json.answer(() -> {
            String orderId = service.orderOfLink(link);
            service.activate(orderId, Json.field(body, "tokenSerial"), "person:certificate-manager");
            return new TokenViews.Activated(orderId, "ACTIVE");
        });
    }

    private ClientLimiter limiter() {
        int n = perHour.getAsInt();
        ClientLimiter l = limiter;
        if (l == null || n != limit) {
            synchronized (this) {
                if (limiter == null || n != limit) {
                    limiter = new ClientLimiter(n, Duration.ofHours(1), Clock.systemUTC());
                    limit = n;
                }
                l = limiter;
            }
        }
        return l;
    }
}
