package io.cachet.delivery.cloud.internal.space;

import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;

/**
 * The customer space's pages with a script (the password meter, WebAuthn) need what the shared page policy forbids:
 * this server's own scripts (asset files; still no inline script or style) and same-origin {@code fetch}. The page
 * framework sets its policy on every page it renders; this wrapper puts this one in its place.
 */
final class ScriptPolicy extends HttpServletResponseWrapper {

    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self';"
            + " connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    ScriptPolicy(HttpServletResponse response) {
        super(response);
    }

    @Override
    public void setHeader(String name, String value) {
        super.setHeader(name, "Content-Security-Policy".equalsIgnoreCase(name) ? CSP : value);
    }

    @Override
    public void addHeader(String name, String value) {
        if ("Content-Security-Policy".equalsIgnoreCase(name)) {
            super.setHeader(name, CSP);
        } else {
            super.addHeader(name, value);
        }
    }
}
