package io.cachet.portal.internal;

import java.io.IOException;
import java.math.BigDecimal;
import java.security.SecureRandom;
import java.text.NumberFormat;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cachet.api.order.FieldError;
import io.cachet.api.order.Medium;
import io.cachet.api.order.Order;
import io.cachet.api.order.OrderException;
import io.cachet.api.order.Orders;
import io.cachet.api.order.Price;
import io.cachet.api.order.Product;
import io.cachet.api.order.Submission;
import io.cachet.api.security.RandomTokens;
import io.cachet.api.security.SecretVault;
import io.cachet.api.store.Database;
import io.cachet.api.store.StoreException;
import io.cachet.api.web.ClientLimiter;
import io.cachet.api.web.Pages;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code /order}: the public order page. One form in four sections (product, people, organisation, delivery),
 * checked by the order service ({@link Orders#validate}) with each error shown next to its field; then a summary
 * to confirm (the values travel in hidden fields, with an idempotency key so that a double click orders once);
 * then the order is submitted (actor {@code customer}, no reseller, the active brand, the page's language) and the
 * confirmation page says that each person got an e-mail with a personal link. Works without JavaScript. Every
 * post carries the browser's anti-forgery token ({@link FormTokens}); orders per client address and hour are
 * bounded ({@link ClientLimiter}).
 */
@Component(service = Servlet.class, configurationPid = PortalSettings.PID)
@HttpWhiteboardServletPattern(OrderServlet.PATH)
@HttpWhiteboardServletName("cachet-portal-order")
public class OrderServlet extends HttpServlet {

    static final String PATH = "/order";
    static final String FORM = "order";
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(OrderServlet.class);

    private final transient Pages pages;
    private final transient Orders orders;
    private final transient FormTokens tokens;
    private final transient ClientLimiter limiter;
    private final transient SecureRandom random = new SecureRandom();

    @Activate
    public OrderServlet(@Reference Pages pages, @Reference Orders orders, @Reference Database database,
            @Reference SecretVault vault, PortalConfiguration config, BundleContext context) {
        this(pages, orders, tokens(database, vault), new ClientLimiter(
                PortalSettings.of(config, context.getProperty("org.osgi.service.http.port")).submissionsPerHour(),
                Clock.systemUTC()));
    }

    OrderServlet(Pages pages, Orders orders, FormTokens tokens, ClientLimiter limiter) {
        this.pages = pages;
        this.orders = orders;
        this.tokens = tokens;
        this.limiter = limiter;
    }

    static FormTokens tokens(Database database, SecretVault vault) {
        LinkStore.migrate(database);
        return FormTokens.load(database, vault, new SecureRandom());
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        List<Product> catalogue = orders.catalogue();
        Product first = catalogue.isEmpty() ? null : catalogue.get(0);
        OrderForm form = OrderForm.initial(first == null ? null : first.id(),
                first == null || first.validityYears().isEmpty() ? null : first.validityYears().get(0),
                first == null || first.media().isEmpty() ? null : first.media().get(0).id());
        form(req, resp, 200, form, List.of(), "");
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        if (req.getCharacterEncoding() == null) {
            req.setCharacterEncoding("UTF-8");
        }
        PortalText text = new PortalText(pages, req);
        OrderForm form = OrderForm.read(req::getParameter);
        if (!tokens.valid(req, FORM)) {
            form(req, resp, 403, form, List.of(), text.text("portal.order.forged"));
            return;
        }
        String step = req.getParameter("step") == null ? "review" : req.getParameter("step");
        if (step.equals("edit")) {
            form(req, resp, 200, form, List.of(), "");
            return;
        }
        OrderForm.Parsed parsed = form.parse();
        List<FieldError> errors;
        try {
            errors = OrderForm.merge(parsed.errors(), orders.validate(parsed.request()));
        } catch (StoreException e) {
            LOG.warn("The order page could not check an order: {}", e.toString());
            form(req, resp, 503, form, List.of(), text.text("portal.order.unavailable"));
            return;
        }
        if (!errors.isEmpty()) {
            form(req, resp, 400, form, errors, "");
            return;
        }
        if (!step.equals("confirm")) {
            summary(req, resp, form, RandomTokens.urlSafe(random, 18));
            return;
        }
        if (!limiter.allow(req.getRemoteAddr())) {
            resp.setHeader("Retry-After", String.valueOf(limiter.retryAfterSeconds()));
            form(req, resp, 429, form, List.of(), text.text("portal.order.limited"));
            return;
        }
        String key = req.getParameter("submission");
        key = key != null && key.matches("[A-Za-z0-9_-]{16,64}") ? "portal:" + key : null;
        Order order;
        try {
            order = orders.submit(parsed.request(), new Submission("customer", null, null, text.language(), key));
        } catch (OrderException e) {
            if (e.reason() == OrderException.Reason.INVALID && !e.errors().isEmpty()) {
                form(req, resp, 400, form, e.errors(), "");
            } else {
                form(req, resp, 409, form, List.of(), text.text("portal.order.conflict", e.getMessage()));
            }
            return;
        } catch (StoreException e) {
            LOG.warn("The order page could not store an order: {}", e.toString());
            form(req, resp, 503, form, List.of(), text.text("portal.order.unavailable"));
            return;
        }
        Set<String> emails = new LinkedHashSet<>();
        emails.add(order.request().certificateManager().email());
        emails.add(order.request().effectiveLegalRepresentative().email());
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("orderId", order.id());
        model.put("emails", List.copyOf(emails));
        pages.render(req, resp, 200, PortalPages.NAMESPACE + "/done.ftlh", model);
    }

    private void form(HttpServletRequest req, HttpServletResponse resp, int status, OrderForm form,
            List<FieldError> errors, String error) throws IOException {
        PortalText text = new PortalText(pages, req);
        Map<String, String> inline = new LinkedHashMap<>();
        List<Map<String, String>> summary = new ArrayList<>();
        for (FieldError e : errors) {
            String input = OrderForm.input(e.field());
            String message = text.error(e);
            if (input != null && !inline.containsKey(input)) {
                inline.put(input, message);
            }
            Map<String, String> line = new LinkedHashMap<>();
            line.put("href", input == null ? "" : "#" + id(input));
            line.put("text", (input == null ? e.field() + ": " : label(text, input) + ": ") + message);
            summary.add(line);
        }
        Map<String, String> ids = new LinkedHashMap<>();
        OrderForm.FIELDS.forEach(f -> ids.put(f, id(f)));
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("v", form.values());
        model.put("e", inline);
        model.put("ids", ids);
        model.put("errors", summary);
        model.put("error", error);
        model.put("same", form.sameAsManager());
        model.put("catalogue", catalogue(text, form));
        model.put("token", tokens.token(req, resp, FORM));
        model.put("tokenField", FormTokens.FIELD);
        pages.render(req, resp, status, PortalPages.NAMESPACE + "/order.ftlh", model);
    }

    private void summary(HttpServletRequest req, HttpServletResponse resp, OrderForm form, String key)
            throws IOException {
        PortalText text = new PortalText(pages, req);
        Map<String, String> v = form.values();
        List<Map<String, Object>> sections = new ArrayList<>();
        Product product = orders.catalogue().stream().filter(p -> p.id().equals(v.get("product"))).findFirst()
                .orElse(null);
        String medium = form.medium().map(Medium::id).orElse("");
        sections.add(section(text.text("portal.order.section.product"), List.of(
                row(text.text("portal.order.product"), product == null ? v.get("product") : name(product, text)),
                row(text.text("portal.order.validity"), text.text("portal.order.validity.years", v.get("validityYears"))),
                row(text.text("portal.order.medium"), text.text("portal.medium." + medium)))));
        List<Map<String, String>> people = new ArrayList<>(person(text, "certificateManager", v));
        if (form.sameAsManager()) {
            people.add(row(text.text("portal.order.legal"), text.text("portal.summary.sameAsManager")));
        } else {
            people.addAll(person(text, "legalRepresentative", v));
        }
        sections.add(section(text.text("portal.order.section.people"), people));
        sections.add(section(text.text("portal.order.section.organisation"), List.of(
                row(text.text("portal.order.orgName"), v.get("organisation.name")),
                row(text.text("portal.order.country"), v.get("organisation.country")),
                row(text.text("portal.order.identifier"), v.get("organisation.identifier")),
                row(text.text("portal.order.vat"), v.get("organisation.vat").isEmpty()
                        ? text.text("portal.summary.none") : v.get("organisation.vat")),
                row(text.text("portal.order.address"), address(v, "organisation.address")))));
        if (form.medium().map(Medium::token).orElse(false)) {
            sections.add(section(text.text("portal.order.section.delivery"), List.of(
                    row(text.text("portal.order.beneficiary"), v.get("delivery.beneficiary")),
                    row(text.text("portal.order.deliveryAddress"), address(v, "delivery.address")))));
        }
        List<Map<String, String>> hidden = new ArrayList<>();
        v.forEach((name, value) -> {
            if (!value.isEmpty()) {
                hidden.add(Map.of("name", name, "value", value));
            }
        });
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("sections", sections);
        model.put("hidden", hidden);
        model.put("submission", key);
        model.put("token", tokens.token(req, resp, FORM));
        model.put("tokenField", FormTokens.FIELD);
        pages.render(req, resp, 200, PortalPages.NAMESPACE + "/summary.ftlh", model);
    }

    private static List<Map<String, String>> person(PortalText text, String prefix, Map<String, String> v) {
        String title = text.text(prefix.equals("certificateManager") ? "portal.order.manager" : "portal.order.legal");
        return List.of(row(title, v.get(prefix + ".givenNames") + " " + v.get(prefix + ".surname")),
                row(text.text("portal.order.birthDate"), v.get(prefix + ".birthDate")),
                row(text.text("portal.order.email"), v.get(prefix + ".email")),
                row(text.text("portal.order.mobile"), v.get(prefix + ".mobile")));
    }

    private static String address(Map<String, String> v, String prefix) {
        List<String> parts = new ArrayList<>();
        for (String f : List.of("lines[0]", "lines[1]")) {
            if (!v.get(prefix + "." + f).isEmpty()) {
                parts.add(v.get(prefix + "." + f));
            }
        }
        parts.add((v.get(prefix + ".postalCode") + " " + v.get(prefix + ".city")).strip());
        parts.add(v.get(prefix + ".country"));
        return String.join(", ", parts);
    }

    private static Map<String, Object> section(String title, List<Map<String, String>> rows) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("title", title);
        s.put("rows", rows);
        return s;
    }

    private static Map<String, String> row(String label, String value) {
        return Map.of("label", label, "value", value == null ? "" : value);
    }

    private List<Map<String, Object>> catalogue(PortalText text, OrderForm form) {
        Locale locale = Locale.forLanguageTag(text.language());
        List<Map<String, Object>> out = new ArrayList<>();
        for (Product p : orders.catalogue()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", p.id());
            m.put("name", name(p, text));
            m.put("validities", p.validityYears().stream().map(y -> Map.of("value", String.valueOf(y),
                    "label", text.text("portal.order.validity.years", y))).toList());
            m.put("media", p.media().stream().map(md -> Map.of("id", md.id(),
                    "label", text.text("portal.medium." + md.id()))).toList());
            List<Map<String, Object>> rows = new ArrayList<>();
            for (Integer y : p.validityYears()) {
                List<String> cells = new ArrayList<>();
                for (Medium md : p.media()) {
                    cells.add(p.prices().stream().filter(pr -> pr.validityYears() == y && pr.medium() == md)
                            .findFirst().map(pr -> price(pr, locale)).orElse("-"));
                }
                rows.add(Map.of("label", text.text("portal.order.validity.years", y), "cells", cells));
            }
            m.put("prices", p.prices().isEmpty() ? List.of() : rows);
            out.add(m);
        }
        return out;
    }

    static String price(Price p, Locale locale) {
        try {
            NumberFormat f = NumberFormat.getCurrencyInstance(locale);
            f.setCurrency(Currency.getInstance(p.currency()));
            return f.format(p.amount() == null ? BigDecimal.ZERO : p.amount());
        } catch (IllegalArgumentException e) {
            return p.amount() + " " + p.currency();
        }
    }

    private static String name(Product p, PortalText text) {
        String n = p.names().get(text.language());
        if (n == null) {
            n = p.names().getOrDefault("en", p.names().getOrDefault("fr", p.id()));
        }
        return n;
    }

    private static String label(PortalText text, String input) {
        int dot = input.lastIndexOf('.');
        String last = dot < 0 ? input : input.substring(dot + 1);
        String who = input.startsWith("certificateManager") ? text.text("portal.order.manager") + ", "
                : input.startsWith("legalRepresentative.") && !input.equals(OrderForm.SAME)
                        ? text.text("portal.order.legal") + ", "
                        : input.startsWith("delivery.address") ? text.text("portal.order.deliveryAddress") + ", "
                                : input.startsWith("organisation.address") ? text.text("portal.order.address") + ", "
                                        : "";
        String key = switch (last) {
            case "lines[0]" -> "portal.order.line1";
            case "lines[1]" -> "portal.order.line2";
            case "name" -> "portal.order.orgName";
            case "sameAsCertificateManager" -> "portal.order.same";
            case "validityYears" -> "portal.order.validity";
            default -> "portal.order." + last;
        };
        return who + (text.has(key) ? text.text(key) : last);
    }

    static String id(String field) {
        return "f-" + field.replaceAll("[^A-Za-z0-9]+", "-").replaceAll("-$", "");
    }
}
