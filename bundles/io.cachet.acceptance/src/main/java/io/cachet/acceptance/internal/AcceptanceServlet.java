package io.cachet.acceptance.internal;

import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cachet.api.acceptance.PersonAcceptance;
import io.cachet.api.link.PersonalLink;
import io.cachet.api.link.PersonalLinks;
import io.cachet.api.link.PersonalLinks.Opened;
import io.cachet.api.order.StatusAction;
import io.cachet.api.security.Digests;
import io.cachet.api.web.ClientLimiter;
import io.cachet.api.web.Pages;
import io.cachet.api.web.PublicFormTokens;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code /acceptance/<token>}: a person's acceptance page. It shows the acceptance form as page images (rendered on the
 * server: no plugin, no script), where everybody stands, and, while the person has not accepted, "send me a code"
 * (an SMS to their mobile) and the code's entry; each post carries the anti-forgery token (cookie
 * {@value #COOKIE}). {@code /acceptance/<token>/page/<n>} is page n as a PNG, {@code /acceptance/<token>/form.pdf}
 * the form with the signatures so far. An expired, revoked or unknown link shows no order data.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern(AcceptanceService.PATH + "/*")
@HttpWhiteboardServletName("cachet-acceptance")
public class AcceptanceServlet extends HttpServlet {

    static final String COOKIE = "cachet_acceptance_form";
    static final String FIELD = "csrf";
    static final String FORM_CODE = "acceptance-code";
    static final String FORM_ACCEPT = "acceptance-accept";
    static final String FORM_RENEW = "acceptance-renew";
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(AcceptanceServlet.class);
    private static final int CACHED_PAGES = 64;

    private final transient Pages pages;
    private final transient PersonalLinks links;
    private final transient AcceptanceService service;
    private final transient PublicFormTokens guard;
    private final transient ClientLimiter limiter;
    private final transient java.util.function.IntSupplier dpi;
    /** Rendered pages by form digest and page: a form changes only by a signature, which changes its digest. */
    private final transient Map<String, byte[]> rendered = new ConcurrentHashMap<>();

    @Activate
    public AcceptanceServlet(@Reference Pages pages, @Reference PersonalLinks links,
            @Reference AcceptancesComponent acceptances) {
        this(pages, links, acceptances.service(), acceptances.formKey(), () -> acceptances.settings().pageDpi(),
                new ClientLimiter(30, Clock.systemUTC()));
    }

    AcceptanceServlet(Pages pages, PersonalLinks links, AcceptanceService service, byte[] formKey,
            java.util.function.IntSupplier dpi, ClientLimiter limiter) {
        this.pages = pages;
        this.links = links;
        this.service = service;
        this.guard = new PublicFormTokens(COOKIE, AcceptanceService.PATH, FIELD, formKey, new SecureRandom());
        java.util.Arrays.fill(formKey, (byte) 0);
        this.dpi = dpi;
        this.limiter = limiter;
    }

    /** The path after {@code /acceptance/}: the token and what of it is asked. */
    private record Target(String token, String rest) {
        static Target of(HttpServletRequest req) {
            String info = req.getPathInfo();
            if (info == null || info.length() < 2) {
                return new Target("", "");
            }
            String p = info.substring(1);
            int slash = p.indexOf('/');
            return slash < 0 ? new Target(p, "") : new Target(p.substring(0, slash), p.substring(slash + 1));
        }
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Target t = Target.of(req);
        PersonalLink link = open(req, resp, t.token());
        if (link == null) {
            return;
        }
        if (t.rest().isEmpty()) {
            page(req, resp, t.token(), link, 200, "", "");
        } else if (t.rest().equals("form.pdf")) {
            byte[] pdf = service.form(link.orderId()).orElse(null);
            if (pdf == null) {
                unknown(req, resp);
                return;
            }
            resp.setStatus(200);
            resp.setContentType("application/pdf");
            resp.setHeader("Content-Disposition", "attachment; filename=\"acceptance-" + link.orderId() + ".pdf\"");
            resp.setHeader("Cache-Control", "no-store");
            resp.setHeader("X-Content-Type-Options", "nosniff");
            resp.getOutputStream().write(pdf);
        } else if (t.rest().matches("page/[0-9]{1,3}")) {
            image(req, resp, link, Integer.parseInt(t.rest().substring(5)));
        } else {
            unknown(req, resp);
        }
    }

    private void image(HttpServletRequest req, HttpServletResponse resp, PersonalLink link, int page)
            throws IOException {
        byte[] pdf = service.form(link.orderId()).orElse(null);
        if (pdf == null || page < 1 || page > FormPdf.pages(pdf)) {
            unknown(req, resp);
            return;
        }
        String key = Digests.sha256Hex(pdf) + ":" + page;
        byte[] png = rendered.get(key);
        if (png == null) {
            png = FormPdf.png(pdf, page, dpi.getAsInt());
            if (rendered.size() >= CACHED_PAGES) {
                rendered.clear();
            }
            rendered.put(key, png);
        }
        resp.setStatus(200);
        resp.setContentType("image/png");
        resp.setHeader("Cache-Control", "private, no-store");
        resp.setHeader("X-Content-Type-Options", "nosniff");
        resp.setContentLength(png.length);
        resp.getOutputStream().write(png);
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Target t = Target.of(req);
        if (t.rest().equals("renew")) {
            renew(req, resp, t.token());
            return;
        }
        PersonalLink link = open(req, resp, t.token());
        if (link == null) {
            return;
        }
        String form = t.rest().equals("code") ? FORM_CODE : t.rest().equals("accept") ? FORM_ACCEPT : null;
        if (form == null) {
            unknown(req, resp);
            return;
        }
        if (!guard.valid(req, form)) {
            page(req, resp, t.token(), link, 403, msg(req, "acceptance.error.forged"), "");
            return;
        }
        if (!limiter.allow(req.getRemoteAddr())) {
            resp.setHeader("Retry-After", String.valueOf(limiter.retryAfterSeconds()));
            page(req, resp, t.token(), link, 429, msg(req, "acceptance.error.limited"), "");
            return;
        }
        String actor = "person:" + link.role().id();
        AcceptanceService.Outcome outcome;
        try {
            outcome = form.equals(FORM_CODE) ? service.requestCode(link.orderId(), link.role(), actor)
                    : service.accept(link.orderId(), link.role(), req.getParameter("code"), actor);
        } catch (RuntimeException e) {
            LOG.warn("An acceptance request failed; nothing changed: {}", e.toString());
            outcome = new AcceptanceService.Outcome(AcceptanceService.Refusal.UNAVAILABLE, 0, null);
        }
        if (outcome.ok()) {
            String notice = form.equals(FORM_CODE) ? msg(req, "acceptance.notice.sent") : msg(req,
                    "acceptance.notice.accepted");
            page(req, resp, t.token(), link, 200, "", notice);
            return;
        }
        AcceptanceService.Refusal r = outcome.refusal();
        int status = switch (r) {
            case TOO_MANY_CODES -> 429;
            case UNAVAILABLE -> 503;
            case NOT_READY, ALREADY_ACCEPTED -> 409;
            default -> 422;
        };
        String error = r == AcceptanceService.Refusal.WRONG_CODE
                ? msg(req, "acceptance.error.wrong-code", outcome.triesLeft())
                : msg(req, "acceptance.error." + r.name().toLowerCase(Locale.ROOT).replace('_', '-'));
        page(req, resp, t.token(), link, status, error, "");
    }

    /** Opens the link; answers the page of a link that does not open and returns null. */
    private PersonalLink open(HttpServletRequest req, HttpServletResponse resp, String token) throws IOException {
        Opened opened;
        try {
            opened = links.open(token, AcceptanceService.PURPOSE);
            if (opened.outcome() == PersonalLinks.Outcome.UNKNOWN) {
                // the person's status link opens their own form too (the status page's action, StatusAcceptance):
                // the same order and role; an expired one is the status page's to renew, not this page's
                Opened status = links.open(token, StatusAction.STATUS_LINK_PURPOSE);
                opened = status.outcome() == PersonalLinks.Outcome.VALID ? status : opened;
            }
        } catch (RuntimeException e) {
            LOG.warn("An acceptance link could not be opened: {}", e.toString());
            resp.setHeader("Retry-After", "60");
            pages.render(req, resp, 503, AcceptancePages.NAMESPACE + "/unavailable.ftlh", Map.of());
            return null;
        }
        switch (opened.outcome()) {
            case VALID -> {
                service.brandOf(opened.link().orderId()).ifPresent(b -> req.setAttribute(Pages.BRAND_ATTRIBUTE, b));
                return opened.link();
            }
            case EXPIRED, REVOKED -> {
                service.brandOf(opened.link().orderId()).ifPresent(b -> req.setAttribute(Pages.BRAND_ATTRIBUTE, b));
                expired(req, resp, 410, token, "", "", false);
                return null;
            }
            default -> {
                unknown(req, resp);
                return null;
            }
        }
    }

    /**
     * {@code POST /acceptance/<token>/renew}: a fresh link to the address an expired or revoked link was sent to. The
     * same answer whatever happened: the page must not tell whether the link existed or was renewed.
     */
    private void renew(HttpServletRequest req, HttpServletResponse resp, String token) throws IOException {
        if (!guard.valid(req, FORM_RENEW)) {
            expired(req, resp, 403, token, msg(req, "acceptance.error.forged"), "", false);
            return;
        }
        if (!limiter.allow(req.getRemoteAddr())) {
            resp.setHeader("Retry-After", String.valueOf(limiter.retryAfterSeconds()));
            expired(req, resp, 429, token, msg(req, "acceptance.error.limited"), "", false);
            return;
        }
        try {
            Opened opened = links.open(token, AcceptanceService.PURPOSE);
            if (opened.outcome() == PersonalLinks.Outcome.EXPIRED || opened.outcome() == PersonalLinks.Outcome.REVOKED) {
                service.brandOf(opened.link().orderId()).ifPresent(b -> req.setAttribute(Pages.BRAND_ATTRIBUTE, b));
                service.renew(opened.link());
            }
        } catch (RuntimeException e) {
            LOG.warn("A fresh acceptance link could not be sent: {}", e.toString());
        }
        expired(req, resp, 200, token, "", msg(req, "acceptance.link.sent"), true);
    }

    private void expired(HttpServletRequest req, HttpServletResponse resp, int status, String token, String error,
            String notice, boolean sent) throws IOException {
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("action", req.getContextPath() + AcceptanceService.PATH + "/"
                + (token.matches("[A-Za-z0-9_-]{1,64}") ? token : "") + "/renew");
        model.put("token", guard.token(req, resp, FORM_RENEW));
        model.put("tokenField", FIELD);
        model.put("error", error);
        model.put("notice", notice);
        model.put("sent", sent);
        pages.render(req, resp, status, AcceptancePages.NAMESPACE + "/link-expired.ftlh", model);
    }

    private void unknown(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        pages.render(req, resp, 404, AcceptancePages.NAMESPACE + "/link-unknown.ftlh", Map.of());
    }

    private void page(HttpServletRequest req, HttpServletResponse resp, String token, PersonalLink link, int status,
            String error, String notice) throws IOException {
        AcceptanceService.View v = service.view(link.orderId(), link.role()).orElse(null);
        if (v == null) {
            unknown(req, resp);
            return;
        }
        String base = req.getContextPath() + AcceptanceService.PATH + "/" + token;
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("orderId", v.orderId());
        model.put("name", v.person().name());
        model.put("mobile", Masks.mobile(v.person().mobile()));
        model.put("status", v.person().status());
        model.put("accepted", v.person().acceptedAt() != null);
        model.put("acceptedAt", v.person().acceptedAt() == null ? "" : AcceptanceService.TIME.format(
                v.person().acceptedAt()));
        model.put("both", v.person().roles().size() == 2);
        model.put("role", v.person().role().id());
        model.put("locked", PersonAcceptance.LOCKED.equals(v.person().status()));
        model.put("orderOpen", v.orderOpen());
        model.put("codeOpen", v.codeOpen());
        model.put("codeExpires", v.codeExpiresAt() == null ? "" : AcceptanceService.TIME.format(v.codeExpiresAt()));
        List<Map<String, Object>> others = new ArrayList<>();
        for (AcceptanceService.PersonRow p : v.others()) {
            others.add(Map.of("name", p.name(), "role", p.role().id(), "accepted", p.acceptedAt() != null));
        }
        model.put("others", others);
        List<Map<String, Object>> images = new ArrayList<>();
        for (int i = 1; i <= v.pages(); i++) {
            images.add(Map.of("url", base + "/page/" + i, "number", i));
        }
        model.put("images", images);
        model.put("pageCount", v.pages());
        model.put("pdf", base + "/form.pdf");
        model.put("codeAction", base + "/code");
        model.put("acceptAction", base + "/accept");
        model.put("tokenField", FIELD);
        model.put("codeToken", guard.token(req, resp, FORM_CODE));
        model.put("acceptToken", guard.token(req, resp, FORM_ACCEPT));
        model.put("error", error);
        model.put("notice", notice);
        pages.render(req, resp, status, AcceptancePages.NAMESPACE + "/form.ftlh", model);
    }

    private String msg(HttpServletRequest req, String key, Object... args) {
        return pages.message(req, AcceptancePages.NAMESPACE, key, args);
    }
}
