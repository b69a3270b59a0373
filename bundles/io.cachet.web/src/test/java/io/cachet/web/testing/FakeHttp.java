package io.cachet.web.testing;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The little of a servlet request and response the customer pages use (portal, identity), as proxies; anything else
 * fails the test. For other modules' servlet tests without a servlet container; the module's own class usually names
 * its anti-forgery cookie once and forwards here.
 */
public final class FakeHttp {

    private FakeHttp() {
    }

    /**
     * @param cookieName the name of the one cookie the request carries, when {@code cookie} is not null
     * @param cookie its value, or null for a request without cookies
     * @param language the {@code Accept-Language} header, or null
     */
    public static HttpServletRequest request(String method, String path, String pathInfo, Map<String, String> params,
            String cookieName, String cookie, String language) {
        String[] encoding = {null};
        Map<String, Object> attributes = new HashMap<>();
        return (HttpServletRequest) Proxy.newProxyInstance(FakeHttp.class.getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (proxy, m, args) -> switch (m.getName()) {
                    case "getMethod" -> method;
                    case "getHeader" -> "Accept-Language".equalsIgnoreCase((String) args[0]) ? language : null;
                    case "getHeaders" -> java.util.Collections.emptyEnumeration();
                    case "getAttribute" -> attributes.get((String) args[0]);
                    case "setAttribute" -> {
                        attributes.put((String) args[0], args[1]);
                        yield null;
                    }
                    case "getCookies" -> cookie == null ? null
                            : new Cookie[] {new Cookie(cookieName, cookie)};
                    case "getParameter" -> params.get((String) args[0]);
                    case "getContextPath", "getServletPath" -> "";
                    case "getRequestURI" -> path;
                    case "getPathInfo" -> pathInfo;
                    case "getQueryString" -> null;
                    case "getRemoteAddr" -> "192.0.2.1";
                    case "isSecure" -> false;
                    case "getCharacterEncoding" -> encoding[0];
                    case "setCharacterEncoding" -> {
                        encoding[0] = (String) args[0];
                        yield null;
                    }
                    case "toString" -> method + " " + path;
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> throw new UnsupportedOperationException("request." + m.getName());
                });
    }

    /** A response that keeps what was sent. */
    public static class Response {
        public int status = 200;
        public final Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        public final List<String> cookies = new ArrayList<>();
        public final StringWriter body = new StringWriter();
        /** What was written through {@code getOutputStream} (a download). */
        public final java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        public final HttpServletResponse proxy;

        public Response() {
            PrintWriter writer = new PrintWriter(body);
            proxy = (HttpServletResponse) Proxy.newProxyInstance(FakeHttp.class.getClassLoader(),
                    new Class<?>[] {HttpServletResponse.class}, (p, m, args) -> switch (m.getName()) {
                        case "setStatus" -> {
                            status = (Integer) args[0];
                            yield null;
                        }
                        case "getStatus" -> status;
                        case "setHeader", "addHeader" -> {
                            if ("Set-Cookie".equalsIgnoreCase((String) args[0])) {
                                cookies.add((String) args[1]);
                            }
                            headers.put((String) args[0], (String) args[1]);
                            yield null;
                        }
                        case "getHeader" -> headers.get((String) args[0]);
                        case "containsHeader" -> headers.containsKey((String) args[0]);
                        case "setContentType" -> {
                            headers.put("Content-Type", (String) args[0]);
                            yield null;
                        }
                        case "setCharacterEncoding", "addCookie", "resetBuffer", "flushBuffer", "setContentLength"
                                -> null;
                        case "getWriter" -> writer;
                        case "getOutputStream" -> new jakarta.servlet.ServletOutputStream() {
                            @Override
                            public void write(int b) {
                                bytes.write(b);
                            }

                            @Override
                            public void write(byte[] b, int off, int len) {
                                bytes.write(b, off, len);
                            }

                            @Override
                            public boolean isReady() {
                                return true;
                            }

                            @Override
                            public void setWriteListener(jakarta.servlet.WriteListener listener) {
                                throw new UnsupportedOperationException("blocking only");
                            }
                        };
                        case "isCommitted" -> false;
                        case "toString" -> "response";
                        case "hashCode" -> System.identityHashCode(p);
                        case "equals" -> p == args[0];
                        default -> throw new UnsupportedOperationException("response." + m.getName());
                    });
        }

        public String body() {
            return body.toString();
        }
    }
}
