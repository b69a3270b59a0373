package io.cachet.identity.mobile.internal;

import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;

/**
 * The phone flow's pages need what the shared page policy forbids: this server's own scripts (asset files, still no
 * inline script or style), the camera's stream in a video element, a snapshot drawn to a canvas and shown as a
 * {@code blob:} image, and same-origin {@code fetch} uploads. The page framework sets its policy on every page it
 * renders; this wrapper puts this one in its place, and allows the camera to this origin only.
 */
final class PagePolicy extends HttpServletResponseWrapper {

    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' blob: data:;"
            + " media-src 'self' blob: mediastream:; connect-src 'self'; form-action 'self'; frame-ancestors 'none';"
            + " base-uri 'none'";
    static final String PERMISSIONS = "camera=(self), microphone=(), geolocation=()";

    PagePolicy(HttpServletResponse response) {
        super(response);
        response.setHeader("Permissions-Policy", PERMISSIONS);
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
