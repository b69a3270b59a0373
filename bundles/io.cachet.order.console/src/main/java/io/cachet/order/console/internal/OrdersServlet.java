package io.cachet.order.console.internal;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cachet.api.operator.Operator;
import io.cachet.api.order.CheckState;
import io.cachet.api.order.Order;
import io.cachet.api.order.OrderEvent;
import io.cachet.api.order.OrderException;
import io.cachet.api.order.OrderPage;
import io.cachet.api.order.OrderRequest;
import io.cachet.api.order.OrderState;
import io.cachet.api.order.Orders;
import io.cachet.api.order.Person;
import io.cachet.api.order.PostalAddress;
import io.cachet.api.web.ConsoleAccess;
import io.cachet.api.web.ConsoleOrderAction;
import io.cachet.api.web.Pages;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code /console/orders}: the order list (search, filters by state, reseller and creation date, pages of
 * {@value ListQuery#PAGE} newest first) and {@code /console/orders/{id}}: an order with what was ordered, its checks,
 * its timeline (every transition with its actor, time and reason) and the cancel and reject forms, each with a
 * mandatory reason. Who may do what: {@link Permissions}. Forms carry the console's anti-forgery token; a transition
 * the order's state no longer allows is refused (409) with the page saying so, nothing changed.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern({OrdersServlet.PATH, OrdersServlet.PATH + "/*"})
@HttpWhiteboardServletName("cachet-order-console")
public class OrdersServlet extends HttpServlet {

    static final String PATH = "/console/orders";
    static final String FORM = "order";
    /** Longest reason taken. */
    static final int MAX_REASON = 1000;
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,100}");
    private static final String NS = OrderConsolePages.NAMESPACE;
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(OrdersServlet.class);

    private final transient Orders orders;
    private final transient ConsoleAccess access;
    private final transient Pages pages;

    /** What other bundles offer to do about an order ({@link ConsoleOrderAction} whiteboard, by ranking). */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    transient volatile List<ConsoleOrderAction> actions = List.of();

    @Activate
    public OrdersServlet(@Reference Orders orders, @Reference ConsoleAccess access, @Reference Pages pages) {
        this.orders = orders;
        this.access = access;
        this.pages = pages;
    }

    /** The operator, if one who reads orders; else the answer is sent. */
    private Optional<Operator> reader(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Optional<Operator> op = access.operator(req, resp, null);
        if (op.isPresent() && !Permissions.canRead(op.get().roles())) {
            message(req, resp, 403, op.get(), text(req, "order-console.forbidden"));
            return Optional.empty();
        }
        return op;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Optional<Operator> op = reader(req, resp);
        if (op.isEmpty()) {
            return;
        }
        String id = id(req);
        try {
            if (id == null) {
                list(req, resp, op.get());
            } else if (id.isEmpty()) {
                message(req, resp, 404, op.get(), text(req, "order-console.order.notFound"));
            } else {
                order(req, resp, 200, op.get(), id, "", "", "");
            }
        } catch (RuntimeException e) {
            unavailable(req, resp, op.get(), e);
        }
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Optional<Operator> found = reader(req, resp);
        if (found.isEmpty()) {
            return;
        }
        Operator op = found.get();
        if (req.getCharacterEncoding() == null) {
            req.setCharacterEncoding("UTF-8");
        }
        String id = id(req);
        if (id == null || id.isEmpty()) {
            message(req, resp, 404, op, text(req, "order-console.order.notFound"));
            return;
        }
        String reason = req.getParameter("reason") == null ? "" : req.getParameter("reason").strip();
        try {
            if (!access.formAllowed(req, op, FORM)) {
                order(req, resp, 403, op, id, text(req, "order-console.order.forged"), "", reason);
                return;
            }
            String action = String.valueOf(req.getParameter("action"));
            boolean cancel = action.equals("cancel");
            if (!cancel && !action.equals("reject")) {
                order(req, resp, 400, op, id, text(req, "order-console.order.unknownAction"), "", reason);
                return;
            }
            if (cancel ? !Permissions.canCancel(op.roles()) : !Permissions.canReject(op.roles())) {
                order(req, resp, 403, op, id, text(req, "order-console.order.notAllowed." + action), "", reason);
                return;
            }
            if (reason.isEmpty() || reason.length() > MAX_REASON) {
                order(req, resp, 400, op, id, text(req, "order-console.order.reason", MAX_REASON), "", reason);
                return;
            }
            String actor = "operator:" + op.login();
            try {
                if (cancel) {
                    orders.cancel(id, actor, reason, !Permissions.cancelsAsOperator(op.roles()));
                } else {
                    orders.reject(id, actor, reason);
                }
            } catch (OrderException e) {
                switch (e.reason()) {
                    case NOT_FOUND -> message(req, resp, 404, op, text(req, "order-console.order.notFound"));
                    case CONFLICT -> order(req, resp, 409, op, id, text(req, "order-console.order.conflict." + action,
                            e.getMessage()), "", reason);
                    default -> order(req, resp, 400, op, id, text(req, "order-console.order.refused", e.getMessage()),
                            "", reason);
                }
                return;
            }
            order(req, resp, 200, op, id, "", text(req, "order-console.order.done." + action), "");
        } catch (RuntimeException e) {
            unavailable(req, resp, op, e);
        }
    }

    /** The order id of the path: null for the list, empty for a path that names no readable id. */
    static String id(HttpServletRequest req) {
        String info = req.getPathInfo();
        if (info == null || info.equals("/")) {
            return null;
        }
        String id = info.substring(1);
        return ID.matcher(id).matches() ? id : "";
    }

    private void list(HttpServletRequest req, HttpServletResponse resp, Operator op) throws IOException {
        ListQuery q = ListQuery.parse(req::getParameter);
        OrderPage page = orders.list(q.query());
        List<Map<String, Object>> rows = new ArrayList<>();
        String ctx = req.getContextPath() == null ? "" : req.getContextPath();
        for (Order o : page.orders()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("id", o.id());
            row.put("href", ctx + PATH + "/" + o.id());
            row.put("created", Pages.time(o.createdAt()));
            row.put("state", o.state().name());
            row.put("stateLabel", state(req, o.state()));
            row.put("organisation", o.request().organisation().name());
            row.put("identifier", o.request().organisation().identifier());
            row.put("manager", o.request().certificateManager().fullName());
            row.put("email", o.request().certificateManager().email());
            row.put("medium", text(req, "order-console.medium." + o.request().medium().id()));
            row.put("reseller", o.reseller() == null ? "" : o.reseller());
            rows.add(row);
        }
        Map<String, String> errors = new LinkedHashMap<>();
        q.errors().forEach((field, key) -> errors.put(field, text(req, key)));
        String search = q.search();
        Map<String, Object> model = base(req, op);
        model.put("orders", rows);
        model.put("values", q.values());
        model.put("errors", errors);
        model.put("states", states(req));
        model.put("next", page.next() == null ? ""
                : ctx + PATH + "?" + (search.isEmpty() ? "" : search + "&") + "after="
                        + URLEncoder.encode(page.next(), StandardCharsets.UTF_8));
        model.put("first", q.query().after() == null ? "" : ctx + PATH + (search.isEmpty() ? "" : "?" + search));
        model.put("filtered", !search.isEmpty());
        model.put("reset", ctx + PATH);
        pages.render(req, resp, errors.isEmpty() ? 200 : 400, NS + "/orders.ftlh", model);
    }

    private void order(HttpServletRequest req, HttpServletResponse resp, int status, Operator op, String id,
            String error, String notice, String typedReason) throws IOException {
        Optional<Order> found = orders.find(id);
        if (found.isEmpty()) {
            message(req, resp, 404, op, text(req, "order-console.order.notFound"));
            return;
        }
        Order o = found.get();
        OrderRequest r = o.request();
        Map<String, Object> order = new LinkedHashMap<>();
        order.put("id", o.id());
        order.put("state", o.state().name());
        order.put("stateLabel", state(req, o.state()));
        order.put("product", r.product());
        order.put("validity", r.validityYears());
        order.put("medium", text(req, "order-console.medium." + r.medium().id()));
        order.put("created", Pages.time(o.createdAt()));
        order.put("updated", Pages.time(o.updatedAt()));
        order.put("expires", o.deadline().map(Pages::time).orElse(""));
        order.put("reseller", o.reseller() == null ? "" : o.reseller());
        order.put("brand", o.brand() == null ? "" : o.brand());
        order.put("language", o.language() == null ? "" : o.language());
        order.put("reason", o.reason() == null ? "" : o.reason());
        order.put("manager", person(r.certificateManager()));
        order.put("sameLegal", r.managerIsLegalRepresentative());
        order.put("legal", person(r.effectiveLegalRepresentative()));
        order.put("organisation", Map.of("name", r.organisation().name(), "country", r.organisation().country(),
                "identifier", r.organisation().identifier(), "vat", r.organisation().vat() == null ? ""
                        : r.organisation().vat(), "address", address(r.organisation().address())));
        order.put("hasDelivery", r.delivery() != null);
        order.put("delivery", r.delivery() == null ? Map.of() : Map.of("beneficiary", r.delivery().beneficiary(),
                "address", address(r.delivery().address())));
        List<Map<String, Object>> checks = new ArrayList<>();
        for (CheckState c : o.checks()) {
            checks.add(Map.of("kind", c.kind(), "state", state(req, c.state()), "status", c.status().name(),
                    "statusLabel", text(req, "order-console.check." + c.status().name()),
                    "detail", c.detail() == null ? "" : c.detail(), "updated", Pages.time(c.updatedAt())));
        }
        List<Map<String, Object>> events = new ArrayList<>();
        for (OrderEvent e : orders.events(id)) {
            events.add(Map.of("at", Pages.time(e.at()), "from", e.from() == null ? "" : state(req, e.from()),
                    "to", state(req, e.to()), "toState", e.to().name(), "actor", e.actor() == null ? "" : e.actor(),
                    "reason", e.reason() == null ? "" : e.reason()));
        }
        boolean asOperator = Permissions.cancelsAsOperator(op.roles());
        Map<String, Object> model = base(req, op);
        model.put("order", order);
        model.put("checks", checks);
        model.put("events", events);
        model.put("canCancel", Permissions.canCancel(op.roles()) && o.state().open()
                && (asOperator || o.state().cancellableByCustomer()));
        model.put("onCustomerRequest", !asOperator);
        model.put("canReject", Permissions.canReject(op.roles()) && o.state().open());
        model.put("readOnly", !Permissions.canCancel(op.roles()) && !Permissions.canReject(op.roles()));
        model.put("more", actions(req, op, o));
        model.put("maxReason", MAX_REASON);
        model.put("reasonTyped", typedReason);
        model.put("error", error);
        model.put("notice", notice);
        model.put("list", (req.getContextPath() == null ? "" : req.getContextPath()) + PATH);
        pages.render(req, resp, status, NS + "/order.ftlh", model);
    }

    /** The links the installed {@link ConsoleOrderAction}s offer; one that fails is left out (and logged). */
    private List<Map<String, String>> actions(HttpServletRequest req, Operator op, Order order) {
        List<ConsoleOrderAction> installed = new ArrayList<>(actions);
        java.util.Collections.reverse(installed); // highest ranking first
        List<Map<String, String>> out = new ArrayList<>();
        for (ConsoleOrderAction a : installed) {
            try {
                for (ConsoleOrderAction.Link link : a.actions(order, op, req)) {
                    out.add(Map.of("label", link.label(), "href", (req.getContextPath() == null ? ""
                            : req.getContextPath()) + link.path(), "hint", link.hint() == null ? "" : link.hint()));
                }
            } catch (RuntimeException e) {
                LOG.warn("An order action failed and is left out: {}", e.toString());
            }
        }
        return out;
    }

    private Map<String, Object> base(HttpServletRequest req, Operator op) {
        Map<String, Object> model = new HashMap<>();
        model.put(ConsoleAccess.SHELL_MODEL, access.shell(req, op));
        model.put("token", access.formToken(op, FORM));
        model.put("tokenField", ConsoleAccess.TOKEN_FIELD);
        return model;
    }

    /** A page with only a message: a refusal, a missing order. */
    private void message(HttpServletRequest req, HttpServletResponse resp, int status, Operator op, String error)
            throws IOException {
        Map<String, Object> model = base(req, op);
        model.put("error", error);
        model.put("list", (req.getContextPath() == null ? "" : req.getContextPath()) + PATH);
        pages.render(req, resp, status, NS + "/message.ftlh", model);
    }

    private void unavailable(HttpServletRequest req, HttpServletResponse resp, Operator op, RuntimeException e)
            throws IOException {
        LOG.error("Order page failed: {}", e.getMessage(), e);
        message(req, resp, 503, op, text(req, "order-console.unavailable"));
    }

    private List<Map<String, String>> states(HttpServletRequest req) {
        List<Map<String, String>> states = new ArrayList<>();
        for (OrderState s : OrderState.values()) {
            states.add(Map.of("value", s.name(), "label", state(req, s)));
        }
        return states;
    }

    private String state(HttpServletRequest req, OrderState s) {
        return text(req, "order-console.state." + s.name());
    }

    private static Map<String, Object> person(Person p) {
        return Map.of("name", p.fullName(), "birthDate", p.birthDate() == null ? "" : p.birthDate().toString(),
                "email", p.email(), "mobile", p.mobile());
    }

    private static List<String> address(PostalAddress a) {
        if (a == null) {
            return List.of();
        }
        List<String> lines = new ArrayList<>(a.lines());
        lines.add(a.postalCode() + " " + a.city());
        lines.add(a.country());
        return lines;
    }

    private String text(HttpServletRequest req, String key, Object... args) {
        return pages.message(req, NS, key, args);
    }
}
