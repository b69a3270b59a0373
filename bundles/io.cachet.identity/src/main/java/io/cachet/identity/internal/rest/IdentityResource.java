package io.cachet.identity.internal.rest;

import java.time.Instant;
import java.util.List;
import java.util.Locale;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsApplicationSelect;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsResource;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
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
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import io.cachet.api.identity.Attempt;
import io.cachet.api.identity.CaseStatus;
import io.cachet.api.identity.CheckResult;
import io.cachet.api.identity.Decision;
import io.cachet.api.identity.Evidence;
import io.cachet.api.identity.IdentityCase;
import io.cachet.api.identity.IdentityCases;
import io.cachet.api.identity.IdentityException;
import io.cachet.api.identity.MrzData;
import io.cachet.api.rest.ApiCaller;
import io.cachet.api.rest.ApiException;
import io.cachet.api.rest.BodyLimit;
import io.cachet.api.rest.RestApi;

/**
 * {@code /api/v1/identity}: the operators' side of identity proofing over REST, the same service and rules as the
 * console's review pages ({@code io.cachet.identity.console}).
 *
 * <ul>
 * <li>An order's cases and one case: every operator role that reads orders (the order already shows the persons'
 * names); what the machine readable zone said (document number, nationality…) only in one case read by a
 * registration officer, and each such read is audited ({@code identity.case.viewed}) as the console's case page is. Images are never served
 * here: they stay behind the console's viewer.</li>
 * <li>The review queue (no names): registration officers and support, as in the console.</li>
 * <li>A decision: registration officers only; a second approval (when configured) must come from another
 * operator, whether they decided in the console or here.</li>
 * </ul>
 */
@Component(service = IdentityResource.class)
@JakartarsResource
@JakartarsApplicationSelect(RestApi.APPLICATION_SELECT)
@Path("/identity")
@Produces(MediaType.APPLICATION_JSON)
@BodyLimit(value = IdentityResource.MAX_BODY, hint = "a decision fits in far less")
@Tag(name = "identity", description = "Identity proofing: the cases of an order, the review queue, decisions")
public class IdentityResource {

    static final int MAX_BODY = 8 * 1024;
    /** As the console's review form. */
    static final int MAX_COMMENT = 1000;
    static final int MAX_ID = 100;

    private final IdentityCases cases;

    @Activate
    public IdentityResource(@Reference IdentityCases cases) {
        this.cases = cases;
    }

    // ---- views

    @Schema(name = "IdentityEvidence", description = "An image kept as evidence (its bytes only in the console)")
    public record EvidenceView(@Schema(allowableValues = { "document-front", "document-back", "selfie" }) String kind,
            String contentType, int width, int height, long size, String sha256,
            @Schema(format = "date-time") String receivedAt) {
        static EvidenceView of(Evidence e) {
            return new EvidenceView(e.kind().id(), e.contentType(), e.width(), e.height(), e.size(), e.sha256(),
                    text(e.receivedAt()));
        }
    }

    @Schema(name = "IdentityMrz", description = "What the machine readable zone said (registration officers only)")
    public record MrzView(String format, String documentCode, String issuingState, String documentNumber,
            String surname, List<String> givenNames, String nationality, String birthDate, String sex,
            String expiryDate, String issued) {
        static MrzView of(MrzData m) {
            return m == null ? null : new MrzView(m.format(), m.documentCode(), m.issuingState(), m.documentNumber(),
                    m.surname(), m.givenNames(), m.nationality(), str(m.birthDate()), m.sex(), str(m.expiryDate()),
                    str(m.issued()));
        }
    }

    @Schema(name = "IdentityCheck", description = "An automatic check run on an attempt's evidence")
    public record CheckView(String name, boolean passed, String detail) {
        static CheckView of(CheckResult c) {
            return new CheckView(c.name(), c.passed(), c.detail());
        }
    }

    @Schema(name = "IdentityAttempt", description = "One try of the person")
    public record AttemptView(int number, String provider, String documentType, List<EvidenceView> evidence,
            @Schema(description = "whether the zone was accepted") boolean mrzAccepted,
            @Schema(description = "the zone's data: registration officers only, else null") MrzView mrz,
            List<CheckView> checks, @Schema(format = "date-time") String startedAt,
            @Schema(format = "date-time") String submittedAt) {
        static AttemptView of(Attempt a, boolean withMrz) {
            return new AttemptView(a.number(), a.provider(), a.documentType(),
                    a.evidence().stream().map(EvidenceView::of).toList(), a.mrz() != null,
                    withMrz ? MrzView.of(a.mrz()) : null, a.checks().stream().map(CheckView::of).toList(),
                    text(a.startedAt()), text(a.submittedAt()));
        }
    }

    @Schema(name = "IdentityDecision", description = "An operator's decision on an attempt")
    public record DecisionView(String operator, boolean approved, String reason, String comment, int attempt,
            @Schema(format = "date-time") String at) {
        static DecisionView of(Decision d) {
            return new DecisionView(d.operator(), d.approved(), d.reason(), d.comment(), d.attempt(), text(d.at()));
        }
    }

    @Schema(name = "IdentityCase", description = "The identity proofing of one person of an order")
    public record CaseView(String id, String orderId,
            @Schema(allowableValues = { "CERTIFICATE_MANAGER", "LEGAL_REPRESENTATIVE" }) String role,
            @Schema(allowableValues = { "OPEN", "IN_PROGRESS", "REVIEW", "APPROVED", "REJECTED", "CANCELLED" })
            String status, String surname, String givenNames, String birthDate, String email, String provider,
            int maxAttempts, List<AttemptView> attempts, List<DecisionView> decisions,
            @Schema(description = "approvals of the attempt under review so far") int approvals, String level,
            @Schema(format = "date-time") String createdAt, @Schema(format = "date-time") String updatedAt,
            @Schema(format = "date-time") String purgedAt) {
        static CaseView of(IdentityCase k, boolean withMrz) {
            return new CaseView(k.id(), k.orderId(), k.role().name(), k.status().name(), k.surname(), k.givenNames(),
                    str(k.birthDate()), k.email(), k.provider(), k.maxAttempts(),
                    k.attempts().stream().map(a -> AttemptView.of(a, withMrz)).toList(),
                    k.decisions().stream().map(DecisionView::of).toList(), IdentityResource.approvals(k), k.level(),
                    text(k.createdAt()), text(k.updatedAt()), text(k.purgedAt()));
        }
    }

    @Schema(name = "IdentityCaseList")
    public record CaseList(String orderId, List<CaseView> cases) {
    }

    @Schema(name = "IdentityQueueItem", description = "A case waiting for a decision (no name: the queue's view)")
    public record QueueItem(String id, String orderId, String role, String provider, int attempt,
            @Schema(format = "date-time") String submittedAt, int approvals) {
        static QueueItem of(IdentityCase k) {
            Attempt a = k.currentAttempt();
            return new QueueItem(k.id(), k.orderId(), k.role().name(), k.provider(), a == null ? 0 : a.number(),
                    a == null ? null : text(a.submittedAt()), IdentityResource.approvals(k));
        }
    }

    @Schema(name = "IdentityQueue", description = "Cases waiting for a decision, oldest submission first")
    public record Queue(List<QueueItem> cases) {
    }

    @Schema(name = "IdentityRejectionReasons", description = "The codes a rejection names (messages"
            + " identity.reason.<code>)")
    public record Reasons(List<String> reasons) {
    }

    @Schema(name = "IdentityDecisionRequest", description = "approve, or reject with a reason of the list")
    public record DecisionRequest(@Schema(allowableValues = { "approve", "reject" }, requiredMode =
            Schema.RequiredMode.REQUIRED) String decision,
            @Schema(description = "a rejection's reason: a code of GET /api/v1/identity/rejection-reasons") String reason,
            @Schema(description = "shown to the person with the reason, at most 1000 characters") String comment,
            @Schema(description = "a rejection: let the person try again while attempts are left (default true)")
            Boolean allowRetry) {
    }

    // ---- endpoints

    @GET
    @Path("/cases")
    @RolesAllowed({ RestApi.ROLE_ADMIN, RestApi.ROLE_OPERATOR, RestApi.ROLE_RA_OFFICER, RestApi.ROLE_SUPPORT,
        RestApi.ROLE_AUDITOR })
    @Operation(summary = "An order's identity cases (one per person)", description = "Without the zone's data (read"
            + " a case for it). An order without cases (unknown, or not yet in VERIFICATION) has none.")
    @ApiResponse(responseCode = "200", description = "The cases",
            content = @Content(schema = @Schema(implementation = CaseList.class)))
    @ApiResponse(responseCode = "400", description = "No 'order' parameter")
    public Response forOrder(
            @Parameter(description = "the order's id (ord_…)", required = true) @QueryParam("order") String order) {
        if (order == null || order.isBlank()) {
            throw ApiException.badRequest("Parameter 'order' is required: the order's id.");
        }
        if (order.length() > MAX_ID) {
            throw ApiException.badRequest("Parameter 'order' is at most " + MAX_ID + " characters.");
        }
        List<CaseView> views = cases.forOrder(order.strip()).stream().map(k -> CaseView.of(k, false)).toList();
        return noStore(new CaseList(order.strip(), views));
    }

    @GET
    @Path("/cases/{id}")
    @RolesAllowed({ RestApi.ROLE_ADMIN, RestApi.ROLE_OPERATOR, RestApi.ROLE_RA_OFFICER, RestApi.ROLE_SUPPORT,
        RestApi.ROLE_AUDITOR })
    @Operation(summary = "An identity case", description = "With the zone's data for registration officers (the read"
            + " is audited, as the console's case page)")
    @ApiResponse(responseCode = "200", description = "The case",
            content = @Content(schema = @Schema(implementation = CaseView.class)))
    @ApiResponse(responseCode = "404", description = "No such case")
    public Response read(@Context SecurityContext security, @PathParam("id") String id) {
        ApiCaller caller = ApiCaller.of(security.getUserPrincipal());
        try {
            IdentityCase k = officer(caller) ? cases.review(id, caller.actor())
                    : cases.find(id).orElseThrow(() -> notFound(id));
            return noStore(CaseView.of(k, officer(caller)));
        } catch (IdentityException e) {
            throw problem(e);
        }
    }

    @GET
    @Path("/queue")
    @RolesAllowed({ RestApi.ROLE_RA_OFFICER, RestApi.ROLE_SUPPORT })
    @Operation(summary = "The cases waiting for a decision, oldest submission first", description = "No names: open"
            + " a case for them")
    @ApiResponse(responseCode = "200", description = "The queue",
            content = @Content(schema = @Schema(implementation = Queue.class)))
    @ApiResponse(responseCode = "400", description = "A bad limit")
    public Response queue(@Parameter(description = "1 to 500") @QueryParam("limit") @DefaultValue("50") int limit) {
        if (limit < 1 || limit > 500) {
            throw ApiException.badRequest("Parameter 'limit' must be 1 to 500.");
        }
        return noStore(new Queue(cases.queue(limit).stream().map(QueueItem::of).toList()));
    }

    @GET
    @Path("/rejection-reasons")
    @RolesAllowed({ RestApi.ROLE_ADMIN, RestApi.ROLE_OPERATOR, RestApi.ROLE_RA_OFFICER, RestApi.ROLE_SUPPORT,
        RestApi.ROLE_AUDITOR })
    @Operation(summary = "The reasons a rejection may give (configuration rejectionReasons)")
    @ApiResponse(responseCode = "200", description = "The codes",
            content = @Content(schema = @Schema(implementation = Reasons.class)))
    public Reasons rejectionReasons() {
        return new Reasons(cases.rejectionReasons());
    }

    @POST
    @Path("/cases/{id}/decision")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(RestApi.ROLE_RA_OFFICER)
    @Operation(summary = "Approve or reject the attempt under review (registration officers)", description = "An"
            + " approval passes the order's identity check, unless a second approval by another operator is required."
            + " A rejection names a reason of the list; the person is told it (with the comment) and, while attempts"
            + " are left and allowRetry is not false, gets a new link.")
    @RequestBody(required = true, content = @Content(schema = @Schema(implementation = DecisionRequest.class)))
    @ApiResponse(responseCode = "200", description = "The case after the decision",
            content = @Content(schema = @Schema(implementation = CaseView.class)))
    @ApiResponse(responseCode = "400", description = "A bad field, named (decision, reason, comment)")
    @ApiResponse(responseCode = "403", description = "Not a registration officer")
    @ApiResponse(responseCode = "404", description = "No such case")
    @ApiResponse(responseCode = "409", description = "The case is not waiting for a decision, or you already approved"
            + " it (a second approval must come from another operator)")
    public Response decide(@Context SecurityContext security, @PathParam("id") String id, DecisionRequest body) {
        ApiCaller caller = ApiCaller.of(security.getUserPrincipal());
        Decided d = validate(body, cases.rejectionReasons());
        try {
            IdentityCase after = cases.decide(id, d.approve(), d.reason(), d.comment(), d.allowRetry(),
                    caller.actor());
            return noStore(CaseView.of(after, true));
        } catch (IdentityException e) {
            throw problem(e);
        }
    }

    /** A decision request once checked. */
    record Decided(boolean approve, String reason, String comment, boolean allowRetry) {
    }

    static Decided validate(DecisionRequest body, List<String> reasons) {
        if (body == null) {
            throw ApiException.badRequest("Send a JSON body {\"decision\": \"approve\"} or {\"decision\": \"reject\","
                    + " \"reason\": \"<code>\"}.");
        }
        String decision = body.decision() == null ? "" : body.decision().strip().toLowerCase(Locale.ROOT);
        if (!decision.equals("approve") && !decision.equals("reject")) {
            throw ApiException.badRequest("Field 'decision' must be approve or reject.");
        }
        boolean approve = decision.equals("approve");
        String comment = body.comment() == null ? "" : body.comment().strip();
        if (comment.length() > MAX_COMMENT) {
            throw ApiException.badRequest("Field 'comment' is at most " + MAX_COMMENT + " characters.");
        }
        String reason = body.reason() == null ? "" : body.reason().strip();
        if (approve) {
            if (!reason.isEmpty()) {
                throw ApiException.badRequest("Field 'reason' is for a rejection only.");
            }
            return new Decided(true, null, comment, false);
        }
        if (reason.isEmpty() || !reasons.contains(reason)) {
            throw ApiException.badRequest("Field 'reason' must be one of " + String.join(", ", reasons) + ".");
        }
        return new Decided(false, reason, comment, body.allowRetry() == null || body.allowRetry());
    }

    // ---- helpers

    private static boolean officer(ApiCaller caller) {
        return caller.operator().hasRole(RestApi.ROLE_RA_OFFICER);
    }

    static int approvals(IdentityCase k) {
        if (k.status() != CaseStatus.REVIEW || k.currentAttempt() == null) {
            return 0;
        }
        int attempt = k.currentAttempt().number();
        return (int) k.decisions().stream().filter(d -> d.attempt() == attempt && d.approved()).count();
    }

    private static ApiException notFound(String id) {
        return ApiException.notFound("No identity case " + (id.length() > 40 ? id.substring(0, 40) + "…" : id) + ".");
    }

    static ApiException problem(IdentityException e) {
        return switch (e.reason()) {
            case INVALID -> ApiException.badRequest(e.getMessage());
            case NOT_FOUND -> ApiException.notFound(e.getMessage());
            case CONFLICT -> ApiException.conflict(e.getMessage());
            case UNAVAILABLE -> new ApiException(503, "unavailable", e.getMessage());
        };
    }

    private static Response noStore(Object entity) {
        return Response.ok(entity).header("Cache-Control", "no-store").build();
    }

    static String text(Instant t) {
        return t == null ? null : t.toString();
    }

    static String str(Object o) {
        return o == null ? null : o.toString();
    }
}
