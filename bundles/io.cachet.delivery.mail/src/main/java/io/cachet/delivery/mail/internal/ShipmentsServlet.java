package io.cachet.delivery.mail.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletMultipart;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cachet.api.delivery.DeliveryException;
import io.cachet.api.delivery.Shipment;
import io.cachet.api.delivery.ShipmentState;
import io.cachet.api.delivery.Shipments.Receipt;
import io.cachet.api.operator.Operator;
import io.cachet.api.rest.RestApi;
import io.cachet.api.web.ConsoleAccess;
import io.cachet.api.web.Downloads;
import io.cachet.api.web.Pages;

import jakarta.servlet.Servlet;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.Part;

/**
 * The operators' shipments page.
 * <ul>
 * <li>{@code GET /console/shipments?state=PREPARED|SENT|DELIVERED|RETURNED|LOST|ALL}: the letters in that state (to
 * print and send first), each with the actions its state allows.</li>
 * <li>{@code POST /console/shipments/{id}}: {@code action=sent} (with {@code trackingNumber}), {@code delivered},
 * {@code returned}, {@code lost}, an optional {@code note}; {@code reship} for a returned letter (the same token in a
 * new letter, {@link ShipmentService#prepare}); 303 back to the list, which says what happened; a refusal shows the list
 * with what was wrong, nothing changed.</li>
 * <li>{@code POST /console/shipments/{id}/receipt}: the acknowledgement of receipt's scan (multipart, field
 * {@code file}).</li>
 * <li>{@code GET /console/shipments/{id}/label?lang=fr|en}: the label and cover letter to print;
 * {@code GET …/receipt}: the scan as attached (the read is audited).</li>
 * </ul>
 * Every request is authenticated through {@link ConsoleAccess} (admin and operator); forms carry its anti-forgery
 * token.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern({ ShipmentsServlet.PATH, ShipmentsServlet.PATH + "/*" })
@HttpWhiteboardServletName("cachet-shipments-console")
@HttpWhiteboardServletMultipart(enabled = true, maxFileSize = ShipmentsServlet.MAX_MULTIPART,
        maxRequestSize = ShipmentsServlet.MAX_MULTIPART + 64 * 1024, fileSizeThreshold = 1024 * 1024)
public class ShipmentsServlet extends HttpServlet {

    static final String PATH = "/console/shipments";
    static final String FORM = "shipments";
    static final Set<String> ROLES = Set.of(RestApi.ROLE_ADMIN, RestApi.ROLE_OPERATOR);
    /** The container's bound on a part; the configured limit (smaller) is applied by the service. */
    static final long MAX_MULTIPART = 50L * 1024 * 1024;
    static final int LIMIT = 300;
    static final Set<String> DONE = Set.of("sent", "delivered", "returned", "lost", "receipt", "reship");
    private static final Pattern SHIPMENT = Pattern.compile("/([A-Za-z0-9_-]{1,60})/?");
    private static final Pattern RECEIPT = Pattern.compile("/([A-Za-z0-9_-]{1,60})/receipt");
    private static final Pattern LABEL = Pattern.compile("/([A-Za-z0-9_-]{1,60})/label");
    private static final String NS = ShipmentsPages.NAMESPACE;
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ShipmentsServlet.class);

    private final transient ShipmentService service;
    private final transient ConsoleAccess access;
    private final transient Pages pages;

    @Activate
    public ShipmentsServlet(@Reference ShipmentsComponent shipments, @Reference ConsoleAccess access,
            @Reference Pages pages) {
        this(shipments.service(), access, pages);
    }

    ShipmentsServlet(ShipmentService service, ConsoleAccess access, Pages pages) {
        this.service = service;
        this.access = access;
        this.pages = pages;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Optional<Operator> op = access.operatorWith(req, resp, ROLES);
        if (op.isEmpty()) {
            return;
        }
        String info = req.getPathInfo();
        try {
            if (info == null || info.equals("/")) {
                String done = req.getParameter("done");
                list(req, resp, 200, op.get(), state(req.getParameter("state")), "",
                        done != null && DONE.contains(done) ? text(req, "shipments.console.done." + done) : "");
                return;
            }
            Matcher label = LABEL.matcher(info);
            Matcher receipt = RECEIPT.matcher(info);
            if (label.matches()) {
                String lang = req.getParameter("lang");
                byte[] pdf = service.label(label.group(1), lang == null || lang.isBlank() ? null : lang);
                Downloads.send(resp, "application/pdf", pdf, "inline; filename=\"label-" + label.group(1) + ".pdf\"");
            } else if (receipt.matches()) {
                Optional<Receipt> r = service.receipt(receipt.group(1), "operator:" + op.get().login());
                if (r.isEmpty()) {
                    message(req, resp, 404, op.get(), text(req, "shipments.console.noReceipt"));
                    return;
                }
                Downloads.send(resp, r.get().mediaType(), r.get().content(), "application/pdf".equals(r.get().mediaType())
                        ? "attachment; filename=\"receipt-" + receipt.group(1) + ".pdf\"" : "inline");
            } else {
                message(req, resp, 404, op.get(), text(req, "shipments.console.notFound"));
            }
        } catch (DeliveryException e) {
            message(req, resp, e.kind() == DeliveryException.Kind.NOT_FOUND ? 404 : 400, op.get(),
                    text(req, "shipments.console.refused." + e.kind().name(), e.getMessage()));
        } catch (RuntimeException e) {
            unavailable(req, resp, op.get(), e);
        }
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Optional<Operator> found = access.operatorWith(req, resp, ROLES);
        if (found.isEmpty()) {
            return;
        }
        Operator op = found.get();
        if (req.getCharacterEncoding() == null) {
            req.setCharacterEncoding("UTF-8");
        }
        String info = req.getPathInfo() == null ? "" : req.getPathInfo();
        Matcher one = SHIPMENT.matcher(info);
        Matcher receipt = RECEIPT.matcher(info);
        if (!one.matches() && !receipt.matches()) {
            message(req, resp, 404, op, text(req, "shipments.console.notFound"));
            return;
        }
        String id = one.matches() ? one.group(1) : receipt.group(1);
        try {
            Optional<Shipment> s = service.find(id);
            if (s.isEmpty()) {
                message(req, resp, 404, op, text(req, "shipments.console.notFound"));
                return;
            }
            ShipmentState back = s.get().state();
            if (!access.formAllowed(req, op, FORM)) {
                list(req, resp, 403, op, back, text(req, "shipments.console.forged"), "");
                return;
            }
            String actor = "operator:" + op.login();
            String done;
            try {
                if (receipt.matches()) {
                    byte[] content = file(req);
                    if (content == null) {
                        list(req, resp, 400, op, back, text(req, "shipments.console.error.file"), "");
                        return;
                    }
                    service.attachReceipt(id, content, actor);
                    done = "receipt";
                } else if ("reship".equals(param(req, "action"))) {
                    // a returned letter's token is back with the operator: the same token goes in a new letter
                    if (back != ShipmentState.RETURNED) {
                        list(req, resp, 409, op, back, text(req, "shipments.console.error.reship"), "");
                        return;
                    }
                    service.prepare(s.get().orderId(), s.get().reference(), actor);
                    done = "reship";
                } else {
                    String action = param(req, "action");
                    ShipmentState to = switch (action) {
                        case "sent" -> ShipmentState.SENT;
                        case "delivered" -> ShipmentState.DELIVERED;
                        case "returned" -> ShipmentState.RETURNED;
                        case "lost" -> ShipmentState.LOST;
                        default -> null;
                    };
                    if (to == null) {
                        list(req, resp, 400, op, back, text(req, "shipments.console.error.action"), "");
                        return;
                    }
                    service.move(id, to, param(req, "trackingNumber"), param(req, "note"), actor);
                    done = action;
                }
            } catch (DeliveryException e) {
                LOG.info("Shipment {}: {} by {} refused: {}", id, receipt.matches() ? "receipt" : param(req, "action"),
                        op.login(), e.kind());
                list(req, resp, e.kind() == DeliveryException.Kind.CONFLICT ? 409 : 400, op, back,
                        text(req, "shipments.console.refused." + e.kind().name(), e.getMessage()), "");
                return;
            }
            resp.setStatus(HttpServletResponse.SC_SEE_OTHER);
            resp.setHeader("Location", context(req) + PATH + "?state=" + back.name() + "&done=" + done + "#s-" + id);
        } catch (RuntimeException e) {
            unavailable(req, resp, op, e);
        }
    }

    /** The uploaded file's bytes, at most the container's bound; null when the form has none. */
    private static byte[] file(HttpServletRequest req) throws IOException {
        try {
            Part p = req.getPart("file");
            if (p == null || p.getSize() == 0) {
                return null;
            }
            try (InputStream in = p.getInputStream()) {
                return in.readNBytes((int) Math.min(MAX_MULTIPART, Integer.MAX_VALUE - 8));
            }
        } catch (ServletException | IllegalStateException e) {
            // not a multipart form, or over the container's bound
            return null;
        }
    }

    private void list(HttpServletRequest req, HttpServletResponse resp, int status, Operator op, ShipmentState state,
            String error, String notice) throws IOException {
        List<Shipment> shipments = state == null ? service.latest(LIMIT) : service.inState(state, LIMIT);
        String ctx = context(req);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Shipment s : shipments) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("id", s.id());
            row.put("action", ctx + PATH + "/" + s.id());
            row.put("orderId", s.orderId());
            row.put("orderHref", ctx + "/console/orders/" + s.orderId());
            row.put("reference", s.reference());
            row.put("recipient", s.recipient());
            row.put("place", (s.address().postalCode() + " " + s.address().city()).strip() + ", "
                    + s.address().country());
            row.put("carrier", s.carrier());
            row.put("tracking", s.trackingNumber().orElse(""));
            row.put("state", s.state().name());
            row.put("stateLabel", text(req, "shipments.state." + s.state().name()));
            row.put("note", s.note().orElse(""));
            row.put("updated", Pages.time(s.updatedAt()));
            row.put("labelFr", ctx + PATH + "/" + s.id() + "/label?lang=fr");
            row.put("labelEn", ctx + PATH + "/" + s.id() + "/label?lang=en");
            row.put("receipt", s.receiptAttached() ? ctx + PATH + "/" + s.id() + "/receipt" : "");
            row.put("receiptAction", ctx + PATH + "/" + s.id() + "/receipt");
            List<String> moves = new ArrayList<>();
            for (ShipmentState to : List.of(ShipmentState.SENT, ShipmentState.DELIVERED, ShipmentState.RETURNED,
                    ShipmentState.LOST)) {
                if (s.state().canMoveTo(to)) {
                    moves.add(to.name().toLowerCase(Locale.ROOT));
                }
            }
            row.put("moves", moves);
            row.put("canAttach", s.state() != ShipmentState.PREPARED);
            row.put("canReship", s.state() == ShipmentState.RETURNED);
            rows.add(row);
        }
        List<Map<String, Object>> tabs = new ArrayList<>();
        for (String t : List.of("PREPARED", "SENT", "DELIVERED", "RETURNED", "LOST", "ALL")) {
            Map<String, Object> tab = new LinkedHashMap<>();
            tab.put("href", ctx + PATH + "?state=" + t);
            tab.put("label", text(req, "shipments.state." + t));
            tab.put("current", state == null ? t.equals("ALL") : t.equals(state.name()));
            tabs.add(tab);
        }
        Map<String, Object> model = base(req, op);
        model.put("shipments", rows);
        model.put("tabs", tabs);
        model.put("state", state == null ? "ALL" : state.name());
        model.put("error", error);
        model.put("notice", notice);
        pages.render(req, resp, status, NS + "/console-shipments.ftlh", model);
    }

    /** The state asked for; PREPARED (the work to do) by default, null for every state. */
    static ShipmentState state(String value) {
        if (value == null || value.isBlank()) {
            return ShipmentState.PREPARED;
        }
        String v = value.strip().toUpperCase(Locale.ROOT);
        if (v.equals("ALL")) {
            return null;
        }
        try {
            return ShipmentState.valueOf(v);
        } catch (IllegalArgumentException e) {
            return ShipmentState.PREPARED;
        }
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
        model.put("back", context(req) + PATH);
        pages.render(req, resp, status, NS + "/console-message.ftlh", model);
    }

    private void unavailable(HttpServletRequest req, HttpServletResponse resp, Operator op, RuntimeException e)
            throws IOException {
        LOG.error("Shipments page failed: {}", e.getMessage(), e);
        if (resp.isCommitted()) {
            return;
        }
        resp.resetBuffer();
        message(req, resp, 503, op, text(req, "shipments.console.unavailable"));
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
