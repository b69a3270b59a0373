package io.cachet.acceptance.internal;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import io.cachet.api.acceptance.AcceptanceRecord;
import io.cachet.api.acceptance.PersonAcceptance;
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
 * {@code /console/acceptance/<order>}: where an order's acceptance stands, for the roles that read it through the API
 * ({@code GET /api/v1/acceptance/{id}}): each person, their roles, their masked mobile and whether and when they
 * accepted; and the form with every signature made so far ({@code /console/acceptance/<order>/form}) for the roles
 * that download it through the API (not support). Read only. Offered on the order console's page of an order that
 * entered ACCEPTANCE ({@link ConsoleOrderAction}).
 */
@Component(service = { Servlet.class, ConsoleOrderAction.class })
@HttpWhiteboardServletPattern(AcceptanceConsoleServlet.PATH + "/*")
@HttpWhiteboardServletName("cachet-acceptance-console")
public class AcceptanceConsoleServlet extends HttpServlet implements ConsoleOrderAction {

    static final String PATH = "/console/acceptance";
    /** Who reads where an acceptance stands (as {@code GET /api/v1/acceptance/{id}}). */
    static final Set<String> READERS = Set.of(RestApi.ROLE_ADMIN, RestApi.ROLE_OPERATOR, RestApi.ROLE_RA_OFFICER,
            RestApi.ROLE_SUPPORT, RestApi.ROLE_AUDITOR);
    /** Who downloads the signed form (as {@code GET /api/v1/acceptance/{id}/form}). */
    static final Set<String> FORM_READERS = Set.of(RestApi.ROLE_ADMIN, RestApi.ROLE_OPERATOR,
            RestApi.ROLE_RA_OFFICER, RestApi.ROLE_AUDITOR);
    private static final String NS = AcceptancePages.NAMESPACE;
    private static final String FORM = "/form";
    private static final long serialVersionUID = 1L;

    private final transient AcceptanceService service;
    private final transient ConsoleAccess access;
    private final transient Pages pages;

    @Activate
    public AcceptanceConsoleServlet(@Reference AcceptancesComponent acceptances, @Reference ConsoleAccess access,
            @Reference Pages pages) {
        this(acceptances.service(), access, pages);
    }

    AcceptanceConsoleServlet(AcceptanceService service, ConsoleAccess access, Pages pages) {
        this.service = service;
        this.access = access;
        this.pages = pages;
    }

    @Override
    public List<Link> actions(Order order, Operator operator, HttpServletRequest request) {
        if (!operator.hasAnyRole(READERS)) {
            return List.of();
        }
        return service.record(order.id()).map(r -> List.of(new Link(text(request, "acceptance.console.action"),
                PATH + "/" + order.id(), text(request, "acceptance.console.action.hint",
                        r.persons().stream().filter(PersonAcceptance::accepted).count(), r.persons().size()))))
                .orElse(List.of());
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Optional<Operator> op = access.operatorWith(req, resp, READERS);
        if (op.isEmpty()) {
            return;
        }
        String path = req.getPathInfo() == null ? "" : req.getPathInfo();
        if (path.endsWith(FORM)) {
            form(req, resp, op.get(), ConsoleOrderAction.orderIdIn(path.substring(0, path.length()
                    - FORM.length())));
        } else {
            page(req, resp, 200, op.get(), ConsoleOrderAction.orderIdIn(path), "");
        }
    }

    /** The form with every signature made so far, as the API gives it. */
    private void form(HttpServletRequest req, HttpServletResponse resp, Operator op, String id) throws IOException {
        if (!op.hasAnyRole(FORM_READERS)) {
            page(req, resp, 403, op, id, text(req, "acceptance.console.form.forbidden"));
            return;
        }
        Optional<byte[]> pdf = id.isEmpty() ? Optional.empty() : service.form(id);
        if (pdf.isEmpty()) {
            page(req, resp, 404, op, id, "");
            return;
        }
        Downloads.send(resp, "application/pdf", pdf.get(), Downloads.attachment("acceptance-" + id + ".pdf"));
    }

    private void page(HttpServletRequest req, HttpServletResponse resp, int status, Operator op, String id,
            String error) throws IOException {
        Map<String, Object> model = new HashMap<>();
        req.setAttribute(ConsoleAccess.SECTION_ATTRIBUTE, ConsoleOrderAction.SECTION);
        model.put(ConsoleAccess.SHELL_MODEL, access.shell(req, op));
        model.put("orderId", id);
        model.put("back", ConsoleOrderAction.orderPage(req, id));
        Optional<AcceptanceRecord> found = id.isEmpty() ? Optional.empty() : service.record(id);
        model.put("found", found.isPresent());
        if (found.isEmpty()) {
            model.put("error", error.isEmpty() ? text(req, "acceptance.console.none") : error);
            pages.render(req, resp, status == 200 ? 404 : status, NS + "/console-acceptance.ftlh", model);
            return;
        }
        AcceptanceRecord r = found.get();
        model.put("error", error);
        model.put("complete", r.complete() ? text(req, "acceptance.console.complete", Pages.time(r.completedAt()))
                : text(req, "acceptance.console.open"));
        model.put("persons", r.persons().stream().map(p -> Map.of(
                "name", p.name(),
                "roles", p.roles().stream().sorted().map(role -> text(req, "acceptance.console.role."
                        + role.id())).collect(Collectors.joining(", ")),
                "mobile", p.maskedMobile() == null ? "" : p.maskedMobile(),
                "status", p.accepted() ? text(req, "acceptance.console.accepted", Pages.time(p.acceptedAt()))
                        : text(req, "acceptance.console.status." + p.status().toLowerCase(Locale.ROOT)))).toList());
        model.put("form", op.hasAnyRole(FORM_READERS) ? req.getContextPath() + PATH + "/" + id + FORM : "");
        pages.render(req, resp, status, NS + "/console-acceptance.ftlh", model);
    }

    private String text(HttpServletRequest req, String key, Object... args) {
        return pages.message(req, NS, key, args);
    }
}
