package io.cachet.console.internal;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import io.cachet.api.operator.Operator;
import io.cachet.api.web.ConsoleAccess;
import io.cachet.api.web.Pages;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code /console}: the console's home, where the login leads. Says who is logged in with which roles and lists
 * the pages the operator may open (the navigation's entries), with a link to the Felix Web Console for
 * administrators.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern(ConsoleAccess.HOME)
@HttpWhiteboardServletName("cachet-console-home")
public class ConsoleHomeServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    private final transient ConsoleAccess access;
    private final transient Pages pages;

    @Activate
    public ConsoleHomeServlet(@Reference ConsoleAccess access, @Reference Pages pages) {
        this.access = access;
        this.pages = pages;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Optional<Operator> operator = access.operator(request, response, null);
        if (operator.isEmpty()) {
            return;
        }
        Map<String, Object> model = new HashMap<>();
        model.put(ConsoleAccess.SHELL_MODEL, access.shell(request, operator.get()));
        model.put("login", operator.get().login());
        model.put("roles", String.join(", ", new TreeSet<>(operator.get().roles())));
        model.put("webConsole", operator.get().hasRole(ConsoleSecurityProvider.ADMIN_ROLE)
                ? request.getContextPath() + PasswordChangeServlet.CONSOLE : "");
        pages.render(request, response, HttpServletResponse.SC_OK, "console/home.ftlh", model);
    }
}
