package io.cachet.console.internal;

import java.io.IOException;
import java.net.URI;
import java.util.Arrays;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cachet.api.operator.OperatorDirectory;
import io.cachet.api.operator.OperatorException;

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

    @Activate
    public PasswordChangeServlet(@Reference OperatorDirectory directory) {
        this.directory = directory;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        page(response, HttpServletResponse.SC_OK, request.getParameter("login"), null);
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
            page(response, HttpServletResponse.SC_BAD_REQUEST, login, "Fill in every field.");
            return;
        }
        // the container hands parameters over as Strings; the arrays at least are wiped once used
        char[] newPassword = next.toCharArray();
        char[] confirmation = confirm.toCharArray();
        try {
            if (!Arrays.equals(newPassword, confirmation)) {
                page(response, HttpServletResponse.SC_BAD_REQUEST, login,
                        "The new password and its confirmation differ; type them again.");
                return;
            }
            directory.changePassword(login, current.toCharArray(), newPassword.clone(), request.getRemoteAddr());
        } catch (OperatorException e) {
            page(response, HttpServletResponse.SC_BAD_REQUEST, login, e.getMessage());
            return;
        } catch (RuntimeException e) {
            LOG.error("Password change failed: {}", e.getMessage(), e);
            page(response, HttpServletResponse.SC_SERVICE_UNAVAILABLE, login,
                    "The password could not be changed right now; try again later.");
            return;
        } finally {
            Arrays.fill(newPassword, '\0');
            Arrays.fill(confirmation, '\0');
        }
        response.setHeader("Cache-Control", "no-store");
        response.setStatus(HttpServletResponse.SC_SEE_OTHER);
        response.setHeader("Location", request.getContextPath() + CONSOLE);
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

    private static void page(HttpServletResponse response, int status, String login, String error) throws IOException {
        String errorHtml = error == null ? "" : "<p class=\"error\" role=\"alert\">" + escape(error) + "</p>\n";
        formPage(response, status, "Change password - Cachet", """
                <h1>Change password</h1>
                <p>Choose a new password of at least %d characters that is not a common password, a sequence, a repetition
                or your login (a few unrelated words make a good one). Then log in to the console with it.</p>
                %s<form method="post">
                <label>Login <input name="login" autocomplete="username" required value="%s"></label>
                <label>Current password <input name="current" type="password" autocomplete="current-password" required></label>
                <label>New password <input name="new" type="password" autocomplete="new-password" required minlength="%d"></label>
                <label>Confirm new password <input name="confirm" type="password" autocomplete="new-password" required minlength="%d"></label>
                <button type="submit">Change password</button>
                </form>
                """.formatted(JdbcOperatorDirectory.MIN_PASSWORD_LENGTH, errorHtml, escape(login == null ? "" : login),
                JdbcOperatorDirectory.MIN_PASSWORD_LENGTH, JdbcOperatorDirectory.MIN_PASSWORD_LENGTH));
    }

    /**
     * The status and headers of the console's own HTML pages (login, password, API keys): never cached or framed,
     * inline styles only, forms posted to this origin. Same-origin referrers, not none: with no-referrer some
     * browsers send "Origin: null", which the same-origin check refuses.
     */
    static void pageHeaders(HttpServletResponse response, int status) {
        response.setStatus(status);
        response.setContentType("text/html;charset=UTF-8");
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("X-Frame-Options", "DENY");
        response.setHeader("Referrer-Policy", "same-origin");
        response.setHeader("Content-Security-Policy",
                "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
    }

    /**
     * Writes one of the console's small form pages (login, password) with its status, headers and shared look.
     *
     * @param title the page title, plain text
     * @param body HTML of the page body, already escaped where it holds values
     */
    static void formPage(HttpServletResponse response, int status, String title, String body) throws IOException {
        pageHeaders(response, status);
        response.getWriter().write("""
                <!DOCTYPE html>
                <html lang="en">
                <head>
                <meta charset="utf-8">
                <meta name="viewport" content="width=device-width, initial-scale=1">
                <title>%s</title>
                <style>
                body { font-family: system-ui, sans-serif; max-width: 26rem; margin: 3rem auto; padding: 0 1rem; }
                label { display: block; margin-top: .8rem; }
                input { width: 100%%; box-sizing: border-box; padding: .4rem; }
                button { margin-top: 1.2rem; padding: .5rem 1rem; }
                .error { color: #a00; border: 1px solid #a00; padding: .5rem; }
                </style>
                </head>
                <body>
                %s</body>
                </html>
                """.formatted(escape(title), body));
    }

    /** Escapes text for HTML element content and quoted attribute values. */
    static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    private static boolean isEmpty(String s) {
        return s == null || s.isEmpty();
    }
}
