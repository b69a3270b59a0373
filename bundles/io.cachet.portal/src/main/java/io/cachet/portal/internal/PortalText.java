package io.cachet.portal.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;

import io.cachet.api.order.FieldError;
import io.cachet.api.web.Pages;

import jakarta.servlet.http.HttpServletRequest;

/** The portal's messages in a request's language, and which keys the portal has (to tell a known check kind). */
final class PortalText implements StatusView.Messages {

    /** The keys of this bundle's messages (both languages have the same). */
    static final Set<String> KEYS = keys();

    private final Pages pages;
    private final HttpServletRequest request;

    PortalText(Pages pages, HttpServletRequest request) {
        this.pages = pages;
        this.request = request;
    }

    @Override
    public boolean has(String key) {
        return KEYS.contains(key);
    }

    @Override
    public String text(String key, Object... args) {
        return pages.message(request, PortalPages.NAMESPACE, key, args);
    }

    /**
     * A field error in the page's language: by its code when the portal has words for it, else the order service's
     * own (English) message. In English an {@code invalid} error keeps the service's message, which says what is
     * wrong more precisely than the code.
     */
    String error(FieldError e) {
        String code = e.code() == null ? "" : e.code().toLowerCase(Locale.ROOT);
        if (code.equals("invalid") && language().equals("en") && e.message() != null && !e.message().isBlank()) {
            return e.message();
        }
        String key = "portal.error." + code;
        return has(key) ? text(key) : e.message();
    }

    String language() {
        return pages.language(request).getLanguage();
    }

    private static Set<String> keys() {
        Properties p = new Properties();
        try (InputStream in = PortalText.class.getClassLoader()
                .getResourceAsStream("pages/" + PortalPages.NAMESPACE + "/messages_en.properties")) {
            if (in != null) {
                p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Set.copyOf(p.stringPropertyNames());
    }
}
