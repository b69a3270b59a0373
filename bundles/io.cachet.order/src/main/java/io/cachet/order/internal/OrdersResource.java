package io.cachet.order.internal;

import java.net.URI;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsApplicationSelect;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsResource;

import com.fasterxml.jackson.databind.JsonNode;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
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
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import io.cachet.api.order.CheckState;
import io.cachet.api.order.FieldError;
import io.cachet.api.order.Order;
import io.cachet.api.order.OrderEvent;
import io.cachet.api.order.OrderException;
import io.cachet.api.order.OrderPage;
import io.cachet.api.order.OrderQuery;
import io.cachet.api.order.OrderState;
import io.cachet.api.order.Submission;
import io.cachet.api.reseller.Reseller;
import io.cachet.api.reseller.ResellerScope;
import io.cachet.api.reseller.Resellers;
import io.cachet.api.rest.ApiCaller;
import io.cachet.api.rest.ApiException;
import io.cachet.api.rest.BodyLimit;
import io.cachet.api.rest.RestApi;
import io.cachet.order.internal.OrderJson.DeliveryView;
import io.cachet.order.internal.OrderJson.LegalView;
import io.cachet.order.internal.OrderJson.OrganisationView;
import io.cachet.order.internal.OrderJson.PersonView;

/**
 * {@code /api/v1/orders}: submit, list, read, follow, cancel and reject orders. Operators (admin, operator,
 * ra-officer, support; auditor read-only) see every order; an API account with the role {@code reseller} is tied
 * to its reseller ({@link Resellers#byLogin}) and sees, submits and cancels its own orders only — another's is
 * 404, as if it did not exist.
 */
@Component(service = OrdersResource.class)
@JakartarsResource
@JakartarsApplicationSelect(RestApi.APPLICATION_SELECT)
@Path("/orders")
@Produces(MediaType.APPLICATION_JSON)
@BodyLimit(value = OrdersResource.MAX_BODY, hint = "an order fits in far less")
@Tag(name = "orders", description = "Orders of seal certificates")
public class OrdersResource {

    static final int MAX_BODY = 32 * 1024;
    static final int DEFAULT_LIMIT = 50;
    private static final Set<String> OPERATORS = Set.of(RestApi.ROLE_ADMIN, RestApi.ROLE_OPERATOR,
            RestApi.ROLE_RA_OFFICER, RestApi.ROLE_SUPPORT, RestApi.ROLE_AUDITOR);

    private final OrdersComponent orders;
    private volatile Resellers resellers;

    @Activate
    public OrdersResource(@Reference OrdersComponent orders) {
        this.orders = orders;
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setResellers(Resellers r) {
        this.resellers = r;
    }

    void unsetResellers(Resellers r) {
        if (resellers == r) {
            resellers = null;
        }
    }

    // ---- views

    @Schema(name = "OrderCheck", description = "A check recorded for the order in one state")
    public record CheckView(String kind, String state, @Schema(allowableValues = { "PENDING", "PASSED", "FAILED" })
            String status, String detail, @Schema(format = "date-time") String updatedAt) {
        static CheckView of(CheckState c) {
            return new CheckView(c.kind(), c.state().name(), c.status().name(), c.detail(), text(c.updatedAt()));
        }
    }

    @Schema(name = "Order", description = "An order as stored: the request's fields and the order's own")
    public record OrderView(@Schema(description = "ord_…") String id,
            @Schema(allowableValues = { "SUBMITTED", "VERIFICATION", "ACCEPTANCE", "ISSUANCE", "DELIVERY", "ACTIVE",
                "CANCELLED", "REJECTED", "EXPIRED" }) String state,
            String product, int validityYears, String medium, PersonView certificateManager,
            LegalView legalRepresentative, OrganisationView organisation, DeliveryView delivery, String language,
            @Schema(description = "the reseller's id, or null for a direct customer") String reseller, String brand,
            @Schema(format = "date-time") String createdAt, @Schema(format = "date-time") String updatedAt,
            @Schema(format = "date-time", description = "when the order expires if the customer's part (up to"
                    + " ACCEPTANCE) is not done by then; null from ISSUANCE on, where it no longer expires")
            String expiresAt,
            @Schema(description = "why it was cancelled, rejected or expired") String reason, List<CheckView> checks,
            @Schema(description = "incremented by every change") long version) {
        static OrderView of(Order o) {
            var r = o.request();
            return new OrderView(o.id(), o.state().name(), r.product(), r.validityYears(), r.medium().id(),
                    PersonView.of(r.certificateManager()), LegalView.of(r), OrganisationView.of(r.organisation()),
                    DeliveryView.of(r.delivery()), o.language(), o.reseller(), o.brand(), text(o.createdAt()),
                    text(o.updatedAt()), o.deadline().map(OrdersResource::text).orElse(null), o.reason(),
                    o.checks().stream().map(CheckView::of).toList(), o.version());
        }
    }

    @Schema(name = "OrderList", description = "A page of orders, newest first")
    public record PageView(List<OrderView> orders, @Schema(description = "give it as 'after' for the next page;"
            + " null on the last") String next) {
    }

    @Schema(name = "OrderEvent", description = "A transition of the order, as audited")
    public record EventView(long sequence, @Schema(format = "date-time") String at, String from, String to,
            @Schema(description = "api:<login>, operator:<login>, customer, check:<kind>, system") String actor,
            String reason) {
        static EventView of(OrderEvent e) {
            return new EventView(e.sequence(), text(e.at()), e.from() == null ? null : e.from().name(), e.to().name(),
                    e.actor(), e.reason());
        }
    }

    @Schema(name = "OrderEvents")
    public record EventsView(String orderId, List<EventView> events) {
    }

    @Schema(name = "OrderDecision", description = "Why: shown to the customer")
    public record ReasonView(String reason) {
    }

    // ---- endpoints

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({ RestApi.ROLE_ADMIN, RestApi.ROLE_OPERATOR, RestApi.ROLE_RESELLER })
    @Operation(summary = "Submit an order", description = "Validates the order (every error names its field),"
            + " stores it and moves it to VERIFICATION. With an Idempotency-Key, the same key and body give back the"
            + " first order (200); the same key with another body is a 409. Unknown fields are ignored.")
    @RequestBody(required = true, content = @Content(schema = @Schema(implementation = OrderJson.RequestView.class)))
    @ApiResponse(responseCode = "201", description = "Submitted", headers = @Header(name = "Location",
            schema = @Schema(type = "string")), content = @Content(schema = @Schema(implementation = OrderView.class)))
    @ApiResponse(responseCode = "200", description = "The order an earlier request with this Idempotency-Key made",
            headers = @Header(name = "Location", schema = @Schema(type = "string")),
            content = @Content(schema = @Schema(implementation = OrderView.class)))
    @ApiResponse(responseCode = "400", description = "Invalid: problem+json with errors [{field, code, message}]")
    @ApiResponse(responseCode = "409", description = "The Idempotency-Key was used for another body")
    @ApiResponse(responseCode = "413", description = "Body over 32 KiB")
    @ApiResponse(responseCode = "503", description = "A reseller's key while the resellers' module is not running")
    public Response submit(@Context SecurityContext security,
            @Parameter(description = "a key of your choice (1 to 200 characters) making retries safe")
            @HeaderParam("Idempotency-Key") String idempotencyKey,
            @HeaderParam("Accept-Language") String acceptLanguage, @Parameter(hidden = true) JsonNode body) {
        Caller caller = caller(security);
        OrderJson.Parsed parsed = OrderJson.parse(body);
        List<FieldError> errors = new ArrayList<>(parsed.errors());
        String language = parsed.language();
        if (language != null && !Set.of("fr", "en").contains(language.strip().toLowerCase(Locale.ROOT))) {
            errors.add(new FieldError("language", "invalid", "language must be fr or en."));
        }
        if (language == null) {
            language = acceptLanguage != null && acceptLanguage.strip().toLowerCase(Locale.ROOT).startsWith("en")
                    ? "en" : "fr";
        }
        if (!errors.isEmpty()) {
            throw invalid(OrderJson.merge(errors, orders.validate(parsed.request())));
        }
        Submission submission = new Submission(caller.api().actor(), caller.reseller() == null ? null
                : caller.reseller().id(), caller.reseller() == null ? null : caller.reseller().brand(),
                language.strip().toLowerCase(Locale.ROOT), idempotencyKey);
        OrderService.Submitted s;
        try {
            s = orders.service().submitted(parsed.request(), submission);
        } catch (OrderException e) {
            throw problem(e);
        }
        URI location = URI.create(RestApi.BASE_PATH + "/orders/" + s.order().id());
        return (s.created() ? Response.created(location) : Response.ok().location(location))
                .entity(OrderView.of(s.order())).header("Cache-Control", "no-store").build();
    }

    @GET
    @RolesAllowed({ RestApi.ROLE_ADMIN, RestApi.ROLE_OPERATOR, RestApi.ROLE_RA_OFFICER, RestApi.ROLE_SUPPORT,
        RestApi.ROLE_AUDITOR, RestApi.ROLE_RESELLER })
    @Operation(summary = "Orders, newest first", description = "A reseller sees its own orders only (its 'reseller'"
            + " parameter is ignored).")
    @ApiResponse(responseCode = "200", description = "A page of orders",
            content = @Content(schema = @Schema(implementation = PageView.class)))
    @ApiResponse(responseCode = "400", description = "A bad parameter")
    public Response list(@Context SecurityContext security,
            @Parameter(description = "only orders in this state") @QueryParam("state") String state,
            @Parameter(description = "only this reseller's orders (operators)") @QueryParam("reseller") String reseller,
            @Parameter(description = "created at or after: an instant (2026-01-31T00:00:00Z) or a date (UTC)")
            @QueryParam("from") String from,
            @Parameter(description = "created before: an instant or a date (UTC, exclusive)") @QueryParam("to") String to,
            @Parameter(description = "text in the id, organisation name or identifier, a person's name or e-mail")
            @QueryParam("q") String q,
            @Parameter(description = "1 to 200") @QueryParam("limit") @DefaultValue("50") int limit,
            @Parameter(description = "the 'next' of the previous page") @QueryParam("after") String after) {
        Caller caller = caller(security);
        OrderState s = null;
        if (state != null && !state.isBlank()) {
            try {
                s = OrderState.valueOf(state.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("Parameter 'state' must be one of SUBMITTED, VERIFICATION, ACCEPTANCE,"
                        + " ISSUANCE, DELIVERY, ACTIVE, CANCELLED, REJECTED, EXPIRED.");
            }
        }
        if (limit < 1 || limit > 200) {
            throw ApiException.badRequest("Parameter 'limit' must be 1 to 200.");
        }
        if (q != null && q.length() > 200) {
            throw ApiException.badRequest("Parameter 'q' is at most 200 characters.");
        }
        String scope = caller.reseller() != null ? caller.reseller().id()
                : reseller == null || reseller.isBlank() ? null : reseller.strip();
        try {
            OrderPage page = orders.list(new OrderQuery(s, scope, instant(from, "from"), instant(to, "to"), q, after,
                    limit));
            return Response.ok(new PageView(page.orders().stream().map(OrderView::of).toList(), page.next()))
                    .header("Cache-Control", "no-store").build();
        } catch (OrderException e) {
            throw problem(e);
        }
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({ RestApi.ROLE_ADMIN, RestApi.ROLE_OPERATOR, RestApi.ROLE_RA_OFFICER, RestApi.ROLE_SUPPORT,
        RestApi.ROLE_AUDITOR, RestApi.ROLE_RESELLER })
    @Operation(summary = "An order")
    @ApiResponse(responseCode = "200", description = "The order",
            content = @Content(schema = @Schema(implementation = OrderView.class)))
    @ApiResponse(responseCode = "404", description = "No such order (or another reseller's)")
    public Response read(@Context SecurityContext security, @PathParam("id") String id) {
        Order o = visible(caller(security), id);
        return Response.ok(OrderView.of(o)).header("Cache-Control", "no-store").header("ETag", "\"" + o.version() + "\"")
                .build();
    }

    @GET
    @Path("/{id}/events")
    @RolesAllowed({ RestApi.ROLE_ADMIN, RestApi.ROLE_OPERATOR, RestApi.ROLE_RA_OFFICER, RestApi.ROLE_SUPPORT,
        RestApi.ROLE_AUDITOR, RestApi.ROLE_RESELLER })
    @Operation(summary = "The order's transitions, oldest first, with actor and reason")
    @ApiResponse(responseCode = "200", description = "The events",
            content = @Content(schema = @Schema(implementation = EventsView.class)))
    @ApiResponse(responseCode = "404", description = "No such order (or another reseller's)")
    public Response events(@Context SecurityContext security, @PathParam("id") String id) {
        visible(caller(security), id);
        return Response.ok(new EventsView(id, orders.events(id).stream().map(EventView::of).toList()))
                .header("Cache-Control", "no-store").build();
    }

    @POST
    @Path("/{id}/cancellation")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({ RestApi.ROLE_ADMIN, RestApi.ROLE_OPERATOR, RestApi.ROLE_RA_OFFICER, RestApi.ROLE_SUPPORT,
        RestApi.ROLE_RESELLER })
    @Operation(summary = "Cancel an order", description = "A reseller (for its customer) before ISSUANCE; an operator"
            + " at any open state. Asked again once cancelled: the order as it is (200).")
    @RequestBody(content = @Content(schema = @Schema(implementation = ReasonView.class)))
    @ApiResponse(responseCode = "200", description = "Cancelled",
            content = @Content(schema = @Schema(implementation = OrderView.class)))
    @ApiResponse(responseCode = "404", description = "No such order (or another reseller's)")
    @ApiResponse(responseCode = "409", description = "The order can no longer be cancelled (by this caller)")
    public Response cancel(@Context SecurityContext security, @PathParam("id") String id,
            @Parameter(hidden = true) JsonNode body) {
        Caller caller = caller(security);
        visible(caller, id);
        try {
            Order o = orders.cancel(id, caller.api().actor(), reason(body), caller.reseller() != null);
            return Response.ok(OrderView.of(o)).header("Cache-Control", "no-store").build();
        } catch (OrderException e) {
            throw problem(e);
        }
    }

    @POST
    @Path("/{id}/rejection")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({ RestApi.ROLE_ADMIN, RestApi.ROLE_OPERATOR, RestApi.ROLE_RA_OFFICER })
    @Operation(summary = "Reject an order (operators), with the reason shown to the customer")
    @RequestBody(required = true, content = @Content(schema = @Schema(implementation = ReasonView.class)))
    @ApiResponse(responseCode = "200", description = "Rejected",
            content = @Content(schema = @Schema(implementation = OrderView.class)))
    @ApiResponse(responseCode = "400", description = "No reason")
    @ApiResponse(responseCode = "403", description = "Not an operator (a reseller's key, say)")
    @ApiResponse(responseCode = "404", description = "No such order")
    @ApiResponse(responseCode = "409", description = "The order is no longer open")
    public Response reject(@Context SecurityContext security, @PathParam("id") String id,
            @Parameter(hidden = true) JsonNode body) {
        Caller caller = caller(security);
        visible(caller, id);
        try {
            Order o = orders.reject(id, caller.api().actor(), reason(body));
            return Response.ok(OrderView.of(o)).header("Cache-Control", "no-store").build();
        } catch (OrderException e) {
            throw problem(e);
        }
    }

    // ---- who asks

    /** The caller, and its reseller when it calls as one (null for an operator). */
    record Caller(ApiCaller api, Reseller reseller) {
    }

    private Caller caller(SecurityContext security) {
        ApiCaller api = ApiCaller.of(security.getUserPrincipal());
        return new Caller(api, ResellerScope.of(api, OPERATORS, resellers).orElse(null));
    }

    /** The order if this caller may see it; 404 otherwise (another reseller's order does not exist for it). */
    private Order visible(Caller caller, String id) {
        Order o = orders.find(id).orElse(null);
        if (o == null || caller.reseller() != null && !caller.reseller().id().equals(o.reseller())) {
            throw ApiException.notFound("No order " + (id.length() > 40 ? id.substring(0, 40) + "…" : id) + ".");
        }
        return o;
    }

    private static String reason(JsonNode body) {
        JsonNode r = body == null ? null : body.get("reason");
        if (r == null || r.isNull()) {
            return null;
        }
        if (!r.isTextual()) {
            throw invalid(List.of(new FieldError("reason", "invalid", "reason must be a string.")));
        }
        return r.textValue();
    }

    static ApiException invalid(List<FieldError> errors) {
        List<Map<String, String>> items = errors.stream().map(e -> Map.of("field", e.field(), "code", e.code(),
                "message", e.message())).toList();
        String first = errors.isEmpty() ? "" : " First: " + errors.get(0).field() + ": " + errors.get(0).message();
        return new ApiException(400, "invalid_request", "The request is invalid: " + errors.size()
                + " field(s) to correct (see errors)." + first, Map.of("errors", items));
    }

    static ApiException problem(OrderException e) {
        return switch (e.reason()) {
            case INVALID -> invalid(e.errors());
            case NOT_FOUND -> ApiException.notFound(e.getMessage());
            case CONFLICT -> ApiException.conflict(e.getMessage());
            case FORBIDDEN -> ApiException.forbidden(e.getMessage());
        };
    }

    private static Instant instant(String value, String name) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.strip();
        try {
            return v.length() == 10 ? LocalDate.parse(v).atStartOfDay(ZoneOffset.UTC).toInstant() : Instant.parse(v);
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest("Parameter '" + name + "' must be a date (2026-01-31) or an instant"
                    + " (2026-01-31T10:00:00Z).");
        }
    }

    static String text(Instant t) {
        return t == null ? null : t.toString();
    }
}
