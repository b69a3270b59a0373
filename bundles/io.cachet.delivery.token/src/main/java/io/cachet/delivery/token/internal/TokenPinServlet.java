package io.cachet.delivery.token.internal;

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

import io.cachet.api.ca.RevocationReason;
import io.cachet.api.delivery.DeliveryException;
import io.cachet.api.delivery.Shipment;
import io.cachet.api.delivery.TokenDelivery.PinCustody;
import io.cachet.api.delivery.TokenDelivery.Stage;
import io.cachet.api.link.PersonalLink;
import io.cachet.api.link.PersonalLinks;
import io.cachet.api.link.PersonalLinks.Opened;
import io.cachet.api.order.OrderRole;
import io.cachet.api.order.OrderState;
import io.cachet.api.order.StatusAction;
import io.cachet.api.web.ClientLimiter;
import io.cachet.api.web.Pages;
import io.cachet.api.web.PublicFormTokens;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code /token-pin/<status token>}: the certificate manager retrieves the token's initialisation PIN, once the letter
 * is delivered, with an SMS code; the PIN is shown once, with the guide's instructions; afterwards the page says when
 * it was revealed and offers to confirm the activation ("I have set my own PIN"). The status link of the order e-mail
 * opens it; no script; every post carries the anti-forgery token (cookie {@value #COOKIE}); never cached.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern(TokenPinServlet.PATH + "/*")
@HttpWhiteboardServletName("cachet-token-pin")
public class TokenPinServlet extends HttpServlet {

    static final String PATH = "/token-pin";
    static final String COOKIE = "cachet_token_pin_form";
    static final String FIELD = "csrf";
    static final String FORM_CODE = "token-pin-code";
    static final String FORM_REVEAL = "token-pin-reveal";
    static final String FORM_ACTIVATED = "token-pin-activated";
    static final String FORM_REVOKE_CODE = "token-revoke-code";
    static final String FORM_REVOKE = "token-revoke";
    static final String ACTOR = "person:" + OrderRole.CERTIFICATE_MANAGER.id();
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(TokenPinServlet.class);
    private static final String NS = TokenPages.NAMESPACE;
    /** The request attribute carrying the reason a refused revocation had chosen, so that the page keeps it. */
    private static final String REASON = TokenPinServlet.class.getName() + ".reason";

    private final transient Pages pages;
    private final transient PersonalLinks links;
    private final transient TokenDeliveryService service;
    private final transient HolderRevocations revocations;
    private final transient PublicFormTokens guard;
    private final transient ClientLimiter limiter;

    @Activate
    public TokenPinServlet(@Reference Pages pages, @Reference PersonalLinks links,
            @Reference TokenDeliveriesComponent deliveries) {
        this(pages, links, deliveries.service(), deliveries.revocations(), deliveries.formKey(),
                new ClientLimiter(30, Clock.systemUTC()));
    }

    TokenPinServlet(Pages pages, PersonalLinks links, TokenDeliveryService service, HolderRevocations revocations,
            byte[] formKey, ClientLimiter limiter) {
        this.pages = pages;
        this.links = links;
        this.service = service;
        this.revocations = revocations;
        this.guard = new PublicFormTokens(COOKIE, PATH, FIELD, formKey, new SecureRandom());
        java.util.Arrays.fill(formKey, (byte) 0);
        this.limiter = limiter;
    }

    /** The path after {@code /token-pin/}: the token and the action. */
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
        resp.setHeader("Cache-Control", "no-store");
        Target t = Target.of(req);
        if (!t.rest().isEmpty() && !t.rest().equals("revoke")) {
            message(req, resp, 404, "token.pin.unknown");
            return;
        }
        PersonalLink link = open(req, resp, t.token());
        if (link != null && t.rest().isEmpty()) {
            page(req, resp, t.token(), link, 200, "", "", null);
        } else if (link != null) {
            revokePage(req, resp, t.token(), link, 200, "", "");
        }
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setHeader("Cache-Control", "no-store");
        Target t = Target.of(req);
        String form = switch (t.rest()) {
            case "code" -> FORM_CODE;
            case "reveal" -> FORM_REVEAL;
            case "activated" -> FORM_ACTIVATED;
            case "revoke/code" -> FORM_REVOKE_CODE;
            case "revoke" -> FORM_REVOKE;
            default -> null;
        };
        if (form == null) {
            message(req, resp, 404, "token.pin.unknown");
            return;
        }
        PersonalLink link = open(req, resp, t.token());
        if (link == null) {
            return;
        }
        boolean revoking = form.equals(FORM_REVOKE_CODE) || form.equals(FORM_REVOKE);
        if (!guard.valid(req, form)) {
            refused(req, resp, t.token(), link, revoking, 403, "token.pin.error.forged");
            return;
        }
        if (!limiter.allow(req.getRemoteAddr())) {
            resp.setHeader("Retry-After", String.valueOf(limiter.retryAfterSeconds()));
            refused(req, resp, t.token(), link, revoking, 429, "token.pin.error.limited");
            return;
        }
        if (revoking) {
            revoke(req, resp, t.token(), link, form);
            return;
        }
        String orderId = link.orderId();
        try {
            if (form.equals(FORM_ACTIVATED)) {
                service.activate(orderId, null, ACTOR);
                page(req, resp, t.token(), link, 200, "", msg(req, "token.pin.notice.activated"), null);
                return;
            }
            TokenDeliveryService.Outcome o = form.equals(FORM_CODE) ? service.requestCode(orderId, ACTOR)
                    : service.reveal(orderId, req.getParameter("code"), ACTOR);
            if (o.ok()) {
                page(req, resp, t.token(), link, 200, "", form.equals(FORM_CODE) ? msg(req, "token.pin.notice.sent")
                        : "", o.pin());
                return;
            }
            int status = switch (o.refusal()) {
                case TOO_MANY_CODES -> 429;
                case LOCKED -> 423;
                case NOT_DELIVERED, ALREADY_REVEALED, NO_PIN -> 409;
                default -> 422;
            };
            String error = o.refusal() == TokenDeliveryService.Refusal.WRONG_CODE
                    ? msg(req, "token.pin.error.wrong-code", o.triesLeft())
                    : msg(req, "token.pin.error." + TokenDeliveryService.code(o.refusal()));
            page(req, resp, t.token(), link, status, error, "", null);
        } catch (DeliveryException e) {
            page(req, resp, t.token(), link, e.kind() == DeliveryException.Kind.UNAVAILABLE ? 503 : 409,
                    e.kind() == DeliveryException.Kind.UNAVAILABLE ? msg(req, "token.pin.error.unavailable")
                            : msg(req, "token.pin.error.not-activatable"), "", null);
        } catch (RuntimeException e) {
            LOG.warn("A token PIN request of order {} failed; nothing changed: {}", orderId, e.toString());
            page(req, resp, t.token(), link, 503, msg(req, "token.pin.error.unavailable"), "", null);
        }
    }

    /** A post refused before its step (a forged form, too many requests): the page it came from says why. */
    private void refused(HttpServletRequest req, HttpServletResponse resp, String token, PersonalLink link,
            boolean revoking, int status, String key) throws IOException {
        if (revoking) {
            revokePage(req, resp, token, link, status, msg(req, key), "");
        } else {
            page(req, resp, token, link, status, msg(req, key), "", null);
        }
    }

    /** Opens the status link; answers the page of one that does not open (or is not the manager's) and returns null. */
    private PersonalLink open(HttpServletRequest req, HttpServletResponse resp, String token) throws IOException {
        Opened opened;
        try {
            opened = token.matches("[A-Za-z0-9_-]{16,128}") ? links.open(token, StatusAction.STATUS_LINK_PURPOSE)
                    : new Opened(PersonalLinks.Outcome.UNKNOWN, null);
        } catch (RuntimeException e) {
            LOG.warn("A token PIN link could not be opened: {}", e.toString());
            resp.setHeader("Retry-After", "60");
            message(req, resp, 503, "token.pin.error.unavailable");
            return null;
        }
        switch (opened.outcome()) {
            case VALID -> {
                inBrand(req, opened.link().orderId());
                if (opened.link().role() != OrderRole.CERTIFICATE_MANAGER) {
                    message(req, resp, 403, "token.pin.forbidden");
                    return null;
                }
                return opened.link();
            }
            case EXPIRED, REVOKED -> {
                inBrand(req, opened.link().orderId());
                message(req, resp, 410, "token.pin.expired");
                return null;
            }
            default -> {
                message(req, resp, 404, "token.pin.unknown");
                return null;
            }
        }
    }

    private void inBrand(HttpServletRequest req, String orderId) {
        try {
            req.setAttribute(Pages.BRAND_ATTRIBUTE, service.order(orderId).brand());
        } catch (RuntimeException e) {
            // the page is shown in the active brand
        }
    }

    private void message(HttpServletRequest req, HttpServletResponse resp, int status, String key)
            throws IOException {
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("title", msg(req, key + ".title"));
        model.put("text", msg(req, key + ".text"));
        pages.render(req, resp, status, NS + "/message.ftlh", model);
    }

    private void page(HttpServletRequest req, HttpServletResponse resp, String token, PersonalLink link, int status,
            String error, String notice, String pin) throws IOException {
        TokenDeliveryService.PinView v;
        try {
            v = service.pinView(link.orderId()).orElse(null);
        } catch (RuntimeException e) {
            LOG.warn("The token PIN page of order {} could not be read: {}", link.orderId(), e.toString());
            message(req, resp, 503, "token.pin.error.unavailable");
            return;
        }
        if (v == null) {
            message(req, resp, 404, "token.pin.unknown");
            return;
        }
        var r = v.row();
        // the revocation's part of the page: shown when it can be read (the issuance module may be away)
        java.util.Optional<HolderRevocations.View> rv;
        try {
            rv = java.util.Optional.of(revocations.view(v));
        } catch (RuntimeException e) {
            rv = java.util.Optional.empty();
        }
        var revocation = rv.flatMap(HolderRevocations.View::certificate).flatMap(c -> c.revocation());
        String state;
        if (pin != null) {
            state = "shown";
        } else if (revocation.isPresent()) {
            state = "cert-revoked";
        } else if (r.stage() == Stage.ACTIVATED) {
            state = "activated";
        } else if (r.custody() == PinCustody.REVEALED) {
            state = "revealed";
        } else if (r.custody() == PinCustody.LOCKED) {
            state = "locked";
        } else if (v.order().state() != OrderState.DELIVERY || r.stage() != Stage.PROVISIONED) {
            state = "not-ready";
        } else if (!v.delivered()) {
            state = "not-delivered";
        } else if (r.custody() != PinCustody.HELD) {
            state = "not-ready";
        } else {
            state = "held";
        }
        String base = req.getContextPath() + PATH + "/" + token;
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("state", state);
        // until the letter is delivered, where it is: about to leave, on its way (since when, its tracking number),
        // or back with us or lost (support sends the token again)
        var letter = v.letter();
        model.put("letter", letter.map(l -> l.state().name()).orElse("PREPARED"));
        model.put("sentAt", letter.flatMap(Shipment::sentAt).map(Pages::time).orElse(""));
        model.put("tracking", letter.flatMap(Shipment::trackingNumber).orElse(""));
        model.put("orderId", v.order().id());
        model.put("name", v.order().request().certificateManager().fullName());
        model.put("mobile", v.maskedMobile());
        model.put("tokenLabel", r.tokenLabel());
        model.put("pin", pin == null ? "" : pin);
        model.put("maxUserPinTries", service.settings().maxUserPinTries());
        model.put("revealedAt", Pages.time(r.pinRevealedAt()));
        model.put("activatedAt", Pages.time(r.activatedAt()));
        model.put("codeOpen", v.codeOpen() && "held".equals(state));
        model.put("codeExpires", Pages.time(r.codeExpiresAt()));
        model.put("triesLeft", v.triesLeft());
        model.put("codeAction", base + "/code");
        model.put("revealAction", base + "/reveal");
        model.put("activatedAction", base + "/activated");
        model.put("revokedAt", revocation.map(x -> Pages.time(x.time())).orElse(""));
        model.put("revokedReason", revocation.map(x -> reasonText(req, x.reason())).orElse(""));
        model.put("revokeHref", rv.filter(HolderRevocations.View::revocable).isPresent() ? base + "/revoke" : "");
        model.put("tokenField", FIELD);
        model.put("codeToken", guard.token(req, resp, FORM_CODE));
        model.put("revealToken", guard.token(req, resp, FORM_REVEAL));
        model.put("activatedToken", guard.token(req, resp, FORM_ACTIVATED));
        model.put("error", error);
        model.put("notice", notice);
        pages.render(req, resp, status, NS + "/pin.ftlh", model);
    }

    /** A revocation step: a code sent, or the revocation itself; the revocation page says what happened. */
    private void revoke(HttpServletRequest req, HttpServletResponse resp, String token, PersonalLink link, String form)
            throws IOException {
        String orderId = link.orderId();
        String reason = req.getParameter("reason");
        try {
            HolderRevocations.Outcome o = form.equals(FORM_REVOKE_CODE) ? revocations.requestCode(orderId, ACTOR)
                    : revocations.revoke(orderId, req.getParameter("code"), reason,
                            "yes".equals(req.getParameter("confirm")), ACTOR);
            if (o.ok()) {
                String notice = o.revoked() == null ? msg(req, "token.pin.notice.sent")
                        : msg(req, "token.revoke.done", o.revoked().serialHex(), reasonText(req,
                                o.revoked().revocation().map(r -> r.reason()).orElse(null)));
                revokePage(req, resp, token, link, 200, "", notice);
                return;
            }
            int status = switch (o.refusal()) {
                case TOO_MANY_CODES -> 429;
                case LOCKED -> 423;
                case NOT_REVOCABLE, ALREADY_REVOKED -> 409;
                default -> 422;
            };
            String error = o.refusal() == HolderRevocations.Refusal.WRONG_CODE
                    ? msg(req, "token.pin.error.wrong-code", o.triesLeft())
                    : msg(req, "token.revoke.error." + TokenDeliveryService.code(o.refusal()));
            req.setAttribute(REASON, reason);
            revokePage(req, resp, token, link, status, error, "");
        } catch (DeliveryException e) {
            if (e.kind() == DeliveryException.Kind.UNAVAILABLE) {
                resp.setHeader("Retry-After", "60");
            }
            revokePage(req, resp, token, link, e.kind() == DeliveryException.Kind.UNAVAILABLE ? 503 : 409,
                    e.kind() == DeliveryException.Kind.UNAVAILABLE ? msg(req, "token.revoke.error.unavailable")
                            : msg(req, "token.revoke.error.not-revocable"), "");
        } catch (RuntimeException e) {
            LOG.warn("A holder's revocation request of order {} failed; nothing changed: {}", orderId, e.toString());
            resp.setHeader("Retry-After", "60");
            revokePage(req, resp, token, link, 503, msg(req, "token.revoke.error.unavailable"), "");
        }
    }

    /**
     * {@code /token-pin/<token>/revoke}: the token's certificate, and while it may be revoked here, "send me a code",
     * then the code, the reason and the confirmation that revocation is final.
     */
    private void revokePage(HttpServletRequest req, HttpServletResponse resp, String token, PersonalLink link,
            int status, String error, String notice) throws IOException {
        HolderRevocations.View v;
        try {
            v = revocations.view(link.orderId()).orElse(null);
        } catch (RuntimeException e) {
            LOG.warn("The revocation page of order {} could not be read: {}", link.orderId(), e.toString());
            resp.setHeader("Retry-After", "60");
            message(req, resp, 503, "token.revoke.error.unavailable");
            return;
        }
        if (v == null) {
            message(req, resp, 404, "token.pin.unknown");
            return;
        }
        String state;
        var revocation = v.certificate().flatMap(c -> c.revocation());
        if (revocation.isPresent()) {
            state = "revoked";
        } else if (!v.revocable()) {
            state = "not-revocable";
        } else if (v.locked()) {
            state = "locked";
        } else {
            state = "ready";
        }
        String base = req.getContextPath() + PATH + "/" + token;
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("state", state);
        model.put("orderId", v.order().id());
        model.put("name", v.order().request().certificateManager().fullName());
        model.put("organisation", v.order().request().organisation().name());
        model.put("serial", v.certificate().map(c -> c.serialHex()).orElse(""));
        model.put("validTo", v.certificate().map(c -> Pages.time(c.certificate().getNotAfter().toInstant()))
                .orElse(""));
        model.put("revokedAt", revocation.map(r -> Pages.time(r.time())).orElse(""));
        model.put("revokedReason", revocation.map(r -> reasonText(req, r.reason())).orElse(""));
        model.put("mobile", v.maskedMobile());
        model.put("codeOpen", v.codeOpen() && "ready".equals(state));
        model.put("codeExpires", Pages.time(v.codeExpiresAt()));
        model.put("triesLeft", v.triesLeft());
        Object asked = req.getAttribute(REASON);
        String chosen = RevocationReason.parse(asked == null ? null : asked.toString())
                .filter(RevocationReason.bySubscriber()::contains).map(RevocationReason::rfcName).orElse("");
        java.util.List<Map<String, Object>> reasons = new java.util.ArrayList<>();
        for (RevocationReason r : RevocationReason.bySubscriber()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("value", r.rfcName());
            m.put("label", reasonText(req, r));
            m.put("hint", msg(req, "token.revoke.reason." + r.rfcName() + ".hint"));
            m.put("checked", r.rfcName().equals(chosen));
            reasons.add(m);
        }
        model.put("reasons", reasons);
        model.put("pinHref", base);
        model.put("codeAction", base + "/revoke/code");
        model.put("revokeAction", base + "/revoke");
        model.put("tokenField", FIELD);
        model.put("codeToken", guard.token(req, resp, FORM_REVOKE_CODE));
        model.put("revokeToken", guard.token(req, resp, FORM_REVOKE));
        model.put("error", error);
        model.put("notice", notice);
        pages.render(req, resp, status, NS + "/revoke.ftlh", model);
    }

    private String reasonText(HttpServletRequest req, RevocationReason reason) {
        return reason == null ? "" : msg(req, "token.revoke.reason." + reason.rfcName());
    }

    private String msg(HttpServletRequest req, String key, Object... args) {
        return pages.message(req, NS, key, args);
    }
}
