package io.cachet.console.internal;

import java.io.IOException;
import java.util.Optional;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import io.cachet.api.operator.Operator;
import io.cachet.api.web.ConsoleAccess;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code POST /console/logout}: the shell's logout button. Ends the console session (a form with the operator's
 * anti-forgery token, so another site cannot log the operator out) and sends the browser to the login form.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern(LogoutServlet.PATH)
@HttpWhiteboardServletName("cachet-console-logout")
public class LogoutServlet extends HttpServlet {

    static final String PATH = "/console/logout";
    static final String FORM = "logout";
    private static final long serialVersionUID = 1L;

    private final transient ConsoleAccess access;
    private final transient ConsoleSessions sessions;

    @Activate
    public LogoutServlet(@Reference ConsoleAccess access, @Reference ConsoleSessions sessions) {
        this.access = access;
        this.sessions = sessions;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setHeader("Allow", "POST");
        ConsoleSecurityProvider.send(response, HttpServletResponse.SC_METHOD_NOT_ALLOWED,
                "Log out with the button of a console page.");
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Optional<Operator> operator = access.operator(request, response, null);
        if (operator.isEmpty()) {
            return;
        }
        if (!access.formAllowed(request, operator.get(), FORM)) {
            ConsoleSecurityProvider.send(response, HttpServletResponse.SC_FORBIDDEN,
                    "Refused: log out with the button of a console page.");
            return;
        }
        String token = ConsoleSecurityProvider.cookie(request, ConsoleSecurityProvider.COOKIE);
        if (token != null) {
            sessions.closeSession(token);
        }
        response.addHeader("Set-Cookie", ConsoleLoginServlet.expiredCookie(request));
        response.setHeader("Cache-Control", "no-store");
        response.setStatus(HttpServletResponse.SC_SEE_OTHER);
        response.setHeader("Location", request.getContextPath() + ConsoleLoginServlet.PATH);
    }
}
