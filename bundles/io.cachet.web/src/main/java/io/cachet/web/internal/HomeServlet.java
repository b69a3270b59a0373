package io.cachet.web.internal;

import java.io.IOException;
import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import io.cachet.api.web.Pages;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/** The public home page at {@code /}, in the selected brand; any other unknown path gets a branded 404. */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/")
public class HomeServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    private final transient Pages pages;

    @Activate
    public HomeServlet(@Reference Pages pages) {
        this.pages = pages;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String path = req.getPathInfo() == null ? req.getServletPath() : req.getServletPath() + req.getPathInfo();
        boolean home = path.isEmpty() || path.equals("/") || path.equals("/index.html");
        pages.render(req, resp, home ? 200 : 404, home ? "cachet/home.ftlh" : "cachet/not-found.ftlh", Map.of());
    }
}
