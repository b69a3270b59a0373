package io.cachet.reseller.internal;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsApplicationSelect;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsResource;

import com.fasterxml.jackson.annotation.JsonInclude;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
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

import io.cachet.api.operator.ApiKey;
import io.cachet.api.operator.ApiKeyScope;
import io.cachet.api.operator.IssuedApiKey;
import io.cachet.api.operator.OperatorDirectory;
import io.cachet.api.operator.OperatorException;
import io.cachet.api.reseller.Reseller;
import io.cachet.api.reseller.Resellers;
import io.cachet.api.rest.ApiCaller;
import io.cachet.api.rest.ApiException;
import io.cachet.api.rest.BodyLimit;
import io.cachet.api.rest.RestApi;

/**
 * {@code /api/v1/resellers}, for administrators: create a reseller (its first API key is in that answer only), list
 * and read them with their keys, make, rotate and revoke their keys, disable and enable them. A reseller's own key
 * gets 403 here like on every operator endpoint; a reseller manages its own keys at
 * {@code /api/v1/operators/me/api-keys}.
 */
@Component(service = ResellersResource.class)
@JakartarsResource
@JakartarsApplicationSelect(RestApi.APPLICATION_SELECT)
@Path("/resellers")
@Produces(MediaType.APPLICATION_JSON)
@BodyLimit(4 * 1024)
@RolesAllowed(RestApi.ROLE_ADMIN)
@Tag(name = "resellers", description = "Resellers and their API keys (administrators)")
public class ResellersResource {

    private final Resellers resellers;
    private final OperatorDirectory directory;

    @Activate
    public ResellersResource(@Reference Resellers resellers, @Reference OperatorDirectory directory) {
        this.resellers = resellers;
        this.directory = directory;
    }

    @Schema(name = "ResellerRequest")
    public record CreateRequest(@Schema(requiredMode = Schema.RequiredMode.REQUIRED, maxLength = 200) String name,
            @Schema(description = "id of an installed brand; absent: the active brand") String brand) {
    }

    @Schema(name = "ResellerKeyRequest")
    public record KeyRequest(@Schema(allowableValues = { "operator", "read" }, defaultValue = "operator") String scope,
            String label, @Schema(description = "ISO-8601 instant; absent: never") String expiresAt) {
    }

    @Schema(name = "ResellerApiKey", description = "A key of a reseller; never its secret")
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record KeyView(String id, String label, String scope, String status, String createdAt, String expiresAt,
            String rotatedAt, String revokedAt) {
        static KeyView of(ApiKey k, Instant now) {
            return new KeyView(k.id(), k.label(), k.scope().id(), k.status(now).name().toLowerCase(Locale.ROOT),
                    text(k.createdAt()), text(k.expiresAt()), text(k.rotatedAt()), text(k.revokedAt()));
        }
    }

    @Schema(name = "ResellerIssuedApiKey", description = "A new or rotated key of a reseller, with its secret: shown this once")
    public record IssuedView(String id, String label, String scope, String status, String createdAt, String expiresAt,
            String rotatedAt, String revokedAt,
            @Schema(description = "The whole key, for 'Authorization: Bearer'; shown once: store it now") String key) {
        static IssuedView of(IssuedApiKey issued) {
            KeyView v = KeyView.of(issued.key(), Instant.now());
            return new IssuedView(v.id(), v.label(), v.scope(), v.status(), v.createdAt(), v.expiresAt(), v.rotatedAt(),
                    v.revokedAt(), issued.secret());
        }
    }

    @Schema(name = "Reseller")
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record View(String id, String name, @Schema(description = "its API account") String login, String brand,
            @Schema(allowableValues = { "active", "disabled" }) String status, String createdAt, String disabledAt,
            @Schema(description = "its keys, newest first (GET of one reseller only)") List<KeyView> apiKeys) {
        static View of(Reseller r, List<KeyView> keys) {
            return new View(r.id(), r.name(), r.login(), r.brand(), r.disabledAt() == null ? "active" : "disabled",
                    text(r.createdAt()), text(r.disabledAt()), keys);
        }
    }

    @Schema(name = "CreatedReseller", description = "A new reseller with its first API key, shown this once")
    public record CreatedView(String id, String name, String login, String brand, String status, String createdAt,
            @Schema(description = "the first key (scope operator), for 'Authorization: Bearer'; shown once: store it now")
            String apiKey, String apiKeyId) {
    }

    @Schema(name = "ResellerList")
    public record ListView(List<View> resellers) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create a reseller, its API account and its first key (shown in this answer only)")
    @ApiResponse(responseCode = "201", description = "The reseller with its first key",
            content = @Content(schema = @Schema(implementation = CreatedView.class)))
    @ApiResponse(responseCode = "400", description = "A bad field, named")
    @ApiResponse(responseCode = "403", description = "Not an administrator")
    public Response create(@Context SecurityContext security, CreateRequest body) {
        ApiCaller caller = ApiCaller.of(security.getUserPrincipal());
        if (body == null) {
            throw ApiException.badRequest("Send a JSON body {\"name\": ..., \"brand\"?: ...}.");
        }
        Resellers.Created created;
        try {
            created = resellers.create(body.name(), body.brand(), caller.actor());
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        Reseller r = created.reseller();
        return Response.created(URI.create(RestApi.BASE_PATH + "/resellers/" + r.id()))
                .entity(new CreatedView(r.id(), r.name(), r.login(), r.brand(), "active", text(r.createdAt()),
                        created.apiKey().secret(), created.apiKey().key().id()))
                .header("Cache-Control", "no-store").build();
    }

    @GET
    @Operation(summary = "The resellers, by name")
    @ApiResponse(responseCode = "200", description = "Every reseller (without keys)",
            content = @Content(schema = @Schema(implementation = ListView.class)))
    public ListView list() {
        return new ListView(resellers.list().stream().map(r -> View.of(r, null)).toList());
    }

    @GET
    @Path("{id}")
    @Operation(summary = "A reseller with its API keys (never their secrets)")
    @ApiResponse(responseCode = "200", description = "The reseller",
            content = @Content(schema = @Schema(implementation = View.class)))
    @ApiResponse(responseCode = "404", description = "No such reseller")
    public View get(@PathParam("id") String id) {
        Reseller r = reseller(id);
        Instant now = Instant.now();
        return View.of(r, directory.apiKeys(r.login()).stream().map(k -> KeyView.of(k, now)).toList());
    }

    @POST
    @Path("{id}/api-keys")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "A new key for a reseller (scope operator unless read is asked), shown in this answer only")
    @ApiResponse(responseCode = "201", description = "The key with its secret",
            content = @Content(schema = @Schema(implementation = IssuedView.class)))
    @ApiResponse(responseCode = "400", description = "A bad field, named")
    @ApiResponse(responseCode = "404", description = "No such reseller")
    public Response createKey(@Context SecurityContext security, @PathParam("id") String id, KeyRequest body) {
        ApiCaller caller = ApiCaller.of(security.getUserPrincipal());
        Reseller r = reseller(id);
        KeyRequest k = body == null ? new KeyRequest(null, null, null) : body;
        ApiKeyScope scope = k.scope() == null ? ApiKeyScope.OPERATOR : ApiKeyScope.parse(k.scope())
                .filter(s -> s != ApiKeyScope.ADMIN).orElseThrow(() -> ApiException.badRequest(
                        "Field 'scope' must be operator or read: a reseller never holds an admin key."));
        Instant expires;
        try {
            expires = k.expiresAt() == null ? null : Instant.parse(k.expiresAt());
        } catch (java.time.format.DateTimeParseException e) {
            throw ApiException.badRequest("Field 'expiresAt' must be an ISO-8601 instant such as 2027-01-31T00:00:00Z,"
                    + " or absent for a key that does not expire.");
        }
        IssuedApiKey issued = call(() -> directory.createApiKey(r.login(), scope, k.label(), expires, caller.actor()));
        return Response.created(URI.create(RestApi.BASE_PATH + "/resellers/" + r.id() + "/api-keys/"
                + issued.key().id())).entity(IssuedView.of(issued)).header("Cache-Control", "no-store").build();
    }

    @POST
    @Path("{id}/api-keys/{keyId}/rotation")
    @Operation(summary = "A new secret for a key of the reseller; the old one is refused from then on")
    @ApiResponse(responseCode = "200", description = "The key with its new secret",
            content = @Content(schema = @Schema(implementation = IssuedView.class)))
    @ApiResponse(responseCode = "404", description = "No such reseller or key")
    @ApiResponse(responseCode = "409", description = "The key is revoked or expired")
    public Response rotateKey(@Context SecurityContext security, @PathParam("id") String id,
            @PathParam("keyId") String keyId) {
        ApiCaller caller = ApiCaller.of(security.getUserPrincipal());
        Reseller r = reseller(id);
        IssuedApiKey issued = call(() -> directory.rotateApiKey(r.login(), keyId, caller.actor()));
        return Response.ok(IssuedView.of(issued)).header("Cache-Control", "no-store").build();
    }

    @DELETE
    @Path("{id}/api-keys/{keyId}")
    @Operation(summary = "Revoke a key of the reseller")
    @ApiResponse(responseCode = "204", description = "Revoked")
    @ApiResponse(responseCode = "404", description = "No such reseller or key")
    @ApiResponse(responseCode = "409", description = "Already revoked")
    public Response revokeKey(@Context SecurityContext security, @PathParam("id") String id,
            @PathParam("keyId") String keyId) {
        ApiCaller caller = ApiCaller.of(security.getUserPrincipal());
        Reseller r = reseller(id);
        call(() -> {
            directory.revokeApiKey(r.login(), keyId, caller.actor());
            return null;
        });
        return Response.noContent().build();
    }

    @POST
    @Path("{id}/disabling")
    @Operation(summary = "Disable a reseller: its keys are refused from the next request on")
    @ApiResponse(responseCode = "200", description = "The reseller, disabled",
            content = @Content(schema = @Schema(implementation = View.class)))
    @ApiResponse(responseCode = "404", description = "No such reseller")
    public View disable(@Context SecurityContext security, @PathParam("id") String id) {
        return setDisabled(security, id, true);
    }

    @POST
    @Path("{id}/enabling")
    @Operation(summary = "Enable a disabled reseller again")
    @ApiResponse(responseCode = "200", description = "The reseller, active",
            content = @Content(schema = @Schema(implementation = View.class)))
    @ApiResponse(responseCode = "404", description = "No such reseller")
    public View enable(@Context SecurityContext security, @PathParam("id") String id) {
        return setDisabled(security, id, false);
    }

    private View setDisabled(SecurityContext security, String id, boolean disabled) {
        ApiCaller caller = ApiCaller.of(security.getUserPrincipal());
        return View.of(call(() -> resellers.setDisabled(id, disabled, caller.actor())), null);
    }

    private Reseller reseller(String id) {
        return resellers.find(id).orElseThrow(() -> ApiException.notFound("There is no reseller "
                + JdbcResellers.shorten(id) + "."));
    }

    private static <T> T call(Supplier<T> call) {
        try {
            return call.get();
        } catch (OperatorException e) {
            throw switch (e.reason()) {
                case NOT_FOUND -> ApiException.notFound(e.getMessage());
                case CONFLICT -> ApiException.conflict(e.getMessage());
                case INVALID -> ApiException.badRequest(e.getMessage());
            };
        }
    }

    static String text(Instant t) {
        return t == null ? null : t.toString();
    }
}
