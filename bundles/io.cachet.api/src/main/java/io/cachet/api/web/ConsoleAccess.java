package io.cachet.api.web;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.osgi.annotation.versioning.ProviderType;

import io.cachet.api.operator.Operator;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Who may use an operator console page, and whether a form posted to it comes from it. A service of the console
 * bundle; pages of other bundles under {@code /console/} use it so that every console page logs in, refuses and
 * protects its forms the same way. Thread-safe.
 *
 * <p>A page calls {@link #operator} first on every request (GET and POST), and on a POST
 * {@link #formAllowed} before changing anything; forms carry {@link #formToken} in the hidden field
 * {@value #TOKEN_FIELD}. (The HTTP guard already refuses state-changing requests to {@code /console} that do not
 * come from this server's origin; the token also binds the form to the operator.)
 *
 * <p><b>The console shell.</b> A page shows the console's navigation (the {@link ConsolePage} entries the operator's
 * roles allow) by putting {@link #shell} in its model under {@value #SHELL_MODEL} and using the shell's layout
 * instead of the plain one:
 * <pre>
 * &lt;#import "/console/shell.ftlh" as shell&gt;
 * &lt;@shell.page title=msg("orders.title")&gt; … &lt;/@shell.page&gt;
 * </pre>
 * The macro takes {@code stylesheets} (a list of URLs, e.g. {@code [asset("x.css")]}) like the plain layout.
 */
@ProviderType
public interface ConsoleAccess {

    /** Name of the hidden form field that carries the anti-forgery token. */
    String TOKEN_FIELD = "csrf";

    /** Name of the model entry holding {@link #shell}, which the console layout {@code console/shell.ftlh} reads. */
    String SHELL_MODEL = "console";

    /** Path of the console's home page, which lists every entry the operator may open. */
    String HOME = "/console";

    /**
     * Name of a request attribute by which a page that sits under no navigation entry of its own (e.g. an order
     * action's page, {@link ConsoleOrderAction#SECTION}) names the entry it belongs to, by that entry's path: set it
     * before {@link #shell}, which then marks that entry current instead of the one the request's path falls under.
     *
     * @since 1.4
     */
    String SECTION_ATTRIBUTE = "io.cachet.console.section";

    /**
     * The operator sending this request, checked against the operator directory on every request: the console
     * session cookie (opened on {@code /console/login}), else HTTP Basic credentials (programs). When the request
     * does not get in, the answer is sent and the result is empty: a browser without a session is sent to the
     * login form, which brings it back to this page ({@code 303}); a program is challenged ({@code 401}); a
     * throttled client gets {@code 429} with {@code Retry-After}; an operator who must change the password is sent
     * to {@code /console/password}; an operator without {@code role} gets {@code 403}; an unavailable directory
     * {@code 503}.
     *
     * @param role the role the page needs ({@code admin}, {@code operator}), or null for any operator
     * @return the operator, or empty when the answer has been sent (write nothing more)
     */
    Optional<Operator> operator(HttpServletRequest request, HttpServletResponse response, String role);

    /**
     * {@link #operator} for a page open to several roles: the operator when they hold any of {@code roles};
     * otherwise the answer is sent and the result is empty: a 403 page in the console's frame that names the roles the
     * page needs, in the request's language (the default, for stand-ins in tests: a plain-text 403).
     *
     * @param roles the roles of which the operator needs one
     * @since 1.4
     */
    default Optional<Operator> operatorWith(HttpServletRequest request, HttpServletResponse response,
            Set<String> roles) throws IOException {
        Optional<Operator> op = operator(request, response, null);
        if (op.isPresent() && !op.get().hasAnyRole(roles)) {
            response.setStatus(HttpServletResponse.SC_FORBIDDEN);
            response.setContentType("text/plain;charset=UTF-8");
            response.getWriter().write("This page needs one of the roles " + String.join(", ", roles.stream()
                    .sorted().toList()) + ".\n");
            return Optional.empty();
        }
        return op;
    }

    /**
     * The anti-forgery token of a form of this operator: bound to the operator and the form's name, valid until
     * the server restarts (a form older than that is refused, and the page should say so).
     *
     * @param form a name of the form, e.g. {@code outbox}; a token of one form is refused by another
     */
    String formToken(Operator operator, String form);

    /**
     * Whether a form post may change something: it comes from this server's origin ({@code Origin}, else
     * {@code Referer}) and carries this operator's token for the form in {@value #TOKEN_FIELD}. Compared in
     * constant time. Call it after {@link #operator}.
     */
    boolean formAllowed(HttpServletRequest request, Operator operator, String form);

    /**
     * What the console layout ({@code console/shell.ftlh}) needs to frame a page for this operator: the navigation
     * entries (registered {@link ConsolePage} services whose roles the operator has, by rank, titles in the
     * request's language, the one this request's path falls under marked current, or the one named by
     * {@value #SECTION_ATTRIBUTE}; the home page only on itself), the operator's login, the
     * logout form and the layout's own texts. Put it in the page's model under {@value #SHELL_MODEL}; treat it as
     * opaque. The default (for stand-ins in tests) has no entries.
     */
    default Map<String, Object> shell(HttpServletRequest request, Operator operator) {
        return Map.of("nav", List.of(), "login", operator.login(), "home", request.getContextPath() + HOME,
                "logout", "", "token", "", "tokenField", TOKEN_FIELD, "css", List.of(),
                "text", Map.of("nav", "Console", "menu", "Menu", "logout", "Log out", "signedIn", operator.login()));
    }
}
