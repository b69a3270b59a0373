package io.cachet.console.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cachet.api.operator.ApiKey;
import io.cachet.api.operator.ApiKeyScope;
import io.cachet.api.operator.IssuedApiKey;
import io.cachet.api.operator.Operator;
import io.cachet.api.operator.OperatorDirectory;
import io.cachet.api.operator.OperatorException;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code /console/api-keys}: where an operator lists, creates, rotates and revokes their own API keys. Logged in
 * like the Web Console (its session, or HTTP Basic for programs), but open to every operator, not only
 * administrators. A new or rotated secret is shown once, on the answer to the
 * form, never stored. Forms that change something are refused unless they come from this page: same origin
 * ({@code Origin}/{@code Referer}) and an anti-forgery token bound to the operator.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern(ApiKeysServlet.PATH)
@HttpWhiteboardServletName("cachet-console-api-keys")
public class ApiKeysServlet extends HttpServlet {

    static final String PATH = "/console/api-keys";
    static final String TOKEN_FIELD = "csrf";
    /** Longest expiry offered, in days (about five years). */
    static final int MAX_DAYS = 1830;
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ApiKeysServlet.class);

    private final transient OperatorDirectory directory;
    private final transient ConsoleSessions sessions;
    private final transient Clock clock;
    /** Signs the anti-forgery tokens; new at each start, so forms from before a restart are refused (and say so). */
    private final byte[] tokenKey = new byte[32];

    @Activate
    public ApiKeysServlet(@Reference OperatorDirectory directory, @Reference ConsoleSessions sessions) {
        this(directory, sessions, Clock.systemUTC());
    }

    ApiKeysServlet(JdbcOperatorDirectory directory, Clock clock) {
        this(directory, directory, clock);
    }

    private ApiKeysServlet(OperatorDirectory directory, ConsoleSessions sessions, Clock clock) {
        this.directory = directory;
        this.sessions = sessions;
        this.clock = clock;
        new SecureRandom().nextBytes(tokenKey);
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Optional<Operator> operator = ConsoleSecurityProvider.authenticateOperator(directory, sessions, request, response);
        if (operator.isPresent()) {
            page(response, HttpServletResponse.SC_OK, operator.get(), null, null, null);
        }
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!PasswordChangeServlet.sameOrigin(request)) {
            ConsoleSecurityProvider.send(response, HttpServletResponse.SC_FORBIDDEN,
                    "Refused: this form may only be sent from its own page.");
            return;
        }
        Optional<Operator> found = ConsoleSecurityProvider.authenticateOperator(directory, sessions, request, response);
        if (found.isEmpty()) {
            return;
        }
        Operator operator = found.get();
        if (request.getCharacterEncoding() == null) {
            request.setCharacterEncoding("UTF-8");
        }
        if (!MessageDigest.isEqual(token(operator.login()).getBytes(StandardCharsets.US_ASCII),
                String.valueOf(request.getParameter(TOKEN_FIELD)).getBytes(StandardCharsets.US_ASCII))) {
            page(response, HttpServletResponse.SC_FORBIDDEN, operator, "This form is out of date or was not sent "
                    + "from this page; nothing was changed. Try again from the page below.", null, null);
            return;
        }
        String action = String.valueOf(request.getParameter("action"));
        String actor = "operator:" + operator.login();
        try {
            switch (action) {
                case "create" -> {
                    ApiKeyScope scope = ApiKeyScope.parse(request.getParameter("scope")).orElseThrow(
                            () -> new OperatorException("Choose a scope: admin, operator or read."));
                    Instant expires = expiry(request.getParameter("days"));
                    IssuedApiKey issued = directory.createApiKey(operator.login(), scope, request.getParameter("label"),
                            expires, actor);
                    page(response, HttpServletResponse.SC_OK, operator, null, "Key " + issued.key().id() + " created.",
                            issued);
                }
                case "rotate" -> {
                    IssuedApiKey issued = directory.rotateApiKey(operator.login(), request.getParameter("id"), actor);
                    page(response, HttpServletResponse.SC_OK, operator, null, "Key " + issued.key().id()
                            + " has a new secret; the old one no longer works.", issued);
                }
                case "revoke" -> {
                    String id = request.getParameter("id");
                    directory.revokeApiKey(operator.login(), id, actor);
                    page(response, HttpServletResponse.SC_OK, operator, null, "Key " + id + " is revoked.", null);
                }
                default -> page(response, HttpServletResponse.SC_BAD_REQUEST, operator,
                        "Unknown action; use the buttons of this page.", null, null);
            }
        } catch (OperatorException e) {
            page(response, HttpServletResponse.SC_BAD_REQUEST, operator, e.getMessage(), null, null);
        } catch (RuntimeException e) {
            LOG.error("API key change failed: {}", e.getMessage(), e);
            page(response, HttpServletResponse.SC_SERVICE_UNAVAILABLE, operator,
                    "The change could not be made right now; try again later.", null, null);
        }
    }

    private Instant expiry(String days) {
        if (days == null || days.isBlank()) {
            return null;
        }
        try {
            int d = Integer.parseInt(days.strip());
            if (d >= 1 && d <= MAX_DAYS) {
                return clock.instant().plus(Duration.ofDays(d));
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new OperatorException("Expires after: give a whole number of days from 1 to " + MAX_DAYS
                + ", or leave it empty for a key that does not expire.");
    }

    /** HMAC of the login under this servlet's key: a form made for one operator is worthless for another. */
    String token(String login) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(tokenKey, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(("api-keys\0" + login).getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("This Java runtime lacks HmacSHA256", e);
        }
    }

    private void page(HttpServletResponse response, int status, Operator operator, String error, String notice,
            IssuedApiKey issued) throws IOException {
        Instant now = clock.instant();
        List<ApiKey> keys = directory.apiKeys(operator.login());
        String token = PasswordChangeServlet.escape(token(operator.login()));
        StringBuilder rows = new StringBuilder();
        for (ApiKey k : keys) {
            ApiKey.Status st = k.status(now);
            rows.append("<tr><td><code>").append(k.id()).append("</code></td><td>")
                    .append(PasswordChangeServlet.escape(k.label())).append("</td><td>").append(k.scope().id())
                    .append("</td><td>").append(k.createdAt()).append("</td><td>")
                    .append(k.expiresAt() == null ? "never" : k.expiresAt().toString()).append("</td><td>")
                    .append(k.rotatedAt() == null ? "" : k.rotatedAt().toString()).append("</td><td>")
                    .append(st.name().toLowerCase(java.util.Locale.ROOT)).append("</td><td>");
            if (st == ApiKey.Status.ACTIVE) {
                rows.append(button(token, "rotate", k.id(), "Rotate")).append(button(token, "revoke", k.id(), "Revoke"));
            }
            rows.append("</td></tr>\n");
        }
        StringBuilder scopes = new StringBuilder();
        for (ApiKeyScope s : ApiKeyScope.values()) {
            if (s.allowedFor(operator.roles())) {
                scopes.append("<option value=\"").append(s.id()).append("\">").append(s.id()).append("</option>");
            }
        }
        String errorHtml = error == null ? "" : "<p class=\"error\" role=\"alert\">" + PasswordChangeServlet.escape(error) + "</p>\n";
        String noticeHtml = notice == null ? "" : "<p class=\"notice\" role=\"status\">" + PasswordChangeServlet.escape(notice) + "</p>\n";
        String secretHtml = issued == null ? "" : "<div class=\"secret\"><p>Copy this key now: it is shown only once "
                + "and Cachet keeps only its digest. Send it as <code>Authorization: Bearer &lt;key&gt;</code>.</p>"
                + "<p><code id=\"secret\">" + PasswordChangeServlet.escape(issued.secret()) + "</code></p></div>\n";
        PasswordChangeServlet.pageHeaders(response, status);
        response.getWriter().write("""
                <!DOCTYPE html>
                <html lang="en">
                <head>
                <meta charset="utf-8">
                <meta name="viewport" content="width=device-width, initial-scale=1">
                <title>API keys - Cachet</title>
                <style>
                body { font-family: system-ui, sans-serif; max-width: 60rem; margin: 3rem auto; padding: 0 1rem; }
                label { display: block; margin-top: .8rem; }
                input, select { box-sizing: border-box; padding: .4rem; }
                button { margin: .2rem; padding: .3rem .8rem; }
                table { border-collapse: collapse; width: 100%%; margin-top: 1rem; font-size: .9rem; }
                th, td { border-bottom: 1px solid #ccc; padding: .3rem; text-align: left; }
                form.inline { display: inline; }
                .error { color: #a00; border: 1px solid #a00; padding: .5rem; }
                .notice { color: #060; border: 1px solid #060; padding: .5rem; }
                .secret { background: #ffd; border: 1px solid #cc0; padding: .5rem; word-break: break-all; }
                </style>
                </head>
                <body>
                <h1>API keys of %s</h1>
                <p>Programs call the REST API under /api/v1 with one of these keys. A key does at most what its scope
                allows: <b>admin</b> everything you may do, <b>operator</b> day-to-day work without administration,
                <b>read</b> reading only. Revoked and expired keys are refused at once.</p>
                %s%s%s<table>
                <thead><tr><th>Id</th><th>Label</th><th>Scope</th><th>Created</th><th>Expires</th><th>Rotated</th><th>Status</th><th></th></tr></thead>
                <tbody>
                %s</tbody>
                </table>
                <h2>New key</h2>
                <form method="post">
                <input type="hidden" name="csrf" value="%s">
                <input type="hidden" name="action" value="create">
                <label>Label <input name="label" maxlength="100"></label>
                <label>Scope <select name="scope">%s</select></label>
                <label>Expires after (days; empty: never) <input name="days" type="number" min="1" max="%d"></label>
                <button type="submit">Create key</button>
                </form>
                </body>
                </html>
                """.formatted(PasswordChangeServlet.escape(operator.login()), errorHtml, noticeHtml, secretHtml, rows,
                token, scopes, MAX_DAYS));
    }

    private static String button(String token, String action, String id, String label) {
        return "<form class=\"inline\" method=\"post\"><input type=\"hidden\" name=\"csrf\" value=\"" + token
                + "\"><input type=\"hidden\" name=\"action\" value=\"" + action + "\"><input type=\"hidden\" name=\"id\" "
                + "value=\"" + id + "\"><button type=\"submit\">" + label + "</button></form>";
    }
}
