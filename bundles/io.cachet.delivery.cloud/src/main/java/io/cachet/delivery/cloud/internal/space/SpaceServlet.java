package io.cachet.delivery.cloud.internal.space;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import javax.imageio.ImageIO;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;

import io.cachet.api.delivery.DeliveryException;
import io.cachet.api.web.ClientLimiter;
import io.cachet.api.web.Pages;
import io.cachet.api.web.PublicFormTokens;
import io.cachet.delivery.cloud.internal.AuthOutcome;
import io.cachet.delivery.cloud.internal.HolderAccess;
import io.cachet.delivery.cloud.internal.HolderSession;
import io.cachet.delivery.cloud.internal.factor.Totp;
import io.cachet.delivery.cloud.internal.space.SpaceComponent.Access;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The customer space's own pages (namespace {@value SpacePages#NAMESPACE}, French and English): {@code /space/}
 * (to Click&amp;Cert when logged in, else to the login), {@code /space/login} (e-mail and password, then the second
 * factor when one is enrolled), {@code POST /space/logout}, {@code /space/password/<secret>} (the e-mail link: set
 * the password), {@code /space/forgot} and {@code /space/security} (second factors: an authenticator app with its QR
 * code, a WebAuthn authenticator; removal after re-authentication).
 *
 * <p>Forms without a session carry a public form token (cookie {@value #FORM_COOKIE}); forms of a session carry its
 * csrf token and must come from this server's origin. Pages with a script (the password meter, WebAuthn) get a
 * policy allowing this server's scripts only ({@link ScriptPolicy}); never cached.
 */
@Component(service = Servlet.class)
// "/space/*" (not "/space/", which the HTTP whiteboard refuses as a pattern, failing the whole servlet): the pages
// below it that other servlets serve (Click&Cert, the JSON endpoints) have longer, hence winning, patterns
@HttpWhiteboardServletPattern({ SpaceServlet.PATH, SpaceServlet.PATH + "/*" })
@HttpWhiteboardServletName("cachet-cloud-space")
public class SpaceServlet extends HttpServlet {

    static final String PATH = "/space";
    static final String HOME = "/space/";
    static final String SIGN = "/space/sign";
    static final String LOGIN = "/space/login";
    static final String LOGOUT = "/space/logout";
    static final String PASSWORD = "/space/password";
    static final String FORGOT = "/space/forgot";
    static final String SECURITY = "/space/security";
    static final String FORM_COOKIE = "cachet_space_form";
    static final String FIELD = "csrf";
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(SpaceServlet.class);
    private static final String NS = SpacePages.NAMESPACE;

    private final transient Pages pages;
    private final transient SpaceService service;
    private final transient PublicFormTokens guard;
    private final transient ClientLimiter forgotLimiter;

    @Activate
    public SpaceServlet(@Reference Pages pages, @Reference SpaceComponent space) {
        this(pages, space.service(), space.formKey(), new ClientLimiter(space.settings().resetsPerHour(),
                Clock.systemUTC()));
    }

    SpaceServlet(Pages pages, SpaceService service, byte[] formKey, ClientLimiter forgotLimiter) {
        this.pages = pages;
        this.service = service;
        this.guard = new PublicFormTokens(FORM_COOKIE, PATH, FIELD, formKey, new SecureRandom());
        Arrays.fill(formKey, (byte) 0);
        this.forgotLimiter = forgotLimiter;
    }

    static String path(HttpServletRequest req) {
        String p = (req.getServletPath() == null ? "" : req.getServletPath())
                + (req.getPathInfo() == null ? "" : req.getPathInfo());
        return p.isEmpty() ? req.getRequestURI() : p;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setHeader("Cache-Control", "no-store");
        String path = path(req);
        try {
            if (path.equals(PATH) || path.equals(HOME)) {
                redirect(req, resp, session(req).isPresent() ? SIGN : LOGIN);
            } else if (path.equals(LOGIN)) {
                if (session(req).isPresent()) {
                    redirect(req, resp, SIGN);
                } else {
                    boolean restart = req.getParameter("restart") != null;
                    if (restart) {
                        clearCookie(req, resp); // a login waiting for its factor is left to expire
                    }
                    loginPage(req, resp, 200, "", req.getParameter("out") != null ? msg(req, "cloud-space.logout.done")
                            : "", !restart);
                }
            } else if (path.startsWith(PASSWORD + "/")) {
                passwordPage(req, resp, path.substring(PASSWORD.length() + 1), 200, "");
            } else if (path.equals(FORGOT)) {
                forgotPage(req, resp, 200, "", "");
            } else if (path.equals(SECURITY)) {
                Optional<HolderSession> s = requireSession(req, resp);
                if (s.isPresent()) {
                    securityPage(req, resp, s.get(), 200, "", notice(req));
                }
            } else if (path.equals(SECURITY + "/totp.png")) {
                Optional<HolderSession> s = requireSession(req, resp);
                if (s.isPresent()) {
                    qr(req, resp, s.get());
                }
            } else {
                message(req, resp, 404, "cloud-space.unknown");
            }
        } catch (RuntimeException e) {
            LOG.warn("A customer space page ({}) failed: {}", path, e.toString());
            message(req, resp, 503, "cloud-space.unavailable");
        }
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setHeader("Cache-Control", "no-store");
        String path = path(req);
        try {
            if (path.equals(LOGIN)) {
                login(req, resp);
            } else if (path.equals(LOGOUT)) {
                logout(req, resp);
            } else if (path.startsWith(PASSWORD + "/")) {
                setPassword(req, resp, path.substring(PASSWORD.length() + 1));
            } else if (path.equals(FORGOT)) {
                forgot(req, resp);
            } else if (path.startsWith(SECURITY + "/")) {
                security(req, resp, path.substring(SECURITY.length() + 1));
            } else {
                message(req, resp, 404, "cloud-space.unknown");
            }
        } catch (RuntimeException e) {
            LOG.warn("A customer space request ({}) failed; nothing changed: {}", path, e.toString());
            message(req, resp, 503, "cloud-space.unavailable");
        }
    }

    // ------------------------------------------------------------------ login and logout

    private void login(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String client = req.getRemoteAddr();
        if ("factor".equals(req.getParameter("step"))) {
            String cookie = Access.cookie(req);
            Optional<String[]> pending = service.pendingCsrf(cookie);
            if (pending.isEmpty()) {
                loginPage(req, resp, 401, msg(req, "cloud-space.login.factor-expired"), "", false);
                return;
            }
            if (!same(req.getParameter(FIELD), pending.get()[1]) || !Access.sameOrigin(req, service.settings()
                    .baseUrl())) {
                loginPage(req, resp, 403, msg(req, "cloud-space.error.forged"), "", true);
                return;
            }
            String kind = req.getParameter("factorKind");
            String response = SpaceService.TOTP.equals(kind) ? req.getParameter("code")
                    : req.getParameter("factorResponse");
            SpaceService.Login l = service.completeLogin(cookie, kind, response, origin(req), client);
            if (l.outcome().ok()) {
                setCookie(req, resp, l.cookie());
                redirect(req, resp, SIGN);
            } else {
                loginPage(req, resp, status(l.outcome()), refusal(req, l), "", true);
            }
            return;
        }
        if (!guard.valid(req, "space-login")) {
            loginPage(req, resp, 403, msg(req, "cloud-space.error.forged"), "", false);
            return;
        }
        char[] password = chars(req.getParameter("password"));
        try {
            SpaceService.Login l = service.login(req.getParameter("email"), password, null, null, origin(req),
                    client);
            if (l.outcome().ok() || l.outcome().failure() == AuthOutcome.Failure.FACTOR_REQUIRED) {
                setCookie(req, resp, l.cookie());
                if (l.outcome().ok()) {
                    redirect(req, resp, SIGN);
                } else {
                    req.setAttribute(HolderAccess.SESSION_COOKIE, l.cookie());
                    loginPage(req, resp, 200, "", "", true);
                }
                return;
            }
            loginPage(req, resp, status(l.outcome()), refusal(req, l), "", false);
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    private String refusal(HttpServletRequest req, SpaceService.Login l) {
        return switch (l.outcome().failure()) {
            case THROTTLED -> msg(req, "cloud-space.login.throttled", Pages.time(l.lockedUntil()));
            case WRONG_FACTOR -> msg(req, "cloud-space.login.wrong-factor");
            case DISABLED -> msg(req, "cloud-space.login.disabled");
            default -> msg(req, "cloud-space.login.wrong");
        };
    }

    static int status(AuthOutcome o) {
        return switch (o.failure()) {
            case THROTTLED -> 429;
            case DISABLED -> 403;
            default -> 401;
        };
    }

    /**
     * The login page: its second step when {@code factorStep} and the browser's login waits for its factor (the
     * cookie just set, or the request's), else the e-mail and password.
     */
    private void loginPage(HttpServletRequest req, HttpServletResponse resp, int status, String error, String notice,
            boolean factorStep) throws IOException {
        Object fresh = req.getAttribute(HolderAccess.SESSION_COOKIE);
        String cookie = fresh instanceof String s ? s : Access.cookie(req);
        Optional<String[]> pending = factorStep ? service.pendingCsrf(cookie) : Optional.empty();
        Map<String, Object> model = base(req);
        model.put("error", error);
        model.put("notice", notice);
        model.put("action", req.getContextPath() + LOGIN);
        model.put("forgot", req.getContextPath() + FORGOT);
        model.put("tokenField", FIELD);
        if (pending.isPresent()) {
            List<String> factors = service.factors(pending.get()[0]);
            model.put("step", "factor");
            model.put("csrf", pending.get()[1]);
            model.put("totp", factors.contains(SpaceService.TOTP));
            model.put("webauthn", factors.contains(SpaceService.WEBAUTHN));
            model.put("optionsUrl", req.getContextPath() + SpaceApiServlet.OPTIONS);
            model.put("script", pages.assetUrl(req, NS, "webauthn.js"));
            pages.render(req, new ScriptPolicy(resp), status, NS + "/login.ftlh", model);
        } else {
            model.put("step", "password");
            model.put("csrf", guard.token(req, resp, "space-login"));
            model.put("email", Optional.ofNullable(req.getParameter("email")).orElse(""));
            pages.render(req, resp, status, NS + "/login.ftlh", model);
        }
    }

    private void logout(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Optional<HolderSession> s = session(req);
        if (s.isPresent() && !Access.genuine(s.get(), req, service.settings().baseUrl())) {
            message(req, resp, 403, "cloud-space.forged");
            return;
        }
        service.logout(Access.cookie(req));
        clearCookie(req, resp);
        redirect(req, resp, LOGIN + "?out");
    }

    // ------------------------------------------------------------------ password

    private void passwordPage(HttpServletRequest req, HttpServletResponse resp, String secret, int status,
            String error) throws IOException {
        SpaceService.LinkView v = service.link(secret);
        if (v.state() != SpaceService.LinkState.VALID) {
            linkGone(req, resp, v.state());
            return;
        }
        inBrand(req, v.account().brand());
        Map<String, Object> model = base(req);
        model.put("error", error);
        model.put("set", "set".equals(v.purpose()));
        model.put("email", v.account().email());
        model.put("name", v.account().name());
        model.put("expires", Pages.time(v.expiresAt()));
        model.put("action", req.getContextPath() + PASSWORD + "/" + secret);
        model.put("tokenField", FIELD);
        model.put("csrf", guard.token(req, resp, "space-password"));
        model.put("minLength", PasswordPolicy.MIN_LENGTH);
        model.put("script", pages.assetUrl(req, NS, "password.js"));
        pages.render(req, new ScriptPolicy(resp), status, NS + "/password.ftlh", model);
    }

    private void linkGone(HttpServletRequest req, HttpServletResponse resp, SpaceService.LinkState state)
            throws IOException {
        String key = switch (state) {
            case USED -> "cloud-space.link.used";
            case EXPIRED -> "cloud-space.link.expired";
            default -> "cloud-space.link.unknown";
        };
        Map<String, Object> model = base(req);
        model.put("title", msg(req, key + ".title"));
        model.put("text", msg(req, key + ".text"));
        model.put("linkHref", req.getContextPath() + FORGOT);
        model.put("linkText", msg(req, "cloud-space.link.forgot"));
        pages.render(req, resp, state == SpaceService.LinkState.UNKNOWN ? 404 : 410, NS + "/message.ftlh", model);
    }

    private void setPassword(HttpServletRequest req, HttpServletResponse resp, String secret) throws IOException {
        SpaceService.LinkView link = service.link(secret);
        if (link.account() != null) {
            inBrand(req, link.account().brand());
        }
        if (!guard.valid(req, "space-password")) {
            SpaceService.LinkView v = service.link(secret);
            if (v.state() != SpaceService.LinkState.VALID) {
                linkGone(req, resp, v.state());
            } else {
                passwordPage(req, resp, secret, 403, msg(req, "cloud-space.error.forged"));
            }
            return;
        }
        String p = req.getParameter("password");
        String again = req.getParameter("confirm");
        if (p == null || !p.equals(again)) {
            SpaceService.LinkView v = service.link(secret);
            if (v.state() != SpaceService.LinkState.VALID) {
                linkGone(req, resp, v.state());
            } else {
                passwordPage(req, resp, secret, 422, msg(req, "cloud-space.password.mismatch"));
            }
            return;
        }
        char[] password = chars(p);
        try {
            SpaceService.PasswordOutcome o = service.setPassword(secret, password, req.getRemoteAddr());
            if (o.link() != SpaceService.LinkState.VALID) {
                linkGone(req, resp, o.link());
            } else if (o.weakness() != null) {
                passwordPage(req, resp, secret, 422, msg(req, "cloud-space.password.weak." + o.weakness().name()
                        .toLowerCase(Locale.ROOT), PasswordPolicy.MIN_LENGTH));
            } else {
                Map<String, Object> model = base(req);
                model.put("title", msg(req, "cloud-space.password.done.title"));
                model.put("text", msg(req, "cloud-space.password.done.text", o.account().email()));
                model.put("linkHref", req.getContextPath() + LOGIN);
                model.put("linkText", msg(req, "cloud-space.password.done.login"));
                pages.render(req, resp, 200, NS + "/message.ftlh", model);
            }
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    // ------------------------------------------------------------------ forgot

    private void forgotPage(HttpServletRequest req, HttpServletResponse resp, int status, String error,
            String notice) throws IOException {
        Map<String, Object> model = base(req);
        model.put("error", error);
        model.put("notice", notice);
        model.put("action", req.getContextPath() + FORGOT);
        model.put("login", req.getContextPath() + LOGIN);
        model.put("tokenField", FIELD);
        model.put("csrf", guard.token(req, resp, "space-forgot"));
        pages.render(req, resp, status, NS + "/forgot.ftlh", model);
    }

    private void forgot(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        if (!guard.valid(req, "space-forgot")) {
            forgotPage(req, resp, 403, msg(req, "cloud-space.error.forged"), "");
            return;
        }
        String email = req.getParameter("email");
        if (email == null || !email.strip().matches("[^@\\s]+@[^@\\s]+")) {
            forgotPage(req, resp, 422, msg(req, "cloud-space.forgot.invalid"), "");
            return;
        }
        if (!forgotLimiter.allow(req.getRemoteAddr())) {
            resp.setHeader("Retry-After", String.valueOf(forgotLimiter.retryAfterSeconds()));
            forgotPage(req, resp, 429, msg(req, "cloud-space.forgot.limited"), "");
            return;
        }
        service.forgot(email, req.getRemoteAddr());
        forgotPage(req, resp, 200, "", msg(req, "cloud-space.forgot.sent"));
    }

    // ------------------------------------------------------------------ security

    private void securityPage(HttpServletRequest req, HttpServletResponse resp, HolderSession s, int status,
            String error, String notice) throws IOException {
        service.account(s.holder().id()).ifPresent(a -> inBrand(req, a.brand()));
        Map<String, Object> model = base(req);
        nav(req, model, s);
        model.put("error", error);
        model.put("notice", notice);
        List<Map<String, Object>> factors = new ArrayList<>();
        for (SpaceService.Factor f : service.factorList(s.holder().id())) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", f.id());
            m.put("kind", f.kind());
            m.put("name", f.name());
            m.put("created", Pages.time(f.createdAt()));
            m.put("lastUsed", Pages.time(f.lastUsedAt()));
            factors.add(m);
        }
        List<String> kinds = service.factors(s.holder().id());
        model.put("factors", factors);
        model.put("hasTotp", kinds.contains(SpaceService.TOTP));
        model.put("hasWebauthn", kinds.contains(SpaceService.WEBAUTHN));
        Optional<SpaceService.TotpEnrolment> pending = kinds.contains(SpaceService.TOTP) ? Optional.empty()
                : service.pendingTotp(s.holder().id(), brandName(req));
        model.put("enrolling", pending.isPresent());
        model.put("totpSecret", pending.map(p -> group(Totp.base32(p.key()))).orElse(""));
        pending.ifPresent(p -> Arrays.fill(p.key(), (byte) 0));
        model.put("qr", req.getContextPath() + SECURITY + "/totp.png");
        String base = req.getContextPath() + SECURITY;
        model.put("totpStart", base + "/totp");
        model.put("totpConfirm", base + "/totp/confirm");
        model.put("webauthnAction", base + "/webauthn");
        model.put("removeAction", base + "/remove");
        model.put("registerOptionsUrl", req.getContextPath() + SpaceApiServlet.REGISTER_OPTIONS);
        model.put("optionsUrl", req.getContextPath() + SpaceApiServlet.OPTIONS);
        model.put("script", pages.assetUrl(req, NS, "webauthn.js"));
        pages.render(req, new ScriptPolicy(resp), status, NS + "/security.ftlh", model);
    }

    private void security(HttpServletRequest req, HttpServletResponse resp, String action) throws IOException {
        Optional<HolderSession> found = requireSession(req, resp);
        if (found.isEmpty()) {
            return;
        }
        HolderSession s = found.get();
        if (!Access.genuine(s, req, service.settings().baseUrl())) {
            securityPage(req, resp, s, 403, msg(req, "cloud-space.error.forged"), "");
            return;
        }
        String holder = s.holder().id();
        switch (action) {
            case "totp" -> {
                try {
                    service.startTotp(holder, brandName(req));
                    redirect(req, resp, SECURITY);
                } catch (DeliveryException e) {
                    securityPage(req, resp, s, 409, msg(req, "cloud-space.security.totp.exists"), "");
                }
            }
            case "totp/confirm" -> {
                if (service.confirmTotp(holder, req.getParameter("code"))) {
                    redirect(req, resp, SECURITY + "?done=totp");
                } else {
                    securityPage(req, resp, s, 422, msg(req, "cloud-space.security.totp.wrong"), "");
                }
            }
            case "webauthn" -> {
                if (service.registerWebAuthn(holder, req.getParameter("name"), req.getParameter("credential"),
                        origin(req))) {
                    redirect(req, resp, SECURITY + "?done=webauthn");
                } else {
                    securityPage(req, resp, s, 422, msg(req, "cloud-space.security.webauthn.refused"), "");
                }
            }
            case "remove" -> remove(req, resp, s);
            default -> message(req, resp, 404, "cloud-space.unknown");
        }
    }

    private void remove(HttpServletRequest req, HttpServletResponse resp, HolderSession s) throws IOException {
        char[] password = chars(req.getParameter("password"));
        try {
            String kind = req.getParameter("factorKind");
            String response = SpaceService.TOTP.equals(kind) ? req.getParameter("code")
                    : req.getParameter("factorResponse");
            AuthOutcome o = service.confirm(s.holder().id(), password, kind, response, origin(req),
                    req.getRemoteAddr());
            if (!o.ok()) {
                String error = switch (o.failure()) {
                    case THROTTLED -> msg(req, "cloud-space.reauth.throttled", o.message());
                    case FACTOR_REQUIRED -> msg(req, "cloud-space.reauth.factor-required");
                    case WRONG_FACTOR -> msg(req, "cloud-space.login.wrong-factor");
                    default -> msg(req, "cloud-space.reauth.wrong");
                };
                securityPage(req, resp, s, status(o), error, "");
                return;
            }
            if (service.removeFactor(s.holder().id(), req.getParameter("factorId"), null)) {
                redirect(req, resp, SECURITY + "?done=removed");
            } else {
                securityPage(req, resp, s, 404, msg(req, "cloud-space.security.remove.unknown"), "");
            }
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    private String notice(HttpServletRequest req) {
        String done = req.getParameter("done");
        return done != null && done.matches("totp|webauthn|removed") ? msg(req, "cloud-space.security.done." + done)
                : "";
    }

    /** The QR code of the authenticator app's enrolment under way (PNG), 404 when none is. */
    private void qr(HttpServletRequest req, HttpServletResponse resp, HolderSession s) throws IOException {
        Optional<SpaceService.TotpEnrolment> p = service.pendingTotp(s.holder().id(), brandName(req));
        if (p.isEmpty()) {
            resp.sendError(404);
            return;
        }
        Arrays.fill(p.get().key(), (byte) 0);
        byte[] png = png(p.get().uri(), 240);
        resp.setContentType("image/png");
        resp.setHeader("Cache-Control", "no-store");
        resp.setContentLength(png.length);
        resp.getOutputStream().write(png);
    }

    /** A QR code of {@code text} as a PNG of about {@code size} pixels (zxing's matrix drawn into an image). */
    static byte[] png(String text, int size) {
        try {
            BitMatrix m = new QRCodeWriter().encode(text, BarcodeFormat.QR_CODE, size, size, Map.of(
                    EncodeHintType.MARGIN, 2));
            BufferedImage img = new BufferedImage(m.getWidth(), m.getHeight(), BufferedImage.TYPE_BYTE_BINARY);
            for (int y = 0; y < m.getHeight(); y++) {
                for (int x = 0; x < m.getWidth(); x++) {
                    img.setRGB(x, y, m.get(x, y) ? 0x000000 : 0xffffff);
                }
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(img, "png", out);
            return out.toByteArray();
        } catch (WriterException | IOException e) {
            throw new IllegalStateException("The QR code could not be drawn: " + e.getMessage(), e);
        }
    }

    private static String group(String base32) {
        return base32.replaceAll("(.{4})(?=.)", "$1 ");
    }

    // ------------------------------------------------------------------ helpers

    /** Shows the page in the brand of the holder's first order (the brand of their e-mails). */
    private static void inBrand(HttpServletRequest req, String brand) {
        if (brand != null && !brand.isBlank()) {
            req.setAttribute(Pages.BRAND_ATTRIBUTE, brand);
        }
    }

    private Optional<HolderSession> session(HttpServletRequest req) {
        return Access.session(service, req);
    }

    /** The session, or a redirect to the login (and empty). */
    private Optional<HolderSession> requireSession(HttpServletRequest req, HttpServletResponse resp)
            throws IOException {
        Optional<HolderSession> s = session(req);
        if (s.isEmpty()) {
            redirect(req, resp, LOGIN);
        }
        return s;
    }

    private Map<String, Object> base(HttpServletRequest req) {
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("css", pages.assetUrl(req, NS, "space.css"));
        model.put("nav", Map.of());
        return model;
    }

    /** The space's navigation (seals, history, certificates, security, logout) for a logged-in page. */
    void nav(HttpServletRequest req, Map<String, Object> model, HolderSession s) {
        Map<String, Object> nav = new LinkedHashMap<>();
        nav.put("sign", req.getContextPath() + SIGN);
        nav.put("history", req.getContextPath() + "/space/history");
        nav.put("certificates", req.getContextPath() + "/space/certificates");
        nav.put("security", req.getContextPath() + SECURITY);
        nav.put("logout", req.getContextPath() + LOGOUT);
        nav.put("csrf", s.csrf());
        nav.put("email", s.holder().email());
        model.put("nav", nav);
    }

    /** The issuer an authenticator app shows: the public address's host (the brand's name is not known here). */
    private String brandName(HttpServletRequest req) {
        return service.settings().host();
    }

    static String origin(HttpServletRequest req) {
        String o = req.getHeader("Origin");
        return o == null || o.isBlank() || "null".equals(o) ? Access.requestOrigin(req) : o;
    }

    static void setCookie(HttpServletRequest req, HttpServletResponse resp, String secret) {
        resp.addHeader("Set-Cookie", HolderAccess.SESSION_COOKIE + "=" + secret + "; Path=/; HttpOnly; SameSite=Strict"
                + (req.isSecure() ? "; Secure" : ""));
    }

    static void clearCookie(HttpServletRequest req, HttpServletResponse resp) {
        resp.addHeader("Set-Cookie", HolderAccess.SESSION_COOKIE + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict"
                + (req.isSecure() ? "; Secure" : ""));
    }

    private static void redirect(HttpServletRequest req, HttpServletResponse resp, String path) {
        resp.setStatus(303);
        resp.setHeader("Location", req.getContextPath() + path);
    }

    private void message(HttpServletRequest req, HttpServletResponse resp, int status, String key)
            throws IOException {
        Map<String, Object> model = base(req);
        model.put("title", msg(req, key + ".title"));
        model.put("text", msg(req, key + ".text"));
        model.put("linkHref", req.getContextPath() + HOME);
        model.put("linkText", msg(req, "cloud-space.home"));
        pages.render(req, resp, status, NS + "/message.ftlh", model);
    }

    private String msg(HttpServletRequest req, String key, Object... args) {
        return pages.message(req, NS, key, args);
    }

    static char[] chars(String s) {
        return s == null ? new char[0] : s.toCharArray();
    }

    static boolean same(String given, String expected) {
        return given != null && expected != null && java.security.MessageDigest.isEqual(given.getBytes(
                java.nio.charset.StandardCharsets.UTF_8), expected.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
