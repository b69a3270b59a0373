package io.cachet.portal.internal;

import java.util.List;
import java.util.Set;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsApplicationSelect;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsResource;

import com.fasterxml.jackson.databind.JsonNode;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.Schema.RequiredMode;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import io.cachet.api.link.IssuedLink;
import io.cachet.api.link.PersonalLinks;
import io.cachet.api.notify.Notifier;
import io.cachet.api.order.OrderRole;
import io.cachet.api.order.Orders;
import io.cachet.api.reseller.ResellerScope;
import io.cachet.api.reseller.Resellers;
import io.cachet.api.rest.ApiCaller;
import io.cachet.api.rest.ApiException;
import io.cachet.api.rest.BodyLimit;
import io.cachet.api.rest.RestApi;
import io.cachet.api.store.Database;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;

/**
 * {@code POST /api/v1/orders/{id}/status-links}: support sends a person who lost the order's e-mail a fresh link to
 * the status page, at the address the order holds (the caller never sees the link). The fresh link revokes the one
 * sent before; issuing it, queueing its e-mail and the audit record {@code portal.link.issued} (with the caller as
 * actor) are one transaction. A reseller's key does the same for its own customers' orders (the order of another
 * reseller or of a direct customer does not exist for it: 404), as {@code /api/v1/orders} ties keys to resellers
 * ({@link ResellerScope}).
 */
@Component(service = StatusLinksResource.class, configurationPid = PortalSettings.PID)
@JakartarsResource
@JakartarsApplicationSelect(RestApi.APPLICATION_SELECT)
@Path("/orders/{id}/status-links")
@Produces(MediaType.APPLICATION_JSON)
@BodyLimit(value = 1024, hint = "a role's name")
@Tag(name = "orders", description = "Orders of seal certificates")
public class StatusLinksResource {

    /** The roles that act for the platform here: every order. */
    static final Set<String> STAFF = Set.of(RestApi.ROLE_ADMIN, RestApi.ROLE_OPERATOR, RestApi.ROLE_SUPPORT);

    private final StatusLinks links;

    /** Tells a reseller's key its reseller; absent while the resellers' module is not running (then 503 to them). */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile Resellers resellers;

    @Activate
    public StatusLinksResource(@Reference Database database, @Reference Orders orders,
            @Reference PersonalLinks links, @Reference Notifier notifier, PortalConfiguration config,
            BundleContext context) {
        this(database, orders, new OrderMailer(links, notifier, PortalSettings.of(config,
                context.getProperty("org.osgi.service.http.port")).statusLinkValidity()));
    }

    StatusLinksResource(Database database, Orders orders, OrderMailer mailer) {
        this.links = new StatusLinks(database, orders, mailer);
    }

    @Schema(name = "StatusLinksRequest")
    public record SendRequest(@Schema(allowableValues = { "certificate-manager", "legal-representative" },
            description = "only this person; absent: each person of the order") String role) {
    }

    @Schema(name = "StatusLinkSent")
    public record Sent(@Schema(allowableValues = { "certificate-manager", "legal-representative" }) String role,
            @Schema(description = "where the link was sent: the person's address in the order") String email,
            @Schema(format = "date-time", description = "until when the link opens") String expiresAt) {
    }

    @Schema(name = "StatusLinksSent")
    public record SentView(String orderId, @Schema(requiredMode = RequiredMode.REQUIRED) List<Sent> sent) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({ RestApi.ROLE_ADMIN, RestApi.ROLE_OPERATOR, RestApi.ROLE_SUPPORT, RestApi.ROLE_RESELLER })
    @Operation(summary = "Send the status page's link again", description = "For a person who lost the order's"
            + " e-mail: a fresh link to the order's status page is e-mailed to the address the order holds"
            + " (portal.order.link, in the order's language and brand); the link sent before no longer opens. The"
            + " answer says where it went, never the link. An empty body sends to each person. A reseller's key"
            + " reaches its own customers' orders only.")
    @RequestBody(content = @Content(schema = @Schema(implementation = SendRequest.class)))
    @ApiResponse(responseCode = "200", description = "Sent", content = @Content(schema = @Schema(
            implementation = SentView.class)))
    @ApiResponse(responseCode = "400", description = "An unknown role, or the legal representative of an order whose"
            + " certificate manager holds both roles")
    @ApiResponse(responseCode = "403", description = "A key tied to no reseller, or of a disabled reseller")
    @ApiResponse(responseCode = "404", description = "No such order (or another reseller's)")
    @ApiResponse(responseCode = "409", description = "The order has ended: its status page no longer opens")
    public Response send(@Context SecurityContext security, @PathParam("id") String id,
            @Parameter(hidden = true) JsonNode body) {
        ApiCaller caller = ApiCaller.of(security.getUserPrincipal());
        String reseller = ResellerScope.of(caller, STAFF, resellers).map(r -> r.id()).orElse(null);
        OrderRole only = role(body);
        List<IssuedLink> sent;
        try {
            sent = links.send(id, only, caller.actor(), reseller);
        } catch (StatusLinks.Refused e) {
            throw switch (e.why) {
            case NO_ORDER -> ApiException.notFound("No order " + (id.length() > 40 ? id.substring(0, 40) + "…" : id)
                    + ".");
            case ENDED -> ApiException.conflict("Order " + id + " is " + e.order.state() + ": its status page no"
                    + " longer opens, so no link is sent.");
            case NOT_APART -> ApiException.badRequest("The certificate manager of order " + id + " is also its legal"
                    + " representative: send to the certificate manager.");
            };
        }
        return Response.ok(new SentView(id, sent.stream().map(l -> new Sent(l.link().role().id(), l.link().email(),
                l.link().expiresAt().toString())).toList())).header("Cache-Control", "no-store").build();
    }

    /** The role asked for, or null for each person; a value of another type or an unknown role is a 400. */
    static OrderRole role(JsonNode body) {
        JsonNode r = body == null ? null : body.get("role");
        if (r == null || r.isNull()) {
            return null;
        }
        for (OrderRole role : OrderRole.values()) {
            if (r.isTextual() && role.id().equals(r.asText().strip())) {
                return role;
            }
        }
        throw ApiException.badRequest("Field 'role' must be certificate-manager or legal-representative.");
    }
}
