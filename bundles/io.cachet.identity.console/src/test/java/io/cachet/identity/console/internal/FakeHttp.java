package io.cachet.identity.console.internal;

import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/** Just enough of a servlet request and response, as dynamic proxies; anything else fails the test. */
final class FakeHttp {

    private FakeHttp() {
    }

    static HttpServletRequest request(String method, String pathInfo, Map<String, String> headers,
            Map<String, String> params) {
        Map<String, String> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        h.putAll(headers);
        Map<String, Object> attributes = new HashMap<>();
        String[] encoding = {null};
        String uri = IdentityReviewServlet.PATH + (pathInfo == null ? "" : pathInfo);
        return (HttpServletRequest) Proxy.newProxyInstance(FakeHttp.class.getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (proxy, m, args) -> switch (m.getName()) {
                    case "getMethod" -> method;
                    case "getHeader" -> h.get((String) args[0]);
                    case "getParameter" -> params.get((String) args[0]);
                    case "getParameterValues" -> params.get((String) args[0]) == null ? null
                            : new String[] {params.get((String) args[0])};
                    case "getContextPath" -> "";
                    case "getServletPath" -> IdentityReviewServlet.PATH;
                    case "getPathInfo" -> pathInfo;
                    case "getRequestURI" -> uri;
                    case "getQueryString" -> null;
                    case "getCookies" -> null;
                    case "getProtocol" -> "HTTP/1.1";
                    case "getRemoteAddr" -> "192.0.2.10";
                    case "isSecure" -> false;
                    case "getCharacterEncoding" -> encoding[0];
                    case "setCharacterEncoding" -> { encoding[0] = (String) args[0]; yield null; }
                    case "getAttribute" -> attributes.get((String) args[0]);
                    case "setAttribute" -> { attributes.put((String) args[0], args[1]); yield null; }
                    case "toString" -> method + " " + uri;
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
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        boolean committed;
        final HttpServletResponse proxy;

        Response() {
            PrintWriter writer = new PrintWriter(body);
            ServletOutputStream out = new ServletOutputStream() {
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
                public void setWriteListener(WriteListener listener) {
                }
            };
            proxy = (HttpServletResponse) Proxy.newProxyInstance(FakeHttp.class.getClassLoader(),
                    new Class<?>[] {HttpServletResponse.class}, (p, m, args) -> switch (m.getName()) {
                        case "setStatus" -> { status = (Integer) args[0]; yield null; }
                        case "sendError" -> { status = (Integer) args[0]; committed = true; yield null; }
                        case "getStatus" -> status;
                        case "setHeader", "addHeader" -> { headers.put((String) args[0], (String) args[1]); yield null; }
                        case "containsHeader" -> headers.containsKey((String) args[0]);
                        case "resetBuffer", "reset" -> { body.getBuffer().setLength(0); bytes.reset(); yield null; }
                        case "getHeader" -> headers.get((String) args[0]);
                        case "setContentType" -> { headers.put("Content-Type", (String) args[0]); yield null; }
                        case "setCharacterEncoding", "setLocale", "setBufferSize" -> null;
                        case "setContentLength" -> { headers.put("Content-Length", String.valueOf(args[0])); yield null; }
                        case "getWriter" -> writer;
                        case "getOutputStream" -> out;
                        case "flushBuffer" -> { writer.flush(); committed = true; yield null; }
                        case "isCommitted" -> committed;
                        case "toString" -> "response";
                        case "hashCode" -> System.identityHashCode(p);
                        case "equals" -> p == args[0];
                        default -> throw new UnsupportedOperationException("response." + m.getName());
                    });
        }

        String body() {
            return body.toString() + bytes.toString(StandardCharsets.ISO_8859_1);
        }
    }
}
