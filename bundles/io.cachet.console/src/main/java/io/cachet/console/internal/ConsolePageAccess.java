package io.cachet.console.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

import io.cachet.api.operator.Operator;
import io.cachet.api.operator.OperatorDirectory;
import io.cachet.api.web.ConsoleAccess;
import io.cachet.api.web.ConsolePage;
import io.cachet.api.web.Pages;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@link ConsoleAccess} for every console page, this bundle's and other bundles': the Web Console's login (session
 * cookie, else Basic), a role check, and anti-forgery tokens (HMAC of the form and the login under a key drawn at
 * each start, so forms from before a restart are refused), and the shell's model: the navigation from the
 * {@link ConsolePage} services registered now.
 */
@Component(service = ConsoleAccess.class)
public class ConsolePageAccess implements ConsoleAccess {

    private final OperatorDirectory directory;
    private final ConsoleSessions sessions;
    private final Pages pages;
    private final Navigation navigation = new Navigation();
    private final byte[] tokenKey = new byte[32];

    @Activate
    public ConsolePageAccess(@Reference OperatorDirectory directory, @Reference ConsoleSessions sessions,
            @Reference Pages pages) {
        this.directory = directory;
        this.sessions = sessions;
        this.pages = pages;
        new SecureRandom().nextBytes(tokenKey);
    }

    /** For tests: a directory that keeps the sessions too. */
    ConsolePageAccess(JdbcOperatorDirectory directory, Pages pages) {
        this(directory, directory, pages);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC, unbind = "removePage")
    void addPage(ConsolePage page) {
        navigation.add(page);
    }

    void removePage(ConsolePage page) {
        navigation.remove(page);
    }

    @Override
    public Optional<Operator> operator(HttpServletRequest request, HttpServletResponse response, String role) {
        Optional<Operator> operator = ConsoleSecurityProvider.authenticateOperator(directory, sessions, request, response);
        if (operator.isPresent() && role != null && !operator.get().hasRole(role)) {
            ConsoleSecurityProvider.send(response, HttpServletResponse.SC_FORBIDDEN,
                    "Your operator account lacks the role " + role + " that this page needs.");
            return Optional.empty();
        }
        return operator;
    }

    @Override
    public Optional<Operator> operatorWith(HttpServletRequest request, HttpServletResponse response, Set<String> roles)
            throws IOException {
        Optional<Operator> operator = operator(request, response, null);
        if (operator.isEmpty() || operator.get().hasAnyRole(roles)) {
            return operator;
        }
        // a page of the console that this operator may not open: said in the console's frame and language
        Map<String, Object> model = new HashMap<>();
        model.put(SHELL_MODEL, shell(request, operator.get()));
        model.put("roles", String.join(", ", roles.stream().sorted().toList()));
        model.put("held", String.join(", ", operator.get().roles().stream().sorted().toList()));
        pages.render(request, response, HttpServletResponse.SC_FORBIDDEN, ConsolePages.NAMESPACE + "/forbidden.ftlh",
                model);
        return Optional.empty();
    }

    @Override
    public String formToken(Operator operator, String form) {
        return token(operator.login(), form);
    }

    @Override
    public boolean formAllowed(HttpServletRequest request, Operator operator, String form) {
        String sent = request.getParameter(TOKEN_FIELD);
        return PasswordChangeServlet.sameOrigin(request) && sent != null && MessageDigest.isEqual(
                token(operator.login(), form).getBytes(StandardCharsets.US_ASCII), sent.getBytes(StandardCharsets.US_ASCII));
    }

    /** HMAC of the form and the login: a form made for one operator, or one form, is worthless for another. */
    String token(String login, String form) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(tokenKey, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal((form + "\0" + login).getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("This Java runtime lacks HmacSHA256", e);
        }
    }

    @Override
    public Map<String, Object> shell(HttpServletRequest request, Operator operator) {
        String ctx = request.getContextPath() == null ? "" : request.getContextPath();
        String uri = request.getRequestURI() == null ? "" : request.getRequestURI();
        String path = request.getAttribute(SECTION_ATTRIBUTE) instanceof String section ? section
                : uri.startsWith(ctx) ? uri.substring(ctx.length()) : uri;
        List<Map<String, Object>> nav = new ArrayList<>();
        for (Navigation.Entry e : navigation.entries(operator.roles(), path)) {
            nav.add(Map.of("href", ctx + e.path(), "title", pages.message(request, e.namespace(), e.titleKey()),
                    "current", e.current()));
        }
        Map<String, Object> text = new HashMap<>();
        for (String key : List.of("nav", "menu", "logout", "home")) {
            text.put(key, pages.message(request, ConsolePages.NAMESPACE, "console.shell." + key));
        }
        text.put("signedIn", pages.message(request, ConsolePages.NAMESPACE, "console.shell.signedIn", operator.login()));
        List<String> css = new ArrayList<>();
        String shellCss = pages.assetUrl(request, ConsolePages.NAMESPACE, "shell.css");
        if (shellCss != null) {
            css.add(shellCss);
        }
        Map<String, Object> shell = new HashMap<>();
        shell.put("nav", nav);
        shell.put("login", operator.login());
        shell.put("home", ctx + HOME);
        shell.put("logout", ctx + LogoutServlet.PATH);
        shell.put("token", formToken(operator, LogoutServlet.FORM));
        shell.put("tokenField", TOKEN_FIELD);
        shell.put("css", css);
        shell.put("text", text);
        return shell;
    }
}
