package io.cachet.webhook.internal;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsApplicationSelect;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsResource;

import com.fasterxml.jackson.annotation.JsonInclude;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
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
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import io.cachet.api.reseller.Reseller;
import io.cachet.api.reseller.ResellerScope;
import io.cachet.api.reseller.Resellers;
import io.cachet.api.rest.ApiCaller;
import io.cachet.api.rest.ApiException;
import io.cachet.api.rest.BodyLimit;
import io.cachet.api.rest.RestApi;
import io.cachet.webhook.internal.WebhookStore.Attempt;
import io.cachet.webhook.internal.WebhookStore.Delivery;
import io.cachet.webhook.internal.WebhookStore.Endpoint;

/**
 * {@code /api/v1/webhooks}: a reseller (its own key) registers, lists, deletes its webhooks, rotates their secrets
 * and reads their delivery log; an administrator does the same for any reseller (naming it when registering). A
 * webhook of another reseller is a 404, as if it did not exist.
 */
@Component(service = WebhooksResource.class)
@JakartarsResource
@JakartarsApplicationSelect(RestApi.APPLICATION_SELECT)
@Path("/webhooks")
@Produces(MediaType.APPLICATION_JSON)
@BodyLimit(4 * 1024)
@RolesAllowed({ RestApi.ROLE_ADMIN, RestApi.ROLE_RESELLER })
@Tag(name = "webhooks", description = "Outbound webhooks of resellers: order state changes, signed")
public class WebhooksResource {

    static final int MAX_LIMIT = 200;

    private final WebhookComponent webhooks;
    private final Resellers resellers;

    @Activate
    public WebhooksResource(@Reference WebhookComponent webhooks, @Reference Resellers resellers) {
        this.webhooks = webhooks;
        this.resellers = resellers;
    }

    @Schema(name = "WebhookRequest")
    public record CreateRequest(@Schema(requiredMode = Schema.RequiredMode.REQUIRED,
            description = "https URL receiving the events") String url,
            @Schema(description = "the reseller's id: administrators only (a reseller's key registers its own)")
            String reseller) {
    }

    @Schema(name = "Webhook")
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record View(String id, String reseller, String url, String createdAt, String secretRotatedAt,
            @Schema(description = "until when the previous secret also signs, after a rotation") String previousSecretValidUntil) {
        static View of(Endpoint e) {
            return new View(e.id(), e.reseller(), e.url(), text(e.createdAt()), text(e.rotatedAt()),
                    text(e.previousUntil()));
        }
    }

    @Schema(name = "WebhookWithSecret", description = "A webhook with its signing secret, shown this once")
    public record IssuedView(String id, String reseller, String url, String createdAt, String secretRotatedAt,
            String previousSecretValidUntil, @Schema(description = "the HMAC-SHA256 key; shown once: store it now")
            String secret) {
        static IssuedView of(Webhooks.Issued i) {
            View v = View.of(i.endpoint());
            return new IssuedView(v.id(), v.reseller(), v.url(), v.createdAt(), v.secretRotatedAt(),
                    v.previousSecretValidUntil(), i.secret());
        }
    }

    @Schema(name = "WebhookList")
    public record ListView(List<View> webhooks) {
    }

    @Schema(name = "WebhookAttempt")
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record AttemptView(int attempt, String at, Integer statusCode, String error, long durationMs,
            String nextAttemptAt) {
        static AttemptView of(Attempt a) {
            return new AttemptView(a.attempt(), text(a.at()), a.statusCode(), a.error(), a.durationMillis(),
                    text(a.nextAttemptAt()));
        }
    }

    @Schema(name = "WebhookDelivery")
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record DeliveryView(String id, String orderId,
            @Schema(allowableValues = { "order.state_changed", "certificate.revoked" }) String type,
            @Schema(allowableValues = { "pending", "delivered", "failed" }) String status, int attempts,
            String createdAt, @Schema(description = "when the next attempt is due (pending only)") String nextAttemptAt,
            String deliveredAt, Integer lastStatusCode, String lastError, List<AttemptView> log) {
    }

    @Schema(name = "WebhookDeliveryList")
    public record DeliveryList(int offset, int limit, List<DeliveryView> deliveries) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Register a webhook; its signing secret is in this answer only")
    @ApiResponse(responseCode = "201", description = "The webhook with its secret",
            content = @Content(schema = @Schema(implementation = IssuedView.class)))
    @ApiResponse(responseCode = "400", description = "A bad field, named (e.g. url not https, or a private address)")
    @ApiResponse(responseCode = "403", description = "Neither a reseller nor an administrator")
    public Response create(@Context SecurityContext security, CreateRequest body) {
        ApiCaller caller = ApiCaller.of(security.getUserPrincipal());
        if (body == null) {
            throw ApiException.badRequest("Send a JSON body {\"url\": \"https://...\"}.");
        }
        String reseller;
        if (caller.operator().hasRole(RestApi.ROLE_ADMIN)) {
            if (body.reseller() == null || body.reseller().isBlank()) {
                throw ApiException.badRequest("Field 'reseller' is required: the id of the reseller whose webhook it is.");
            }
            reseller = resellers.find(body.reseller().strip()).map(Reseller::id).orElseThrow(() -> ApiException
                    .badRequest("Field 'reseller': there is no reseller " + shorten(body.reseller()) + "."));
        } else {
            reseller = own(caller);
            if (body.reseller() != null && !body.reseller().isBlank() && !body.reseller().strip().equals(reseller)) {
                throw ApiException.badRequest("Field 'reseller' must be absent or your own id (" + reseller + ").");
            }
        }
        Webhooks.Issued issued;
        try {
            issued = webhooks.register(reseller, body.url(), caller.actor());
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        return Response.created(URI.create(RestApi.BASE_PATH + "/webhooks/" + issued.endpoint().id()))
                .entity(IssuedView.of(issued)).header("Cache-Control", "no-store").build();
    }

    @GET
    @Operation(summary = "Webhooks: a reseller's own; an administrator's, every reseller's (or one's with ?reseller=)")
    @ApiResponse(responseCode = "200", description = "The webhooks, oldest first",
            content = @Content(schema = @Schema(implementation = ListView.class)))
    public ListView list(@Context SecurityContext security, @QueryParam("reseller") String reseller) {
        ApiCaller caller = ApiCaller.of(security.getUserPrincipal());
        String scope = caller.operator().hasRole(RestApi.ROLE_ADMIN)
                ? (reseller == null || reseller.isBlank() ? null : reseller.strip())
                : own(caller);
        return new ListView(webhooks.list(scope).stream().map(View::of).toList());
    }

    @GET
    @Path("{id}")
    @Operation(summary = "A webhook")
    @ApiResponse(responseCode = "200", description = "The webhook",
            content = @Content(schema = @Schema(implementation = View.class)))
    @ApiResponse(responseCode = "404", description = "No such webhook of yours")
    public View get(@Context SecurityContext security, @PathParam("id") String id) {
        return View.of(visible(ApiCaller.of(security.getUserPrincipal()), id));
    }

    @DELETE
    @Path("{id}")
    @Operation(summary = "Delete a webhook: nothing more is sent to it; its pending deliveries end as failed")
    @ApiResponse(responseCode = "204", description = "Deleted")
    @ApiResponse(responseCode = "404", description = "No such webhook of yours")
    public Response delete(@Context SecurityContext security, @PathParam("id") String id) {
        ApiCaller caller = ApiCaller.of(security.getUserPrincipal());
        Endpoint e = visible(caller, id);
        try {
            webhooks.delete(e.id(), caller.actor());
        } catch (Webhooks.NoSuchElementException gone) {
            throw ApiException.notFound(gone.getMessage());
        }
        return Response.noContent().build();
    }

    @POST
    @Path("{id}/secret-rotation")
    @Operation(summary = "A new signing secret, shown in this answer only; the previous one also signs for a grace"
            + " period (configuration rotationGraceHours, default 24 h)")
    @ApiResponse(responseCode = "200", description = "The webhook with its new secret",
            content = @Content(schema = @Schema(implementation = IssuedView.class)))
    @ApiResponse(responseCode = "404", description = "No such webhook of yours")
    public Response rotate(@Context SecurityContext security, @PathParam("id") String id) {
        ApiCaller caller = ApiCaller.of(security.getUserPrincipal());
        Endpoint e = visible(caller, id);
        try {
            return Response.ok(IssuedView.of(webhooks.rotate(e.id(), caller.actor())))
                    .header("Cache-Control", "no-store").build();
        } catch (Webhooks.NoSuchElementException gone) {
            throw ApiException.notFound(gone.getMessage());
        }
    }

    @GET
    @Path("{id}/deliveries")
    @Operation(summary = "The delivery log of a webhook, newest first: every attempt with its status code or error,"
            + " duration and the next attempt")
    @ApiResponse(responseCode = "200", description = "A page of deliveries",
            content = @Content(schema = @Schema(implementation = DeliveryList.class)))
    @ApiResponse(responseCode = "400", description = "A bad offset or limit")
    @ApiResponse(responseCode = "404", description = "No such webhook of yours")
    public DeliveryList deliveries(@Context SecurityContext security, @PathParam("id") String id,
            @QueryParam("offset") @DefaultValue("0") int offset, @QueryParam("limit") @DefaultValue("50") int limit) {
        Endpoint e = visible(ApiCaller.of(security.getUserPrincipal()), id);
        if (offset < 0) {
            throw ApiException.badRequest("Parameter 'offset' must be 0 or more.");
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw ApiException.badRequest("Parameter 'limit' must be 1 to " + MAX_LIMIT + ".");
        }
        List<DeliveryView> out = webhooks.deliveries(e.id(), offset, limit).entrySet().stream()
                .map(x -> view(x.getKey(), x.getValue())).toList();
        return new DeliveryList(offset, limit, out);
    }

    static DeliveryView view(Delivery d, List<Attempt> attempts) {
        return new DeliveryView(d.id(), d.orderId(), d.type(), d.status().name().toLowerCase(Locale.ROOT), d.attempts(),
                text(d.createdAt()), d.status() == WebhookStore.Status.PENDING ? text(d.nextAttemptAt()) : null,
                text(d.deliveredAt()), d.lastStatus(), d.lastError(), attempts.stream().map(AttemptView::of).toList());
    }

    /** The caller's reseller id; 403 for an account that is not a reseller's (or one disabled). Not for admins. */
    private String own(ApiCaller caller) {
        return ResellerScope.of(caller, Set.of(RestApi.ROLE_ADMIN), resellers).orElseThrow().id();
    }

    /** The webhook when the caller may see it; 404 otherwise (another reseller's is not told apart from none). */
    private Endpoint visible(ApiCaller caller, String id) {
        Endpoint e = webhooks.find(id).orElseThrow(() -> ApiException.notFound("There is no webhook " + shorten(id) + "."));
        if (!caller.operator().hasRole(RestApi.ROLE_ADMIN) && !e.reseller().equals(own(caller))) {
            throw ApiException.notFound("There is no webhook " + shorten(id) + ".");
        }
        return e;
    }

    private static String shorten(String s) {
        return s == null ? "" : s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }

    static String text(Instant t) {
        return t == null ? null : t.toString();
    }
}
