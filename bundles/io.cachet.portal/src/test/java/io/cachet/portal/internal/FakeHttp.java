package io.cachet.portal.internal;

import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;

/** {@link io.cachet.web.testing.FakeHttp} with this module's anti-forgery cookie. */
final class FakeHttp {

    private FakeHttp() {
    }

    static HttpServletRequest request(String method, String path, String pathInfo, Map<String, String> params,
            String cookie, String language) {
        return io.cachet.web.testing.FakeHttp.request(method, path, pathInfo, params, FormTokens.COOKIE, cookie, language);
    }

    /** A response that keeps what was sent. */
    static final class Response extends io.cachet.web.testing.FakeHttp.Response {
    }
}
