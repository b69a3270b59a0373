package io.cachet.console.internal;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
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

import io.cachet.api.operator.ApiKey;
import io.cachet.api.operator.ApiKeyScope;
import io.cachet.api.operator.IssuedApiKey;
import io.cachet.api.operator.Operator;
import io.cachet.api.operator.OperatorDirectory;
import io.cachet.api.operator.OperatorException;
import io.cachet.api.web.ConsoleAccess;
import io.cachet.api.web.Pages;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code /console/api-keys}: where an operator lists, creates, rotates and revokes their own API keys. Logged in
 * like the Web Console (its session, or HTTP Basic for programs), but open to every operator, not only
 * administrators. A new or rotated secret is shown once, on the answer to the
 * form, never stored. Forms that change something are refused unless they come from this page: same origin
 * ({@code Origin}/{@code Referer}) and an anti-forgery token bound to the operator ({@link ConsoleAccess}).
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern(ApiKeysServlet.PATH)
@HttpWhiteboardServletName("cachet-console-api-keys")
public class ApiKeysServlet extends HttpServlet {

    static final String PATH = "/console/api-keys";
    static final String FORM = "api-keys";
    /** Longest expiry offered, in days (about five years). */
    static final int MAX_DAYS = 1830;
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ApiKeysServlet.class);

    private final transient OperatorDirectory directory;
    private final transient ConsoleAccess access;
    private final transient Pages pages;
    private final transient Clock clock;

    @Activate
    public ApiKeysServlet(@Reference OperatorDirectory directory, @Reference ConsoleAccess access,
            @Reference Pages pages) {
        this(directory, access, pages, Clock.systemUTC());
    }

    ApiKeysServlet(OperatorDirectory directory, ConsoleAccess access, Pages pages, Clock clock) {
        this.directory = directory;
        this.access = access;
        this.pages = pages;
        this.clock = clock;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Optional<Operator> operator = access.operator(request, response, null);
        if (operator.isPresent()) {
            page(request, response, HttpServletResponse.SC_OK, operator.get(), null, null, null);
        }
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!PasswordChangeServlet.sameOrigin(request)) {
            ConsoleSecurityProvider.send(response, HttpServletResponse.SC_FORBIDDEN,
                    "Refused: this form may only be sent from its own page.");
            return;
        }
        Optional<Operator> found = access.operator(request, response, null);
        if (found.isEmpty()) {
            return;
        }
        Operator operator = found.get();
        if (request.getCharacterEncoding() == null) {
            request.setCharacterEncoding("UTF-8");
        }
        if (!access.formAllowed(request, operator, FORM)) {
            page(request, response, HttpServletResponse.SC_FORBIDDEN, operator, text(request, "console.apikeys.forged"),
                    null, null);
            return;
        }
        String action = String.valueOf(request.getParameter("action"));
        String actor = "operator:" + operator.login();
        try {
            switch (action) {
                case "create" -> {
                    ApiKeyScope scope = ApiKeyScope.parse(request.getParameter("scope")).orElseThrow(
                            () -> new OperatorException(text(request, "console.apikeys.scope")));
                    Instant expires = expiry(request, request.getParameter("days"));
                    IssuedApiKey issued = directory.createApiKey(operator.login(), scope, request.getParameter("label"),
                            expires, actor);
                    page(request, response, HttpServletResponse.SC_OK, operator, null,
                            text(request, "console.apikeys.created", issued.key().id()), issued);
                }
                case "rotate" -> {
                    IssuedApiKey issued = directory.rotateApiKey(operator.login(), request.getParameter("id"), actor);
                    page(request, response, HttpServletResponse.SC_OK, operator, null,
                            text(request, "console.apikeys.rotated", issued.key().id()), issued);
                }
                case "revoke" -> {
                    String id = request.getParameter("id");
                    directory.revokeApiKey(operator.login(), id, actor);
                    page(request, response, HttpServletResponse.SC_OK, operator, null,
                            text(request, "console.apikeys.revoked", id), null);
                }
                default -> page(request, response, HttpServletResponse.SC_BAD_REQUEST, operator,
                        text(request, "console.apikeys.unknownAction"), null, null);
            }
        } catch (OperatorException e) {
            page(request, response, HttpServletResponse.SC_BAD_REQUEST, operator, Refusals.text(pages, request, e), null,
                    null);
        } catch (RuntimeException e) {
            LOG.error("API key change failed: {}", e.getMessage(), e);
            page(request, response, HttpServletResponse.SC_SERVICE_UNAVAILABLE, operator,
                    text(request, "console.apikeys.unavailable"), null, null);
        }
    }

    private Instant expiry(HttpServletRequest request, String days) {
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
        throw new OperatorException(text(request, "console.apikeys.days", MAX_DAYS));
    }

    private String text(HttpServletRequest request, String key, Object... args) {
        return pages.message(request, ConsolePages.NAMESPACE, key, args);
    }

    private void page(HttpServletRequest request, HttpServletResponse response, int status, Operator operator,
            String error, String notice, IssuedApiKey issued) throws IOException {
        Instant now = clock.instant();
        List<Map<String, Object>> keys = new ArrayList<>();
        for (ApiKey k : directory.apiKeys(operator.login())) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("id", k.id());
            row.put("label", k.label() == null ? "" : k.label());
            row.put("scope", k.scope().id());
            row.put("created", k.createdAt().toString());
            row.put("expires", k.expiresAt() == null ? "" : k.expiresAt().toString());
            row.put("rotated", k.rotatedAt() == null ? "" : k.rotatedAt().toString());
            ApiKey.Status st = k.status(now);
            row.put("status", st.name().toLowerCase(Locale.ROOT));
            row.put("active", st == ApiKey.Status.ACTIVE);
            keys.add(row);
        }
        List<String> scopes = new ArrayList<>();
        for (ApiKeyScope s : ApiKeyScope.values()) {
            if (s.allowedFor(operator.roles())) {
                scopes.add(s.id());
            }
        }
        Map<String, Object> model = new HashMap<>();
        model.put(ConsoleAccess.SHELL_MODEL, access.shell(request, operator));
        model.put("login", operator.login());
        model.put("keys", keys);
        model.put("scopes", scopes);
        model.put("token", access.formToken(operator, FORM));
        model.put("tokenField", ConsoleAccess.TOKEN_FIELD);
        model.put("maxDays", MAX_DAYS);
        model.put("error", error == null ? "" : error);
        model.put("notice", notice == null ? "" : notice);
        model.put("secret", issued == null ? "" : issued.secret());
        response.setHeader("Cache-Control", "no-store");
        pages.render(request, response, status, "console/api-keys.ftlh", model);
    }
}
