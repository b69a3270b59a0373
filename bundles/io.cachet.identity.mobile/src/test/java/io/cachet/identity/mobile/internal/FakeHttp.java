package io.cachet.identity.mobile.internal;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.lang.reflect.Proxy;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;

/** The little of a servlet request and response the phone flow uses, as proxies; anything else fails the test. */
final class FakeHttp {

    static final String PHONE = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko)"
            + " Chrome/126.0 Mobile Safari/537.36";
    static final String DESKTOP = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko)"
            + " Chrome/126.0 Safari/537.36";

    /** A request under construction. */
    static final class Request {
        String method = "GET";
        String servletPath = MobileServlet.PATH;
        String pathInfo;
        final Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        final Map<String, String> params = new HashMap<>();
        String cookie;
        InputStream body = new ByteArrayInputStream(new byte[0]);
        long contentLength = -1;

        Request(String method, String servletPath, String pathInfo) {
            this.method = method;
            this.servletPath = servletPath;
            this.pathInfo = pathInfo;
            headers.put("Accept-Language", "en");
            headers.put("User-Agent", PHONE);
        }

        Request header(String name, String value) {
            headers.put(name, value);
            return this;
        }

        Request param(String name, String value) {
            params.put(name, value);
            return this;
        }

        Request cookie(String value) {
            cookie = value;
            return this;
        }

        Request body(byte[] bytes, boolean declared) {
            body = new ByteArrayInputStream(bytes);
            contentLength = declared ? bytes.length : -1;
            return this;
        }

        HttpServletRequest build() {
            String[] encoding = {null};
            Map<String, Object> attributes = new HashMap<>();
            return (HttpServletRequest) Proxy.newProxyInstance(FakeHttp.class.getClassLoader(),
                    new Class<?>[] {HttpServletRequest.class}, (proxy, m, args) -> switch (m.getName()) {
                        case "getMethod" -> method;
                        case "getHeader" -> headers.get((String) args[0]);
                        case "getHeaders" -> headers.containsKey((String) args[0])
                                ? Collections.enumeration(List.of(headers.get((String) args[0])))
                                : Collections.emptyEnumeration();
                        case "getAttribute" -> attributes.get((String) args[0]);
                        case "setAttribute" -> {
                            attributes.put((String) args[0], args[1]);
                            yield null;
                        }
                        case "getCookies" -> cookie == null ? null
                                : new Cookie[] {new Cookie(FormTokens.COOKIE, cookie)};
                        case "getParameter" -> params.get((String) args[0]);
                        case "getContextPath" -> "";
                        case "getServletPath" -> servletPath;
                        case "getRequestURI" -> servletPath + (pathInfo == null ? "" : pathInfo);
                        case "getPathInfo" -> pathInfo;
                        case "getQueryString" -> null;
                        case "getRemoteAddr" -> "192.0.2.1";
                        case "getScheme" -> "http";
                        case "getServerName" -> "cachet.test";
                        case "getServerPort" -> 8080;
                        case "isSecure" -> false;
                        case "getContentLengthLong" -> contentLength;
                        case "getContentLength" -> (int) contentLength;
                        case "getInputStream" -> new ServletInputStream() {
                            @Override
                            public int read() throws java.io.IOException {
                                return body.read();
                            }

                            @Override
                            public int read(byte[] b, int off, int len) throws java.io.IOException {
                                return body.read(b, off, len);
                            }

                            @Override
                            public boolean isFinished() {
                                return false;
                            }

                            @Override
                            public boolean isReady() {
                                return true;
                            }

                            @Override
                            public void setReadListener(ReadListener listener) {
                                throw new UnsupportedOperationException();
                            }
                        };
                        case "getCharacterEncoding" -> encoding[0];
                        case "setCharacterEncoding" -> {
                            encoding[0] = (String) args[0];
                            yield null;
                        }
                        case "toString" -> method + " " + servletPath + pathInfo;
                        case "hashCode" -> System.identityHashCode(proxy);
                        case "equals" -> proxy == args[0];
                        default -> throw new UnsupportedOperationException("request." + m.getName());
                    });
        }
    }

    /** A response that keeps what was sent ({@link io.cachet.web.testing.FakeHttp.Response}). */
    static final class Response extends io.cachet.web.testing.FakeHttp.Response {

        /** The anti-forgery cookie set by the answer, or null. */
        String formCookie() {
            for (String c : cookies) {
                if (c.startsWith(FormTokens.COOKIE + "=")) {
                    return c.substring(FormTokens.COOKIE.length() + 1, c.indexOf(';'));
                }
            }
            return null;
        }
    }

    private FakeHttp() {
    }
}
