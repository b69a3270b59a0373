package io.cachet.delivery.token.internal;

import java.io.IOException;
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

import io.cachet.api.delivery.DeliveryException;
import io.cachet.api.delivery.TokenDelivery;
import io.cachet.api.delivery.TokenDelivery.PinCustody;
import io.cachet.api.operator.Operator;
import io.cachet.api.order.Order;
import io.cachet.api.rest.RestApi;
import io.cachet.api.web.ConsoleAccess;
import io.cachet.api.web.ConsoleOrderAction;
import io.cachet.api.web.Pages;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code /console/token-pin/<order>}: support reopens the retrieval of the initialisation PIN that too many wrong SMS
 * codes locked, with the reason (audited, as {@code POST /api/v1/orders/{id}/token/pin/unlock} does); the certificate
 * manager can then ask for a new code from their link. Offered on the order console's page of an order whose
 * retrieval is locked ({@link ConsoleOrderAction}) to the roles that may reopen it: admin and support.
 */
@Component(service = { Servlet.class, ConsoleOrderAction.class })
@HttpWhiteboardServletPattern(PinUnlockConsoleServlet.PATH + "/*")
@HttpWhiteboardServletName("cachet-token-pin-unlock")
public class PinUnlockConsoleServlet extends HttpServlet implements ConsoleOrderAction {

    static final String PATH = "/console/token-pin";
    static final Set<String> ROLES = Set.of(RestApi.ROLE_ADMIN, RestApi.ROLE_SUPPORT);
    static final String FORM = "token-pin-unlock";
    static final int MAX_REASON = 500;
    private static final String NS = TokenPages.NAMESPACE;
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(PinUnlockConsoleServlet.class);

    private final transient TokenDeliveryService service;
    private final transient ConsoleAccess access;
    private final transient Pages pages;

    @Activate
    public PinUnlockConsoleServlet(@Reference TokenDeliveriesComponent deliveries, @Reference ConsoleAccess access,
            @Reference Pages pages) {
        this(deliveries.service(), access, pages);
    }

    PinUnlockConsoleServlet(TokenDeliveryService service, ConsoleAccess access, Pages pages) {
        this.service = service;
        this.access = access;
        this.pages = pages;
    }

    @Override
    public List<Link> actions(Order order, Operator operator, HttpServletRequest request) {
        if (!operator.hasAnyRole(ROLES) || !order.request().medium().token()
                || service.find(order.id()).map(d -> d.pin() != PinCustody.LOCKED).orElse(true)) {
            return List.of();
        }
        return List.of(new Link(pages.message(request, NS, "token.unlock.action"), PATH + "/" + order.id(),
                pages.message(request, NS, "token.unlock.action.hint")));
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Optional<Operator> op = access.operatorWith(req, resp, ROLES);
        if (op.isPresent()) {
            page(req, resp, 200, op.get(), ConsoleOrderAction.orderIdIn(req.getPathInfo()), "", "", "");
        }
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Optional<Operator> found = access.operatorWith(req, resp, ROLES);
        if (found.isEmpty()) {
            return;
        }
        if (req.getCharacterEncoding() == null) {
            req.setCharacterEncoding("UTF-8");
        }
        Operator op = found.get();
        String id = ConsoleOrderAction.orderIdIn(req.getPathInfo());
        String reason = req.getParameter("reason") == null ? "" : req.getParameter("reason").strip();
        if (!access.formAllowed(req, op, FORM)) {
            page(req, resp, 403, op, id, text(req, "token.unlock.forged"), "", reason);
            return;
        }
        if (reason.isEmpty() || reason.length() > MAX_REASON) {
            page(req, resp, 400, op, id, text(req, "token.unlock.reason.missing", MAX_REASON), "", reason);
            return;
        }
        try {
            service.unlockPin(id, reason, "operator:" + op.login());
            page(req, resp, 200, op, id, "", text(req, "token.unlock.done"), "");
        } catch (DeliveryException e) {
            int status = switch (e.kind()) {
            case NOT_FOUND -> 404;
            case CONFLICT -> 409;
            case INVALID -> 400;
            default -> 503;
            };
            page(req, resp, status, op, id, status == 409 ? text(req, "token.unlock.notLocked")
                    : status == 503 ? text(req, "token.unlock.unavailable") : e.getMessage(), "", reason);
        } catch (RuntimeException e) {
            LOG.error("The PIN retrieval could not be reopened: {}", e.getMessage(), e);
            page(req, resp, 503, op, id, text(req, "token.unlock.unavailable"), "", reason);
        }
    }

    private void page(HttpServletRequest req, HttpServletResponse resp, int status, Operator op, String id,
            String error, String notice, String reason) throws IOException {
        Map<String, Object> model = base(req, op, id);
        Optional<TokenDelivery> d = id.isEmpty() ? Optional.empty() : service.find(id);
        if (d.isEmpty()) {
            model.put("error", text(req, "token.unlock.noDelivery"));
            pages.render(req, resp, 404, NS + "/console-pin-unlock.ftlh", model);
            return;
        }
        model.put("found", true);
        model.put("locked", d.get().pin() == PinCustody.LOCKED);
        model.put("error", error);
        model.put("notice", notice);
        model.put("reasonTyped", reason);
        pages.render(req, resp, status, NS + "/console-pin-unlock.ftlh", model);
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
        model.put("locked", false);
        model.put("error", "");
        model.put("notice", "");
        model.put("reasonTyped", "");
        model.put("maxReason", MAX_REASON);
        return model;
    }

    private String text(HttpServletRequest req, String key, Object... args) {
        return pages.message(req, NS, key, args);
    }
}
