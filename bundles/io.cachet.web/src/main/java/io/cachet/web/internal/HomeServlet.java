package io.cachet.web.internal;

import java.io.IOException;
import java.io.PrintWriter;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.owasp.encoder.Encode;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import io.cachet.api.brand.Brand;

/** The public home page at {@code /}, in the selected brand; any other unknown path gets a branded 404. */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/")
public class HomeServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    private final transient BrandSelector brands;

    @Activate
    public HomeServlet(@Reference BrandSelector brands) {
        this.brands = brands;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String path = req.getPathInfo() == null ? req.getServletPath() : req.getServletPath() + req.getPathInfo();
        boolean home = path.isEmpty() || path.equals("/") || path.equals("/index.html");
        resp.setStatus(home ? 200 : 404);
        resp.setContentType("text/html");
        resp.setCharacterEncoding("UTF-8");
        resp.setHeader("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'");
        resp.setHeader("X-Content-Type-Options", "nosniff");
        try (PrintWriter w = resp.getWriter()) {
            w.write(page(brands.current(), home));
        }
    }

    static String page(Brand brand, boolean home) {
        String name = Encode.forHtml(brand.displayName());
        String colour = Encode.forCssString(brand.primaryColour());
        String support = Encode.forHtml(brand.supportEmail());
        String body = home
                ? "<p>Qualified electronic seal certificates (eIDAS): order, identity verification, issuance, "
                        + "delivery on a USB token or in the cloud, and signing.</p>"
                : "<p>This page does not exist. Check the link you followed, or go back to the home page.</p>";
        return "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                + "<title>" + name + (home ? "" : " — not found") + "</title>"
                + "<style>body{font-family:system-ui,sans-serif;margin:0}header{background:" + colour
                + ";color:#fff;padding:1rem 2rem}main{padding:1rem 2rem}</style></head><body data-brand=\""
                + Encode.forHtmlAttribute(brand.id()) + "\"><header><h1>" + name + "</h1></header><main>" + body
                + (support.isEmpty() ? "" : "<p>Help: <a href=\"mailto:" + support + "\">" + support + "</a></p>")
                + "</main></body></html>";
    }
}
