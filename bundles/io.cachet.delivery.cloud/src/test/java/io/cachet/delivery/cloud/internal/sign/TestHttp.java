package io.cachet.delivery.cloud.internal.sign;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * A servlet request and response for the servlets' tests, as proxies (anything the servlets do not use fails the
 * test): headers, cookies, form parameters, a body, the path as the whiteboard splits it.
 */
final class TestHttp {

    private TestHttp() {
    }

    /** A request being built. */
    static final class Request {
        final String method;
        final String path;
        final Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        final Map<String, String> params = new LinkedHashMap<>();
        final Map<String, String> cookies = new LinkedHashMap<>();
        byte[] body = new byte[0];
        String query;
        String servletPath;
        String pathInfo;
        String partName;
        String partFileName;
        byte[] partContent;

        Request(String method, String path) {
            this.method = method;
            int q = path.indexOf('?');
            this.path = q < 0 ? path : path.substring(0, q);
            this.query = q < 0 ? null : path.substring(q + 1);
            if (query != null) {
                for (String kv : query.split("&")) {
                    int e = kv.indexOf('=');
                    params.put(e < 0 ? kv : kv.substring(0, e), e < 0 ? "" : java.net.URLDecoder.decode(
                            kv.substring(e + 1), StandardCharsets.UTF_8));
                }
            }
        }

        Request header(String name, String value) {
            headers.put(name, value);
            return this;
        }

        Request cookie(String name, String value) {
            cookies.put(name, value);
            return this;
        }

        Request param(String name, String value) {
            params.put(name, value);
            return this;
        }

        Request body(String contentType, byte[] content) {
            headers.put("Content-Type", contentType);
            body = content;
            return this;
        }

        /** A multipart form with one file (and the parameters as its other fields). */
        Request file(String name, String fileName, byte[] content) {
            headers.put("Content-Type", "multipart/form-data; boundary=x");
            partName = name;
            partFileName = fileName;
            partContent = content;
            body = new byte[content.length + 200];
            return this;
        }

        Request json(String json) {
            return body("application/json", json.getBytes(StandardCharsets.UTF_8));
        }

        HttpServletRequest build() {
            Map<String, Object> attributes = new HashMap<>();
            String[] encoding = { null };
            return (HttpServletRequest) Proxy.newProxyInstance(TestHttp.class.getClassLoader(),
                    new Class<?>[] { HttpServletRequest.class }, (proxy, m, args) -> switch (m.getName()) {
                        case "getMethod" -> method;
                        case "getHeader" -> headers.get((String) args[0]);
                        case "getHeaders" -> headers.containsKey((String) args[0])
                                ? Collections.enumeration(List.of(headers.get((String) args[0])))
                                : Collections.emptyEnumeration();
                        case "getContentType" -> headers.get("Content-Type");
                        case "getContentLengthLong" -> (long) body.length;
                        case "getContentLength" -> body.length;
                        case "getAttribute" -> attributes.get((String) args[0]);
                        case "setAttribute" -> {
                            attributes.put((String) args[0], args[1]);
                            yield null;
                        }
                        case "removeAttribute" -> {
                            attributes.remove((String) args[0]);
                            yield null;
                        }
                        case "getCookies" -> cookies.isEmpty() ? null : cookies.entrySet().stream()
                                .map(e -> new Cookie(e.getKey(), e.getValue())).toArray(Cookie[]::new);
                        case "getParameter" -> params.get((String) args[0]);
                        case "getContextPath" -> "";
                        case "getServletPath" -> servletPath != null ? servletPath : path;
                        case "getPathInfo" -> servletPath != null ? pathInfo : null;
                        case "getRequestURI" -> path;
                        case "getQueryString" -> query;
                        case "getRemoteAddr" -> "192.0.2.1";
                        case "getDateHeader" -> -1L;
                        case "getProtocol" -> "HTTP/1.1";
                        case "getScheme" -> "http";
                        case "getServerName" -> "localhost";
                        case "getServerPort" -> 8080;
                        case "isSecure" -> false;
                        case "getCharacterEncoding" -> encoding[0];
                        case "setCharacterEncoding" -> {
                            encoding[0] = (String) args[0];
                            yield null;
                        }
                        case "getInputStream" -> input(body);
                        case "getPart" -> {
                            if (partName == null) {
                                throw new jakarta.servlet.ServletException("not multipart");
                            }
                            yield args[0].equals(partName) ? part(partFileName, partContent) : null;
                        }
                        case "toString" -> method + " " + path;
                        case "hashCode" -> System.identityHashCode(proxy);
                        case "equals" -> proxy == args[0];
                        default -> throw new UnsupportedOperationException("request." + m.getName());
                    });
        }
    }

    private static jakarta.servlet.http.Part part(String fileName, byte[] content) {
        return (jakarta.servlet.http.Part) Proxy.newProxyInstance(TestHttp.class.getClassLoader(),
                new Class<?>[] { jakarta.servlet.http.Part.class }, (proxy, m, args) -> switch (m.getName()) {
                    case "getSubmittedFileName" -> fileName;
                    case "getSize" -> (long) content.length;
                    case "getInputStream" -> new ByteArrayInputStream(content);
                    case "getName" -> "file";
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> throw new UnsupportedOperationException("part." + m.getName());
                });
    }

    private static ServletInputStream input(byte[] body) {
        ByteArrayInputStream in = new ByteArrayInputStream(body);
        return new ServletInputStream() {
            @Override
            public int read() {
                return in.read();
            }

            @Override
            public int read(byte[] b, int off, int len) {
                return in.read(b, off, len);
            }

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
                throw new UnsupportedOperationException();
            }
        };
    }

    /** A response that keeps what was sent. */
    static final class Response {
        int status = 200;
        final Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        final List<String> cookies = new ArrayList<>();
        final StringWriter text = new StringWriter();
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final HttpServletResponse proxy;
        String redirect;

        Response() {
            PrintWriter writer = new PrintWriter(text, true);
            ServletOutputStream out = new ServletOutputStream() {
                @Override
                public void write(int b) {
                    bytes.write(b);
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setWriteListener(WriteListener l) {
                    throw new UnsupportedOperationException();
                }
            };
            proxy = (HttpServletResponse) Proxy.newProxyInstance(TestHttp.class.getClassLoader(),
                    new Class<?>[] { HttpServletResponse.class }, (p, m, args) -> switch (m.getName()) {
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
                        case "sendRedirect" -> {
                            status = 302;
                            redirect = (String) args[0];
                            headers.put("Location", redirect);
                            yield null;
                        }
                        case "setContentLength" -> {
                            headers.put("Content-Length", String.valueOf(args[0]));
                            yield null;
                        }
                        case "sendError" -> {
                            status = (Integer) args[0];
                            yield null;
                        }
                        case "setDateHeader", "setIntHeader", "setContentLengthLong" -> null;
                        case "setCharacterEncoding", "addCookie", "resetBuffer", "flushBuffer" -> null;
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
            return text.toString() + (bytes.size() > 0 && text.toString().isEmpty()
                    ? new String(bytes.toByteArray(), StandardCharsets.ISO_8859_1) : "");
        }
    }
}
