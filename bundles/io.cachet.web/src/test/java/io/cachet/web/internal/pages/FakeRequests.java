package io.cachet.web.internal.pages;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/** Just enough of a servlet request and response for the pages, as proxies; anything else fails the test. */
final class FakeRequests {

    private FakeRequests() {
    }

    static HttpServletRequest get(String uri, String query, Map<String, String> headers, Map<String, String> params) {
        return get(uri, query, headers, params, Map.of());
    }

    static HttpServletRequest get(String uri, String query, Map<String, String> headers, Map<String, String> params,
            Map<String, Object> attributes) {
        Map<String, String> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        h.putAll(headers);
        return (HttpServletRequest) Proxy.newProxyInstance(FakeRequests.class.getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (proxy, m, args) -> switch (m.getName()) {
                    case "getMethod" -> "GET";
                    case "getHeader" -> h.get((String) args[0]);
                    case "getParameter" -> params.get((String) args[0]);
                    case "getAttribute" -> attributes.get((String) args[0]);
                    case "getContextPath" -> "";
                    case "getRequestURI" -> uri;
                    case "getQueryString" -> query;
                    case "isSecure" -> false;
                    case "toString" -> "GET " + uri;
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> throw new UnsupportedOperationException("request." + m.getName());
                });
    }

    static final class Response {
        int status = 200;
        final Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        final List<String> cookies = new ArrayList<>();
        final StringWriter body = new StringWriter();
        final HttpServletResponse proxy;

        Response() {
            PrintWriter writer = new PrintWriter(body);
            proxy = (HttpServletResponse) Proxy.newProxyInstance(FakeRequests.class.getClassLoader(),
                    new Class<?>[] {HttpServletResponse.class}, (p, m, args) -> switch (m.getName()) {
                        case "setStatus" -> { status = (Integer) args[0]; yield null; }
                        case "getStatus" -> status;
                        case "setHeader" -> { headers.put((String) args[0], (String) args[1]); yield null; }
                        case "addHeader" -> {
                            if ("Set-Cookie".equalsIgnoreCase((String) args[0])) {
                                cookies.add((String) args[1]);
                            } else {
                                headers.put((String) args[0], (String) args[1]);
                            }
                            yield null;
                        }
                        case "getHeader" -> headers.get((String) args[0]);
                        case "setContentType" -> { headers.put("Content-Type", (String) args[0]); yield null; }
                        case "getWriter" -> writer;
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
