package io.cachet.delivery.cloud.internal.sign;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
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
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletMultipart;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cachet.api.web.ClientLimiter;
import io.cachet.api.web.Pages;
import io.cachet.delivery.cloud.internal.HolderAccess;
import io.cachet.delivery.cloud.internal.HolderSession;
import io.cachet.delivery.cloud.internal.sign.ClickCertException.Kind;
import io.cachet.delivery.cloud.internal.sign.ClickCertService.SignRequest;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;

/**
 * The holder's Click&amp;Cert pages, French and English, in the active brand; the basic path works without script
 * (forms, the preview clicked as an image button), the page's own script adds drag and drop and exact placing.
 * <ul>
 * <li>{@code GET /space/sign}: step 1 the seal, step 2 the upload; with {@code ?document=…}: the password of an
 * encrypted PDF, step 3 the optional visible seal (page, position clicked on the preview), step 4 the hash and the
 * re-authentication (password, second factor when enrolled), then the download</li>
 * <li>{@code POST /space/sign/upload} (multipart), {@code …/documents/<id>/password}, {@code …/documents/<id>/sign}:
 * each carries the session's {@code csrf} field</li>
 * <li>{@code GET /space/sign/documents/<id>/pages/<n>.png}: the page's picture (with the seal's box when {@code x}
 * and {@code y} are given)</li>
 * <li>{@code GET /space/history}: the signed documents (name, hash, time, level) with their download
 * ({@code /space/history/<id>/signed}) while they are kept; {@code POST /space/history/<id>/delete} removes one</li>
 * </ul>
 * Without a session, pages redirect to {@code /space/login?next=…}.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern({ ClickCertServlet.SIGN, ClickCertServlet.SIGN + "/*", ClickCertServlet.HISTORY,
    ClickCertServlet.HISTORY + "/*" })
@HttpWhiteboardServletName("cachet-clickcert")
@HttpWhiteboardServletMultipart(enabled = true, maxFileSize = Http.MAX_MULTIPART,
        maxRequestSize = Http.MAX_MULTIPART + 64 * 1024, fileSizeThreshold = 1024 * 1024)
public class ClickCertServlet extends HttpServlet {

    static final String SIGN = "/space/sign";
    /** The document a refused post was about (its id is in the path, not in a parameter). */
    static final String DOCUMENT_ATTRIBUTE = "io.cachet.delivery.cloud.clickcert.document";
    static final String HISTORY = "/space/history";
    static final String NS = ClickCertPages.NAMESPACE;
    /** The page policy: this server's scripts (no inline script or style), its own fetches (WebAuthn options). */
    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self';"
            + " connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ClickCertServlet.class);
    private static final String ID = "([0-9a-f-]{36})";
    private static final Pattern DOC_ACTION = Pattern.compile(SIGN + "/documents/" + ID + "/(password|sign)");
    private static final Pattern PAGE = Pattern.compile(SIGN + "/documents/" + ID + "/pages/([0-9]{1,5})\\.png");
    private static final Pattern SIGNED = Pattern.compile(HISTORY + "/" + ID + "/signed");
    private static final Pattern DELETE = Pattern.compile(HISTORY + "/" + ID + "/delete");

    private final transient ClickCertService service;
    private final transient HolderAccess access;
    private final transient Pages pages;
    private final transient ClientLimiter limiter;

    @Activate
    public ClickCertServlet(@Reference ClickCertComponent component, @Reference Pages pages) {
        this(component.service(), component.access(), pages, new ClientLimiter(300, Clock.systemUTC()));
    }

    ClickCertServlet(ClickCertService service, HolderAccess access, Pages pages, ClientLimiter limiter) {
        this.service = service;
        this.access = access;
        this.pages = pages;
        this.limiter = limiter;
    }

    /** Puts this page's policy in the place of the framework's. */
    static final class Policy extends HttpServletResponseWrapper {
        Policy(HttpServletResponse response) {
            super(response);
        }

        @Override
        public void setHeader(String name, String value) {
            super.setHeader(name, "Content-Security-Policy".equalsIgnoreCase(name) ? CSP : value);
        }

        @Override
        public void addHeader(String name, String value) {
            if ("Content-Security-Policy".equalsIgnoreCase(name)) {
                super.setHeader(name, CSP);
            } else {
                super.addHeader(name, value);
            }
        }
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse raw) throws IOException {
        HttpServletResponse resp = new Policy(raw);
        resp.setHeader("Cache-Control", "no-store");
        HolderSession s = session(req, resp);
        if (s == null) {
            return;
        }
        String path = Http.path(req);
        try {
            Matcher m;
            if (path.equals(SIGN) || path.equals(SIGN + "/")) {
                sign(req, resp, s, 200, "", "", null);
            } else if (path.equals(HISTORY) || path.equals(HISTORY + "/")) {
                history(req, resp, s, 200, "", "");
            } else if ((m = PAGE.matcher(path)).matches()) {
                Placement box = null;
                Float x = number(req.getParameter("x"));
                Float y = number(req.getParameter("y"));
                int page = Integer.parseInt(m.group(2));
                if (x != null && y != null) {
                    box = new Placement(page, x, y, Placement.WIDTH, Placement.HEIGHT);
                }
                PdfFiles.Preview p = service.preview(s.holder().id(), m.group(1), page, box);
                Http.bytes(resp, "image/png", p.png(), null);
            } else if ((m = SIGNED.matcher(path)).matches()) {
                byte[] pdf = service.signedPdf(s, m.group(1));
                Document d = service.find(s.holder().id(), m.group(1)).orElseThrow(ClickCertService::notFound);
                Http.bytes(resp, "application/pdf", pdf, d.signedFileName());
            } else {
                message(req, resp, 404, "clickcert.error.not-found");
            }
        } catch (ClickCertException e) {
            if (path.startsWith(HISTORY)) {
                history(req, resp, s, e.kind().status(), error(req, e), "");
            } else if (PAGE.matcher(path).matches()) {
                resp.setStatus(e.kind().status());
                resp.setContentType("text/plain;charset=UTF-8");
                resp.getWriter().write(error(req, e));
            } else {
                sign(req, resp, s, e.kind().status(), error(req, e), "", null);
            }
        } catch (RuntimeException e) {
            unavailable(req, resp, e);
        }
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse raw) throws IOException {
        HttpServletResponse resp = new Policy(raw);
        resp.setHeader("Cache-Control", "no-store");
        HolderSession s = session(req, resp);
        if (s == null) {
            return;
        }
        String path = Http.path(req);
        if (!access.genuine(s, req)) {
            message(req, resp, 403, "clickcert.error.forged");
            return;
        }
        if (!limiter.allow(s.holder().id())) {
            resp.setHeader("Retry-After", String.valueOf(limiter.retryAfterSeconds()));
            message(req, resp, 429, "clickcert.error.limited");
            return;
        }
        Matcher m;
        try {
            if (path.equals(SIGN + "/upload")) {
                upload(req, resp, s);
            } else if ((m = DOC_ACTION.matcher(path)).matches() && m.group(2).equals("password")) {
                String pw = req.getParameter("pdfPassword");
                Document d = service.unlock(s, m.group(1), pw == null ? null : pw.toCharArray());
                resp.sendRedirect(req.getContextPath() + SIGN + "?document=" + d.id() + orderParam(req));
            } else if ((m = DOC_ACTION.matcher(path)).matches() && m.group(2).equals("sign")) {
                signNow(req, resp, s, m.group(1));
            } else if ((m = DELETE.matcher(path)).matches()) {
                service.discard(s, m.group(1));
                history(req, resp, s, 200, "", msg(req, "clickcert.history.deleted"));
            } else {
                message(req, resp, 404, "clickcert.error.not-found");
            }
        } catch (ClickCertException e) {
            if (path.startsWith(HISTORY)) {
                history(req, resp, s, e.kind().status(), error(req, e), "");
            } else {
                if ((m = DOC_ACTION.matcher(path)).matches()) {
                    // a refused signature or PDF password: back at the same document, nothing lost
                    req.setAttribute(DOCUMENT_ATTRIBUTE, m.group(1));
                }
                sign(req, resp, s, e.kind().status(), error(req, e), "", null);
            }
        } catch (RuntimeException e) {
            unavailable(req, resp, e);
        }
    }

    private void upload(HttpServletRequest req, HttpServletResponse resp, HolderSession s) throws IOException {
        long max = service.settings().maxUploadBytes();
        if (req.getContentLengthLong() > max + 64 * 1024) {
            throw new ClickCertException(Kind.TOO_LARGE, "too large", service.settings().maxUploadMegabytes());
        }
        Http.Upload u = Http.multipartFile(req, max);
        if (u == null || u.content().length == 0) {
            throw new ClickCertException(Kind.BAD_REQUEST, "no file");
        }
        Document d = service.upload(s, u.fileName(), u.content());
        resp.sendRedirect(req.getContextPath() + SIGN + "?document=" + d.id() + orderParam(req));
    }

    private void signNow(HttpServletRequest req, HttpServletResponse resp, HolderSession s, String id)
            throws IOException {
        Placement placement = null;
        Float x = number(req.getParameter("x"));
        Float y = number(req.getParameter("y"));
        String page = req.getParameter("page");
        if (x != null && y != null && page != null && page.matches("[0-9]{1,5}")) {
            placement = new Placement(Integer.parseInt(page), x, y, Placement.WIDTH, Placement.HEIGHT);
        }
        String password = req.getParameter("password");
        Http.Factor factor = Http.factor(req);
        String orderId = req.getParameter("order");
        Document d = service.sign(s, id, new SignRequest(orderId, password == null ? null : password.toCharArray(),
                factor.kind(), factor.response(), req.getParameter("sha256"), placement), Http.origin(req),
                req.getRemoteAddr());
        sign(req, resp, s, 200, "", msg(req, "clickcert.done.notice"), d);
    }

    /** The session, or a redirect to the login page (which comes back here) and null. */
    private HolderSession session(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Optional<HolderSession> s;
        try {
            s = access.session(req);
        } catch (RuntimeException e) {
            unavailable(req, resp, e);
            return null;
        }
        if (s.isPresent()) {
            service.brand(s.get().holder().id()).ifPresent(b -> req.setAttribute(Pages.BRAND_ATTRIBUTE, b));
            return s.get();
        }
        String here = req.getRequestURI() == null ? SIGN : req.getRequestURI().substring(
                req.getContextPath().length());
        if (!here.startsWith(SIGN) && !here.startsWith(HISTORY) || PAGE.matcher(here).matches()
                || !"GET".equals(req.getMethod())) {
            here = here.startsWith(HISTORY) ? HISTORY : SIGN;
        } else if (req.getQueryString() != null) {
            here = here + "?" + req.getQueryString();
        }
        resp.sendRedirect(req.getContextPath() + "/space/login?next=" + URLEncoder.encode(here,
                StandardCharsets.UTF_8));
        return null;
    }

    // ------------------------------------------------------------------ the sign page

    private void sign(HttpServletRequest req, HttpServletResponse resp, HolderSession s, int status, String error,
            String notice, Document signed) throws IOException {
        String holderId = s.holder().id();
        String ctx = req.getContextPath();
        Map<String, Object> model = base(req, s);
        model.put("error", error);
        model.put("notice", notice);
        List<Seal> seals;
        try {
            seals = service.seals(holderId);
        } catch (ClickCertException e) {
            seals = List.of();
            if (error.isEmpty()) {
                model.put("error", error(req, e));
                status = e.kind().status();
            }
        }
        String asked = req.getParameter("order");
        List<Seal> usable = seals.stream().filter(Seal::usable).toList();
        String chosen = asked != null && usable.stream().anyMatch(x -> x.orderId().equals(asked)) ? asked
                : usable.size() == 1 ? usable.get(0).orderId() : "";
        List<Map<String, Object>> sealRows = new ArrayList<>();
        for (Seal seal : seals) {
            Map<String, Object> r = sealRow(seal);
            r.put("usable", seal.usable());
            r.put("chosen", seal.orderId().equals(chosen));
            sealRows.add(r);
        }
        model.put("seals", sealRows);
        model.put("order", chosen);
        model.put("maxMegabytes", service.settings().maxUploadMegabytes());
        model.put("maxBytes", service.settings().maxUploadBytes());
        model.put("level", service.settings().level().name());
        model.put("uploadAction", ctx + SIGN + "/upload");
        model.put("step", "choose");
        model.put("signed", false);

        String documentId = signed != null ? signed.id() : req.getAttribute(DOCUMENT_ATTRIBUTE) instanceof String a ? a
                : req.getParameter("document");
        Document d = null;
        if (documentId != null && !documentId.isBlank()) {
            try {
                d = signed != null ? signed : service.find(holderId, documentId).orElse(null);
            } catch (RuntimeException e) {
                LOG.warn("A Click&Cert document could not be read: {}", e.toString());
            }
            if (d == null && error.isEmpty()) {
                model.put("error", msg(req, "clickcert.error.not-found"));
                status = 404;
            }
        }
        if (d != null) {
            document(req, model, d, s, chosen);
            if (d.state() == Document.State.PURGED && error.isEmpty()) {
                model.put("error", msg(req, "clickcert.error.purged"));
            }
        }
        pages.render(req, resp, status, NS + "/sign.ftlh", model);
    }

    private void document(HttpServletRequest req, Map<String, Object> model, Document d, HolderSession s,
            String order) {
        String ctx = req.getContextPath();
        String base = ctx + SIGN + "/documents/" + d.id();
        model.put("documentId", d.id());
        model.put("fileName", d.fileName());
        model.put("pages", d.pages());
        model.put("size", sizeText(d.size()));
        model.put("sha256", d.sha256());
        model.put("sha256Groups", groups(d.sha256()));
        model.put("passwordAction", base + "/password");
        model.put("signAction", base + "/sign");
        model.put("restart", ctx + SIGN + (order.isEmpty() ? "" : "?order=" + enc(order)));
        switch (d.state()) {
            case LOCKED -> model.put("step", "password");
            case SIGNED -> {
                model.put("step", "signed");
                model.put("signed", true);
                model.put("level", d.level());
                model.put("signedSha256", d.signedSha256());
                model.put("signedAt", Pages.time(d.signedAt()));
                model.put("keptUntil", Pages.time(d.purgeAt()));
                model.put("download", ctx + HISTORY + "/" + d.id() + "/signed");
                model.put("historyHref", ctx + HISTORY);
            }
            case PURGED -> model.put("step", "choose");
            default -> {
                model.put("step", "sign");
                int page = 1;
                String p = req.getParameter("page");
                if (p != null && p.matches("[0-9]{1,5}")) {
                    page = Math.max(1, Math.min(d.pages(), Integer.parseInt(p)));
                }
                Placement placement = placement(req, s, d, page);
                List<Integer> pageList = new ArrayList<>();
                for (int i = 1; i <= Math.min(d.pages(), 500); i++) {
                    pageList.add(i);
                }
                model.put("page", page);
                model.put("pageList", pageList);
                model.put("placeAction", ctx + SIGN);
                model.put("placed", placement != null);
                model.put("x", placement == null ? "" : String.valueOf(Math.round(placement.x())));
                model.put("y", placement == null ? "" : String.valueOf(Math.round(placement.y())));
                model.put("preview", base + "/pages/" + page + ".png" + (placement == null ? ""
                        : "?x=" + Math.round(placement.x()) + "&y=" + Math.round(placement.y())));
                model.put("noSealHref", ctx + SIGN + "?document=" + d.id() + "&order=" + enc(order) + "&page="
                        + page);
                List<String> factors = access.factors(s.holder().id());
                model.put("totp", factors.contains("totp"));
                model.put("webauthn", factors.contains("webauthn"));
                String script = pages.assetUrl(req, "cloud-space", "webauthn.js");
                model.put("webauthnScript", script == null ? "" : script);
                model.put("webauthnOptions", ctx + "/space/api/webauthn/options");
            }
        }
    }

    /** The box clicked on the preview (pixels {@code px}/{@code py} from the script, else the image button's). */
    private Placement placement(HttpServletRequest req, HolderSession s, Document d, int page) {
        Integer px = integer(req.getParameter("px"));
        Integer py = integer(req.getParameter("py"));
        if (px == null || py == null) {
            px = integer(req.getParameter("at.x"));
            py = integer(req.getParameter("at.y"));
        }
        if (px != null && py != null) {
            return service.placeAt(s.holder().id(), d.id(), page, px, py);
        }
        Float x = number(req.getParameter("x"));
        Float y = number(req.getParameter("y"));
        return x != null && y != null ? new Placement(page, x, y, Placement.WIDTH, Placement.HEIGHT) : null;
    }

    // ------------------------------------------------------------------ history

    private void history(HttpServletRequest req, HttpServletResponse resp, HolderSession s, int status, String error,
            String notice) throws IOException {
        String ctx = req.getContextPath();
        Map<String, Object> model = base(req, s);
        List<Map<String, Object>> rows = new ArrayList<>();
        try {
            for (Document d : service.history(s.holder().id())) {
                if (d.signedAt() == null && d.state() != Document.State.UPLOADED
                        && d.state() != Document.State.LOCKED) {
                    continue; // removed before it was signed: nothing to show
                }
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("id", d.id());
                r.put("fileName", d.fileName());
                r.put("sha256", d.sha256());
                r.put("state", d.state().name().toLowerCase(Locale.ROOT));
                r.put("signedAt", Pages.time(d.signedAt()));
                r.put("createdAt", Pages.time(d.createdAt()));
                r.put("level", d.level() == null ? "" : d.level());
                r.put("keptUntil", Pages.time(d.purgeAt()));
                r.put("download", d.state() == Document.State.SIGNED ? ctx + HISTORY + "/" + d.id() + "/signed" : "");
                r.put("continue", d.state() == Document.State.UPLOADED || d.state() == Document.State.LOCKED
                        ? ctx + SIGN + "?document=" + d.id() : "");
                r.put("deleteAction", d.state() == Document.State.PURGED ? "" : ctx + HISTORY + "/" + d.id()
                        + "/delete");
                rows.add(r);
            }
        } catch (RuntimeException e) {
            LOG.warn("The Click&Cert history could not be read: {}", e.toString());
            error = msg(req, "clickcert.error.unavailable");
            status = 503;
        }
        model.put("documents", rows);
        model.put("historyDays", service.settings().history().toDays());
        model.put("error", error);
        model.put("notice", notice);
        pages.render(req, resp, status, NS + "/history.ftlh", model);
    }

    // ------------------------------------------------------------------ helpers

    private Map<String, Object> base(HttpServletRequest req, HolderSession s) {
        String ctx = req.getContextPath();
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("csrf", s.csrf());
        model.put("holderName", s.holder().name() == null ? s.holder().email() : s.holder().name());
        model.put("signHref", ctx + SIGN);
        model.put("historyHref", ctx + HISTORY);
        model.put("certificatesHref", ctx + SealCertificatesServlet.PATH);
        model.put("securityHref", ctx + "/space/security");
        model.put("homeHref", ctx + "/space/");
        model.put("logoutAction", ctx + "/space/logout");
        return model;
    }

    private void message(HttpServletRequest req, HttpServletResponse resp, int status, String key) throws IOException {
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("title", msg(req, key + ".title"));
        model.put("text", msg(req, key));
        model.put("signHref", req.getContextPath() + SIGN);
        pages.render(req, resp, status, NS + "/message.ftlh", model);
    }

    private void unavailable(HttpServletRequest req, HttpServletResponse resp, RuntimeException e) throws IOException {
        LOG.warn("A Click&Cert page failed; nothing was signed: {}", e.toString());
        resp.setHeader("Retry-After", "60");
        message(req, resp, 503, "clickcert.error.unavailable");
    }

    private String error(HttpServletRequest req, ClickCertException e) {
        return msg(req, e.key(), e.args());
    }

    private String msg(HttpServletRequest req, String key, Object... args) {
        return pages.message(req, NS, key, args);
    }

    private static String orderParam(HttpServletRequest req) {
        String o = req.getParameter("order");
        return o == null || o.isBlank() ? "" : "&order=" + enc(o);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** The hash in groups of eight, easier to compare by eye. */
    static List<String> groups(String hex) {
        List<String> l = new ArrayList<>();
        for (int i = 0; i < hex.length(); i += 8) {
            l.add(hex.substring(i, Math.min(hex.length(), i + 8)));
        }
        return l;
    }

    /** A seal's model for a page's list: order, name, organisation, validity (UTC days) and status. */
    static Map<String, Object> sealRow(Seal seal) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("orderId", seal.orderId());
        r.put("commonName", seal.commonName() == null ? seal.orderId() : seal.commonName());
        r.put("organisation", seal.organisation() == null ? "" : seal.organisation());
        r.put("validFrom", seal.validFrom() == null ? "" : DAY.format(seal.validFrom()));
        r.put("validTo", seal.validTo() == null ? "" : DAY.format(seal.validTo()));
        r.put("status", Http.code(seal.status()));
        return r;
    }

    static String sizeText(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        if (bytes < 1024 * 1024) {
            return (bytes / 1024) + " KB";
        }
        return String.format(Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024.0));
    }

    private static Integer integer(String s) {
        if (s == null || !s.matches("[0-9]{1,6}")) {
            return null;
        }
        return Integer.valueOf(s);
    }

    private static Float number(String s) {
        if (s == null || !s.matches("[0-9]{1,5}(\\.[0-9]{1,3})?")) {
            return null;
        }
        return Float.valueOf(s);
    }
}
