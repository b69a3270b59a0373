package io.cachet.web.internal;

import java.io.IOException;
import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import io.cachet.api.health.Readiness;
import io.cachet.api.web.Pages;
import io.cachet.web.internal.http.ErrorPage;
import io.cachet.web.internal.http.HttpGuard;

import jakarta.servlet.Servlet;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The public home page at {@code /}, in the selected brand; any other unknown path gets a branded 404. While Cachet
 * starts or stops (without {@link Readiness#READY}, which the HTTP guard tells through
 * {@link HttpGuard#STARTING_ATTRIBUTE}) an unknown path may be one whose servlet is not there now: a person gets a
 * branded "starting" page, an API client the HTTP guard's problem, both with 503 and {@code Retry-After}.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/")
public class HomeServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    private final transient Pages pages;

    @Activate
    public HomeServlet(@Reference Pages pages) {
        this.pages = pages;
    }

    /** Whatever the method: while starting, a POST to an address whose servlet has not come is no 405 either. */
    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws ServletException, IOException {
        if (!Boolean.TRUE.equals(req.getAttribute(HttpGuard.STARTING_ATTRIBUTE)) || home(req)) {
            super.service(req, resp);
        } else if (ErrorPage.isApi(req)) {
            resp.sendError(404); // the guard answers 503 and Retry-After as a problem while Cachet starts
        } else {
            resp.setHeader("Retry-After", ErrorPage.STARTING_RETRY_AFTER);
            pages.render(req, resp, 503, "cachet/starting.ftlh", Map.of());
        }
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        if (home(req)) {
            pages.render(req, resp, 200, "cachet/home.ftlh", Map.of());
        } else {
            pages.render(req, resp, 404, "cachet/not-found.ftlh", Map.of());
        }
    }

    private static boolean home(HttpServletRequest req) {
        String path = req.getPathInfo() == null ? req.getServletPath() : req.getServletPath() + req.getPathInfo();
        return path.isEmpty() || path.equals("/") || path.equals("/index.html");
    }
}
