package io.cachet.notify.internal;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.TreeMap;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/** The little of a servlet request and response the pages use, as proxies; anything else fails the test. */
final class FakeHttp {

    private FakeHttp() {
    }

    static HttpServletRequest request(String method, String query, Map<String, String> params) {
        String[] encoding = {null};
        return (HttpServletRequest) Proxy.newProxyInstance(FakeHttp.class.getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (proxy, m, args) -> switch (m.getName()) {
                    case "getMethod" -> method;
                    case "getHeader", "getAttribute" -> null;
                    case "getHeaders" -> java.util.Collections.emptyEnumeration();
                    case "getCookies" -> null;
                    case "getParameter" -> params.get((String) args[0]);
                    case "getContextPath" -> "";
                    case "getRequestURI" -> OutboxServlet.PATH;
                    case "getQueryString" -> query;
                    case "isSecure" -> false;
                    case "getCharacterEncoding" -> encoding[0];
                    case "setCharacterEncoding" -> {
                        encoding[0] = (String) args[0];
                        yield null;
                    }
                    case "toString" -> method + " " + OutboxServlet.PATH;
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> throw new UnsupportedOperationException("request." + m.getName());
                });
    }

    /** A response that keeps what was sent. */
    static final class Response {
        int status = 200;
        final Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        final StringWriter body = new StringWriter();
        final HttpServletResponse proxy;

        Response() {
            PrintWriter writer = new PrintWriter(body);
            proxy = (HttpServletResponse) Proxy.newProxyInstance(FakeHttp.class.getClassLoader(),
                    new Class<?>[] {HttpServletResponse.class}, (p, m, args) -> switch (m.getName()) {
                        case "setStatus" -> {
                            status = (Integer) args[0];
                            yield null;
                        }
                        case "getStatus" -> status;
                        case "setHeader", "addHeader" -> {
                            headers.put((String) args[0], (String) args[1]);
                            yield null;
                        }
                        case "getHeader" -> headers.get((String) args[0]);
                        case "containsHeader" -> headers.containsKey((String) args[0]);
                        case "setContentType" -> {
                            headers.put("Content-Type", (String) args[0]);
                            yield null;
                        }
                        case "setCharacterEncoding", "addCookie", "resetBuffer", "flushBuffer" -> null;
                        case "getWriter" -> writer;
                        case "isCommitted" -> false;
                        case "toString" -> "response";
                        case "hashCode" -> System.identityHashCode(p);
                        case "equals" -> p == args[0];
                        default -> throw new UnsupportedOperationException("response." + m.getName());
                    });
        }

        String body() {
            return body.toString();
        }
    }
}
