package io.cachet.delivery.cloud.internal.space;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.cachet.delivery.cloud.internal.AuthOutcome;
import io.cachet.delivery.cloud.internal.HolderAccess;
import io.cachet.delivery.cloud.internal.HolderSession;
import io.cachet.delivery.cloud.internal.space.SpaceComponent.Access;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The customer space's JSON for programs (the CLI demo, the pages' scripts): {@code POST /space/api/password}
 * ({@code {token, password}}: the e-mail link's password), {@code POST /space/api/session} (login: {@code {email,
 * password, factorKind?, factorResponse?}} → {@code {csrf, holder, factors}} and the session cookie),
 * {@code GET /space/api/session} (the session's csrf token, holder and factors), {@code DELETE /space/api/session}
 * (logout), {@code POST /space/api/webauthn/options} (an assertion challenge, for a
 * session or a login waiting for its factor) and {@code POST /space/api/webauthn/register-options} (creation
 * options). Requests of a session carry its csrf token in {@value HolderAccess#CSRF_HEADER}. Errors are
 * problem+json whose {@code detail} says what to do; never cached.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern({ SpaceApiServlet.SESSION, SpaceApiServlet.PASSWORD, SpaceApiServlet.WEBAUTHN + "/*" })
@HttpWhiteboardServletName("cachet-cloud-space-api")
public class SpaceApiServlet extends HttpServlet {

    static final String SESSION = "/space/api/session";
    static final String PASSWORD = "/space/api/password";
    static final String WEBAUTHN = "/space/api/webauthn";
    static final String OPTIONS = WEBAUTHN + "/options";
    static final String REGISTER_OPTIONS = WEBAUTHN + "/register-options";
    static final int MAX_BODY = 32 * 1024;
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(SpaceApiServlet.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final transient SpaceService service;

    @Activate
    public SpaceApiServlet(@Reference SpaceComponent space) {
        this(space.service());
    }

    SpaceApiServlet(SpaceService service) {
        this.service = service;
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setHeader("Cache-Control", "no-store");
        String path = SpaceServlet.path(req);
        try {
            switch (path) {
                case SESSION -> login(req, resp);
                case PASSWORD -> password(req, resp);
                case OPTIONS -> options(req, resp);
                case REGISTER_OPTIONS -> registerOptions(req, resp);
                default -> problem(resp, 404, "not_found", "No such endpoint: see the customer space's README.");
            }
        } catch (BadBody e) {
            problem(resp, 400, "bad_request", e.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("A customer space API request ({}) failed; nothing changed: {}", path, e.toString());
            problem(resp, 503, "unavailable", "The customer space is not available now; try again in a minute.");
        }
    }

    /** {@code GET /space/api/session}: the live session's csrf token, holder and factors (401 without one). */
    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setHeader("Cache-Control", "no-store");
        if (!SESSION.equals(SpaceServlet.path(req))) {
            problem(resp, 405, "method_not_allowed", "Use POST here: see the customer space's README.");
            return;
        }
        try {
            Optional<HolderSession> s = Access.session(service, req);
            if (s.isEmpty()) {
                problem(resp, 401, "unauthorized", "No live session: log in with POST " + SESSION + ".");
                return;
            }
            json(resp, 200, sessionJson(s.get()));
        } catch (RuntimeException e) {
            LOG.warn("A customer space session could not be read: {}", e.toString());
            problem(resp, 503, "unavailable", "The customer space is not available now; try again in a minute.");
        }
    }

    private Map<String, Object> sessionJson(HolderSession s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("csrf", s.csrf());
        m.put("holder", Map.of("email", s.holder().email(), "name", s.holder().name() == null ? ""
                : s.holder().name()));
        m.put("factors", service.factors(s.holder().id()));
        m.put("secondFactor", s.secondFactor());
        return m;
    }

    @Override
    protected void doDelete(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setHeader("Cache-Control", "no-store");
        if (!SESSION.equals(SpaceServlet.path(req))) {
            problem(resp, 405, "method_not_allowed", "Only DELETE " + SESSION + " ends something here.");
            return;
        }
        Optional<HolderSession> s = Access.session(service, req);
        if (s.isEmpty()) {
            problem(resp, 401, "unauthorized", "No live session: log in with POST " + SESSION + ".");
            return;
        }
        if (!Access.genuine(s.get(), req, service.settings().baseUrl())) {
            problem(resp, 403, "forbidden", "Send the session's csrf token in the " + HolderAccess.CSRF_HEADER
                    + " header, from this server's origin.");
            return;
        }
        service.logout(Access.cookie(req));
        SpaceServlet.clearCookie(req, resp);
        resp.setStatus(204);
    }

    private void login(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        JsonNode body = body(req);
        String email = text(body, "email");
        String p = text(body, "password");
        if (email == null || p == null) {
            problem(resp, 400, "bad_request", "Give 'email' and 'password' (and 'factorKind' with 'factorResponse'"
                    + " when a second factor is enrolled).");
            return;
        }
        char[] password = p.toCharArray();
        try {
            SpaceService.Login l = service.login(email, password, text(body, "factorKind"), text(body,
                    "factorResponse"), SpaceServlet.origin(req), req.getRemoteAddr());
            if (l.outcome().ok()) {
                SpaceServlet.setCookie(req, resp, l.cookie());
                json(resp, 200, sessionJson(l.session()));
                return;
            }
            AuthOutcome.Failure f = l.outcome().failure();
            Map<String, Object> extra = new LinkedHashMap<>();
            extra.put("code", f.name());
            if (f == AuthOutcome.Failure.FACTOR_REQUIRED) {
                SpaceServlet.setCookie(req, resp, l.cookie());
                service.pendingCsrf(l.cookie()).ifPresent(x -> {
                    extra.put("csrf", x[1]);
                    extra.put("factors", service.factors(x[0]));
                });
            }
            if (f == AuthOutcome.Failure.THROTTLED && l.lockedUntil() != null) {
                resp.setHeader("Retry-After", String.valueOf(Math.max(1, l.lockedUntil().getEpochSecond()
                        - service.now().getEpochSecond())));
                extra.put("lockedUntil", l.lockedUntil().toString());
            }
            String detail = switch (f) {
                case FACTOR_REQUIRED -> "A second factor is enrolled: send the login again with 'factorKind' (totp or"
                        + " webauthn) and 'factorResponse' (the 6-digit code, or the assertion answering POST "
                        + OPTIONS + ").";
                default -> l.outcome().message();
            };
            problem(resp, 401, f.name().toLowerCase(Locale.ROOT).replace('_', '-'), detail, extra);
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    private void password(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        JsonNode body = body(req);
        String token = text(body, "token");
        String p = text(body, "password");
        if (token == null || p == null) {
            problem(resp, 400, "bad_request", "Give 'token' (the end of the e-mail link, or the whole link) and"
                    + " 'password'.");
            return;
        }
        String secret = token.strip().replaceAll("[?#].*$", "").replaceAll("/+$", "");
        secret = secret.substring(secret.lastIndexOf('/') + 1);
        char[] password = p.toCharArray();
        try {
            SpaceService.PasswordOutcome o = service.setPassword(secret, password, req.getRemoteAddr());
            if (o.ok()) {
                resp.setStatus(204);
                return;
            }
            if (o.link() != SpaceService.LinkState.VALID) {
                problem(resp, 410, "gone", switch (o.link()) {
                    case USED -> "This link was used already: ask for a new one at /space/forgot.";
                    case EXPIRED -> "This link has expired: ask for a new one at /space/forgot.";
                    default -> "This link does not open: use the latest link e-mailed to you, or ask for a new one at"
                            + " /space/forgot.";
                });
                return;
            }
            problem(resp, 400, "weak_password", switch (o.weakness()) {
                case SHORT -> "The password is too short: use at least " + PasswordPolicy.MIN_LENGTH + " characters.";
                case LONG -> "The password is too long: use at most " + PasswordPolicy.MAX_LENGTH + " characters.";
                case EMAIL -> "The password contains your e-mail address: choose another one.";
                case COMMON -> "This password is too common: choose one nobody would guess.";
            });
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    /** An assertion challenge for a live session or for a login waiting for its factor. */
    private void options(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String holder = null;
        Optional<HolderSession> s = Access.session(service, req);
        if (s.isPresent()) {
            if (!Access.genuine(s.get(), req, service.settings().baseUrl())) {
                forged(resp);
                return;
            }
            holder = s.get().holder().id();
        } else {
            Optional<String[]> pending = service.pendingCsrf(Access.cookie(req));
            if (pending.isPresent()) {
                if (!SpaceServlet.same(req.getHeader(HolderAccess.CSRF_HEADER), pending.get()[1])
                        || !Access.sameOrigin(req, service.settings().baseUrl())) {
                    forged(resp);
                    return;
                }
                holder = pending.get()[0];
            }
        }
        if (holder == null) {
            problem(resp, 401, "unauthorized", "No live session: log in first (POST " + SESSION + ").");
            return;
        }
        Optional<String> options = service.factorChallenge(holder);
        if (options.isEmpty()) {
            problem(resp, 404, "not_found", "No WebAuthn authenticator is enrolled: enrol one on /space/security.");
            return;
        }
        raw(resp, 200, options.get());
    }

    private void registerOptions(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Optional<HolderSession> s = Access.session(service, req);
        if (s.isEmpty()) {
            problem(resp, 401, "unauthorized", "No live session: log in first (POST " + SESSION + ").");
            return;
        }
        if (!Access.genuine(s.get(), req, service.settings().baseUrl())) {
            forged(resp);
            return;
        }
        raw(resp, 200, service.registrationOptions(s.get().holder().id(), service.settings().host()));
    }

    private static void forged(HttpServletResponse resp) throws IOException {
        problem(resp, 403, "forbidden", "Send the session's csrf token in the " + HolderAccess.CSRF_HEADER
                + " header, from this server's origin.");
    }

    /** A body that is not a JSON object of at most {@value #MAX_BODY} bytes. */
    private static final class BadBody extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BadBody(String message) {
            super(message);
        }
    }

    private static JsonNode body(HttpServletRequest req) throws IOException {
        byte[] b;
        try (InputStream in = req.getInputStream()) {
            b = in.readNBytes(MAX_BODY + 1);
        }
        if (b.length > MAX_BODY) {
            throw new BadBody("The body is too large: at most " + MAX_BODY + " bytes of JSON.");
        }
        try {
            JsonNode n = JSON.readTree(new String(b, StandardCharsets.UTF_8));
            if (n == null || !n.isObject()) {
                throw new BadBody("Send a JSON object (Content-Type: application/json).");
            }
            return n;
        } catch (JsonProcessingException e) {
            throw new BadBody("The body is not JSON: send a JSON object (Content-Type: application/json).");
        }
    }

    private static String text(JsonNode body, String name) {
        JsonNode n = body.get(name);
        if (n == null || n.isNull()) {
            return null;
        }
        return n.isTextual() ? n.asText() : n.toString(); // a WebAuthn answer may come as an object
    }

    static void problem(HttpServletResponse resp, int status, String error, String detail) throws IOException {
        problem(resp, status, error, detail, Map.of());
    }

    static void problem(HttpServletResponse resp, int status, String error, String detail, Map<String, Object> extra)
            throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "urn:cachet:problem:" + error);
        m.put("title", title(status));
        m.put("status", status);
        m.put("detail", detail);
        m.put("error", error);
        m.put("error_description", detail);
        extra.forEach(m::putIfAbsent);
        resp.setStatus(status);
        resp.setContentType("application/problem+json");
        resp.setCharacterEncoding("UTF-8");
        resp.getWriter().write(JSON.writeValueAsString(m));
    }

    private static String title(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 410 -> "Gone";
            case 429 -> "Too Many Requests";
            default -> "Service Unavailable";
        };
    }

    private static void json(HttpServletResponse resp, int status, Object body) throws IOException {
        raw(resp, status, JSON.writeValueAsString(body));
    }

    private static void raw(HttpServletResponse resp, int status, String json) throws IOException {
        resp.setStatus(status);
        resp.setContentType("application/json");
        resp.setCharacterEncoding("UTF-8");
        resp.getWriter().write(json);
    }
}
