package io.cachet.organisation.internal;

import java.io.IOException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cachet.api.operator.Operator;
import io.cachet.api.order.Order;
import io.cachet.api.organisation.OrganisationCase;
import io.cachet.api.organisation.OrganisationDocument;
import io.cachet.api.organisation.OrganisationException;
import io.cachet.api.rest.RestApi;
import io.cachet.api.web.ConsoleAccess;
import io.cachet.api.web.Downloads;
import io.cachet.api.web.Pages;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The operator's organisation review.
 * <ul>
 * <li>{@code GET /console/organisation}: the cases waiting for a decision, longest waiting first (registration
 * officers and support).</li>
 * <li>{@code GET /console/organisation/{case}}: the order's organisation and legal representative, every automatic
 * check, the documents (PDF pages rendered as images, photos shown as they are), and the forms: the extract's issue
 * date, approve (confirming what names the legal representative), reject with a reason shown to the customer
 * (registration officers only).</li>
 * <li>{@code POST /console/organisation/{case}}: {@code action=date|approve|reject}; 303 back to the case, which says
 * what happened; a refusal re-shows the page with what was wrong, nothing changed.</li>
 * <li>{@code GET /console/organisation/{case}/page/{document}/{n}}: page n of a PDF as PNG;
 * {@code GET …/file/{document}}: the document as uploaded. Each read goes through the service, which audits it.</li>
 * </ul>
 * Every request is authenticated through {@link ConsoleAccess}; forms carry its anti-forgery token.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern({ReviewServlet.PATH, ReviewServlet.PATH + "/*"})
@HttpWhiteboardServletName("cachet-organisation-console")
public class ReviewServlet extends HttpServlet {

    static final String PATH = "/console/organisation";
    static final String FORM = "organisation-review";
    static final Set<String> QUEUE_ROLES = Set.of(RestApi.ROLE_RA_OFFICER, RestApi.ROLE_SUPPORT);
    static final Set<String> DONE = Set.of("approved", "rejected", "dated");
    static final int QUEUE_LIMIT = 200;
    private static final Pattern CASE = Pattern.compile("/([A-Za-z0-9_-]{1,100})/?");
    private static final Pattern PAGE = Pattern.compile("/([A-Za-z0-9_-]{1,100})/page/([A-Za-z0-9_-]{1,100})/([1-9][0-9]?)");
    private static final Pattern FILE = Pattern.compile("/([A-Za-z0-9_-]{1,100})/file/([A-Za-z0-9_-]{1,100})");
    private static final String NS = OrganisationPages.NAMESPACE;
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ReviewServlet.class);

    private final transient OrganisationService service;
    private final transient Function<String, Optional<Order>> orders;
    private final transient ConsoleAccess access;
    private final transient Pages pages;

    @Activate
    public ReviewServlet(@Reference OrganisationComponent organisation, @Reference ConsoleAccess access,
            @Reference Pages pages) {
        this(organisation.service(), id -> {
            var o = organisation.orders();
            return o == null ? Optional.empty() : o.find(id);
        }, access, pages);
    }

    ReviewServlet(OrganisationService service, Function<String, Optional<Order>> orders, ConsoleAccess access,
            Pages pages) {
        this.service = service;
        this.orders = orders;
        this.access = access;
        this.pages = pages;
    }

    static boolean canReview(Set<String> roles) {
        return roles.contains(RestApi.ROLE_RA_OFFICER);
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Optional<Operator> found = access.operator(req, resp, null);
        if (found.isEmpty()) {
            return;
        }
        Operator op = found.get();
        String info = req.getPathInfo();
        try {
            if (info == null || info.equals("/")) {
                if (!op.hasAnyRole(QUEUE_ROLES)) {
                    message(req, resp, 403, op, text(req, "organisation.console.forbidden"));
                } else {
                    queue(req, resp, op);
                }
                return;
            }
            if (!canReview(op.roles())) {
                message(req, resp, 403, op, text(req, "organisation.console.forbidden"));
                return;
            }
            Matcher c = CASE.matcher(info);
            Matcher p = PAGE.matcher(info);
            Matcher f = FILE.matcher(info);
            if (c.matches()) {
                String done = req.getParameter("done");
                showCase(req, resp, 200, op, c.group(1), "", done != null && DONE.contains(done)
                        ? text(req, "organisation.console.done." + done) : "");
            } else if (p.matches()) {
                page(req, resp, op, p.group(1), p.group(2), Integer.parseInt(p.group(3)));
            } else if (f.matches()) {
                file(req, resp, op, f.group(1), f.group(2));
            } else {
                message(req, resp, 404, op, text(req, "organisation.console.notFound"));
            }
        } catch (RuntimeException e) {
            unavailable(req, resp, op, e);
        }
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
        Matcher c = CASE.matcher(req.getPathInfo() == null ? "" : req.getPathInfo());
        if (!c.matches()) {
            message(req, resp, 404, op, text(req, "organisation.console.notFound"));
            return;
        }
        if (!canReview(op.roles())) {
            message(req, resp, 403, op, text(req, "organisation.console.forbidden"));
            return;
        }
        String id = c.group(1);
        try {
            if (!access.formAllowed(req, op, FORM)) {
                showCase(req, resp, 403, op, id, text(req, "organisation.console.forged"), "");
                return;
            }
            String action = param(req, "action");
            String done;
            try {
                switch (action) {
                    case "date" -> {
                        LocalDate issued;
                        try {
                            issued = LocalDate.parse(param(req, "issued"));
                        } catch (DateTimeParseException e) {
                            showCase(req, resp, 400, op, id, text(req, "organisation.console.error.date"), "");
                            return;
                        }
                        service.recordExtractDate(id, issued, "operator:" + op.login());
                        done = "dated";
                    }
                    case "approve" -> {
                        service.decide(id, true, param(req, "basis"), null, "operator:" + op.login());
                        done = "approved";
                    }
                    case "reject" -> {
                        service.decide(id, false, null, param(req, "reason"), "operator:" + op.login());
                        done = "rejected";
                    }
                    default -> {
                        showCase(req, resp, 400, op, id, text(req, "organisation.console.error.action"), "");
                        return;
                    }
                }
            } catch (OrganisationException e) {
                LOG.info("Organisation decision on case {} by {} refused: {}", id, op.login(), e.code());
                if (e.reason() == OrganisationException.Reason.NOT_FOUND) {
                    message(req, resp, 404, op, text(req, "organisation.console.notFound"));
                } else {
                    showCase(req, resp, e.reason() == OrganisationException.Reason.CONFLICT ? 409 : 400, op, id,
                            text(req, "organisation.console.refused." + e.code(), e.args().toArray()), "");
                }
                return;
            }
            resp.setStatus(HttpServletResponse.SC_SEE_OTHER);
            resp.setHeader("Location", context(req) + PATH + "/" + id + "?done=" + done);
        } catch (RuntimeException e) {
            unavailable(req, resp, op, e);
        }
    }

    private void queue(HttpServletRequest req, HttpServletResponse resp, Operator op) throws IOException {
        List<OrganisationCase> waiting = service.queue(QUEUE_LIMIT);
        String ctx = context(req);
        boolean review = canReview(op.roles());
        List<Map<String, Object>> rows = new ArrayList<>();
        for (OrganisationCase k : waiting) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("id", k.id());
            row.put("href", review ? ctx + PATH + "/" + k.id() : "");
            row.put("orderId", k.orderId());
            row.put("orderHref", ctx + "/console/orders/" + k.orderId());
            row.put("organisation", orders.apply(k.orderId()).map(o -> o.request().organisation().name()).orElse(""));
            row.put("documents", k.documents().size());
            row.put("uploaded", k.documents().isEmpty() ? "" : Pages.time(k.documents().get(k.documents().size() - 1)
                    .uploadedAt()));
            long failed = k.checks().values().stream().filter(v -> v.startsWith(OrganisationCase.FAILED)).count();
            row.put("failed", failed);
            rows.add(row);
        }
        Map<String, Object> model = base(req, op);
        model.put("cases", rows);
        model.put("canReview", review);
        pages.render(req, resp, 200, NS + "/console-queue.ftlh", model);
    }

    private void showCase(HttpServletRequest req, HttpServletResponse resp, int status, Operator op, String id,
            String error, String notice) throws IOException {
        Optional<OrganisationCase> found = service.find(id);
        if (found.isEmpty()) {
            message(req, resp, 404, op, text(req, "organisation.console.notFound"));
            return;
        }
        OrganisationCase k = found.get();
        String ctx = context(req);
        Optional<Order> order = orders.apply(k.orderId());
        Map<String, Object> kase = new LinkedHashMap<>();
        kase.put("id", k.id());
        kase.put("orderId", k.orderId());
        kase.put("orderHref", ctx + "/console/orders/" + k.orderId());
        kase.put("status", k.status());
        kase.put("statusLabel", text(req, "organisation.console.status." + k.status()));
        kase.put("organisation", order.map(o -> o.request().organisation().name()).orElse(""));
        kase.put("country", order.map(o -> o.request().organisation().country()).orElse(""));
        kase.put("identifier", order.map(o -> o.request().organisation().identifier()).orElse(""));
        kase.put("vat", order.map(o -> o.request().organisation().vat()).filter(v -> v != null).orElse(""));
        kase.put("representative", order.map(o -> o.request().effectiveLegalRepresentative().givenNames() + " "
                + o.request().effectiveLegalRepresentative().surname()).orElse(""));
        kase.put("extractIssued", k.extractIssued() == null ? "" : k.extractIssued().toString());
        kase.put("basis", k.legalRepresentativeBasis() == null ? "" : k.legalRepresentativeBasis());
        kase.put("decidedBy", k.decidedBy() == null ? "" : k.decidedBy());
        kase.put("decidedAt", Pages.time(k.decidedAt()));
        kase.put("reason", k.reason() == null ? "" : k.reason());
        kase.put("inReview", OrganisationCase.IN_REVIEW.equals(k.status()));
        kase.put("hasMandate", k.documents().stream().anyMatch(d -> OrganisationDocument.MANDATE.equals(d.kind())));
        List<Map<String, String>> checks = new ArrayList<>();
        for (Map.Entry<String, String> e : k.checks().entrySet()) {
            String v = e.getValue();
            int colon = v.indexOf(':');
            Map<String, String> m = new LinkedHashMap<>();
            m.put("name", text(req, "organisation.console.check." + e.getKey()));
            m.put("result", colon < 0 ? v : v.substring(0, colon));
            m.put("detail", colon < 0 ? "" : v.substring(colon + 1).strip());
            checks.add(m);
        }
        List<Map<String, Object>> docs = new ArrayList<>();
        for (int i = k.documents().size() - 1; i >= 0; i--) {
            OrganisationDocument d = k.documents().get(i);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", d.id());
            m.put("kind", text(req, "organisation.kind." + d.kind()));
            m.put("name", d.fileName());
            m.put("type", d.mediaType());
            m.put("size", d.size());
            m.put("sha256", d.sha256());
            m.put("at", Pages.time(d.uploadedAt()));
            m.put("file", ctx + PATH + "/" + k.id() + "/file/" + d.id());
            List<String> images = new ArrayList<>();
            if ("application/pdf".equals(d.mediaType())) {
                // the newest documents are shown page by page; their page count is read once here (audited read)
                if (i >= k.documents().size() - 2) {
                    byte[] content = service.document(k.id(), d.id(), "operator:" + op.login());
                    int n = Math.min(PageImages.MAX_PAGES, Math.max(0, ExtractText.pages(content)));
                    for (int p = 1; p <= n; p++) {
                        images.add(ctx + PATH + "/" + k.id() + "/page/" + d.id() + "/" + p);
                    }
                }
            } else if (i >= k.documents().size() - 2) {
                images.add(ctx + PATH + "/" + k.id() + "/file/" + d.id());
            }
            m.put("images", images);
            docs.add(m);
        }
        Map<String, Object> model = base(req, op);
        model.put("case", kase);
        model.put("checks", checks);
        model.put("documents", docs);
        model.put("error", error);
        model.put("notice", notice);
        model.put("action", ctx + PATH + "/" + k.id());
        model.put("queue", ctx + PATH);
        pages.render(req, resp, status, NS + "/console-case.ftlh", model);
    }

    private void page(HttpServletRequest req, HttpServletResponse resp, Operator op, String caseId, String docId,
            int page) throws IOException {
        Optional<OrganisationDocument> d = document(caseId, docId);
        if (d.isEmpty() || !"application/pdf".equals(d.get().mediaType())) {
            message(req, resp, 404, op, text(req, "organisation.console.notFound"));
            return;
        }
        byte[] content = service.document(caseId, docId, "operator:" + op.login());
        Optional<byte[]> png = PageImages.png(content, page);
        if (png.isEmpty()) {
            message(req, resp, 404, op, text(req, "organisation.console.notFound"));
            return;
        }
        Downloads.send(resp, "image/png", png.get(), "inline");
    }

    private void file(HttpServletRequest req, HttpServletResponse resp, Operator op, String caseId, String docId)
            throws IOException {
        Optional<OrganisationDocument> d = document(caseId, docId);
        if (d.isEmpty()) {
            message(req, resp, 404, op, text(req, "organisation.console.notFound"));
            return;
        }
        byte[] content = service.document(caseId, docId, "operator:" + op.login());
        boolean pdf = "application/pdf".equals(d.get().mediaType());
        Downloads.send(resp, d.get().mediaType(), content, pdf ? "attachment; filename=\"" + d.get().id() + ".pdf\"" : "inline");
    }

    private Optional<OrganisationDocument> document(String caseId, String docId) {
        return service.find(caseId).flatMap(k -> k.documents().stream().filter(x -> x.id().equals(docId)).findFirst());
    }


    private Map<String, Object> base(HttpServletRequest req, Operator op) {
        Map<String, Object> model = new HashMap<>();
        model.put(ConsoleAccess.SHELL_MODEL, access.shell(req, op));
        model.put("token", access.formToken(op, FORM));
        model.put("tokenField", ConsoleAccess.TOKEN_FIELD);
        return model;
    }

    private void message(HttpServletRequest req, HttpServletResponse resp, int status, Operator op, String error)
            throws IOException {
        Map<String, Object> model = base(req, op);
        model.put("error", error);
        model.put("queue", op.hasAnyRole(QUEUE_ROLES) ? context(req) + PATH : "");
        pages.render(req, resp, status, NS + "/console-message.ftlh", model);
    }

    private void unavailable(HttpServletRequest req, HttpServletResponse resp, Operator op, RuntimeException e)
            throws IOException {
        LOG.error("Organisation review page failed: {}", e.getMessage(), e);
        if (resp.isCommitted()) {
            return;
        }
        resp.resetBuffer();
        message(req, resp, 503, op, text(req, "organisation.console.unavailable"));
    }

    private static String param(HttpServletRequest req, String name) {
        String v = req.getParameter(name);
        return v == null ? "" : v.strip();
    }

    private static String context(HttpServletRequest req) {
        return req.getContextPath() == null ? "" : req.getContextPath();
    }

    private String text(HttpServletRequest req, String key, Object... args) {
        return pages.message(req, NS, key, args);
    }
}
