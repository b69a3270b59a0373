package io.cachet.web.testing;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.cachet.api.operator.Operator;
import io.cachet.api.web.ConsoleAccess;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * A stand-in for the console's access in console pages' tests. The operator of a request is the one it names in the
 * header {@value #OPERATOR_HEADER} (among those the test {@linkplain #knows registered}), else {@link #current};
 * without one the request is challenged ({@code 401}), and an operator without the role asked for is refused
 * ({@code 403}). A form's token is {@code token-<login>-<form>}; a form is allowed when it carries its operator's token
 * for it in {@value ConsoleAccess#TOKEN_FIELD}, {@link #formsAllowed} is true and, when {@link #origin} is set, it
 * comes from that origin.
 */
public final class TestConsoleAccess implements ConsoleAccess {

    /** The header by which a request names its operator. */
    public static final String OPERATOR_HEADER = "X-Operator";

    /** The operator of a request that names none, or null for nobody. */
    public Operator current;
    /** False to refuse every form, as the console refuses a forged one. */
    public boolean formsAllowed = true;
    /** When not null, a form is allowed only from a request whose {@code Origin} header is this. */
    public String origin;

    private final Map<String, Operator> known = new HashMap<>();

    /** Makes {@code login} with these roles the current operator. */
    public TestConsoleAccess as(String login, String... roles) {
        current = new Operator(login, Set.of(roles), false);
        return this;
    }

    /** Registers an operator that a request may name in {@value #OPERATOR_HEADER}. */
    public TestConsoleAccess knows(String login, String... roles) {
        known.put(login, new Operator(login, Set.of(roles), false));
        return this;
    }

    /** The token of the form {@code form} for the operator {@code login} ({@link #formToken}). */
    public String token(String login, String form) {
        return "token-" + login + "-" + form;
    }

    @Override
    public Optional<Operator> operator(HttpServletRequest request, HttpServletResponse response, String role) {
        String login = request.getHeader(OPERATOR_HEADER);
        Operator op = login == null ? current : known.get(login);
        if (op == null) {
            response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
            response.setHeader("WWW-Authenticate", "Basic realm=\"cachet\"");
            return Optional.empty();
        }
        if (role != null && !op.hasRole(role)) {
            response.setStatus(HttpServletResponse.SC_FORBIDDEN);
            return Optional.empty();
        }
        return Optional.of(op);
    }

    @Override
    public String formToken(Operator operator, String form) {
        return token(operator.login(), form);
    }

    @Override
    public boolean formAllowed(HttpServletRequest request, Operator operator, String form) {
        return formsAllowed && (origin == null || origin.equals(request.getHeader("Origin")))
                && formToken(operator, form).equals(request.getParameter(TOKEN_FIELD));
    }
}
