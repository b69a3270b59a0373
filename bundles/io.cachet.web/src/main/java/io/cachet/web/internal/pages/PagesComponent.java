package io.cachet.web.internal.pages;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import freemarker.template.TemplateException;

import io.cachet.api.brand.Brand;
import io.cachet.api.web.PageSource;
import io.cachet.api.web.Pages;
import io.cachet.web.internal.BrandSelector;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The {@link Pages} service: the {@link PageEngine} over HTTP. Page sources are a whiteboard: every
 * {@link PageSource} service is used while it is registered.
 */
@Component(service = {Pages.class, PagesComponent.class}, immediate = true)
public class PagesComponent implements Pages {

    private static final Logger LOG = LoggerFactory.getLogger(PagesComponent.class);
    /** A year: the switch is a preference, kept like one. */
    static final int LANGUAGE_COOKIE_SECONDS = 365 * 24 * 3600;

    private final PageEngine engine;

    @Activate
    public PagesComponent(@Reference BrandSelector brands) {
        this(brands::current, brands::installed);
    }

    /**
     * Outside OSGi (tests): the brand shown comes from the supplier. A factory, not a second public constructor:
     * SCR tries every public constructor with as many parameters as the activation one and logs an error for this.
     */
    public static PagesComponent over(Supplier<Brand> brand) {
        return new PagesComponent(brand, id -> null);
    }

    /**
     * Outside OSGi (tests), with other brands installed besides the one shown: {@code installed} gives the brand of
     * an id, or null, for pages of a {@link Pages#BRAND_ATTRIBUTE named brand}.
     */
    public static PagesComponent over(Supplier<Brand> brand, Function<String, Brand> installed) {
        return new PagesComponent(brand, installed);
    }

    private PagesComponent(Supplier<Brand> brand, Function<String, Brand> installed) {
        this.engine = new PageEngine(brand, installed);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    public void addSource(PageSource source) {
        engine.addSource(source);
    }

    public void removeSource(PageSource source) {
        engine.removeSource(source);
    }

    PageEngine engine() {
        return engine;
    }

    @Override
    public List<Locale> languages() {
        return Languages.SUPPORTED;
    }

    @Override
    public Locale language(HttpServletRequest request) {
        return Languages.choose(request.getParameter(LANGUAGE_PARAMETER), cookie(request, LANGUAGE_COOKIE),
                request.getHeader("Accept-Language"));
    }

    @Override
    public String message(HttpServletRequest request, String namespace, String key, Object... args) {
        return engine.message(brand(request), namespace, key, language(request), args);
    }

    @Override
    public String assetUrl(HttpServletRequest request, String namespace, String file) {
        String url = engine.assetUrl(namespace, file);
        String ctx = request.getContextPath() == null ? "" : request.getContextPath();
        return url == null ? null : ctx + url;
    }

    @Override
    public void render(HttpServletRequest request, HttpServletResponse response, int status, String template,
            Map<String, ?> model) throws IOException {
        Locale language = language(request);
        String html;
        try {
            html = engine.render(template, model, language, new PageEngine.Context(request.getContextPath(),
                    path(request), request.getQueryString()), brand(request));
        } catch (TemplateException | IOException | RuntimeException e) {
            String reference = UUID.randomUUID().toString();
            LOG.error("Page {} could not be rendered, reference {}", template, reference, e);
            response.setStatus(HttpServletResponse.SC_INTERNAL_SERVER_ERROR);
            response.setContentType("text/plain;charset=UTF-8");
            response.setHeader("Cache-Control", "no-store");
            response.getWriter().write("500 Internal Server Error: the page could not be shown. Quote reference "
                    + reference + " to the operator.\n");
            return;
        }
        Locale chosen = Languages.supported(request.getParameter(LANGUAGE_PARAMETER));
        if (chosen != null && !chosen.getLanguage().equals(cookie(request, LANGUAGE_COOKIE))) {
            response.addHeader("Set-Cookie", LANGUAGE_COOKIE + "=" + chosen.getLanguage() + "; Path=/; Max-Age="
                    + LANGUAGE_COOKIE_SECONDS + "; SameSite=Lax; HttpOnly" + (request.isSecure() ? "; Secure" : ""));
        }
        headers(response, status, language);
        response.getWriter().write(html);
    }

    static void headers(HttpServletResponse response, int status, Locale language) {
        response.setStatus(status);
        response.setContentType("text/html;charset=UTF-8");
        response.setHeader("Content-Language", language.getLanguage());
        response.setHeader("Vary", "Accept-Language, Cookie");
        if (response.getHeader("Cache-Control") == null) {
            response.setHeader("Cache-Control", "no-store");
        }
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("X-Frame-Options", "DENY");
        // same-origin, not no-referrer: with no referrer some browsers send "Origin: null", which forms refuse
        response.setHeader("Referrer-Policy", "same-origin");
        response.setHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY);
    }

    /** The brand named by the request's {@link Pages#BRAND_ATTRIBUTE} when installed, else the active one. */
    Brand brand(HttpServletRequest request) {
        return engine.brand(request.getAttribute(BRAND_ATTRIBUTE) instanceof String id ? id : null);
    }

    /** The request's path within the context, as sent (still percent-encoded), for the language switch's links. */
    static String path(HttpServletRequest request) {
        String uri = request.getRequestURI();
        String ctx = request.getContextPath() == null ? "" : request.getContextPath();
        if (uri == null) {
            return "/";
        }
        String p = uri.startsWith(ctx) ? uri.substring(ctx.length()) : uri;
        return p.isEmpty() ? "/" : p;
    }

    /** The value of a cookie from the Cookie header, or null. */
    static String cookie(HttpServletRequest request, String name) {
        String header = request.getHeader("Cookie");
        if (header == null) {
            return null;
        }
        for (String part : header.split(";")) {
            int eq = part.indexOf('=');
            if (eq > 0 && part.substring(0, eq).trim().equals(name)) {
                return part.substring(eq + 1).trim();
            }
        }
        return null;
    }
}
