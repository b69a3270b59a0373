package io.cachet.web.internal.pages;

import java.io.IOException;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code /assets/*}: the pages' stylesheets and images, and the active brand's theme and logo. Their URLs carry a
 * digest of the content, so an answer at the current URL never changes and is cached for a year
 * ({@code immutable}); an older URL (a page from before a brand change) gets today's file, revalidated each time.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern(PageEngine.ASSETS_PATH + "/*")
@HttpWhiteboardServletName("cachet-assets")
public class AssetServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    static final String IMMUTABLE = "public, max-age=31536000, immutable";

    private final transient PageEngine engine;

    @Activate
    public AssetServlet(@Reference PagesComponent pages) {
        this(pages.engine());
    }

    AssetServlet(PageEngine engine) {
        this.engine = engine;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getPathInfo();
        Asset asset = engine.asset(path);
        if (asset == null) {
            response.sendError(HttpServletResponse.SC_NOT_FOUND);
            return;
        }
        String etag = "\"" + asset.version() + "\"";
        response.setHeader("ETag", etag);
        response.setHeader("Cache-Control", path.contains("/" + asset.version() + "/") ? IMMUTABLE : "no-cache");
        // an SVG opened on its own is a document: no script of it may run
        response.setHeader("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; sandbox");
        if (etag.equals(request.getHeader("If-None-Match"))) {
            response.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
            return;
        }
        response.setContentType(asset.contentType());
        response.setContentLength(asset.bytes().length);
        response.getOutputStream().write(asset.bytes());
    }
}
