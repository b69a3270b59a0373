package io.cachet.delivery.cloud.internal.space;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * A browser (or a program) for the servlets' tests, without a container: requests and responses as proxies with what
 * the customer space's servlets and the page framework use (anything else fails the test); it keeps the cookies it is
 * sent, as a browser does, and sends them back.
 */
final class Http {

    static final String HOST = "cachet.example.fr";

    final Map<String, String> cookies = new LinkedHashMap<>();
    final Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    String language = "en";
    String client = "192.0.2.1";

    /** A response as sent. */
    static final class Response {
        int status = 200;
        final Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        final List<String> cookies = new ArrayList<>();
        final StringWriter text = new StringWriter();
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final HttpServletResponse proxy;

        Response() {
            PrintWriter writer = new PrintWriter(text);
            ServletOutputStream out = new ServletOutputStream() {
                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setWriteListener(WriteListener l) {
                }

                @Override
                public void write(int b) {
                    bytes.write(b);
                }
            };
            proxy = (HttpServletResponse) Proxy.newProxyInstance(Http.class.getClassLoader(),
                    new Class<?>[] { HttpServletResponse.class }, (p, m, args) -> switch (m.getName()) {
                        case "setStatus" -> {
                            status = (Integer) args[0];
                            yield null;
                        }
                        case "sendError" -> {
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
                        case "getOutputStream" -> out;
                        case "isCommitted" -> false;
                        case "toString" -> "response";
                        case "hashCode" -> System.identityHashCode(p);
                        case "equals" -> p == args[0];
                        default -> throw new UnsupportedOperationException("response." + m.getName());
                    });
        }

        String body() {
            return text.toString();
        }

        /** The value of a hidden field of the form posting to {@code action}. */
        String field(String action, String name) {
            Matcher form = Pattern.compile("<form[^>]*action=\"" + Pattern.quote(action) + "\"[^>]*>(.*?)</form>",
                    Pattern.DOTALL).matcher(body());
            if (!form.find()) {
                throw new AssertionError("no form to " + action + " in " + body());
            }
            Matcher f = Pattern.compile("name=\"" + Pattern.quote(name) + "\" value=\"([^\"]*)\"").matcher(
                    form.group(1));
            if (!f.find()) {
                throw new AssertionError("no field " + name + " in form " + action);
            }
            return f.group(1);
        }
    }

    Response get(HttpServlet servlet, String path) throws Exception {
        return send(servlet, "GET", path, Map.of(), null);
    }

    Response post(HttpServlet servlet, String path, Map<String, String> params) throws Exception {
        return send(servlet, "POST", path, params, null);
    }

    Response json(HttpServlet servlet, String method, String path, String body) throws Exception {
        return send(servlet, method, path, Map.of(), body);
    }

    Response send(HttpServlet servlet, String method, String path, Map<String, String> params, String body)
            throws Exception {
        String query = null;
        String p = path;
        Map<String, String> all = new HashMap<>(params);
        int q = path.indexOf('?');
        if (q >= 0) {
            query = path.substring(q + 1);
            p = path.substring(0, q);
            for (String kv : query.split("&")) {
                int eq = kv.indexOf('=');
                all.put(eq < 0 ? kv : kv.substring(0, eq), eq < 0 ? "" : kv.substring(eq + 1));
            }
        }
        HttpServletRequest req = request(method, p, query, all, body);
        Response r = new Response();
        servlet.service((jakarta.servlet.ServletRequest) req, (jakarta.servlet.ServletResponse) r.proxy);
        for (String c : r.cookies) {
            String pair = c.substring(0, c.indexOf(';'));
            String name = pair.substring(0, pair.indexOf('='));
            String value = pair.substring(pair.indexOf('=') + 1);
            if (value.isEmpty() || c.contains("Max-Age=0")) {
                cookies.remove(name);
            } else {
                cookies.put(name, value);
            }
        }
        return r;
    }

    private HttpServletRequest request(String method, String path, String query, Map<String, String> params,
            String body) {
        Map<String, Object> attributes = new HashMap<>();
        String[] encoding = { null };
        byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        Map<String, String> hs = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        hs.putAll(headers);
        if (language != null) {
            hs.put("Accept-Language", language);
        }
        return (HttpServletRequest) Proxy.newProxyInstance(Http.class.getClassLoader(),
                new Class<?>[] { HttpServletRequest.class }, (proxy, m, args) -> switch (m.getName()) {
                    case "getMethod" -> method;
                    case "getHeader" -> hs.get((String) args[0]);
                    case "getHeaders" -> java.util.Collections.enumeration(hs.containsKey((String) args[0])
                            ? List.of(hs.get((String) args[0])) : List.of());
                    case "getAttribute" -> attributes.get((String) args[0]);
                    case "setAttribute" -> {
                        attributes.put((String) args[0], args[1]);
                        yield null;
                    }
                    case "removeAttribute" -> attributes.remove((String) args[0]);
                    case "getCookies" -> cookies.isEmpty() ? null : cookies.entrySet().stream().map(e -> new Cookie(
                            e.getKey(), e.getValue())).toArray(Cookie[]::new);
                    case "getParameter" -> params.get((String) args[0]);
                    case "getContextPath" -> "";
                    case "getServletPath" -> path;
                    case "getPathInfo" -> null;
                    case "getRequestURI" -> path;
                    case "getQueryString" -> query;
                    case "getRemoteAddr" -> client;
                    case "getScheme" -> "https";
                    case "getServerName" -> HOST;
                    case "getServerPort" -> 443;
                    case "isSecure" -> true;
                    case "getProtocol" -> "HTTP/1.1";
                    case "getContentType" -> body == null ? "application/x-www-form-urlencoded" : "application/json";
                    case "getCharacterEncoding" -> encoding[0];
                    case "setCharacterEncoding" -> {
                        encoding[0] = (String) args[0];
                        yield null;
                    }
                    case "getInputStream" -> new ServletInputStream() {
                        final ByteArrayInputStream in = new ByteArrayInputStream(content);

                        @Override
                        public boolean isFinished() {
                            return in.available() == 0;
                        }

                        @Override
                        public boolean isReady() {
                            return true;
                        }

                        @Override
                        public void setReadListener(ReadListener l) {
                        }

                        @Override
                        public int read() {
                            return in.read();
                        }
                    };
                    case "toString" -> method + " " + path;
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> throw new UnsupportedOperationException("request." + m.getName());
                });
    }
}
