package io.cachet.delivery.cloud.internal.sign;

import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
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

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import io.cachet.api.ca.IssuedCertificate;
import io.cachet.api.web.ClientLimiter;
import io.cachet.delivery.cloud.internal.HolderAccess;
import io.cachet.delivery.cloud.internal.HolderSession;
import io.cachet.delivery.cloud.internal.sign.ClickCertException.Kind;
import io.cachet.delivery.cloud.internal.sign.ClickCertService.SignRequest;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Click&amp;Cert for programs (the command line's demo, scripts): the holder's session cookie
 * ({@value HolderAccess#SESSION_COOKIE}), and on every POST and DELETE the header {@value HolderAccess#CSRF_HEADER}.
 * Errors are RFC 9457 problems whose {@code detail} says what to do.
 * <ul>
 * <li>{@code GET /space/api/seals}: {@code [{orderId, commonName, organisation, validFrom, validTo, status, serial,
 * revokedAt?, revocationReason?}]}</li>
 * <li>{@code POST /space/api/seals/{orderId}/revocation}
 * {@code {reason, confirm: true, password, factorKind?, factorResponse?}} → 200
 * {@code {orderId, serial, revokedAt, revocationReason}}: the holder revokes their seal's certificate for good
 * ({@link SealRevocations}; {@code reason} is one of a subscriber's RFC 5280 names)</li>
 * <li>{@code POST /space/api/documents}: the PDF as the body ({@code application/pdf}, name in {@code X-Filename},
 * optional {@code X-Pdf-Password}) or a multipart form (field {@code file}, optional {@code pdfPassword}) → 201
 * {@code {id, sha256, pages, status}}; {@code status} is {@code PASSWORD_REQUIRED} for an encrypted PDF whose
 * password is still needed</li>
 * <li>{@code POST /space/api/documents/{id}/password} {@code {password}}: opens an encrypted PDF</li>
 * <li>{@code GET /space/api/documents/{id}/pages/{n}.png}: a picture of a page, to place the visible seal</li>
 * <li>{@code POST /space/api/documents/{id}/sign}
 * {@code {orderId, password, factorKind?, factorResponse?, sha256?, visible?:{page,x,y,width?,height?}}} → 200
 * {@code {id, level, signedSha256, download}}</li>
 * <li>{@code GET /space/api/documents/{id}/signed}: the signed PDF; {@code GET /space/api/documents}: the history;
 * {@code GET /space/api/documents/{id}}: one document; {@code DELETE /space/api/documents/{id}}: removes it</li>
 * </ul>
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern({ ClickCertApiServlet.SEALS, ClickCertApiServlet.SEALS + "/*",
    ClickCertApiServlet.DOCUMENTS, ClickCertApiServlet.DOCUMENTS + "/*" })
@HttpWhiteboardServletName("cachet-clickcert-api")
@HttpWhiteboardServletMultipart(enabled = true, maxFileSize = Http.MAX_MULTIPART,
        maxRequestSize = Http.MAX_MULTIPART + 64 * 1024, fileSizeThreshold = 1024 * 1024)
public class ClickCertApiServlet extends HttpServlet {

    static final String SEALS = "/space/api/seals";
    static final String DOCUMENTS = "/space/api/documents";
    static final int MAX_JSON = 64 * 1024;
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ClickCertApiServlet.class);
    private static final String ID = "([0-9a-f-]{36})";
    private static final Pattern ONE = Pattern.compile(DOCUMENTS + "/" + ID + "/?");
    private static final Pattern ACTION = Pattern.compile(DOCUMENTS + "/" + ID + "/(sign|password|signed)");
    private static final Pattern PAGE = Pattern.compile(DOCUMENTS + "/" + ID + "/pages/([0-9]{1,5})\\.png");
    private static final Pattern REVOCATION = Pattern.compile(SEALS
            + "/([A-Za-z0-9][A-Za-z0-9._-]{0,99})/revocation");

    private final transient ClickCertService service;
    private final transient SealRevocations revocations;
    private final transient HolderAccess access;
    private final transient ClientLimiter limiter;

    @Activate
    public ClickCertApiServlet(@Reference ClickCertComponent component) {
        this(component.service(), component.revocations(), component.access(),
                new ClientLimiter(300, Clock.systemUTC()));
    }

    ClickCertApiServlet(ClickCertService service, SealRevocations revocations, HolderAccess access,
            ClientLimiter limiter) {
        this.service = service;
        this.revocations = revocations;
        this.access = access;
        this.limiter = limiter;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        HolderSession s = session(req, resp, false);
        if (s == null) {
            return;
        }
        String path = Http.path(req);
        String holderId = s.holder().id();
        try {
            Matcher m;
            if (path.equals(SEALS)) {
                List<Map<String, Object>> l = new ArrayList<>();
                for (Seal seal : service.seals(holderId)) {
                    l.add(seal(seal));
                }
                Http.json(resp, 200, l);
            } else if (path.equals(DOCUMENTS) || path.equals(DOCUMENTS + "/")) {
                List<Map<String, Object>> l = new ArrayList<>();
                for (Document d : service.history(holderId)) {
                    l.add(document(req, d));
                }
                Http.json(resp, 200, l);
            } else if ((m = ONE.matcher(path)).matches()) {
                Optional<Document> d = service.find(holderId, m.group(1));
                if (d.isEmpty()) {
                    throw ClickCertService.notFound();
                }
                Http.json(resp, 200, document(req, d.get()));
            } else if ((m = ACTION.matcher(path)).matches() && m.group(2).equals("signed")) {
                byte[] pdf = service.signedPdf(s, m.group(1));
                Document d = service.find(holderId, m.group(1)).orElseThrow(ClickCertService::notFound);
                Http.bytes(resp, "application/pdf", pdf, d.signedFileName());
            } else if ((m = PAGE.matcher(path)).matches()) {
                PdfFiles.Preview p = service.preview(holderId, m.group(1), Integer.parseInt(m.group(2)));
                resp.setHeader("X-Page-Width", String.valueOf(p.page().width()));
                resp.setHeader("X-Page-Height", String.valueOf(p.page().height()));
                Http.bytes(resp, "image/png", p.png(), null);
            } else {
                Http.problem(resp, 404, "not-found", "No such Click&Cert resource; see GET " + DOCUMENTS + ".");
            }
        } catch (ClickCertException e) {
            refused(resp, e);
        } catch (RuntimeException e) {
            failed(resp, e);
        }
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        HolderSession s = session(req, resp, true);
        if (s == null) {
            return;
        }
        String path = Http.path(req);
        try {
            Matcher m;
            if (path.equals(DOCUMENTS) || path.equals(DOCUMENTS + "/")) {
                upload(req, resp, s);
            } else if ((m = ACTION.matcher(path)).matches() && m.group(2).equals("password")) {
                JsonNode body = body(req);
                Document d = service.unlock(s, m.group(1), text(body, "password") == null ? null
                        : text(body, "password").toCharArray());
                if (d.state() == Document.State.LOCKED) {
                    throw new ClickCertException(Kind.PASSWORD_REQUIRED, "Give the PDF's password in \"password\".");
                }
                Http.json(resp, 200, document(req, d));
            } else if ((m = ACTION.matcher(path)).matches() && m.group(2).equals("sign")) {
                sign(req, resp, s, m.group(1));
            } else if ((m = REVOCATION.matcher(path)).matches()) {
                revoke(req, resp, s, m.group(1));
            } else {
                Http.problem(resp, 404, "not-found", "No such Click&Cert action; POST " + DOCUMENTS + " to upload,"
                        + " " + DOCUMENTS + "/{id}/sign to sign, " + SEALS + "/{orderId}/revocation to revoke.");
            }
        } catch (ClickCertException e) {
            refused(resp, e);
        } catch (RuntimeException e) {
            failed(resp, e);
        }
    }

    @Override
    protected void doDelete(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        HolderSession s = session(req, resp, true);
        if (s == null) {
            return;
        }
        Matcher m = ONE.matcher(Http.path(req));
        try {
            if (!m.matches()) {
                Http.problem(resp, 404, "not-found", "No such document.");
                return;
            }
            Http.json(resp, 200, document(req, service.discard(s, m.group(1))));
        } catch (ClickCertException e) {
            refused(resp, e);
        } catch (RuntimeException e) {
            failed(resp, e);
        }
    }

    private void upload(HttpServletRequest req, HttpServletResponse resp, HolderSession s) throws IOException {
        long max = service.settings().maxUploadBytes();
        long declared = req.getContentLengthLong();
        if (declared > max + 64 * 1024) {
            throw new ClickCertException(Kind.TOO_LARGE, "The document is larger than the "
                    + service.settings().maxUploadMegabytes() + " MB accepted; upload a smaller PDF.",
                    service.settings().maxUploadMegabytes());
        }
        String name;
        byte[] content;
        String password;
        if (Http.multipart(req)) {
            Http.Upload u = Http.multipartFile(req, max);
            if (u == null) {
                throw new ClickCertException(Kind.BAD_REQUEST, "Send the PDF in the form's \"file\" field, or as the"
                        + " body with Content-Type application/pdf.");
            }
            name = u.fileName();
            content = u.content();
            password = req.getParameter("pdfPassword");
        } else {
            try (InputStream in = req.getInputStream()) {
                content = Http.readBounded(in, max);
            }
            name = req.getHeader("X-Filename");
            password = req.getHeader("X-Pdf-Password");
        }
        Document d = service.upload(s, name, content);
        if (d.state() == Document.State.LOCKED && password != null && !password.isEmpty()) {
            try {
                d = service.unlock(s, d.id(), password.toCharArray());
            } catch (ClickCertException e) {
                Map<String, Object> body = document(req, d);
                body.put("detail", e.getMessage());
                Http.json(resp, 201, body);
                return;
            }
        }
        resp.setHeader("Location", req.getContextPath() + DOCUMENTS + "/" + d.id());
        Http.json(resp, 201, document(req, d));
    }

    private void sign(HttpServletRequest req, HttpServletResponse resp, HolderSession s, String id)
            throws IOException {
        JsonNode body = body(req);
        Placement placement = null;
        JsonNode v = body.get("visible");
        if (v != null && !v.isNull()) {
            if (!v.isObject() || !v.path("page").isNumber() || !v.path("x").isNumber() || !v.path("y").isNumber()) {
                throw new ClickCertException(Kind.BAD_PLACEMENT, "\"visible\" needs page, x and y (points from the top"
                        + " left of the page), and optionally width and height.", 0);
            }
            placement = new Placement(v.get("page").asInt(), (float) v.get("x").asDouble(),
                    (float) v.get("y").asDouble(), (float) v.path("width").asDouble(Placement.WIDTH),
                    (float) v.path("height").asDouble(Placement.HEIGHT));
        }
        String password = text(body, "password");
        Document d = service.sign(s, id, new SignRequest(text(body, "orderId"), password == null ? null
                : password.toCharArray(), text(body, "factorKind"), factorResponse(body), text(body, "sha256"),
                placement), Http.origin(req), req.getRemoteAddr());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", d.id());
        out.put("level", d.level());
        out.put("sha256", d.sha256());
        out.put("signedSha256", d.signedSha256());
        out.put("signedAt", string(d.signedAt()));
        out.put("download", req.getContextPath() + DOCUMENTS + "/" + d.id() + "/signed");
        Http.json(resp, 200, out);
    }

    private void revoke(HttpServletRequest req, HttpServletResponse resp, HolderSession s, String orderId)
            throws IOException {
        JsonNode body = body(req);
        String password = text(body, "password");
        IssuedCertificate c;
        try {
            c = revocations.revoke(s, new SealRevocations.Request(orderId, text(body, "reason"),
                    body.path("confirm").asBoolean(false), password == null ? null : password.toCharArray(),
                    text(body, "factorKind"), factorResponse(body)), Http.origin(req), req.getRemoteAddr());
        } catch (SealRevocations.Refused e) {
            if (e.why() == SealRevocations.Why.UNAVAILABLE) {
                resp.setHeader("Retry-After", "60");
            }
            Http.problem(resp, e.why().status(), Http.code(e.why()),
                    e.getMessage());
            return;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("orderId", orderId);
        out.put("serial", c.serialHex());
        out.put("revokedAt", c.revocation().map(r -> r.time().toString()).orElse(null));
        out.put("revocationReason", c.revocation().map(r -> r.reason().rfcName()).orElse(null));
        Http.json(resp, 200, out);
    }

    /** The session, or an answer (401, 403 for a forged or rate-limited state change) and null. */
    private HolderSession session(HttpServletRequest req, HttpServletResponse resp, boolean changes)
            throws IOException {
        Optional<HolderSession> s;
        try {
            s = access.session(req);
        } catch (RuntimeException e) {
            failed(resp, e);
            return null;
        }
        if (s.isEmpty()) {
            Http.problem(resp, 401, "not-logged-in", "Log in to your space first (POST /space/api/session); the"
                    + " session may have expired.");
            return null;
        }
        if (changes && !access.genuine(s.get(), req)) {
            Http.problem(resp, 403, "csrf", "Send the session's anti-forgery token in the " + HolderAccess.CSRF_HEADER
                    + " header.");
            return null;
        }
        if (changes && !limiter.allow(s.get().holder().id())) {
            resp.setHeader("Retry-After", String.valueOf(limiter.retryAfterSeconds()));
            Http.problem(resp, 429, "rate-limited", "Too many requests; try again later.");
            return null;
        }
        return s.get();
    }

    private static JsonNode body(HttpServletRequest req) throws IOException {
        byte[] raw;
        try (InputStream in = req.getInputStream()) {
            raw = in.readNBytes(MAX_JSON + 1);
        }
        if (raw.length > MAX_JSON) {
            throw new ClickCertException(Kind.BAD_REQUEST, "The request body is too large for JSON.");
        }
        try {
            JsonNode n = Http.JSON.readTree(raw);
            if (n == null || !n.isObject()) {
                throw new ClickCertException(Kind.BAD_REQUEST, "Send a JSON object.");
            }
            return n;
        } catch (JsonProcessingException e) {
            throw new ClickCertException(Kind.BAD_REQUEST, "The body is not valid JSON.");
        }
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.isTextual() ? v.asText() : v.toString();
    }

    /** A WebAuthn assertion may come as a JSON object as well as its text. */
    private static String factorResponse(JsonNode n) {
        JsonNode v = n.get("factorResponse");
        return v == null || v.isNull() ? null : v.isTextual() ? v.asText() : v.toString();
    }

    private static Map<String, Object> seal(Seal s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("orderId", s.orderId());
        m.put("commonName", s.commonName());
        m.put("organisation", s.organisation());
        m.put("validFrom", string(s.validFrom()));
        m.put("validTo", string(s.validTo()));
        m.put("status", s.status().name());
        m.put("serial", s.serial());
        if (s.revocation() != null) {
            m.put("revokedAt", string(s.revocation().time()));
            m.put("revocationReason", s.revocation().reason().rfcName());
        }
        return m;
    }

    static Map<String, Object> document(HttpServletRequest req, Document d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", d.id());
        m.put("fileName", d.fileName());
        m.put("size", d.size());
        m.put("sha256", d.sha256());
        m.put("pages", d.pages());
        m.put("encrypted", d.encrypted());
        m.put("status", d.state() == Document.State.LOCKED ? "PASSWORD_REQUIRED" : d.state().name());
        m.put("createdAt", string(d.createdAt()));
        m.put("purgeAt", string(d.purgeAt()));
        if (d.state() == Document.State.SIGNED || d.signedAt() != null) {
            m.put("orderId", d.orderId());
            m.put("level", d.level());
            m.put("signedSha256", d.signedSha256());
            m.put("signedAt", string(d.signedAt()));
        }
        if (d.state() == Document.State.SIGNED) {
            m.put("download", req.getContextPath() + DOCUMENTS + "/" + d.id() + "/signed");
        }
        return m;
    }

    private static String string(Instant t) {
        return t == null ? null : t.toString();
    }

    private static void refused(HttpServletResponse resp, ClickCertException e) throws IOException {
        if (e.kind() == Kind.UNAVAILABLE) {
            resp.setHeader("Retry-After", "60");
        }
        Http.problem(resp, e.kind().status(), Http.code(e.kind()),
                e.getMessage());
    }

    private static void failed(HttpServletResponse resp, RuntimeException e) throws IOException {
        LOG.warn("A Click&Cert API request failed; nothing was signed: {}", e.toString());
        resp.setHeader("Retry-After", "60");
        Http.problem(resp, 503, "unavailable", "Click&Cert is not available right now; nothing was signed. Try again"
                + " in a few minutes.");
    }
}
