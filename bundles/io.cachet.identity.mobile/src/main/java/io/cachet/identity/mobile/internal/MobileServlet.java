package io.cachet.identity.mobile.internal;

import java.io.IOException;
import java.io.InputStream;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cachet.api.audit.AuditLog;
import io.cachet.api.identity.Attempt;
import io.cachet.api.identity.DocumentType;
import io.cachet.api.identity.Evidence;
import io.cachet.api.identity.EvidenceKind;
import io.cachet.api.identity.IdentityCase;
import io.cachet.api.identity.IdentityCases;
import io.cachet.api.identity.IdentityException;
import io.cachet.api.order.Orders;
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
 * The phone flow's pages and uploads. The flow's state is the identity case, found by the flow token in the path
 * ({@link IdentityCases#byFlowToken}); an unknown token, or one whose attempt is no longer open, gets a clear page
 * that says what to do. Every post (forms and image uploads) carries the anti-forgery token of its flow.
 *
 * <ul>
 * <li>{@code GET /identity/mobile/<flow>}: on a computer, a QR code and a short link to continue on a phone; on a
 * phone, the prerequisites and the choice of document.</li>
 * <li>{@code GET …/capture?type=<id>}: the camera check (≥1080×1920, light) and the guided captures (scripts).</li>
 * <li>{@code POST …/image/<kind>}: one image (the raw bytes of a JPEG or PNG), checked and kept by the identity
 * service; answers JSON {@code {"kind":…}} or {@code {"code":…,"message":…}} with 4xx.</li>
 * <li>{@code GET|POST …/mrz}: the machine readable zone typed by the person; {@code POST …/submit}: done.</li>
 * <li>{@code GET /identity/m[/<code>]}, {@code POST /identity/m}: the short link (typed or scanned), limited per
 * client address.</li>
 * </ul>
 */
@Component(service = Servlet.class, configurationPid = MobileConfiguration.PID)
@Designate(ocd = MobileConfiguration.class)
@HttpWhiteboardServletPattern({MobileServlet.PATH + "/*", MobileServlet.SHORT_PATH, MobileServlet.SHORT_PATH + "/*"})
@HttpWhiteboardServletName("cachet-identity-mobile")
public class MobileServlet extends HttpServlet {

    static final String PATH = "/identity/mobile";
    static final String SHORT_PATH = "/identity/m";
    static final String ACTOR = "customer";
    static final String SHORT_FORM = "short-link";
    private static final Pattern FLOW = Pattern.compile("[A-Za-z0-9_-]{16,128}");
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(MobileServlet.class);

    private final transient Pages pages;
    private final transient IdentityCases cases;
    private final transient Orders orders;
    private final transient FormTokens tokens;
    private final transient ShortLinks shortLinks;
    private final transient ClientLimiter limiter;
    private final transient String publicBaseUrl;
    private final transient long maxImageBytes;

    @Activate
    public MobileServlet(@Reference Pages pages, @Reference IdentityCases cases, @Reference Orders orders,
            @Reference Database database, @Reference SecretVault vault, @Reference AuditLog audit,
            MobileConfiguration config) {
        this(pages, cases, orders, init(database, vault), new ShortLinks(database, vault, audit, Clock.systemUTC(),
                new SecureRandom(), Duration.ofMinutes(config.shortLinkMinutes())),
                new ClientLimiter(config.lookupsPerHour(), Clock.systemUTC()), config.publicBaseUrl(),
                config.maxImageMegabytes() * 1024L * 1024L);
    }

    MobileServlet(Pages pages, IdentityCases cases, Orders orders, FormTokens tokens, ShortLinks shortLinks,
            ClientLimiter limiter, String publicBaseUrl, long maxImageBytes) {
        this.pages = pages;
        this.cases = cases;
        this.orders = orders;
        this.tokens = tokens;
        this.shortLinks = shortLinks;
        this.limiter = limiter;
        String base = publicBaseUrl == null ? "" : publicBaseUrl.strip();
        this.publicBaseUrl = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        this.maxImageBytes = maxImageBytes;
    }

    private static FormTokens init(Database database, SecretVault vault) {
        ShortLinks.migrate(database);
        return FormTokens.load(database, vault, new SecureRandom());
    }

    /** Where the request goes: the flow token and what follows it. */
    record Route(String flow, String action, String rest) {
    }

    static Route route(HttpServletRequest req) {
        String info = req.getPathInfo();
        if (info == null || info.length() < 2) {
            return new Route("", "", "");
        }
        String[] parts = info.substring(1).split("/", 3);
        return new Route(parts[0], parts.length > 1 ? parts[1] : "", parts.length > 2 ? parts[2] : "");
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse response) throws IOException {
        HttpServletResponse resp = new PagePolicy(response);
        if (SHORT_PATH.equals(req.getServletPath())) {
            String code = route(req).flow();
            if (code.isEmpty()) {
                shortPage(req, resp, 200, "");
            } else {
                openShort(req, resp, code);
            }
            return;
        }
        Route route = route(req);
        Optional<IdentityCase> found = flow(route.flow());
        if (found.isEmpty()) {
            unknown(req, resp);
            return;
        }
        IdentityCase c = found.get();
        inBrandOf(req, c);
        switch (route.action()) {
            case "" -> {
                if (!Devices.phone(req) || "desktop".equals(req.getParameter("device"))) {
                    desktop(req, resp, c, route.flow());
                } else {
                    start(req, resp, 200, c, route.flow(), "");
                }
            }
            case "capture" -> {
                Optional<DocumentType> type = type(req.getParameter("type"));
                if (type.isEmpty()) {
                    start(req, resp, 422, c, route.flow(), text(req, "identity-mobile.start.choose-type"));
                } else {
                    capture(req, resp, c, route.flow(), type.get());
                }
            }
            case "mrz" -> mrz(req, resp, 200, c, route.flow(), req.getParameter("type"), "", "");
            default -> unknown(req, resp);
        }
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse response) throws IOException {
        HttpServletResponse resp = new PagePolicy(response);
        if (SHORT_PATH.equals(req.getServletPath())) {
            if (!tokens.valid(req, SHORT_FORM, req.getParameter(FormTokens.FIELD))) {
                shortPage(req, resp, 403, text(req, "identity-mobile.error.forged"));
                return;
            }
            openShort(req, resp, req.getParameter("code"));
            return;
        }
        Route route = route(req);
        boolean upload = "image".equals(route.action());
        Optional<IdentityCase> found = flow(route.flow());
        if (found.isEmpty()) {
            if (upload) {
                json(resp, 404, "flow.unknown", text(req, "identity-mobile.error.flow.unknown"));
            } else {
                unknown(req, resp);
            }
            return;
        }
        IdentityCase c = found.get();
        inBrandOf(req, c);
        String given = upload ? req.getHeader(FormTokens.HEADER) : req.getParameter(FormTokens.FIELD);
        if (!tokens.valid(req, form(route.flow()), given)) {
            if (upload) {
                json(resp, 403, "forged", text(req, "identity-mobile.error.forged"));
            } else {
                mrz(req, resp, 403, c, route.flow(), req.getParameter("type"), "",
                        text(req, "identity-mobile.error.forged"));
            }
            return;
        }
        switch (route.action()) {
            case "image" -> upload(req, resp, c, route.rest());
            case "mrz" -> submitMrz(req, resp, c, route.flow());
            case "submit" -> submit(req, resp, c, route.flow());
            default -> unknown(req, resp);
        }
    }

    // ---- short links

    private void openShort(HttpServletRequest req, HttpServletResponse resp, String code) throws IOException {
        if (!limiter.allow(req.getRemoteAddr())) {
            resp.setHeader("Retry-After", String.valueOf(limiter.retryAfterSeconds()));
            shortPage(req, resp, 429, text(req, "identity-mobile.short.limited"));
            return;
        }
        Optional<ShortLinks.Target> target;
        try {
            target = shortLinks.resolve(code);
        } catch (StoreException e) {
            LOG.warn("A short link could not be looked up: {}", e.toString());
            shortPage(req, resp, 503, text(req, "identity-mobile.error.unavailable"));
            return;
        }
        if (target.isEmpty() || flow(target.get().flowToken()).isEmpty()) {
            shortPage(req, resp, 404, text(req, "identity-mobile.short.unknown"));
            return;
        }
        resp.setHeader("Cache-Control", "no-store");
        resp.setHeader("Location", req.getContextPath() + PATH + "/" + target.get().flowToken() + "?lang="
                + target.get().language());
        resp.setStatus(303);
    }

    private void shortPage(HttpServletRequest req, HttpServletResponse resp, int status, String error)
            throws IOException {
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("action", req.getContextPath() + SHORT_PATH);
        model.put("token", tokens.token(req, resp, SHORT_FORM));
        model.put("tokenField", FormTokens.FIELD);
        model.put("error", error);
        pages.render(req, resp, status, MobilePages.NAMESPACE + "/short.ftlh", model);
    }

    // ---- pages

    private void desktop(HttpServletRequest req, HttpServletResponse resp, IdentityCase c, String flow)
            throws IOException {
        String language = pages.language(req).getLanguage();
        String code = shortLinks.issue(c.id(), flow, language);
        String base = publicBaseUrl.isEmpty() ? requestBase(req) : publicBaseUrl;
        String url = base + req.getContextPath() + SHORT_PATH + "/" + code;
        QrSvg.Code qr = QrSvg.of(url);
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("shortUrl", url);
        model.put("shortHost", base.replaceFirst("^https?://", "") + req.getContextPath() + SHORT_PATH);
        model.put("code", ShortLinks.display(code));
        model.put("minutes", shortLinks.validity().toMinutes());
        model.put("qrSize", qr.size());
        model.put("qrPath", qr.path());
        model.put("self", req.getContextPath() + PATH + "/" + flow + "?device=desktop");
        pages.render(req, resp, 200, MobilePages.NAMESPACE + "/desktop.ftlh", model);
    }

    private void start(HttpServletRequest req, HttpServletResponse resp, int status, IdentityCase c, String flow,
            String error) throws IOException {
        Map<String, Object> model = base(req, c, flow);
        model.put("types", types(req, req.getParameter("type")));
        model.put("error", error);
        pages.render(req, resp, status, MobilePages.NAMESPACE + "/start.ftlh", model);
    }

    private void capture(HttpServletRequest req, HttpServletResponse resp, IdentityCase c, String flow,
            DocumentType type) throws IOException {
        Map<String, Object> model = base(req, c, flow);
        model.put("type", type.id());
        model.put("typeName", type.name(pages.language(req).getLanguage()));
        List<String> kinds = new ArrayList<>(List.of(EvidenceKind.DOCUMENT_FRONT.id()));
        if (type.needsBack()) {
            kinds.add(EvidenceKind.DOCUMENT_BACK.id());
        }
        kinds.add(EvidenceKind.SELFIE.id());
        model.put("kinds", kinds);
        model.put("kindList", String.join(",", kinds));
        model.put("received", received(c));
        model.put("token", tokens.token(req, resp, form(flow)));
        model.put("tokenHeader", FormTokens.HEADER);
        model.put("uploadUrl", req.getContextPath() + PATH + "/" + flow + "/image/");
        model.put("mrzUrl", req.getContextPath() + PATH + "/" + flow + "/mrz?type=" + type.id());
        model.put("maxBytes", maxImageBytes);
        pages.render(req, resp, 200, MobilePages.NAMESPACE + "/capture.ftlh", model);
    }

    private void mrz(HttpServletRequest req, HttpServletResponse resp, int status, IdentityCase c, String flow,
            String chosenType, String typed, String error) throws IOException {
        Map<String, Object> model = base(req, c, flow);
        Attempt attempt = c.currentAttempt();
        String chosen = chosenType != null && type(chosenType).isPresent() ? chosenType
                : attempt != null && attempt.documentType() != null ? attempt.documentType() : "";
        model.put("types", types(req, chosen));
        model.put("chosen", chosen);
        model.put("format", type(chosen).map(DocumentType::mrzFormat).orElse(""));
        model.put("typed", typed == null ? "" : typed);
        model.put("error", error);
        model.put("accepted", attempt != null && attempt.mrz() != null && error.isEmpty());
        model.put("received", received(c));
        boolean needsBack = type(chosen).map(DocumentType::needsBack).orElse(false);
        List<Map<String, Object>> evidence = new ArrayList<>();
        for (EvidenceKind k : EvidenceKind.values()) {
            if (k == EvidenceKind.DOCUMENT_BACK && !needsBack) {
                continue;
            }
            evidence.add(Map.of("kind", k.id(), "name", text(req, "identity-mobile.kind." + k.id()),
                    "received", received(c).contains(k.id())));
        }
        model.put("evidence", evidence);
        model.put("captureUrl", req.getContextPath() + PATH + "/" + flow + "/capture"
                + (chosen.isEmpty() ? "" : "?type=" + chosen));
        model.put("action", req.getContextPath() + PATH + "/" + flow + "/mrz");
        model.put("submitAction", req.getContextPath() + PATH + "/" + flow + "/submit");
        model.put("token", tokens.token(req, resp, form(flow)));
        model.put("tokenField", FormTokens.FIELD);
        pages.render(req, resp, status, MobilePages.NAMESPACE + "/mrz.ftlh", model);
    }

    private void submitMrz(HttpServletRequest req, HttpServletResponse resp, IdentityCase c, String flow)
            throws IOException {
        String type = req.getParameter("type");
        String typed = req.getParameter("mrz");
        if (type == null || type(type).isEmpty()) {
            mrz(req, resp, 422, c, flow, type, typed, text(req, "identity-mobile.mrz.choose-type"));
            return;
        }
        if (typed == null || typed.isBlank()) {
            mrz(req, resp, 422, c, flow, type, "", text(req, "identity-mobile.mrz.empty"));
            return;
        }
        try {
            cases.submitDocument(c.id(), type, typed, ACTOR);
        } catch (IdentityException e) {
            refused(req, resp, e, () -> mrz(req, resp, status(e), c, flow, type, typed, message(req, e)));
            return;
        }
        resp.setHeader("Location", req.getContextPath() + PATH + "/" + flow + "/mrz?type=" + type);
        resp.setStatus(303);
    }

    private void submit(HttpServletRequest req, HttpServletResponse resp, IdentityCase c, String flow)
            throws IOException {
        try {
            cases.submit(c.id(), ACTOR);
        } catch (IdentityException e) {
            refused(req, resp, e, () -> mrz(req, resp, status(e), c, flow, req.getParameter("type"), "",
                    message(req, e)));
            return;
        }
        Map<String, Object> model = new LinkedHashMap<>();
        pages.render(req, resp, 200, MobilePages.NAMESPACE + "/done.ftlh", model);
    }

    private interface Page {
        void show() throws IOException;
    }

    /** A refusal the person can correct is shown on the page; one of the case's state gets the closed page. */
    private void refused(HttpServletRequest req, HttpServletResponse resp, IdentityException e, Page page)
            throws IOException {
        if (e.reason() == IdentityException.Reason.INVALID) {
            page.show();
        } else if (e.reason() == IdentityException.Reason.UNAVAILABLE) {
            Map<String, Object> model = new LinkedHashMap<>();
            model.put("message", message(req, e));
            pages.render(req, resp, 503, MobilePages.NAMESPACE + "/unavailable.ftlh", model);
        } else {
            Map<String, Object> model = new LinkedHashMap<>();
            model.put("message", message(req, e));
            pages.render(req, resp, status(e), MobilePages.NAMESPACE + "/unknown.ftlh", model);
        }
    }

    // ---- uploads

    private void upload(HttpServletRequest req, HttpServletResponse resp, IdentityCase c, String kindId)
            throws IOException {
        EvidenceKind kind = EvidenceKind.of(kindId);
        if (kind == null) {
            json(resp, 404, "image.kind", text(req, "identity-mobile.error.image.kind"));
            return;
        }
        long declared = req.getContentLengthLong();
        String tooLarge = text(req, "identity-mobile.error.image.too-large", String.valueOf(maxImageBytes >> 20));
        if (declared > maxImageBytes) {
            json(resp, 413, "image.too-large", tooLarge);
            return;
        }
        byte[] image;
        try (InputStream in = req.getInputStream()) {
            image = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxImageBytes + 1));
        }
        if (image.length > maxImageBytes) {
            json(resp, 413, "image.too-large", tooLarge);
            return;
        }
        if (image.length == 0) {
            json(resp, 422, "image.not-an-image", text(req, "identity-mobile.error.image.not-an-image"));
            return;
        }
        try {
            Evidence kept = cases.addImage(c.id(), kind, image, ACTOR);
            resp.setStatus(200);
            resp.setContentType("application/json;charset=UTF-8");
            resp.setHeader("Cache-Control", "no-store");
            resp.getWriter().write("{\"kind\":\"" + kind.id() + "\",\"width\":" + kept.width() + ",\"height\":"
                    + kept.height() + "}");
        } catch (IdentityException e) {
            json(resp, status(e), e.code(), message(req, e));
        } catch (StoreException e) {
            LOG.warn("An image could not be stored: {}", e.toString());
            json(resp, 503, "unavailable", text(req, "identity-mobile.error.unavailable"));
        }
    }

    static void json(HttpServletResponse resp, int status, String code, String message) throws IOException {
        resp.setStatus(status);
        resp.setContentType("application/json;charset=UTF-8");
        resp.setHeader("Cache-Control", "no-store");
        resp.getWriter().write("{\"code\":\"" + escape(code) + "\",\"message\":\"" + escape(message) + "\"}");
    }

    static String escape(String s) {
        StringBuilder b = new StringBuilder();
        for (char ch : (s == null ? "" : s).toCharArray()) {
            switch (ch) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '<' -> b.append("\\u003c");
                case '>' -> b.append("\\u003e");
                case '&' -> b.append("\\u0026");
                default -> {
                    if (ch < 0x20) {
                        b.append(String.format("\\u%04x", (int) ch));
                    } else {
                        b.append(ch);
                    }
                }
            }
        }
        return b.toString();
    }

    static int status(IdentityException e) {
        return switch (e.reason()) {
            case INVALID -> e.code() != null && e.code().equals("image.too-large") ? 413 : 422;
            case NOT_FOUND -> 404;
            case CONFLICT -> 409;
            case UNAVAILABLE -> 503;
        };
    }

    // ---- helpers

    private Optional<IdentityCase> flow(String token) {
        if (token == null || !FLOW.matcher(token).matches()) {
            return Optional.empty();
        }
        return cases.byFlowToken(token);
    }

    static String form(String flow) {
        return "flow\n" + flow;
    }

    private Optional<DocumentType> type(String id) {
        if (id == null || id.isEmpty()) {
            return Optional.empty();
        }
        return cases.acceptedDocuments().stream().filter(t -> t.id().equals(id)).findFirst();
    }

    private List<Map<String, Object>> types(HttpServletRequest req, String chosen) {
        String language = pages.language(req).getLanguage();
        List<Map<String, Object>> list = new ArrayList<>();
        for (DocumentType t : cases.acceptedDocuments()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", t.id());
            m.put("name", t.name(language));
            m.put("format", t.mrzFormat());
            m.put("needsBack", t.needsBack());
            m.put("checked", t.id().equals(chosen));
            list.add(m);
        }
        return list;
    }

    private static List<String> received(IdentityCase c) {
        Attempt a = c.currentAttempt();
        List<String> kinds = new ArrayList<>();
        if (a != null) {
            for (Evidence e : a.evidence()) {
                kinds.add(e.kind().id());
            }
        }
        return kinds;
    }

    private Map<String, Object> base(HttpServletRequest req, IdentityCase c, String flow) {
        Map<String, Object> model = new LinkedHashMap<>();
        String ctx = req.getContextPath();
        model.put("flowUrl", ctx + PATH + "/" + flow);
        model.put("desktopUrl", ctx + PATH + "/" + flow + "?device=desktop");
        model.put("documentsUrl", ctx + "/identity/documents");
        model.put("name", (c.givenNames() == null ? "" : c.givenNames() + " ") + (c.surname() == null ? ""
                : c.surname()));
        return model;
    }

    private void inBrandOf(HttpServletRequest req, IdentityCase c) {
        try {
            orders.find(c.orderId()).ifPresent(o -> {
                if (o.brand() != null) {
                    req.setAttribute(Pages.BRAND_ATTRIBUTE, o.brand());
                }
            });
        } catch (RuntimeException e) {
            LOG.debug("The brand of order {} could not be read: {}", c.orderId(), e.toString());
        }
    }

    private void unknown(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("message", "");
        pages.render(req, resp, 404, MobilePages.NAMESPACE + "/unknown.ftlh", model);
    }

    private String text(HttpServletRequest req, String key, Object... args) {
        return pages.message(req, MobilePages.NAMESPACE, key, args);
    }

    /**
     * The refusal in the person's words: {@code identity-mobile.error.<code>}, its arguments (a field, a kind of
     * image) named in the person's language where a message names them; an unknown code gets a general message.
     */
    String message(HttpServletRequest req, IdentityException e) {
        List<Object> args = new ArrayList<>();
        for (String a : e.args()) {
            String prefix = e.code().startsWith("mrz.") ? "identity-mobile.field."
                    : e.code().startsWith("evidence.") ? "identity-mobile.kind." : null;
            String named = prefix == null || !a.matches("[a-z-]{1,40}") ? a
                    : pages.message(req, MobilePages.NAMESPACE, prefix + a);
            args.add(named.startsWith("??") ? a : named);
        }
        if ("evidence.incomplete".equals(e.code()) && !args.isEmpty()) {
            args = List.of(String.join(", ", args.stream().map(String::valueOf).toList()));
        }
        String m = pages.message(req, MobilePages.NAMESPACE, "identity-mobile.error." + e.code(), args.toArray());
        if (m.startsWith("??")) {
            return pages.message(req, MobilePages.NAMESPACE, "identity-mobile.error.other."
                    + e.reason().name().toLowerCase(java.util.Locale.ROOT));
        }
        return m;
    }

    private static String requestBase(HttpServletRequest req) {
        String scheme = req.getScheme();
        int port = req.getServerPort();
        boolean standard = "http".equals(scheme) && port == 80 || "https".equals(scheme) && port == 443;
        return scheme + "://" + req.getServerName() + (standard || port <= 0 ? "" : ":" + port);
    }
}
