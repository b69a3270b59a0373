package io.cachet.delivery.cloud.internal.space;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
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
import io.cachet.api.operator.Operator;
import io.cachet.api.order.Order;
import io.cachet.api.order.OrderState;
import io.cachet.api.rest.RestApi;
import io.cachet.api.web.ConsoleAccess;
import io.cachet.api.web.ConsolePage;
import io.cachet.api.web.Pages;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code /console/cloud}: the cloud orders in DELIVERY or ACTIVE with their customer space (not opened, link sent,
 * active, closed), and the operator's buttons "Open the space", "Send a new link", "Close the account" (with the
 * reason) and "Reopen" (console form tokens; audited with the operator as actor).
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern({ CloudConsoleServlet.PATH, CloudConsoleServlet.PATH + "/*" })
@HttpWhiteboardServletName("cachet-cloud-space-console")
public class CloudConsoleServlet extends HttpServlet {

    static final String PATH = "/console/cloud";
    static final Set<String> ROLES = Set.of(RestApi.ROLE_ADMIN, RestApi.ROLE_OPERATOR);
    static final int LIMIT = 200;
    static final String FORM_OPEN = "cloud-space-open";
    static final String FORM_LINK = "cloud-space-link";
    static final String FORM_CLOSE = "cloud-space-close";
    static final String FORM_REOPEN = "cloud-space-reopen";
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(CloudConsoleServlet.class);
    private static final String NS = SpacePages.NAMESPACE;

    private final transient SpaceService service;
    private final transient ConsoleAccess access;
    private final transient Pages pages;

    @Activate
    public CloudConsoleServlet(@Reference SpaceComponent space, @Reference ConsoleAccess access,
            @Reference Pages pages) {
        this(space.service(), access, pages);
    }

    CloudConsoleServlet(SpaceService service, ConsoleAccess access, Pages pages) {
        this.service = service;
        this.access = access;
        this.pages = pages;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Optional<Operator> op = access.operatorWith(req, resp, ROLES);
        if (op.isPresent()) {
            page(req, resp, op.get(), 200, "", "");
        }
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Optional<Operator> found = access.operatorWith(req, resp, ROLES);
        if (found.isEmpty()) {
            return;
        }
        Operator op = found.get();
        String what = what(req.getParameter("do"));
        String form = what == null ? null : "cloud-space-" + what;
        String orderId = req.getParameter("order");
        if (form == null || orderId == null || !access.formAllowed(req, op, form)) {
            page(req, resp, op, 403, pages.message(req, NS, "cloud-space.console.forged"), "");
            return;
        }
        String actor = "operator:" + op.login();
        try {
            switch (form) {
                case FORM_OPEN -> service.open(orderId, actor);
                case FORM_LINK -> service.newLink(orderId, actor);
                case FORM_CLOSE -> service.close(orderId, req.getParameter("reason"), actor);
                default -> service.reopen(orderId, actor);
            }
            page(req, resp, op, 200, "", pages.message(req, NS, "cloud-space.console.done." + what, orderId));
        } catch (DeliveryException e) {
            int status = switch (e.kind()) {
                case UNAVAILABLE -> 503;
                case NOT_FOUND -> 404;
                case INVALID -> 400;
                default -> 409;
            };
            page(req, resp, op, status, e.kind() == DeliveryException.Kind.INVALID ? pages.message(req, NS,
                    "cloud-space.console.no-reason") : pages.message(req, NS, "cloud-space.console.refused",
                            e.getMessage()), "");
        }
    }

    /** The action a form asks for, among the page's; null for anything else. */
    private static String what(String doParameter) {
        return doParameter != null && Set.of("open", "link", "close", "reopen").contains(doParameter) ? doParameter
                : null;
    }

    private void page(HttpServletRequest req, HttpServletResponse resp, Operator op, int status, String error,
            String notice) throws IOException {
        Map<String, Object> model = new HashMap<>();
        model.put(ConsoleAccess.SHELL_MODEL, access.shell(req, op));
        model.put("css", pages.assetUrl(req, NS, "space.css"));
        model.put("error", error);
        model.put("notice", notice);
        model.put("items", List.of());
        List<Map.Entry<Order, SpaceService.SpaceView>> orders;
        try {
            orders = service.cloudOrders(LIMIT);
        } catch (RuntimeException e) {
            LOG.warn("The cloud orders could not be read: {}", e.toString());
            model.put("error", pages.message(req, NS, "cloud-space.console.unavailable"));
            pages.render(req, resp, 503, NS + "/console-cloud.ftlh", model);
            return;
        }
        List<Map<String, Object>> items = new ArrayList<>();
        for (Map.Entry<Order, SpaceService.SpaceView> e : orders) {
            Order o = e.getKey();
            SpaceService.SpaceView v = e.getValue();
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("orderId", o.id());
            row.put("orderHref", req.getContextPath() + "/console/orders/" + o.id());
            row.put("organisation", o.request().organisation().name());
            row.put("orderState", o.state().name());
            row.put("space", v.state().name());
            row.put("email", v.email() == null ? o.request().certificateManager().email() : v.email());
            row.put("linkExpires", Pages.time(v.linkExpiresAt()));
            row.put("canOpen", v.state() == SpaceService.SpaceState.NOT_OPENED && o.state() == OrderState.DELIVERY);
            row.put("canResend", v.state() == SpaceService.SpaceState.LINK_SENT);
            row.put("canClose", v.state() == SpaceService.SpaceState.LINK_SENT
                    || v.state() == SpaceService.SpaceState.ACTIVE);
            row.put("canReopen", v.state() == SpaceService.SpaceState.CLOSED);
            items.add(row);
        }
        model.put("items", items);
        model.put("action", req.getContextPath() + PATH);
        model.put("tokenField", ConsoleAccess.TOKEN_FIELD);
        model.put("openToken", access.formToken(op, FORM_OPEN));
        model.put("linkToken", access.formToken(op, FORM_LINK));
        model.put("closeToken", access.formToken(op, FORM_CLOSE));
        model.put("reopenToken", access.formToken(op, FORM_REOPEN));
        pages.render(req, resp, status, NS + "/console-cloud.ftlh", model);
    }

    /** The page's entry in the console's navigation, for operators and admins. */
    @Component(service = ConsolePage.class)
    public static class Entry implements ConsolePage {
        @Override
        public String path() {
            return PATH;
        }

        @Override
        public String titleKey() {
            return "cloud-space.console.nav";
        }

        @Override
        public String namespace() {
            return NS;
        }

        @Override
        public Set<String> roles() {
            return ROLES;
        }

        @Override
        public int rank() {
            return 42;
        }
    }
}
