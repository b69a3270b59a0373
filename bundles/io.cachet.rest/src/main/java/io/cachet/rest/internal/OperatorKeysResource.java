package io.cachet.rest.internal;

import java.net.URI;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsApplicationSelect;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsResource;

import com.fasterxml.jackson.annotation.JsonInclude;

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
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import io.cachet.api.operator.ApiKey;
import io.cachet.api.operator.ApiKeyScope;
import io.cachet.api.operator.IssuedApiKey;
import io.cachet.api.operator.OperatorDirectory;
import io.cachet.api.operator.OperatorException;
import io.cachet.api.rest.ApiCaller;
import io.cachet.api.rest.ApiException;
import io.cachet.api.rest.BodyLimit;
import io.cachet.api.rest.RestApi;

/**
 * The caller's own API keys under {@code /api/v1/operators/me/api-keys}: {@code GET} lists them (never a secret),
 * {@code POST} creates one and answers its secret once, {@code POST {id}/rotation} gives a key a new secret (the old
 * one is refused from then on), {@code DELETE {id}} revokes it. A key can only make keys of its own scope or
 * narrower, and a {@code read} key cannot change keys at all. Every change is audited by the directory with the
 * actor {@code api:<login>}.
 */
@Component(service = OperatorKeysResource.class)
@JakartarsResource
@JakartarsApplicationSelect(RestApi.APPLICATION_SELECT)
@Path("/operators/me/api-keys")
@Produces(MediaType.APPLICATION_JSON)
@BodyLimit(4 * 1024)
@Tag(name = "operators", description = "The caller's own API keys")
public class OperatorKeysResource {

    private final OperatorDirectory directory;

    @Activate
    public OperatorKeysResource(@Reference OperatorDirectory directory) {
        this.directory = directory;
    }

    @Schema(name = "ApiKey", description = "An API key; never its secret")
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record KeyView(String id, String label,
            @Schema(allowableValues = { "admin", "operator", "read" }) String scope,
            @Schema(allowableValues = { "active", "expired", "revoked" }) String status,
            @Schema(format = "date-time") String createdAt, @Schema(format = "date-time") String expiresAt,
            @Schema(format = "date-time") String rotatedAt, @Schema(format = "date-time") String revokedAt) {

        static KeyView of(ApiKey k, Instant now) {
            return new KeyView(k.id(), k.label(), k.scope().id(), k.status(now).name().toLowerCase(Locale.ROOT),
                    text(k.createdAt()), text(k.expiresAt()), text(k.rotatedAt()), text(k.revokedAt()));
        }

        private static String text(Instant i) {
            return i == null ? null : i.toString();
        }
    }

    @Schema(name = "IssuedApiKey", description = "A new or rotated key, with its secret: shown this once")
    public record IssuedView(String id, String label, String scope, String status, String createdAt,
            String expiresAt, String rotatedAt, String revokedAt,
            @Schema(description = "The secret, for 'Authorization: Bearer'; shown once: store it now") String key) {

        static IssuedView of(IssuedApiKey issued) {
            KeyView v = KeyView.of(issued.key(), Instant.now());
            return new IssuedView(v.id(), v.label(), v.scope(), v.status(), v.createdAt(), v.expiresAt(),
                    v.rotatedAt(), v.revokedAt(), issued.secret());
        }
    }

    @Schema(name = "ApiKeyList")
    public record KeyList(List<KeyView> keys) {
    }

    @Schema(name = "ApiKeyRequest")
    public record KeyRequest(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, allowableValues = { "admin", "operator", "read" })
            String scope,
            @Schema(description = "What the key is for") String label,
            @Schema(description = "ISO-8601 instant; absent: the key does not expire", example = "2027-01-31T00:00:00Z")
            String expiresAt) {
    }

    @GET
    @Operation(summary = "List your API keys (never their secrets)")
    @ApiResponse(responseCode = "200", description = "Your keys",
            content = @Content(schema = @Schema(implementation = KeyList.class)))
    @ApiResponse(responseCode = "401", description = "No valid API key")
    public KeyList list(@Context SecurityContext security) {
        ApiCaller caller = ApiCaller.of(security.getUserPrincipal());
        Instant now = Instant.now();
        return new KeyList(directory.apiKeys(caller.getName()).stream().map(k -> KeyView.of(k, now)).toList());
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create an API key; its secret is in this answer only")
    @ApiResponse(responseCode = "201", description = "The new key with its secret",
            content = @Content(schema = @Schema(implementation = IssuedView.class)))
    @ApiResponse(responseCode = "400", description = "A field is missing or wrong; the problem names it")
    @ApiResponse(responseCode = "403", description = "A read key, or a scope wider than the caller's key")
    @ApiResponse(responseCode = "413", description = "The body is over 4 KiB")
    public Response create(@Context SecurityContext security, KeyRequest body) {
        ApiCaller caller = changer(security);
        ApiKeyScope scope = ApiKeyScope.parse(body.scope()).orElseThrow(() -> ApiException.badRequest(
                "Field 'scope' must be one of admin, operator, read."));
        if (!scope.within(caller.apiKey().scope())) {
            throw ApiException.forbidden("A key of scope '" + caller.apiKey().scope().id() + "' cannot create a key "
                    + "of the wider scope '" + scope.id() + "'.");
        }
        Instant expires;
        try {
            expires = body.expiresAt() == null ? null : Instant.parse(body.expiresAt());
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest("Field 'expiresAt' must be an ISO-8601 instant such as "
                    + "2027-01-31T00:00:00Z, or absent for a key that does not expire.");
        }
        IssuedApiKey issued = call(() -> directory.createApiKey(caller.getName(), scope, body.label(), expires,
                caller.actor()));
        return Response.created(URI.create(RestApi.BASE_PATH + "/operators/me/api-keys/" + issued.key().id()))
                .entity(IssuedView.of(issued)).header("Cache-Control", "no-store").build();
    }

    @POST
    @Path("{id}/rotation")
    @Operation(summary = "Give a key a new secret; the old one is refused from then on")
    @ApiResponse(responseCode = "200", description = "The key with its new secret",
            content = @Content(schema = @Schema(implementation = IssuedView.class)))
    @ApiResponse(responseCode = "403", description = "A read key")
    @ApiResponse(responseCode = "404", description = "No such key of yours")
    @ApiResponse(responseCode = "409", description = "The key is revoked")
    public Response rotate(@Context SecurityContext security, @Parameter(description = "The key's id") @PathParam("id")
            String id) {
        ApiCaller caller = changer(security);
        IssuedApiKey issued = call(() -> directory.rotateApiKey(caller.getName(), id, caller.actor()));
        return Response.ok(IssuedView.of(issued)).header("Cache-Control", "no-store").build();
    }

    @DELETE
    @Path("{id}")
    @Operation(summary = "Revoke a key")
    @ApiResponse(responseCode = "204", description = "Revoked")
    @ApiResponse(responseCode = "403", description = "A read key")
    @ApiResponse(responseCode = "404", description = "No such key of yours")
    public Response revoke(@Context SecurityContext security, @Parameter(description = "The key's id")
            @PathParam("id") String id) {
        ApiCaller caller = changer(security);
        call(() -> {
            directory.revokeApiKey(caller.getName(), id, caller.actor());
            return null;
        });
        return Response.noContent().header("Cache-Control", "no-store").build();
    }

    /** The caller, whose key must be allowed to change keys: any scope but {@code read}. */
    private static ApiCaller changer(SecurityContext security) {
        ApiCaller caller = ApiCaller.of(security.getUserPrincipal());
        if (caller.apiKey().scope() == ApiKeyScope.READ) {
            throw ApiException.forbidden("A key of scope 'read' cannot create, rotate or revoke keys; "
                    + "use a key of scope operator or admin.");
        }
        return caller;
    }

    /** What the directory refuses is the caller's to fix; its messages say how. */
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
}
