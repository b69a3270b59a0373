package io.cachet.identity.internal;

import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cachet.api.identity.CaseStatus;
import io.cachet.api.link.PersonalLink;
import io.cachet.api.link.PersonalLinks;
import io.cachet.api.link.PersonalLinks.Opened;
import io.cachet.api.link.PersonalLinks.Outcome;
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
 * {@code /identity/start/<token>}: the person's identity link. A valid link starts an attempt with the case's
 * provider (or resumes the open one with a fresh flow token) and sends the browser on (303). A case under review or
 * ended, a provider missing or failing, an expired or unknown link: a page saying so, in the order's brand, nothing
 * changed. An expired or revoked link offers a fresh one by e-mail (a post with the anti-forgery token, limited per
 * client; the same answer whether a link was sent or not).
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern({ CaseService.START_PATH + "/*", StartServlet.STATUS_PATH + "/*" })
@HttpWhiteboardServletName("cachet-identity-start")
public class StartServlet extends HttpServlet {

    static final String FORM = "identity-renew";
    /**
     * Where the status page's action ({@link IdentityAction}) starts a person's identity with their status link
     * (purpose {@value io.cachet.api.order.StatusAction#STATUS_LINK_PURPOSE}) rather than the identity link e-mailed
     * to them, which they may have lost.
     */
    static final String STATUS_PATH = "/identity/status";
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(StartServlet.class);

    private final transient Pages pages;
    private final transient PersonalLinks links;
    private final transient CaseService cases;
    private final transient FormGuard guard;
    private final transient ClientLimiter limiter;

    @Activate
    public StartServlet(@Reference Pages pages, @Reference PersonalLinks links, @Reference IdentityComponent identity,
            @Reference Database database, @Reference SecretVault vault) {
        this(pages, links, identity.cases(), FormGuard.load(database, vault, new SecureRandom()),
                new ClientLimiter(10, Clock.systemUTC()));
    }

    StartServlet(Pages pages, PersonalLinks links, CaseService cases, FormGuard guard, ClientLimiter limiter) {
        this.pages = pages;
        this.links = links;
        this.cases = cases;
        this.guard = guard;
        this.limiter = limiter;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String token = PersonalLinks.tokenIn(req.getPathInfo());
        if (viaStatus(req)) {
            // the status page is the person's own (the order and role of its link); an expired or replaced status
            // link has its own page to get a fresh one: this one only starts, or says it does not know the link
            Opened status = links.open(token, StatusAction.STATUS_LINK_PURPOSE);
            if (status.outcome() == Outcome.VALID) {
                start(req, resp, status.link());
            } else {
                unknown(req, resp);
            }
            return;
        }
        Opened opened = links.open(token, CaseService.PURPOSE);
        switch (opened.outcome()) {
            case VALID -> start(req, resp, opened.link());
            case EXPIRED, REVOKED -> {
                inBrandOf(req, opened.link());
                expired(req, resp, 410, token, "", "", false);
            }
            default -> unknown(req, resp);
        }
    }

    private void start(HttpServletRequest req, HttpServletResponse resp, PersonalLink link) throws IOException {
        inBrandOf(req, link);
        String language = pages.language(req).getLanguage();
        CaseService.Start outcome;
        try {
            outcome = cases.start(link.orderId(), link.role(), language);
        } catch (StoreException | io.cachet.api.identity.IdentityException e) {
            LOG.warn("An identity attempt could not start: {}", e.getMessage());
            outcome = new CaseService.Start.Unavailable("");
        }
        if (outcome instanceof CaseService.Start.Redirect r) {
            String url = r.url().startsWith("/") ? req.getContextPath() + r.url() : r.url();
            resp.setHeader("Cache-Control", "no-store");
            resp.setStatus(HttpServletResponse.SC_SEE_OTHER);
            resp.setHeader("Location", url);
            return;
        }
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("documents", req.getContextPath() + CaseService.DOCUMENTS_PATH);
        if (outcome instanceof CaseService.Start.Unavailable) {
            resp.setHeader("Retry-After", "600");
            pages.render(req, resp, 503, IdentityPages.NAMESPACE + "/unavailable.ftlh", model);
            return;
        }
        CaseStatus status = ((CaseService.Start.Closed) outcome).status();
        model.put("status", status.name());
        pages.render(req, resp, 200, IdentityPages.NAMESPACE + "/closed.ftlh", model);
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        if (viaStatus(req)) {
            unknown(req, resp); // nothing to post here: a fresh status link is the status page's business
            return;
        }
        String token = PersonalLinks.tokenIn(req.getPathInfo());
        if (!guard.valid(req, FORM)) {
            expired(req, resp, 403, token, pages.message(req, IdentityPages.NAMESPACE, "identity.link.forged"), "",
                    false);
            return;
        }
        if (!limiter.allow(req.getRemoteAddr())) {
            resp.setHeader("Retry-After", String.valueOf(limiter.retryAfterSeconds()));
            expired(req, resp, 429, token, pages.message(req, IdentityPages.NAMESPACE, "identity.link.limited"), "",
                    false);
            return;
        }
        try {
            Opened opened = links.open(token, CaseService.PURPOSE);
            if (opened.outcome() == Outcome.EXPIRED || opened.outcome() == Outcome.REVOKED) {
                inBrandOf(req, opened.link());
                cases.renew(opened.link());
            }
        } catch (StoreException e) {
            LOG.warn("A fresh identity link could not be sent: {}", e.toString());
        }
        // the same answer whatever happened: the page must not tell whether the link existed or was renewed
        expired(req, resp, 200, token, "", pages.message(req, IdentityPages.NAMESPACE, "identity.link.sent"), true);
    }

    private void expired(HttpServletRequest req, HttpServletResponse resp, int status, String token, String error,
            String notice, boolean sent) throws IOException {
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("action", req.getContextPath() + CaseService.START_PATH + "/"
                + (token.matches("[A-Za-z0-9_-]{1,64}") ? token : ""));
        model.put("token", guard.token(req, resp, FORM));
        model.put("tokenField", FormGuard.FIELD);
        model.put("error", error);
        model.put("notice", notice);
        model.put("sent", sent);
        model.put("documents", req.getContextPath() + CaseService.DOCUMENTS_PATH);
        pages.render(req, resp, status, IdentityPages.NAMESPACE + "/link-expired.ftlh", model);
    }

    private static boolean viaStatus(HttpServletRequest req) {
        String uri = req.getRequestURI() == null ? "" : req.getRequestURI();
        String context = req.getContextPath() == null ? "" : req.getContextPath();
        return uri.startsWith(context + STATUS_PATH + "/");
    }

    private void unknown(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        pages.render(req, resp, 404, IdentityPages.NAMESPACE + "/link-unknown.ftlh",
                Map.of("documents", req.getContextPath() + CaseService.DOCUMENTS_PATH));
    }

    /** The page concerns the link's case: shown in its order's brand. */
    private void inBrandOf(HttpServletRequest req, PersonalLink link) {
        if (link == null) {
            return;
        }
        cases.brandOfOrder(link.orderId()).ifPresent(brand -> req.setAttribute(Pages.BRAND_ATTRIBUTE, brand));
    }
}
