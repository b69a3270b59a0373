package io.cachet.identity.console.internal;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.cachet.api.operator.Operator;
import io.cachet.api.web.ConsoleAccess;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * A stand-in for the console's access: the operator named by the header {@code X-Operator} (a program without it is
 * challenged with 401, as the console does), tokens per operator and form, and the same-origin rule on posts.
 */
final class TestAccess implements ConsoleAccess {

    static final String ORIGIN = "http://cachet.test";
    static final Map<String, Set<String>> ROLES = Map.of("olga", Set.of("ra-officer"), "rita", Set.of("ra-officer"),
            "sam", Set.of("support"), "audrey", Set.of("auditor"), "root", Set.of("admin"));

    @Override
    public Optional<Operator> operator(HttpServletRequest request, HttpServletResponse response, String role) {
        String login = request.getHeader("X-Operator");
        if (login == null || !ROLES.containsKey(login)) {
            response.setStatus(401);
            response.setHeader("WWW-Authenticate", "Basic realm=\"cachet\"");
            return Optional.empty();
        }
        Operator op = new Operator(login, ROLES.get(login), false);
        if (role != null && !op.hasRole(role)) {
            response.setStatus(403);
            return Optional.empty();
        }
        return Optional.of(op);
    }

    @Override
    public String formToken(Operator operator, String form) {
        return "token-" + form + "-" + operator.login();
    }

    @Override
    public boolean formAllowed(HttpServletRequest request, Operator operator, String form) {
        return ORIGIN.equals(request.getHeader("Origin"))
                && formToken(operator, form).equals(request.getParameter(TOKEN_FIELD));
    }
}
