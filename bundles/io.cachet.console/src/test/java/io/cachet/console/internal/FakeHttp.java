package io.cachet.console.internal;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/** Just enough of a servlet request and response, as dynamic proxies; anything else fails the test. */
final class FakeHttp {

    private FakeHttp() {
    }

    static HttpServletRequest request(String method, Map<String, String> headers, Map<String, String> params) {
        Map<String, String> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        h.putAll(headers);
        Map<String, Object> attributes = new HashMap<>();
        String[] encoding = {null};
        return (HttpServletRequest) Proxy.newProxyInstance(FakeHttp.class.getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (proxy, m, args) -> switch (m.getName()) {
                    case "getMethod" -> method;
                    case "getHeader" -> h.get((String) args[0]);
                    case "getParameter" -> params.get((String) args[0]);
                    // several values of one parameter travel as lines of one value
                    case "getParameterValues" -> params.get((String) args[0]) == null ? null
                            : params.get((String) args[0]).split("\n");
                    case "getContextPath" -> "";
                    case "getRemoteAddr" -> h.getOrDefault("X-Test-Remote-Addr", "192.0.2.10");
                    case "getRequestURI" -> h.getOrDefault("X-Test-URI", "/system/console/bundles");
                    case "getQueryString" -> h.get("X-Test-Query");
                    case "isSecure" -> false;
                    case "getCharacterEncoding" -> encoding[0];
                    case "setCharacterEncoding" -> { encoding[0] = (String) args[0]; yield null; }
                    case "getAttribute" -> attributes.get((String) args[0]);
                    case "setAttribute" -> { attributes.put((String) args[0], args[1]); yield null; }
                    case "toString" -> method + " request";
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> throw new UnsupportedOperationException("request." + m.getName());
                });
    }

    /** A response that records what was sent. */
    static final class Response {
        int status = 200;
        final Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        final StringWriter body = new StringWriter();
        boolean committed;
        final HttpServletResponse proxy;

        Response() {
            PrintWriter writer = new PrintWriter(body);
            proxy = (HttpServletResponse) Proxy.newProxyInstance(FakeHttp.class.getClassLoader(),
                    new Class<?>[] {HttpServletResponse.class}, (p, m, args) -> switch (m.getName()) {
                        case "setStatus" -> { status = (Integer) args[0]; yield null; }
                        case "getStatus" -> status;
                        case "setHeader", "addHeader" -> { headers.put((String) args[0], (String) args[1]); yield null; }
                        case "resetBuffer" -> { body.getBuffer().setLength(0); yield null; }
                        case "getHeader" -> headers.get((String) args[0]);
                        case "setContentType" -> { headers.put("Content-Type", (String) args[0]); yield null; }
                        case "getWriter" -> writer;
                        case "flushBuffer" -> { writer.flush(); committed = true; yield null; }
                        case "isCommitted" -> committed;
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

    static Map<String, String> map(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }
}
