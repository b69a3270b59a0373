package io.cachet.console.internal;

import java.io.IOException;
import java.net.URI;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

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
import io.cachet.api.web.ConsoleAccess;
import io.cachet.api.web.Pages;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Where an operator replaces a password, and where the console sends an operator who must. It sits outside
 * the Web Console because the console refuses such operators. No session: the current password
 * authenticates the change, and a same-origin check on Origin/Referer keeps other sites from posting it.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern(PasswordChangeServlet.PATH)
@HttpWhiteboardServletName("cachet-console-password")
public class PasswordChangeServlet extends HttpServlet {

    static final String PATH = "/console/password";
    static final String CONSOLE = "/system/console";
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(PasswordChangeServlet.class);

    private final transient OperatorDirectory directory;
    private final transient Pages pages;
    private final transient ConsoleSessions sessions;
    private final transient ConsoleAccess access;

    @Activate
    public PasswordChangeServlet(@Reference OperatorDirectory directory, @Reference Pages pages,
            @Reference ConsoleSessions sessions, @Reference ConsoleAccess access) {
        this.directory = directory;
        this.pages = pages;
        this.sessions = sessions;
        this.access = access;
    }

    /** For tests: the page without the console's navigation. */
    PasswordChangeServlet(OperatorDirectory directory, Pages pages) {
        this(directory, pages, null, null);
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        page(request, response, HttpServletResponse.SC_OK, request.getParameter("login"), null);
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!sameOrigin(request)) {
            response.setStatus(HttpServletResponse.SC_FORBIDDEN);
            response.setHeader("Cache-Control", "no-store");
            response.setContentType("text/plain;charset=UTF-8");
            response.getWriter().write("Refused: this form may only be sent from its own page.\n");
            return;
        }
        if (request.getCharacterEncoding() == null) {
            request.setCharacterEncoding("UTF-8"); // the form page is UTF-8, and browsers post in the page's charset
        }
        String login = request.getParameter("login");
        String current = request.getParameter("current");
        String next = request.getParameter("new");
        String confirm = request.getParameter("confirm");
        if (isEmpty(login) || isEmpty(current) || isEmpty(next) || isEmpty(confirm)) {
            page(request, response, HttpServletResponse.SC_BAD_REQUEST, login, text(request, "console.password.missing"));
            return;
        }
        // the container hands parameters over as Strings; the arrays at least are wiped once used
        char[] newPassword = next.toCharArray();
        char[] confirmation = confirm.toCharArray();
        try {
            if (!Arrays.equals(newPassword, confirmation)) {
                page(request, response, HttpServletResponse.SC_BAD_REQUEST, login,
                        text(request, "console.password.mismatch"));
                return;
            }
            directory.changePassword(login, current.toCharArray(), newPassword.clone(), request.getRemoteAddr());
        } catch (OperatorException e) {
            page(request, response, HttpServletResponse.SC_BAD_REQUEST, login, Refusals.text(pages, request, e));
            return;
        } catch (RuntimeException e) {
            LOG.error("Password change failed: {}", e.getMessage(), e);
            page(request, response, HttpServletResponse.SC_SERVICE_UNAVAILABLE, login,
                    text(request, "console.password.unavailable"));
            return;
        } finally {
            Arrays.fill(newPassword, '\0');
            Arrays.fill(confirmation, '\0');
        }
        response.setHeader("Cache-Control", "no-store");
        response.setStatus(HttpServletResponse.SC_SEE_OTHER);
        response.setHeader("Location", request.getContextPath() + ConsoleAccess.HOME);
    }

    /**
     * Browsers send Origin with every POST (Referer when an old one does not); either must name this host.
     * Requests with neither are refused: this form is for browsers only.
     */
    static boolean sameOrigin(HttpServletRequest request) {
        String host = request.getHeader("Host");
        String origin = request.getHeader("Origin");
        String source = origin != null ? origin : request.getHeader("Referer");
        if (host == null || source == null) {
            return false;
        }
        try {
            String authority = URI.create(source).getRawAuthority();
            return authority != null && authority.equalsIgnoreCase(host.trim());
        } catch (IllegalArgumentException malformed) {
            return false;
        }
    }

    private String text(HttpServletRequest request, String key) {
        return pages.message(request, ConsolePages.NAMESPACE, key);
    }

    private void page(HttpServletRequest request, HttpServletResponse response, int status, String login, String error)
            throws IOException {
        Map<String, Object> model = new HashMap<>();
        // an operator with a console session (changing the password by choice) gets the console's navigation
        String token = ConsoleSecurityProvider.cookie(request, ConsoleSecurityProvider.COOKIE);
        Optional<Operator> session = sessions == null || token == null ? Optional.empty() : sessions.session(token);
        if (session.isPresent()) {
            model.put(ConsoleAccess.SHELL_MODEL, access.shell(request, session.get()));
            login = login == null || login.isEmpty() ? session.get().login() : login;
        }
        model.put("login", login == null ? "" : login);
        model.put("error", error == null ? "" : error);
        model.put("minLength", JdbcOperatorDirectory.MIN_PASSWORD_LENGTH);
        response.setHeader("Cache-Control", "no-store");
        pages.render(request, response, status, "console/password.ftlh", model);
    }

    private static boolean isEmpty(String s) {
        return s == null || s.isEmpty();
    }
}
