package io.cachet.portal.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cachet.api.link.IssuedLink;
import io.cachet.api.link.PersonalLinks;
import io.cachet.api.notify.Notifier;
import io.cachet.api.operator.Operator;
import io.cachet.api.order.Order;
import io.cachet.api.order.OrderRole;
import io.cachet.api.order.Orders;
import io.cachet.api.order.Person;
import io.cachet.api.rest.RestApi;
import io.cachet.api.store.Database;
import io.cachet.api.web.ConsoleAccess;
import io.cachet.api.web.ConsoleOrderAction;
import io.cachet.api.web.Pages;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code /console/status-links/<order>}: an operator sends a person who lost the order's e-mail a fresh link to the
 * status page ({@link StatusLinks}, as {@code POST /api/v1/orders/{id}/status-links} does), from a button per
 * person; the page shows where it went, never the link. Offered on the order console's page of an open order
 * ({@link ConsoleOrderAction}) to the roles that may send: admin, operator, support.
 */
@Component(service = { Servlet.class, ConsoleOrderAction.class }, configurationPid = PortalSettings.PID)
@HttpWhiteboardServletPattern(StatusLinksConsoleServlet.PATH + "/*")
@HttpWhiteboardServletName("cachet-portal-status-links")
public class StatusLinksConsoleServlet extends HttpServlet implements ConsoleOrderAction {

    static final String PATH = "/console/status-links";
    static final Set<String> ROLES = Set.of(RestApi.ROLE_ADMIN, RestApi.ROLE_OPERATOR, RestApi.ROLE_SUPPORT);
    static final String FORM = "portal-status-links";
    private static final String NS = PortalPages.NAMESPACE;
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(StatusLinksConsoleServlet.class);

    private final transient Orders orders;
    private final transient StatusLinks links;
    private final transient ConsoleAccess access;
    private final transient Pages pages;

    @Activate
    public StatusLinksConsoleServlet(@Reference Database database, @Reference Orders orders,
            @Reference PersonalLinks links, @Reference Notifier notifier, @Reference ConsoleAccess access,
            @Reference Pages pages, PortalConfiguration config, BundleContext context) {
        this(orders, new StatusLinks(database, orders, new OrderMailer(links, notifier, PortalSettings.of(config,
                context.getProperty("org.osgi.service.http.port")).statusLinkValidity())), access, pages);
    }

    StatusLinksConsoleServlet(Orders orders, StatusLinks links, ConsoleAccess access, Pages pages) {
        this.orders = orders;
        this.links = links;
        this.access = access;
        this.pages = pages;
    }

    @Override
    public List<Link> actions(Order order, Operator operator, HttpServletRequest request) {
        if (order.state().ended() || !operator.hasAnyRole(ROLES)) {
            return List.of();
        }
        return List.of(new Link(pages.message(request, NS, "portal.console.links.action"),
                PATH + "/" + order.id(), pages.message(request, NS, "portal.console.links.action.hint")));
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Optional<Operator> op = access.operatorWith(req, resp, ROLES);
        if (op.isPresent()) {
            page(req, resp, 200, op.get(), ConsoleOrderAction.orderIdIn(req.getPathInfo()), "", "");
        }
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Optional<Operator> found = access.operatorWith(req, resp, ROLES);
        if (found.isEmpty()) {
            return;
        }
        Operator op = found.get();
        String id = ConsoleOrderAction.orderIdIn(req.getPathInfo());
        if (!access.formAllowed(req, op, FORM)) {
            page(req, resp, 403, op, id, text(req, "portal.console.links.forged"), "");
            return;
        }
        String to = String.valueOf(req.getParameter("role"));
        OrderRole only = null;
        for (OrderRole r : OrderRole.values()) {
            only = r.id().equals(to) ? r : only;
        }
        if (only == null) { // the page has a button per person; the API sends to each at once
            page(req, resp, 400, op, id, text(req, "portal.console.links.who"), "");
            return;
        }
        try {
            List<IssuedLink> sent = links.send(id, only, "operator:" + op.login(), null);
            List<String> where = sent.stream().map(l -> text(req, "portal.console.links.sentTo", l.link().email(),
                    OrderMailer.DATE.format(l.link().expiresAt()))).toList();
            page(req, resp, 200, op, id, "", String.join(" ", where));
        } catch (StatusLinks.Refused e) {
            switch (e.why) {
            case NO_ORDER -> page(req, resp, 404, op, id, "", "");
            case ENDED -> page(req, resp, 409, op, id, "", "");
            case NOT_APART -> page(req, resp, 400, op, id, text(req, "portal.console.links.who"), "");
            }
        } catch (RuntimeException e) {
            LOG.error("A status link could not be sent: {}", e.getMessage(), e);
            page(req, resp, 503, op, id, text(req, "portal.console.links.unavailable"), "");
        }
    }

    private void page(HttpServletRequest req, HttpServletResponse resp, int status, Operator op, String id,
            String error, String notice) throws IOException {
        Map<String, Object> model = base(req, op, id);
        Optional<Order> found = id.isEmpty() ? Optional.empty() : orders.find(id);
        if (found.isEmpty()) {
            model.put("error", text(req, "portal.console.links.noOrder"));
            pages.render(req, resp, 404, NS + "/console-status-links.ftlh", model);
            return;
        }
        Order o = found.get();
        boolean both = o.request().managerIsLegalRepresentative();
        List<Map<String, String>> persons = new ArrayList<>();
        persons.add(person(req, OrderRole.CERTIFICATE_MANAGER, o.request().certificateManager(), both));
        if (!both) {
            persons.add(person(req, OrderRole.LEGAL_REPRESENTATIVE, o.request().legalRepresentative(), false));
        }
        model.put("organisation", o.request().organisation() == null ? "" : o.request().organisation().name());
        model.put("persons", persons);
        model.put("ended", o.state().ended());
        model.put("error", !error.isEmpty() ? error : status == 409 || o.state().ended()
                ? text(req, "portal.console.links.ended") : "");
        model.put("notice", notice);
        pages.render(req, resp, status, NS + "/console-status-links.ftlh", model);
    }

    private Map<String, String> person(HttpServletRequest req, OrderRole role, Person p, boolean both) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("role", role.id());
        m.put("roleLabel", text(req, both ? "portal.role.both" : "portal.role." + role.id()));
        m.put("name", p.fullName());
        m.put("email", p.email());
        return m;
    }

    private Map<String, Object> base(HttpServletRequest req, Operator op, String id) {
        Map<String, Object> model = new HashMap<>();
        req.setAttribute(ConsoleAccess.SECTION_ATTRIBUTE, ConsoleOrderAction.SECTION);
        model.put(ConsoleAccess.SHELL_MODEL, access.shell(req, op));
        model.put("token", access.formToken(op, FORM));
        model.put("tokenField", ConsoleAccess.TOKEN_FIELD);
        model.put("orderId", id);
        model.put("back", ConsoleOrderAction.orderPage(req, id));
        model.put("persons", List.of());
        model.put("organisation", "");
        model.put("ended", false);
        model.put("error", "");
        model.put("notice", "");
        return model;
    }

    private String text(HttpServletRequest req, String key, Object... args) {
        return pages.message(req, NS, key, args);
    }
}
