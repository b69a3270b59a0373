package io.cachet.portal.internal;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.osgi.framework.BundleContext;
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

import io.cachet.api.link.IssuedLink;
import io.cachet.api.link.PersonalLinks;
import io.cachet.api.link.PersonalLinks.Opened;
import io.cachet.api.link.PersonalLinks.Outcome;
import io.cachet.api.notify.Notifier;
import io.cachet.api.order.Order;
import io.cachet.api.order.Orders;
import io.cachet.api.order.StatusAction;
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
 * {@code /order/status/<token>}: an order's status page, for the person whose personal link it is. A valid link
 * shows that order only (what has been done, what this person must do next, what Cachet is waiting for), and of
 * the other person only the name. An expired or revoked link shows no order data (410) and offers to send a fresh
 * link to the address the link was sent to (a post with the anti-forgery token; the answer is the same whether a
 * link was sent or not). An unknown or forged token is a 404 page that tells nothing. The pages of a link are
 * shown in its order's brand (a reseller's, say) when that brand is installed; the others in the active brand.
 */
@Component(service = Servlet.class, configurationPid = PortalSettings.PID)
@HttpWhiteboardServletPattern(StatusServlet.PATH + "/*")
@HttpWhiteboardServletName("cachet-portal-status")
public class StatusServlet extends HttpServlet {

    static final String PATH = "/order/status";
    static final String FORM = "renew";
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(StatusServlet.class);

    private final transient Pages pages;
    private final transient Orders orders;
    private final transient PersonalLinks links;
    private final transient Database database;
    private final transient OrderMailer mailer;
    private final transient FormTokens tokens;
    private final transient ClientLimiter limiter;
    private final transient Duration validity;

    /** What other modules offer the person to do from the page ({@link StatusAction} whiteboard, by ranking). */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile List<StatusAction> actions = List.of();

    @Activate
    public StatusServlet(@Reference Pages pages, @Reference Orders orders, @Reference PersonalLinks links,
            @Reference Notifier notifier, @Reference Database database, @Reference SecretVault vault,
            PortalConfiguration config, BundleContext context) {
        this(pages, orders, links, database, notifier, OrderServlet.tokens(database, vault),
                PortalSettings.of(config, context.getProperty("org.osgi.service.http.port")), Clock.systemUTC());
    }

    StatusServlet(Pages pages, Orders orders, PersonalLinks links, Database database, Notifier notifier,
            FormTokens tokens, PortalSettings settings, Clock clock) {
        this.pages = pages;
        this.orders = orders;
        this.links = links;
        this.database = database;
        this.mailer = new OrderMailer(links, notifier, settings.statusLinkValidity());
        this.tokens = tokens;
        this.limiter = new ClientLimiter(settings.submissionsPerHour(), clock);
        this.validity = settings.statusLinkValidity();
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String token = PersonalLinks.tokenIn(req.getPathInfo());
        Opened opened = links.open(token, StatusAction.STATUS_LINK_PURPOSE);
        switch (opened.outcome()) {
            case VALID -> {
                Optional<Order> order = orders.find(opened.link().orderId());
                if (order.isEmpty()) {
                    unknown(req, resp);
                    return;
                }
                inBrandOf(req, order.get());
                Map<String, Object> model = StatusView.model(order.get(), orders.events(order.get().id()),
                        opened.link().role(), new PortalText(pages, req));
                model.put("actions", actions(req, order.get(), opened.link().role(), token));
                pages.render(req, resp, 200, PortalPages.NAMESPACE + "/status.ftlh", model);
            }
            case EXPIRED, REVOKED -> {
                orders.find(opened.link().orderId()).ifPresent(o -> inBrandOf(req, o));
                expired(req, resp, 410, token, "", "", false);
            }
            default -> unknown(req, resp);
        }
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String token = PersonalLinks.tokenIn(req.getPathInfo());
        PortalText text = new PortalText(pages, req);
        if (!tokens.valid(req, FORM)) {
            expired(req, resp, 403, token, text.text("portal.link.forged"), "", false);
            return;
        }
        if (!limiter.allow(req.getRemoteAddr())) {
            resp.setHeader("Retry-After", String.valueOf(limiter.retryAfterSeconds()));
            expired(req, resp, 429, token, text.text("portal.link.limited"), "", false);
            return;
        }
        try {
            Opened opened = links.open(token, StatusAction.STATUS_LINK_PURPOSE);
            if (opened.outcome() == Outcome.EXPIRED || opened.outcome() == Outcome.REVOKED) {
                database.inTransaction(c -> {
                    Optional<Order> order = orders.find(opened.link().orderId());
                    order.ifPresent(o -> inBrandOf(req, o));
                    if (order.isPresent() && !order.get().state().ended()) {
                        Optional<IssuedLink> fresh = links.renew(opened.link().id(), validity, "customer");
                        fresh.ifPresent(l -> mailer.sendRenewed(order.get(), l));
                    }
                    return null;
                });
            }
        } catch (StoreException e) {
            LOG.warn("A fresh personal link could not be sent: {}", e.toString());
        }
        // the same answer whatever happened: the page must not tell whether the link existed or was renewed
        expired(req, resp, 200, token, "", text.text("portal.link.sent"), true);
    }

    /** The links the installed {@link StatusAction}s offer; one that fails is left out (and logged). */
    private List<Map<String, String>> actions(HttpServletRequest req, Order order, io.cachet.api.order.OrderRole role,
            String token) {
        String language = pages.language(req).getLanguage();
        List<Map<String, String>> out = new ArrayList<>();
        List<StatusAction> installed = new ArrayList<>(actions);
        java.util.Collections.reverse(installed); // highest ranking first
        for (StatusAction a : installed) {
            try {
                Optional<StatusAction.Link> link = a.action(order, role, token, language);
                if (link.isPresent() && link.get().url() != null && (link.get().url().startsWith("/")
                        && !link.get().url().startsWith("//") || link.get().url().startsWith("https://"))) {
                    Map<String, String> m = new LinkedHashMap<>();
                    m.put("label", link.get().label());
                    m.put("url", link.get().url().startsWith("/") ? req.getContextPath() + link.get().url()
                            : link.get().url());
                    m.put("hint", link.get().hint() == null ? "" : link.get().hint());
                    out.add(m);
                }
            } catch (RuntimeException e) {
                LOG.warn("A status page action failed and is left out: {}", e.toString());
            }
        }
        return out;
    }

    private void expired(HttpServletRequest req, HttpServletResponse resp, int status, String token, String error,
            String notice, boolean sent) throws IOException {
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("action", PATH + "/" + (token.matches("[A-Za-z0-9_-]{1,64}") ? token : ""));
        model.put("token", tokens.token(req, resp, FORM));
        model.put("tokenField", FormTokens.FIELD);
        model.put("error", error);
        model.put("notice", notice);
        model.put("sent", sent);
        pages.render(req, resp, status, PortalPages.NAMESPACE + "/link-expired.ftlh", model);
    }

    /** The page concerns this order: it is shown in the order's brand (see {@link Pages#BRAND_ATTRIBUTE}). */
    private static void inBrandOf(HttpServletRequest req, Order order) {
        if (order.brand() != null) {
            req.setAttribute(Pages.BRAND_ATTRIBUTE, order.brand());
        }
    }

    private void unknown(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        pages.render(req, resp, 404, PortalPages.NAMESPACE + "/link-unknown.ftlh", Map.of());
    }
}
