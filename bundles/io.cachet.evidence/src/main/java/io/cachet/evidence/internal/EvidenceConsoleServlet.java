package io.cachet.evidence.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cachet.api.issuance.EvidenceInfo;
import io.cachet.api.issuance.IssuanceException;
import io.cachet.api.operator.Operator;
import io.cachet.api.order.Order;
import io.cachet.api.rest.RestApi;
import io.cachet.api.web.ConsoleAccess;
import io.cachet.api.web.ConsoleOrderAction;
import io.cachet.api.web.Downloads;
import io.cachet.api.web.Pages;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code /console/evidence/<order>}: an order's evidence file in the console, for the roles that may read it through
 * the API (admin, operator, auditor): what it holds and lacks, its fingerprint and its archive time-stamps, the file
 * itself ({@code /console/evidence/<order>/file}, each download audited as {@code evidence.downloaded} with the
 * operator) and, for admin and operator, a new archive time-stamp now (a form protected against forgery, audited as
 * {@code evidence.timestamped}). Offered on the order console's page of an order that has one
 * ({@link ConsoleOrderAction}).
 */
@Component(service = { Servlet.class, ConsoleOrderAction.class })
@HttpWhiteboardServletPattern(EvidenceConsoleServlet.PATH + "/*")
@HttpWhiteboardServletName("cachet-evidence-console")
public class EvidenceConsoleServlet extends HttpServlet implements ConsoleOrderAction {

    static final String PATH = "/console/evidence";
    /** Who reads the file (as {@code GET /api/v1/orders/{id}/evidence}). */
    static final Set<String> READERS = Set.of(RestApi.ROLE_ADMIN, RestApi.ROLE_OPERATOR, RestApi.ROLE_AUDITOR);
    /** Who adds an archive time-stamp (as {@code POST /api/v1/orders/{id}/evidence/timestamp}). */
    static final Set<String> STAMPERS = Set.of(RestApi.ROLE_ADMIN, RestApi.ROLE_OPERATOR);
    static final String FORM = "evidence-timestamp";
    private static final String NS = EvidencePages.NAMESPACE;
    private static final String FILE = "/file";
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(EvidenceConsoleServlet.class);

    private final transient EvidenceService service;
    private final transient ConsoleAccess access;
    private final transient Pages pages;

    @Activate
    public EvidenceConsoleServlet(@Reference EvidenceComponent evidence, @Reference ConsoleAccess access,
            @Reference Pages pages) {
        this(evidence.service(), access, pages);
    }

    EvidenceConsoleServlet(EvidenceService service, ConsoleAccess access, Pages pages) {
        this.service = service;
        this.access = access;
        this.pages = pages;
    }

    @Override
    public List<Link> actions(Order order, Operator operator, HttpServletRequest request) {
        if (!operator.hasAnyRole(READERS)) {
            return List.of();
        }
        return service.find(order.id()).map(i -> List.of(new Link(text(request, "evidence.action"),
                PATH + "/" + order.id(), text(request, "evidence.action.hint", Pages.time(i.createdAt()),
                        i.sections().size(), i.missing().size())))).orElse(List.of());
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Optional<Operator> op = access.operatorWith(req, resp, READERS);
        if (op.isEmpty()) {
            return;
        }
        String path = req.getPathInfo() == null ? "" : req.getPathInfo();
        if (path.endsWith(FILE)) {
            download(req, resp, op.get(), ConsoleOrderAction.orderIdIn(path.substring(0, path.length()
                    - FILE.length())));
        } else {
            page(req, resp, 200, op.get(), ConsoleOrderAction.orderIdIn(path), "", "");
        }
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Optional<Operator> found = access.operatorWith(req, resp, READERS);
        if (found.isEmpty()) {
            return;
        }
        Operator op = found.get();
        String id = ConsoleOrderAction.orderIdIn(req.getPathInfo());
        if (!op.hasAnyRole(STAMPERS)) {
            page(req, resp, 403, op, id, text(req, "evidence.timestamp.forbidden"), "");
            return;
        }
        if (!access.formAllowed(req, op, FORM)) {
            page(req, resp, 403, op, id, text(req, "evidence.forged"), "");
            return;
        }
        try {
            EvidenceInfo info = service.timestamp(id, "operator:" + op.login());
            page(req, resp, 200, op, id, "", text(req, "evidence.timestamp.done", info.timestamps(),
                    info.timestampValidUntil().map(Pages::time).orElse("?")));
        } catch (IssuanceException e) {
            int status = e.kind() == IssuanceException.Kind.NOT_FOUND ? 404 : 503;
            page(req, resp, status, op, id, text(req, status == 404 ? "evidence.none"
                    : "evidence.timestamp.unavailable"), "");
        } catch (RuntimeException e) {
            LOG.error("An archive time-stamp could not be added to the evidence file of {}: {}", id, e.getMessage(),
                    e);
            page(req, resp, 503, op, id, text(req, "evidence.timestamp.unavailable"), "");
        }
    }

    /** The file, as the API gives it: a PDF to save, never cached, the download audited with the operator. */
    private void download(HttpServletRequest req, HttpServletResponse resp, Operator op, String id)
            throws IOException {
        if (id.isEmpty() || service.find(id).isEmpty()) {
            page(req, resp, 404, op, id, text(req, "evidence.none"), "");
            return;
        }
        byte[] pdf;
        try (InputStream in = service.open(id, "operator:" + op.login())) {
            pdf = in.readAllBytes();
        } catch (IssuanceException | IOException e) {
            LOG.warn("The evidence file of {} could not be read: {}", id, e.toString());
            page(req, resp, 503, op, id, text(req, "evidence.unreadable"), "");
            return;
        }
        Downloads.send(resp, "application/pdf", pdf, Downloads.attachment("evidence-" + id + ".pdf"));
    }

    private void page(HttpServletRequest req, HttpServletResponse resp, int status, Operator op, String id,
            String error, String notice) throws IOException {
        Map<String, Object> model = base(req, op, id);
        Optional<EvidenceInfo> found = id.isEmpty() ? Optional.empty() : service.find(id);
        if (found.isEmpty()) {
            String pending = id.isEmpty() ? null : service.pendingError(id);
            model.put("error", error.isEmpty() ? (pending == null ? text(req, "evidence.none")
                    : text(req, "evidence.pending", pending)) : error);
            pages.render(req, resp, status == 200 ? 404 : status, NS + "/console-evidence.ftlh", model);
            return;
        }
        EvidenceInfo i = found.get();
        model.put("found", true);
        model.put("fileName", i.fileName());
        model.put("size", i.size());
        model.put("sha256", i.sha256());
        model.put("createdAt", Pages.time(i.createdAt()));
        model.put("timestampedAt", Pages.time(i.timestampedAt()));
        model.put("validUntil", i.timestampValidUntil().map(Pages::time).orElse(""));
        model.put("timestamps", i.timestamps());
        model.put("sections", i.sections());
        model.put("missing", i.missing());
        model.put("file", req.getContextPath() + PATH + "/" + id + FILE);
        model.put("mayStamp", op.hasAnyRole(STAMPERS));
        model.put("error", error);
        model.put("notice", notice);
        pages.render(req, resp, status, NS + "/console-evidence.ftlh", model);
    }

    private Map<String, Object> base(HttpServletRequest req, Operator op, String id) {
        Map<String, Object> model = new HashMap<>();
        req.setAttribute(ConsoleAccess.SECTION_ATTRIBUTE, ConsoleOrderAction.SECTION);
        model.put(ConsoleAccess.SHELL_MODEL, access.shell(req, op));
        model.put("token", access.formToken(op, FORM));
        model.put("tokenField", ConsoleAccess.TOKEN_FIELD);
        model.put("orderId", id);
        model.put("back", ConsoleOrderAction.orderPage(req, id));
        model.put("found", false);
        model.put("mayStamp", false);
        model.put("error", "");
        model.put("notice", "");
        return model;
    }

    private String text(HttpServletRequest req, String key, Object... args) {
        return pages.message(req, NS, key, args);
    }
}
