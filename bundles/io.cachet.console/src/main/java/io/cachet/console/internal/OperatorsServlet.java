package io.cachet.console.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cachet.api.operator.Operator;
import io.cachet.api.operator.OperatorDirectory;
import io.cachet.api.operator.OperatorException;
import io.cachet.api.rest.RestApi;
import io.cachet.api.web.ConsoleAccess;
import io.cachet.api.web.Pages;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code /console/operators}: the operator accounts, for administrators. Lists every account with its roles and
 * whether it is disabled; creates an account with its roles and a first password, which its owner must replace at
 * the first login; disables and enables accounts (never one's own). Forms carry the console's anti-forgery token;
 * the directory audits every change.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern(OperatorsServlet.PATH)
@HttpWhiteboardServletName("cachet-console-operators")
public class OperatorsServlet extends HttpServlet {

    static final String PATH = "/console/operators";
    static final String FORM = "operators";
    /** The roles an administrator gives in the console (reseller accounts come from the resellers' API). */
    static final List<String> ROLES = List.of(RestApi.ROLE_ADMIN, RestApi.ROLE_OPERATOR, RestApi.ROLE_RA_OFFICER,
            RestApi.ROLE_SUPPORT, RestApi.ROLE_AUDITOR);
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(OperatorsServlet.class);

    private final transient OperatorDirectory directory;
    private final transient ConsoleAccess access;
    private final transient Pages pages;

    @Activate
    public OperatorsServlet(@Reference OperatorDirectory directory, @Reference ConsoleAccess access,
            @Reference Pages pages) {
        this.directory = directory;
        this.access = access;
        this.pages = pages;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Optional<Operator> admin = access.operator(request, response, RestApi.ROLE_ADMIN);
        if (admin.isPresent()) {
            page(request, response, HttpServletResponse.SC_OK, admin.get(), null, null, Map.of());
        }
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Optional<Operator> found = access.operator(request, response, RestApi.ROLE_ADMIN);
        if (found.isEmpty()) {
            return;
        }
        Operator admin = found.get();
        if (request.getCharacterEncoding() == null) {
            request.setCharacterEncoding("UTF-8");
        }
        if (!access.formAllowed(request, admin, FORM)) {
            page(request, response, HttpServletResponse.SC_FORBIDDEN, admin, text(request, "console.operators.forged"),
                    null, Map.of());
            return;
        }
        String action = String.valueOf(request.getParameter("action"));
        String actor = "operator:" + admin.login();
        String login = request.getParameter("login") == null ? "" : request.getParameter("login").strip();
        Map<String, Object> typed = Map.of();
        try {
            switch (action) {
                case "create" -> {
                    Set<String> roles = roles(request.getParameterValues("role"));
                    typed = Map.of("login", login, "roles", List.copyOf(roles));
                    if (login.isEmpty()) {
                        throw new OperatorException(text(request, "console.operators.loginMissing"));
                    }
                    if (roles.isEmpty()) {
                        throw new OperatorException(text(request, "console.operators.rolesMissing"));
                    }
                    String first = request.getParameter("password");
                    if (first == null || first.isEmpty()) {
                        throw new OperatorException(text(request, "console.operators.passwordMissing"));
                    }
                    char[] password = first.toCharArray();
                    try {
                        directory.createAccount(login, roles, password, actor);
                    } finally {
                        Arrays.fill(password, '\0');
                    }
                    page(request, response, HttpServletResponse.SC_OK, admin, null,
                            text(request, "console.operators.created", login), Map.of());
                }
                case "disable", "enable" -> {
                    boolean disable = action.equals("disable");
                    if (disable && login.equals(admin.login())) {
                        throw new OperatorException(text(request, "console.operators.notYourself"));
                    }
                    directory.setDisabled(login, disable, actor);
                    page(request, response, HttpServletResponse.SC_OK, admin, null,
                            text(request, disable ? "console.operators.disabled" : "console.operators.enabled", login),
                            Map.of());
                }
                default -> page(request, response, HttpServletResponse.SC_BAD_REQUEST, admin,
                        text(request, "console.operators.unknownAction"), null, Map.of());
            }
        } catch (OperatorException e) {
            int status = e.reason() == OperatorException.Reason.NOT_FOUND ? HttpServletResponse.SC_NOT_FOUND
                    : HttpServletResponse.SC_BAD_REQUEST;
            page(request, response, status, admin, Refusals.text(pages, request, e), null, typed);
        } catch (RuntimeException e) {
            LOG.error("Operator account change failed: {}", e.getMessage(), e);
            page(request, response, HttpServletResponse.SC_SERVICE_UNAVAILABLE, admin,
                    text(request, "console.operators.unavailable"), null, typed);
        }
    }

    /** The roles ticked, in the offered order; an unknown one is refused by name. */
    private static Set<String> roles(String[] ticked) {
        Set<String> roles = new LinkedHashSet<>();
        if (ticked != null) {
            for (String r : ticked) {
                if (!ROLES.contains(r)) {
                    throw new OperatorException(OperatorException.Reason.INVALID, "role.unknown", "Unknown role: " + r
                            + " (one of " + String.join(", ", ROLES) + ").", r, String.join(", ", ROLES));
                }
                roles.add(r);
            }
        }
        return roles;
    }

    private String text(HttpServletRequest request, String key, Object... args) {
        return pages.message(request, ConsolePages.NAMESPACE, key, args);
    }

    private void page(HttpServletRequest request, HttpServletResponse response, int status, Operator admin,
            String error, String notice, Map<String, Object> typed) throws IOException {
        Set<String> disabled = directory.disabledAccounts();
        List<Map<String, Object>> accounts = new ArrayList<>();
        for (Operator o : directory.accounts()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("login", o.login());
            row.put("roles", String.join(", ", new TreeSet<>(o.roles())));
            row.put("mustChange", o.mustChangePassword());
            row.put("disabled", disabled.contains(o.login()));
            row.put("self", o.login().equals(admin.login()));
            accounts.add(row);
        }
        Map<String, Object> model = new HashMap<>();
        model.put(ConsoleAccess.SHELL_MODEL, access.shell(request, admin));
        model.put("accounts", accounts);
        model.put("roles", ROLES);
        model.put("typedLogin", typed.getOrDefault("login", ""));
        model.put("typedRoles", typed.getOrDefault("roles", List.of()));
        model.put("minLength", JdbcOperatorDirectory.MIN_PASSWORD_LENGTH);
        model.put("token", access.formToken(admin, FORM));
        model.put("tokenField", ConsoleAccess.TOKEN_FIELD);
        model.put("error", error == null ? "" : error);
        model.put("notice", notice == null ? "" : notice);
        response.setHeader("Cache-Control", "no-store");
        pages.render(request, response, status, "console/operators.ftlh", model);
    }
}
