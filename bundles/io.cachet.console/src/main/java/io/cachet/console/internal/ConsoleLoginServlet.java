package io.cachet.console.internal;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cachet.api.operator.Authentication;
import io.cachet.api.web.ConsoleAccess;
import io.cachet.api.web.Pages;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code /console/login}: the Web Console's login form. A right password opens a session whose cookie is
 * {@code HttpOnly} and {@code SameSite=Strict} (so other sites cannot make the browser use it), {@code Secure} over
 * HTTPS; the operator is then sent back where they were going, within the console (or the API keys page) only. An operator who must first
 * change the password is sent to the password page and gets no session. Failures are throttled and audited by the
 * directory; during a back-off the answer is 429 with {@code Retry-After}.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern(ConsoleLoginServlet.PATH)
@HttpWhiteboardServletName("cachet-console-login")
public class ConsoleLoginServlet extends HttpServlet {

    static final String PATH = "/console/login";
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ConsoleLoginServlet.class);

    private final transient ConsoleSessions sessions;
    private final transient Pages pages;

    @Activate
    public ConsoleLoginServlet(@Reference ConsoleSessions sessions, @Reference Pages pages) {
        this.sessions = sessions;
        this.pages = pages;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        page(request, response, HttpServletResponse.SC_OK, next(request.getParameter("next")), null);
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!PasswordChangeServlet.sameOrigin(request)) {
            ConsoleSecurityProvider.send(response, HttpServletResponse.SC_FORBIDDEN,
                    "Refused: this form may only be sent from its own page.");
            return;
        }
        if (request.getCharacterEncoding() == null) {
            request.setCharacterEncoding("UTF-8");
        }
        String next = next(request.getParameter("next"));
        String login = request.getParameter("login");
        String password = request.getParameter("password");
        if (login == null || login.isEmpty() || password == null || password.isEmpty()) {
            page(request, response, HttpServletResponse.SC_BAD_REQUEST, next,
                    pages.message(request, ConsolePages.NAMESPACE, "console.login.missing"));
            return;
        }
        ConsoleSessions.Opened opened;
        try {
            opened = sessions.openSession(login, password.toCharArray(), request.getRemoteAddr());
        } catch (RuntimeException e) {
            LOG.error("Console login failed: {}", e.getMessage(), e);
            page(request, response, HttpServletResponse.SC_SERVICE_UNAVAILABLE, next,
                    pages.message(request, ConsolePages.NAMESPACE, "console.unavailable"));
            return;
        }
        Authentication a = opened.authentication();
        switch (a.status()) {
            case GRANTED -> {
                response.setHeader("Cache-Control", "no-store");
                response.setStatus(HttpServletResponse.SC_SEE_OTHER);
                if (a.operator().mustChangePassword()) {
                    response.setHeader("Location", request.getContextPath() + PasswordChangeServlet.PATH);
                    return;
                }
                response.addHeader("Set-Cookie", ConsoleSecurityProvider.COOKIE + "=" + opened.token()
                        + "; Path=/; HttpOnly; SameSite=Strict" + (request.isSecure() ? "; Secure" : ""));
                response.setHeader("Location", request.getContextPath() + next);
            }
            case THROTTLED -> {
                response.setHeader("Retry-After", Long.toString(a.retryAfter().toSeconds()));
                page(request, response, 429, next, Refusals.text(pages, request, a));
            }
            default -> page(request, response, HttpServletResponse.SC_UNAUTHORIZED, next, Refusals.text(pages, request, a));
        }
    }

    /** A cookie header that makes the browser drop the session cookie. */
    static String expiredCookie(HttpServletRequest request) {
        return ConsoleSecurityProvider.COOKIE + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict"
                + (request.isSecure() ? "; Secure" : "");
    }

    /**
     * Where to go after the login: a path inside the Web Console or another console page ({@code /console/…}, this
     * bundle's or another's), never another site; by default the console's home.
     */
    static String next(String requested) {
        if (requested != null && (requested.startsWith(PasswordChangeServlet.CONSOLE)
                || requested.equals(ConsoleAccess.HOME)
                || requested.startsWith("/console/") && !requested.startsWith(PATH))
                && requested.matches("/[A-Za-z0-9/._~%-]*") && !requested.contains("//")) {
            return requested;
        }
        return ConsoleAccess.HOME;
    }

    private void page(HttpServletRequest request, HttpServletResponse response, int status, String next, String error)
            throws IOException {
        Map<String, Object> model = new HashMap<>();
        model.put("next", next);
        model.put("error", error == null ? "" : error);
        model.put("passwordPage", request.getContextPath() + PasswordChangeServlet.PATH);
        model.put("apiKeysPage", request.getContextPath() + ApiKeysServlet.PATH);
        response.setHeader("Cache-Control", "no-store");
        pages.render(request, response, status, "console/login.ftlh", model);
    }
}
