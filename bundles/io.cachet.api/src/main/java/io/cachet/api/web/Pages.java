package io.cachet.api.web;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.osgi.annotation.versioning.ProviderType;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Renders pages: a template of a {@link PageSource} (or the brand's replacement for it) inside the shared
 * layout, in the request's language, in the active brand (or the brand the servlet names for the request, see
 * {@link #BRAND_ATTRIBUTE}). A service of the web bundle; thread-safe.
 *
 * <p><b>Language.</b> French and English. The {@value #LANGUAGE_PARAMETER} query parameter (the layout's
 * language switch) chooses one and is remembered in the cookie {@value #LANGUAGE_COOKIE}; without either, the
 * browser's {@code Accept-Language}; without a match, French.
 *
 * <p><b>Messages.</b> A key is looked up in the page's brand's messages, then in the template's source, then in
 * the framework's own ({@code cachet.*}); first in the request's language, then in French. A key found
 * nowhere is shown as {@code ??key??} (and logged), never as an error. {@code {0}}, {@code {1}}… in a message
 * are replaced by the arguments (no other syntax: apostrophes are plain text).
 *
 * <p><b>Templates</b> see, besides the caller's model: {@code msg(key, args…)}, {@code asset(file)} (the versioned URL of a file of the template's source), {@code site} (language, brand
 * name and support address, stylesheet and logo URLs, the language switch's links) and the layout, imported
 * with {@code <#import "/cachet/layout.ftlh" as layout>} and used as {@code <@layout.page title=…>…</@layout.page>}.
 *
 * <p><b>Answers</b> carry {@code Content-Type: text/html;charset=UTF-8}, {@code Content-Language}, a
 * content security policy without inline scripts or styles ({@link #CONTENT_SECURITY_POLICY}),
 * {@code X-Frame-Options: DENY}, {@code X-Content-Type-Options: nosniff}, {@code Referrer-Policy: same-origin},
 * and {@code Cache-Control: no-store} unless the servlet set a {@code Cache-Control} before.
 */
@ProviderType
public interface Pages {

    /** Query parameter of the language switch: {@code fr} or {@code en}. */
    String LANGUAGE_PARAMETER = "lang";

    /** Cookie remembering the language chosen with the switch. */
    String LANGUAGE_COOKIE = "lang";

    /**
     * Request attribute naming the brand ({@link io.cachet.api.brand.Brand#id()}, a {@code String}) a page is shown
     * in, for a page that belongs to something of that brand, e.g. the status page of an order a reseller
     * submitted under its brand. Set it before {@link #render} or {@link #message}: the brand's messages,
     * templates, logo and colours are used instead of the active brand's. Without the attribute, or when no brand
     * of that id is installed (any more), the active brand is used, as for every other page.
     */
    String BRAND_ATTRIBUTE = "io.cachet.api.web.brand";

    /** The policy of every page: resources from this server only, no inline script or style, no framing. */
    String CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
            + "frame-ancestors 'none'; base-uri 'none'";

    /**
     * How pages show an instant: to the minute, in UTC, the same in every language, e.g. {@code 2026-05-06 07:08 UTC}.
     *
     * @param instant the instant, or null
     * @return the instant as {@code yyyy-MM-dd HH:mm 'UTC'}, or {@code ""} for null
     * @since 1.5
     */
    static String time(Instant instant) {
        return instant == null ? "" : PageTime.FORMAT.format(instant);
    }

    /** The languages of the pages, the default (French) first. */
    List<Locale> languages();

    /** The language this request gets: switch parameter, then cookie, then {@code Accept-Language}, else French. */
    Locale language(HttpServletRequest request);

    /**
     * A message in the request's language (and brand, see {@link #BRAND_ATTRIBUTE}), for text a servlet builds
     * itself (a refusal reason, a notice).
     *
     * @param namespace the source whose messages are searched after the brand's, e.g. {@code console}
     * @param key e.g. {@code console.login.missing}
     * @param args replace {@code {0}}, {@code {1}}… ({@code String.valueOf})
     */
    String message(HttpServletRequest request, String namespace, String key, Object... args);

    /**
     * Renders a template and writes the whole answer: status, headers, body. The page is rendered before
     * anything is written, so a template error answers 500 with a plain message (logged with a reference),
     * never half a page nor a stack trace.
     *
     * @param template {@code <namespace>/<name>.ftlh}, e.g. {@code console/login.ftlh}
     * @param model values the template uses (strings, numbers, booleans, lists and maps of them); never null
     */
    void render(HttpServletRequest request, HttpServletResponse response, int status, String template,
            Map<String, ?> model) throws IOException;

    /**
     * The versioned URL of an asset of a source, for a layout shared by templates of other namespaces (whose
     * {@code asset(file)} looks in their own): e.g. the console shell's stylesheet.
     *
     * @param namespace the source, e.g. {@code console}
     * @param file a file under its {@code assets/}, e.g. {@code shell.css}
     * @return the URL (with the request's context path), or null when the source or the file is missing
     */
    String assetUrl(HttpServletRequest request, String namespace, String file);
}
