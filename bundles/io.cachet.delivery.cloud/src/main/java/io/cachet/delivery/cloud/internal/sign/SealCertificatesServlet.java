package io.cachet.delivery.cloud.internal.sign;

import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cachet.api.ca.IssuedCertificate;
import io.cachet.api.ca.RevocationReason;
import io.cachet.api.web.ClientLimiter;
import io.cachet.api.web.Pages;
import io.cachet.delivery.cloud.internal.HolderAccess;
import io.cachet.delivery.cloud.internal.HolderSession;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The holder's certificates in the customer space, French and English, in the active brand; no script needed (a
 * security key's re-authentication uses the space's {@code webauthn.js}).
 * <ul>
 * <li>{@code GET /space/certificates}: each cloud seal's certificate (name, organisation, serial, validity, status;
 * when and why it was revoked)</li>
 * <li>{@code GET /space/certificates/<order>}: one of them, with the revocation form while it can be revoked: the
 * reason among a subscriber's ({@link SealRevocations#REASONS}), a box confirming that revocation is final, the
 * password again and the second factor when one is enrolled</li>
 * <li>{@code POST /space/certificates/<order>/revoke}: revokes it ({@link SealRevocations}), with the session's
 * {@code csrf} field; a refusal shows the form again with what to do and changes nothing</li>
 * </ul>
 * Without a session, pages redirect to the login.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern({ SealCertificatesServlet.PATH, SealCertificatesServlet.PATH + "/*" })
@HttpWhiteboardServletName("cachet-space-certificates")
public class SealCertificatesServlet extends HttpServlet {

    static final String PATH = "/space/certificates";
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(SealCertificatesServlet.class);
    private static final String NS = ClickCertPages.NAMESPACE;
    private static final String ORDER = "([A-Za-z0-9][A-Za-z0-9._-]{0,99})";
    private static final Pattern ONE = Pattern.compile(PATH + "/" + ORDER);
    private static final Pattern REVOKE = Pattern.compile(PATH + "/" + ORDER + "/revoke");

    private final transient ClickCertService service;
    private final transient SealRevocations revocations;
    private final transient HolderAccess access;
    private final transient Pages pages;
    private final transient ClientLimiter limiter;

    @Activate
    public SealCertificatesServlet(@Reference ClickCertComponent component, @Reference Pages pages) {
        this(component.service(), component.revocations(), component.access(), pages,
                new ClientLimiter(300, Clock.systemUTC()));
    }

    SealCertificatesServlet(ClickCertService service, SealRevocations revocations, HolderAccess access, Pages pages,
            ClientLimiter limiter) {
        this.service = service;
        this.revocations = revocations;
        this.access = access;
        this.pages = pages;
        this.limiter = limiter;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse raw) throws IOException {
        HttpServletResponse resp = new ClickCertServlet.Policy(raw);
        HolderSession s = session(req, resp);
        if (s == null) {
            return;
        }
        String path = Http.path(req);
        Matcher m;
        if (path.equals(PATH) || path.equals(PATH + "/")) {
            list(req, resp, s, 200, "", "");
        } else if ((m = ONE.matcher(path)).matches()) {
            one(req, resp, s, m.group(1), 200, "", null);
        } else {
            list(req, resp, s, 404, msg(req, "clickcert.certificates.unknown"), "");
        }
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse raw) throws IOException {
        HttpServletResponse resp = new ClickCertServlet.Policy(raw);
        HolderSession s = session(req, resp);
        if (s == null) {
            return;
        }
        Matcher m = REVOKE.matcher(Http.path(req));
        if (!m.matches()) {
            list(req, resp, s, 404, msg(req, "clickcert.certificates.unknown"), "");
            return;
        }
        String orderId = m.group(1);
        String reason = req.getParameter("reason");
        if (!access.genuine(s, req)) {
            one(req, resp, s, orderId, 403, msg(req, "clickcert.error.forged"), reason);
            return;
        }
        if (!limiter.allow(s.holder().id())) {
            resp.setHeader("Retry-After", String.valueOf(limiter.retryAfterSeconds()));
            one(req, resp, s, orderId, 429, msg(req, "clickcert.error.limited"), reason);
            return;
        }
        String password = req.getParameter("password");
        Http.Factor factor = Http.factor(req);
        try {
            IssuedCertificate c = revocations.revoke(s, new SealRevocations.Request(orderId, reason,
                    "yes".equals(req.getParameter("confirm")), password == null ? null : password.toCharArray(),
                    factor.kind(), factor.response()), Http.origin(req), req.getRemoteAddr());
            String when = c.revocation().map(r -> Pages.time(r.time())).orElse("");
            String why = c.revocation().map(r -> reasonText(req, r.reason())).orElse("");
            list(req, resp, s, 200, "", msg(req, "clickcert.revoke.done", c.serialHex(), when, why));
        } catch (SealRevocations.Refused e) {
            one(req, resp, s, orderId, e.why().status(), msg(req, e.key()), reason);
        } catch (RuntimeException e) {
            LOG.warn("A holder's revocation failed; nothing was revoked: {}", e.toString());
            resp.setHeader("Retry-After", "60");
            one(req, resp, s, orderId, 503, msg(req, "clickcert.revoke.error.unavailable"), reason);
        }
    }

    // ------------------------------------------------------------------ pages

    private void list(HttpServletRequest req, HttpServletResponse resp, HolderSession s, int status, String error,
            String notice) throws IOException {
        Map<String, Object> model = base(req, s);
        List<Map<String, Object>> rows = new ArrayList<>();
        try {
            for (Seal seal : service.seals(s.holder().id())) {
                rows.add(row(req, seal));
            }
        } catch (RuntimeException e) {
            LOG.warn("A holder's certificates could not be read: {}", e.toString());
            if (error.isEmpty()) {
                error = msg(req, "clickcert.certificates.unavailable");
                status = 503;
            }
        }
        model.put("certificates", rows);
        model.put("error", error);
        model.put("notice", notice);
        pages.render(req, resp, status, NS + "/certificates.ftlh", model);
    }

    /** One certificate with its revocation form; an order that is not the holder's is not found. */
    private void one(HttpServletRequest req, HttpServletResponse resp, HolderSession s, String orderId, int status,
            String error, String reason) throws IOException {
        Optional<Seal> seal;
        try {
            seal = service.seals(s.holder().id()).stream().filter(x -> x.orderId().equals(orderId)).findFirst();
        } catch (RuntimeException e) {
            LOG.warn("A holder's certificate could not be read: {}", e.toString());
            list(req, resp, s, 503, msg(req, "clickcert.certificates.unavailable"), "");
            return;
        }
        if (seal.isEmpty()) {
            list(req, resp, s, error.isEmpty() ? 404 : status,
                    error.isEmpty() ? msg(req, "clickcert.certificates.unknown") : error, "");
            return;
        }
        Map<String, Object> model = base(req, s);
        Map<String, Object> row = row(req, seal.get());
        model.put("certificate", row);
        model.put("error", error);
        model.put("notice", "");
        model.put("revokeAction", req.getContextPath() + PATH + "/" + orderId + "/revoke");
        String chosen = RevocationReason.parse(reason).filter(SealRevocations.REASONS::contains)
                .map(RevocationReason::rfcName).orElse("");
        List<Map<String, Object>> reasons = new ArrayList<>();
        for (RevocationReason r : SealRevocations.REASONS) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("value", r.rfcName());
            o.put("label", reasonText(req, r));
            o.put("hint", msg(req, "clickcert.revoke.reason." + r.rfcName() + ".hint"));
            reasons.add(o);
        }
        model.put("reasons", reasons);
        model.put("reason", chosen);
        List<String> factors;
        try {
            factors = access.factors(s.holder().id());
        } catch (RuntimeException e) {
            factors = List.of();
        }
        model.put("totp", factors.contains("totp"));
        model.put("webauthn", factors.contains("webauthn"));
        String script = pages.assetUrl(req, "cloud-space", "webauthn.js");
        model.put("webauthnScript", script == null ? "" : script);
        model.put("webauthnOptions", req.getContextPath() + "/space/api/webauthn/options");
        pages.render(req, resp, status, NS + "/certificate.ftlh", model);
    }

    private Map<String, Object> row(HttpServletRequest req, Seal seal) {
        Map<String, Object> r = ClickCertServlet.sealRow(seal);
        r.put("serial", seal.serial() == null ? "" : seal.serial());
        r.put("revocable", seal.revocable());
        r.put("revoked", seal.revocation() == null ? "" : msg(req, "clickcert.certificates.revoked",
                Pages.time(seal.revocation().time()), reasonText(req, seal.revocation().reason())));
        r.put("href", req.getContextPath() + PATH + "/" + seal.orderId());
        return r;
    }

    private Map<String, Object> base(HttpServletRequest req, HolderSession s) {
        String ctx = req.getContextPath();
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("csrf", s.csrf());
        model.put("holderName", s.holder().name() == null ? s.holder().email() : s.holder().name());
        model.put("signHref", ctx + ClickCertServlet.SIGN);
        model.put("historyHref", ctx + ClickCertServlet.HISTORY);
        model.put("certificatesHref", ctx + PATH);
        model.put("securityHref", ctx + "/space/security");
        model.put("logoutAction", ctx + "/space/logout");
        return model;
    }

    /** The session (the answer marked not to be stored), or a redirect to the login page and null. */
    private HolderSession session(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setHeader("Cache-Control", "no-store");
        Optional<HolderSession> s;
        try {
            s = access.session(req);
        } catch (RuntimeException e) {
            LOG.warn("The customer space's session could not be read: {}", e.toString());
            resp.setHeader("Retry-After", "60");
            Map<String, Object> model = new LinkedHashMap<>();
            model.put("title", msg(req, "clickcert.certificates.unavailable.title"));
            model.put("text", msg(req, "clickcert.certificates.unavailable"));
            model.put("signHref", req.getContextPath() + ClickCertServlet.SIGN);
            pages.render(req, resp, 503, NS + "/message.ftlh", model);
            return null;
        }
        if (s.isEmpty()) {
            resp.sendRedirect(req.getContextPath() + "/space/login");
            return null;
        }
        service.brand(s.get().holder().id()).ifPresent(b -> req.setAttribute(Pages.BRAND_ATTRIBUTE, b));
        return s.get();
    }

    private String reasonText(HttpServletRequest req, RevocationReason r) {
        return msg(req, "clickcert.revoke.reason." + r.rfcName());
    }

    private String msg(HttpServletRequest req, String key, Object... args) {
        return pages.message(req, NS, key, args);
    }
}
