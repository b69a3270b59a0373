package io.cachet.identity.console.internal;

import java.io.IOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cachet.api.identity.Attempt;
import io.cachet.api.identity.CaseStatus;
import io.cachet.api.identity.CheckResult;
import io.cachet.api.identity.Decision;
import io.cachet.api.identity.DocumentType;
import io.cachet.api.identity.Evidence;
import io.cachet.api.identity.EvidenceKind;
import io.cachet.api.identity.IdentityCase;
import io.cachet.api.identity.IdentityCases;
import io.cachet.api.identity.IdentityException;
import io.cachet.api.identity.MrzData;
import io.cachet.api.operator.Operator;
import io.cachet.api.web.ConsoleAccess;
import io.cachet.api.web.Downloads;
import io.cachet.api.web.FileTypes;
import io.cachet.api.web.Pages;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The operator's identity review.
 * <ul>
 * <li>{@code GET /console/identity}: the cases awaiting a decision, oldest submission first.</li>
 * <li>{@code GET /console/identity/{case}}: the evidence viewer (document sides and selfie side by side, the zone's
 * fields against the identity the order expects, every automatic and provider check, earlier attempts and
 * decisions) with the approve and reject forms. Each view goes through {@link IdentityCases#review}, which audits
 * who looked at whose evidence.</li>
 * <li>{@code POST /console/identity/{case}}: {@code action=approve} (with {@code confirm}) or {@code action=reject}
 * (with {@code reason} from the configured list, {@code comment}, {@code retry}); answered 303 back to the case's
 * page, which says what happened. A refusal re-shows the page with what was wrong, nothing changed.</li>
 * <li>{@code GET /console/identity/{case}/image/{attempt}/{kind}}: one image, decrypted by the identity service
 * (each fetch audited), never cached, only to an operator who may review.</li>
 * </ul>
 * Who may do what: {@link Permissions}. Every request is authenticated through {@link ConsoleAccess}; forms carry
 * its anti-forgery token.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern({IdentityReviewServlet.PATH, IdentityReviewServlet.PATH + "/*"})
@HttpWhiteboardServletName("cachet-identity-console")
public class IdentityReviewServlet extends HttpServlet {

    static final String PATH = "/console/identity";
    static final String FORM = "identity-review";
    /** Cases listed at most in the queue. */
    static final int QUEUE_LIMIT = 200;
    /** Longest comment taken. */
    static final int MAX_COMMENT = 1000;
    /** The outcomes a decision's redirect names, each with its notice message. */
    static final Set<String> DONE = Set.of("approved", "first-approval", "rejected-retry", "rejected");

    /** The checks whose names have a label in this page's messages (others are shown by their name). */
    static final Set<String> LABELLED_CHECKS = Set.of("mrz.check-digits", "mrz.format", "document.not-expired",
            "document.type", "name.match", "given-names.match", "birth-date.match", "image.resolution",
            "image.document-front", "image.document-back", "image.selfie", "vendor.result", "vendor.outcome");

    private static final Pattern CASE = Pattern.compile("/([A-Za-z0-9_-]{1,100})/?");
    private static final Pattern IMAGE = Pattern.compile("/([A-Za-z0-9_-]{1,100})/image/([1-9][0-9]{0,3})/([a-z-]{1,40})");
    private static final String NS = IdentityConsolePages.NAMESPACE;
    /** The identity bundle's namespace, whose messages name the rejection reasons. */
    static final String CORE_NS = "identity";
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(IdentityReviewServlet.class);

    private final transient IdentityCases cases;
    private final transient ConsoleAccess access;
    private final transient Pages pages;

    @Activate
    public IdentityReviewServlet(@Reference IdentityCases cases, @Reference ConsoleAccess access,
            @Reference Pages pages) {
        this.cases = cases;
        this.access = access;
        this.pages = pages;
    }

    /** What a path under {@link #PATH} names: the queue, a case, an image of a case, or nothing readable. */
    record Route(Kind kind, String caseId, int attempt, EvidenceKind image) {

        enum Kind { QUEUE, CASE, IMAGE, NONE }

        static Route of(String pathInfo) {
            if (pathInfo == null || pathInfo.equals("/")) {
                return new Route(Kind.QUEUE, null, 0, null);
            }
            Matcher c = CASE.matcher(pathInfo);
            if (c.matches()) {
                return new Route(Kind.CASE, c.group(1), 0, null);
            }
            Matcher i = IMAGE.matcher(pathInfo);
            if (i.matches() && EvidenceKind.of(i.group(3)) != null) {
                return new Route(Kind.IMAGE, i.group(1), Integer.parseInt(i.group(2)), EvidenceKind.of(i.group(3)));
            }
            return new Route(Kind.NONE, null, 0, null);
        }
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Optional<Operator> found = access.operator(req, resp, null);
        if (found.isEmpty()) {
            return;
        }
        Operator op = found.get();
        Route route = Route.of(req.getPathInfo());
        try {
            switch (route.kind()) {
                case QUEUE -> {
                    if (!Permissions.canSeeQueue(op.roles())) {
                        message(req, resp, 403, op, text(req, "identity-console.forbidden.queue"));
                    } else {
                        queue(req, resp, op);
                    }
                }
                case CASE -> {
                    if (!Permissions.canReview(op.roles())) {
                        message(req, resp, 403, op, text(req, "identity-console.forbidden.case"));
                    } else {
                        String done = req.getParameter("done");
                        String notice = done != null && DONE.contains(done) ? text(req, "identity-console.done." + done)
                                : "";
                        showCase(req, resp, 200, op, route.caseId(), "", notice, Typed.EMPTY);
                    }
                }
                case IMAGE -> image(req, resp, op, route);
                default -> message(req, resp, 404, op, text(req, "identity-console.case.notFound"));
            }
        } catch (RuntimeException e) {
            unavailable(req, resp, op, e);
        }
    }

    /** What the operator typed in the reject form, shown again when the post is refused. */
    record Typed(String reason, String comment, boolean retry) {
        static final Typed EMPTY = new Typed("", "", true);
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Optional<Operator> found = access.operator(req, resp, null);
        if (found.isEmpty()) {
            return;
        }
        Operator op = found.get();
        if (req.getCharacterEncoding() == null) {
            req.setCharacterEncoding("UTF-8");
        }
        Route route = Route.of(req.getPathInfo());
        if (route.kind() != Route.Kind.CASE) {
            message(req, resp, 404, op, text(req, "identity-console.case.notFound"));
            return;
        }
        if (!Permissions.canReview(op.roles())) {
            message(req, resp, 403, op, text(req, "identity-console.forbidden.decide"));
            return;
        }
        String id = route.caseId();
        Typed typed = new Typed(param(req, "reason"), param(req, "comment"), "yes".equals(req.getParameter("retry")));
        try {
            if (!access.formAllowed(req, op, FORM)) {
                showCase(req, resp, 403, op, id, text(req, "identity-console.decide.forged"), "", typed);
                return;
            }
            String action = param(req, "action");
            boolean approve = action.equals("approve");
            if (!approve && !action.equals("reject")) {
                showCase(req, resp, 400, op, id, text(req, "identity-console.decide.unknownAction"), "", typed);
                return;
            }
            if (approve && !"yes".equals(req.getParameter("confirm"))) {
                showCase(req, resp, 400, op, id, text(req, "identity-console.decide.confirm"), "", typed);
                return;
            }
            if (!approve) {
                if (typed.reason().isEmpty() || !cases.rejectionReasons().contains(typed.reason())) {
                    showCase(req, resp, 400, op, id, text(req, "identity-console.decide.reason"), "", typed);
                    return;
                }
                if (typed.comment().length() > MAX_COMMENT) {
                    showCase(req, resp, 400, op, id, text(req, "identity-console.decide.comment", MAX_COMMENT), "",
                            typed);
                    return;
                }
            }
            IdentityCase after;
            try {
                after = approve ? cases.decide(id, true, null, "", false, actor(op))
                        : cases.decide(id, false, typed.reason(), typed.comment(), typed.retry(), actor(op));
            } catch (IdentityException e) {
                refused(req, resp, op, id, approve, typed, e);
                return;
            }
            String done = approve ? (after.status() == CaseStatus.APPROVED ? "approved" : "first-approval")
                    : (after.status() == CaseStatus.REJECTED ? "rejected" : "rejected-retry");
            resp.setStatus(HttpServletResponse.SC_SEE_OTHER);
            resp.setHeader("Location", context(req) + PATH + "/" + id + "?done=" + done);
        } catch (RuntimeException e) {
            unavailable(req, resp, op, e);
        }
    }

    /** A decision the identity service refused: what was wrong, said on the case's page; nothing changed. */
    private void refused(HttpServletRequest req, HttpServletResponse resp, Operator op, String id, boolean approve,
            Typed typed, IdentityException e) throws IOException {
        LOG.info("Identity decision on case {} by {} refused: {} ({})", id, op.login(), e.code(), e.getMessage());
        switch (e.reason()) {
            case NOT_FOUND -> message(req, resp, 404, op, text(req, "identity-console.case.notFound"));
            case CONFLICT -> {
                Optional<IdentityCase> now = cases.find(id);
                String key;
                if (now.isPresent() && now.get().status() == CaseStatus.REVIEW && approve
                        && approvers(now.get()).stream().anyMatch(a -> isMe(a, op))) {
                    key = "identity-console.decide.alreadyApproved";
                } else {
                    key = "identity-console.decide.conflict";
                }
                showCase(req, resp, 409, op, id, text(req, key), "", typed);
            }
            case INVALID -> showCase(req, resp, 400, op, id, text(req, "identity-console.decide.invalid",
                    e.getMessage()), "", typed);
            default -> message(req, resp, 503, op, text(req, "identity-console.unavailable"));
        }
    }

    private void queue(HttpServletRequest req, HttpServletResponse resp, Operator op) throws IOException {
        List<IdentityCase> waiting = cases.queue(QUEUE_LIMIT);
        String ctx = context(req);
        boolean review = Permissions.canReview(op.roles());
        List<Map<String, Object>> rows = new ArrayList<>();
        for (IdentityCase c : waiting) {
            Attempt a = c.currentAttempt();
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("id", c.id());
            row.put("href", review ? ctx + PATH + "/" + c.id() : "");
            row.put("orderId", c.orderId());
            row.put("orderHref", ctx + "/console/orders/" + c.orderId());
            row.put("role", text(req, "identity-console.role." + c.role().id()));
            row.put("provider", a == null ? c.provider() : a.provider());
            row.put("submitted", a == null ? "" : Pages.time(a.submittedAt()));
            row.put("attempt", text(req, "identity-console.attemptOf", a == null ? 0 : a.number(), c.maxAttempts()));
            int approvals = approvers(c).size();
            row.put("approvals", approvals);
            row.put("approvalsLabel", approvals == 0 ? text(req, "identity-console.queue.noApproval")
                    : text(req, "identity-console.queue.approvals", approvals));
            rows.add(row);
        }
        Map<String, Object> model = base(req, op);
        model.put("cases", rows);
        model.put("canReview", review);
        model.put("full", waiting.size() >= QUEUE_LIMIT);
        model.put("limit", QUEUE_LIMIT);
        pages.render(req, resp, 200, NS + "/queue.ftlh", model);
    }

    private void showCase(HttpServletRequest req, HttpServletResponse resp, int status, Operator op, String id,
            String error, String notice, Typed typed) throws IOException {
        IdentityCase c;
        try {
            c = cases.review(id, actor(op));
        } catch (IdentityException e) {
            if (e.reason() == IdentityException.Reason.NOT_FOUND) {
                message(req, resp, 404, op, text(req, "identity-console.case.notFound"));
                return;
            }
            throw e;
        }
        if (c == null) {
            message(req, resp, 404, op, text(req, "identity-console.case.notFound"));
            return;
        }
        String ctx = context(req);
        String language = pages.language(req).getLanguage();
        Map<String, String> docNames = new HashMap<>();
        for (DocumentType t : cases.acceptedDocuments()) {
            docNames.put(t.id(), t.name(language));
        }
        Attempt current = c.currentAttempt();
        Map<String, Object> kase = new LinkedHashMap<>();
        kase.put("id", c.id());
        kase.put("orderId", c.orderId());
        kase.put("orderHref", ctx + "/console/orders/" + c.orderId());
        kase.put("role", text(req, "identity-console.role." + c.role().id()));
        kase.put("status", c.status().name());
        kase.put("statusLabel", text(req, "identity-console.status." + c.status().name()));
        kase.put("provider", current == null ? c.provider() : current.provider());
        kase.put("attempt", text(req, "identity-console.attemptOf", current == null ? 0 : current.number(),
                c.maxAttempts()));
        kase.put("level", c.level() == null ? "" : c.level());
        kase.put("created", Pages.time(c.createdAt()));
        kase.put("updated", Pages.time(c.updatedAt()));
        kase.put("purged", Pages.time(c.purgedAt()));
        kase.put("surname", nz(c.surname()));
        kase.put("givenNames", nz(c.givenNames()));
        kase.put("birthDate", date(c.birthDate()));

        Map<String, Object> model = base(req, op);
        model.put("case", kase);
        model.put("current", current == null ? Map.of() : attempt(req, c, current, docNames, true));
        model.put("hasCurrent", current != null);
        List<Map<String, Object>> earlier = new ArrayList<>();
        for (int i = c.attempts().size() - 2; i >= 0; i--) {
            earlier.add(attempt(req, c, c.attempts().get(i), docNames, false));
        }
        model.put("earlier", earlier);
        List<Map<String, Object>> decisions = new ArrayList<>();
        for (Decision d : c.decisions()) {
            decisions.add(decision(req, d));
        }
        model.put("decisions", decisions);

        List<Decision> approvals = approvers(c);
        boolean mine = approvals.stream().anyMatch(d -> isMe(d, op));
        boolean underReview = c.status() == CaseStatus.REVIEW;
        int left = c.maxAttempts() - c.attempts().size();
        model.put("underReview", underReview);
        model.put("awaitingSecond", underReview && !approvals.isEmpty());
        model.put("firstApprover", approvals.isEmpty() ? "" : approvals.get(0).operator());
        model.put("approvedByMe", mine);
        model.put("canApprove", underReview && !mine);
        model.put("canReject", underReview);
        model.put("attemptsLeft", Math.max(left, 0));
        List<Map<String, String>> reasons = new ArrayList<>();
        for (String r : cases.rejectionReasons()) {
            reasons.add(Map.of("code", r, "label", reason(req, r)));
        }
        model.put("reasons", reasons);
        model.put("typed", Map.of("reason", typed.reason(), "comment", typed.comment(), "retry", typed.retry()));
        model.put("maxComment", MAX_COMMENT);
        model.put("error", error);
        model.put("notice", notice);
        model.put("queue", ctx + PATH);
        pages.render(req, resp, status, NS + "/case.ftlh", model);
    }

    private Map<String, Object> attempt(HttpServletRequest req, IdentityCase c, Attempt a,
            Map<String, String> docNames, boolean current) {
        String ctx = context(req);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("number", a.number());
        m.put("provider", a.provider());
        m.put("reference", nz(a.reference()));
        m.put("documentType", a.documentType() == null ? "" : docNames.getOrDefault(a.documentType(), a.documentType()));
        m.put("started", Pages.time(a.startedAt()));
        m.put("submitted", Pages.time(a.submittedAt()));
        List<Map<String, Object>> images = new ArrayList<>();
        for (EvidenceKind kind : EvidenceKind.values()) {
            Evidence e = a.evidence().stream().filter(x -> x.kind() == kind).findFirst().orElse(null);
            if (e == null) {
                continue;
            }
            Map<String, Object> img = new LinkedHashMap<>();
            img.put("kind", kind.id());
            img.put("label", text(req, "identity-console.evidence." + kind.id()));
            img.put("src", c.purgedAt() != null ? "" : ctx + PATH + "/" + c.id() + "/image/" + a.number() + "/" + kind.id());
            img.put("size", text(req, "identity-console.evidence.size", e.width(), e.height(), (e.size() + 1023) / 1024));
            img.put("type", nz(e.contentType()));
            img.put("sha256", nz(e.sha256()));
            img.put("received", Pages.time(e.receivedAt()));
            images.add(img);
        }
        m.put("images", images);
        List<Map<String, Object>> own = new ArrayList<>();
        List<Map<String, Object>> vendor = new ArrayList<>();
        int failed = 0;
        for (CheckResult r : a.checks()) {
            Map<String, Object> check = new LinkedHashMap<>();
            check.put("name", r.name());
            check.put("label", LABELLED_CHECKS.contains(r.name()) ? text(req, "identity-console.check." + r.name())
                    : r.name());
            check.put("passed", r.passed());
            check.put("result", text(req, r.passed() ? "identity-console.check.passed" : "identity-console.check.failed"));
            check.put("detail", nz(r.detail()));
            (r.name().startsWith("vendor.") ? vendor : own).add(check);
            failed += r.passed() ? 0 : 1;
        }
        m.put("checks", own);
        m.put("vendorChecks", vendor);
        m.put("failed", failed);
        m.put("hasMrz", a.mrz() != null);
        if (a.mrz() != null || current) {
            m.put("compare", compare(req, c, a.mrz()));
        }
        m.put("mrz", a.mrz() == null ? Map.of() : mrz(req, a.mrz()));
        List<Map<String, Object>> decisions = new ArrayList<>();
        for (Decision d : c.decisions()) {
            if (d.attempt() == a.number()) {
                decisions.add(decision(req, d));
            }
        }
        m.put("decisions", decisions);
        return m;
    }

    /** The identity the order expects, side by side with what the zone says. */
    private List<Map<String, String>> compare(HttpServletRequest req, IdentityCase c, MrzData mrz) {
        List<Map<String, String>> rows = new ArrayList<>();
        rows.add(Map.of("label", text(req, "identity-console.identity.surname"), "expected", nz(c.surname()),
                "read", mrz == null ? "" : nz(mrz.surname())));
        rows.add(Map.of("label", text(req, "identity-console.identity.givenNames"), "expected", nz(c.givenNames()),
                "read", mrz == null ? "" : String.join(" ", mrz.givenNames())));
        rows.add(Map.of("label", text(req, "identity-console.identity.birthDate"), "expected", date(c.birthDate()),
                "read", mrz == null ? "" : date(mrz.birthDate())));
        return rows;
    }

    private List<Map<String, String>> mrz(HttpServletRequest req, MrzData z) {
        List<Map<String, String>> rows = new ArrayList<>();
        row(rows, text(req, "identity-console.mrz.format"), z.format());
        row(rows, text(req, "identity-console.mrz.documentCode"), z.documentCode());
        row(rows, text(req, "identity-console.mrz.issuingState"), z.issuingState());
        row(rows, text(req, "identity-console.mrz.documentNumber"), z.documentNumber());
        row(rows, text(req, "identity-console.mrz.nationality"), z.nationality());
        row(rows, text(req, "identity-console.mrz.sex"), z.sex());
        row(rows, text(req, "identity-console.mrz.expiry"), date(z.expiryDate()));
        row(rows, text(req, "identity-console.mrz.issued"), z.issued() == null ? "" : z.issued().toString());
        return rows;
    }

    private static void row(List<Map<String, String>> rows, String label, String value) {
        if (value != null && !value.isEmpty()) {
            rows.add(Map.of("label", label, "value", value));
        }
    }

    private Map<String, Object> decision(HttpServletRequest req, Decision d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("operator", nz(d.operator()));
        m.put("approved", d.approved());
        m.put("outcome", text(req, d.approved() ? "identity-console.decision.approved"
                : "identity-console.decision.rejected"));
        m.put("reason", d.reason() == null ? "" : reason(req, d.reason()));
        m.put("comment", nz(d.comment()));
        m.put("attempt", d.attempt());
        m.put("at", Pages.time(d.at()));
        return m;
    }

    private void image(HttpServletRequest req, HttpServletResponse resp, Operator op, Route route) throws IOException {
        if (!Permissions.canReview(op.roles())) {
            message(req, resp, 403, op, text(req, "identity-console.forbidden.case"));
            return;
        }
        byte[] bytes;
        try {
            bytes = cases.image(route.caseId(), route.attempt(), route.image(), actor(op));
        } catch (IdentityException e) {
            if (e.reason() == IdentityException.Reason.NOT_FOUND) {
                message(req, resp, 404, op, text(req, "identity-console.image.notFound"));
                return;
            }
            throw e;
        }
        String type = FileTypes.image(bytes);
        if (type == null) {
            // the service keeps only JPEG and PNG; anything else is never sent for a browser to guess at
            LOG.error("Identity case {}: image {}/{} is neither JPEG nor PNG; not served", route.caseId(),
                    route.attempt(), route.image().id());
            message(req, resp, 500, op, text(req, "identity-console.image.unreadable"));
            return;
        }
        resp.setHeader("Pragma", "no-cache");
        Downloads.send(resp, type, bytes, "inline");
    }

    /** The approvals of the attempt under review (a second approval is pending while there is one). */
    static List<Decision> approvers(IdentityCase c) {
        Attempt a = c.currentAttempt();
        if (a == null) {
            return List.of();
        }
        return c.decisions().stream().filter(d -> d.approved() && d.attempt() == a.number()).toList();
    }

    /** Whether a decision is this operator's (the service records the login; tolerate an {@code operator:} prefix). */
    static boolean isMe(Decision d, Operator op) {
        return op.login().equals(d.operator()) || ("operator:" + op.login()).equals(d.operator());
    }

    /** How the identity service is told who acts: the operator's login. */
    static String actor(Operator op) {
        return op.login();
    }

    private String reason(HttpServletRequest req, String code) {
        String core = optional(req, CORE_NS, "identity.reason." + code, null);
        return core != null ? core : optional(req, NS, "identity-console.reason." + code, code);
    }

    /** A message, or {@code fallback} when no source has the key. */
    private String optional(HttpServletRequest req, String namespace, String key, String fallback) {
        String m = pages.message(req, namespace, key);
        return m == null || (m.startsWith("??") && m.endsWith("??")) ? fallback : m;
    }

    private Map<String, Object> base(HttpServletRequest req, Operator op) {
        Map<String, Object> model = new HashMap<>();
        model.put(ConsoleAccess.SHELL_MODEL, access.shell(req, op));
        model.put("token", access.formToken(op, FORM));
        model.put("tokenField", ConsoleAccess.TOKEN_FIELD);
        return model;
    }

    /** A page with only a message: a refusal, a missing case. */
    private void message(HttpServletRequest req, HttpServletResponse resp, int status, Operator op, String error)
            throws IOException {
        Map<String, Object> model = base(req, op);
        model.put("error", error);
        model.put("queue", Permissions.canSeeQueue(op.roles()) ? context(req) + PATH : "");
        pages.render(req, resp, status, NS + "/message.ftlh", model);
    }

    private void unavailable(HttpServletRequest req, HttpServletResponse resp, Operator op, RuntimeException e)
            throws IOException {
        LOG.error("Identity review page failed: {}", e.getMessage(), e);
        if (resp.isCommitted()) {
            return;
        }
        resp.resetBuffer();
        message(req, resp, 503, op, text(req, "identity-console.unavailable"));
    }

    private static String param(HttpServletRequest req, String name) {
        String v = req.getParameter(name);
        return v == null ? "" : v.strip();
    }

    private static String context(HttpServletRequest req) {
        return req.getContextPath() == null ? "" : req.getContextPath();
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    private static String date(LocalDate d) {
        return d == null ? "" : d.toString();
    }

    private String text(HttpServletRequest req, String key, Object... args) {
        return pages.message(req, NS, key, args);
    }
}
