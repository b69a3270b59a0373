package io.cachet.web.testing;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.Part;

/**
 * The little of a servlet request and response that pages, APIs and console pages use, as proxies; anything else
 * fails the test. For servlet tests without a servlet container: build a request with {@link #request(String, String)}
 * (headers, parameters, cookies, a body or multipart parts), send it with a {@link Response}, read what was sent.
 */
public final class FakeHttp {

    private FakeHttp() {
    }

    /**
     * A request as the customer pages send it, built at once: no servlet path (the whole path is the request's URI).
     *
     * @param cookieName the name of the one cookie the request carries, when {@code cookie} is not null
     * @param cookie its value, or null for a request without cookies
     * @param language the {@code Accept-Language} header, or null
     */
    public static HttpServletRequest request(String method, String path, String pathInfo, Map<String, String> params,
            String cookieName, String cookie, String language) {
        Request r = new Request(method, "", pathInfo).params(params);
        r.uri = path;
        if (cookie != null) {
            r.cookie(cookieName, cookie);
        }
        if (language != null) {
            r.header("Accept-Language", language);
        }
        return r.build();
    }

    /**
     * A request to build, for a servlet registered at {@code path} (its servlet path; no path info).
     *
     * @param path the path, with a query string after {@code ?} if any (its parameters become the request's)
     */
    public static Request request(String method, String path) {
        return new Request(method, path, null);
    }

    /**
     * A request to build, for a servlet registered at {@code servletPath}: its URI is the servlet path then the path
     * info.
     *
     * @param pathInfo the rest of the path, or null; with a query string after {@code ?} if any
     */
    public static Request request(String method, String servletPath, String pathInfo) {
        return new Request(method, servletPath, pathInfo);
    }

    /** Names and values (headers, parameters) in their order, in a map a test may change. */
    public static Map<String, String> map(String... namesAndValues) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            m.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return m;
    }

    /**
     * A request being built. {@link #build} makes the servlet's view of it, which reads this builder: a test may
     * change it and build again. By default it comes from {@code 192.0.2.1} to {@code http://localhost:8080}, without
     * headers, cookies or body.
     */
    public static final class Request {
        /** The method, e.g. {@code GET}. */
        public final String method;
        /** The headers, whatever the case of their names. */
        public final Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        private final Map<String, List<String>> params = new LinkedHashMap<>();
        private final Map<String, String> cookies = new LinkedHashMap<>();
        private final Map<String, Part> parts = new LinkedHashMap<>();
        private final String servletPath;
        private final String pathInfo;
        private final String query;
        private String uri;
        private String remoteAddr = "192.0.2.1";
        private URI server = URI.create("http://localhost:8080");
        private byte[] body = new byte[0];
        private boolean chunked;

        private Request(String method, String servletPath, String pathInfo) {
            this.method = method;
            String last = pathInfo != null ? pathInfo : servletPath;
            int q = last.indexOf('?');
            this.query = q < 0 ? null : last.substring(q + 1);
            this.servletPath = pathInfo != null || q < 0 ? servletPath : servletPath.substring(0, q);
            this.pathInfo = pathInfo == null || q < 0 ? pathInfo : pathInfo.substring(0, q);
            this.uri = this.servletPath + (this.pathInfo == null ? "" : this.pathInfo);
            if (query != null) {
                for (String kv : query.split("&")) {
                    int e = kv.indexOf('=');
                    param(e < 0 ? kv : kv.substring(0, e),
                            e < 0 ? "" : URLDecoder.decode(kv.substring(e + 1), StandardCharsets.UTF_8));
                }
            }
        }

        /** Sets a header; a null value removes it. */
        public Request header(String name, String value) {
            if (value == null) {
                headers.remove(name);
            } else {
                headers.put(name, value);
            }
            return this;
        }

        /** Sets these headers ({@link #header}). */
        public Request headers(Map<String, String> all) {
            all.forEach(this::header);
            return this;
        }

        /** Sets a parameter, with one value or several ({@code getParameterValues}). */
        public Request param(String name, String... values) {
            params.put(name, List.of(values));
            return this;
        }

        /** Sets these parameters, one value each; a null value is no parameter. */
        public Request params(Map<String, String> all) {
            all.forEach((name, value) -> {
                if (value != null) {
                    param(name, value);
                }
            });
            return this;
        }

        /** Adds a cookie the request carries. */
        public Request cookie(String name, String value) {
            cookies.put(name, value);
            return this;
        }

        /** The client's address ({@code getRemoteAddr}). */
        public Request remoteAddr(String address) {
            remoteAddr = address;
            return this;
        }

        /** The server as the request reached it, e.g. {@code https://cachet.example.fr}: scheme, name, port. */
        public Request server(String schemeHostPort) {
            server = URI.create(schemeHostPort);
            return this;
        }

        /** A body of this type (the {@code Content-Type} header unless null), its length declared. */
        public Request body(String contentType, byte[] content) {
            header("Content-Type", contentType);
            body = content;
            return this;
        }

        /** A JSON body ({@code application/json}), its length declared. */
        public Request json(String json) {
            return body("application/json", json.getBytes(StandardCharsets.UTF_8));
        }

        /** Declares no length ({@code -1}), as a chunked upload does. */
        public Request chunked() {
            chunked = true;
            return this;
        }

        /**
         * Adds a part of a multipart form ({@code getPart}, {@code getParts}); the other fields of the form are its
         * parameters. The request becomes a multipart one unless its {@code Content-Type} already says so.
         *
         * @param fileName the submitted file name, or null
         */
        public Request part(String name, String fileName, byte[] content) {
            if (!multipart()) {
                header("Content-Type", "multipart/form-data; boundary=x");
            }
            parts.put(name, (Part) Proxy.newProxyInstance(FakeHttp.class.getClassLoader(), new Class<?>[] {Part.class},
                    (proxy, m, args) -> switch (m.getName()) {
                        case "getName" -> name;
                        case "getSubmittedFileName" -> fileName;
                        case "getSize" -> (long) content.length;
                        case "getInputStream" -> new ByteArrayInputStream(content);
                        case "toString" -> "part " + name;
                        case "hashCode" -> System.identityHashCode(proxy);
                        case "equals" -> proxy == args[0];
                        default -> throw new UnsupportedOperationException("part." + m.getName());
                    }));
            return this;
        }

        private boolean multipart() {
            String type = headers.get("Content-Type");
            return type != null && type.toLowerCase(Locale.ROOT).startsWith("multipart/form-data");
        }

        private long contentLength() {
            long length = body.length;
            for (Part p : parts.values()) {
                length += p.getSize() + 200; // and the part's boundary and headers, about
            }
            return chunked ? -1 : length;
        }

        private Map<String, Part> parts() throws ServletException {
            if (!multipart()) {
                throw new ServletException("not a multipart request");
            }
            return parts;
        }

        /** The request as the servlet sees it. */
        public HttpServletRequest build() {
            Map<String, Object> attributes = new HashMap<>();
            String[] encoding = {null};
            return (HttpServletRequest) Proxy.newProxyInstance(FakeHttp.class.getClassLoader(),
                    new Class<?>[] {HttpServletRequest.class}, (proxy, m, args) -> switch (m.getName()) {
                        case "getMethod" -> method;
                        case "getHeader" -> headers.get((String) args[0]);
                        case "getHeaders" -> Collections.enumeration(headers.containsKey((String) args[0])
                                ? List.of(headers.get((String) args[0])) : List.of());
                        case "getDateHeader" -> headers.containsKey((String) args[0]) ? ZonedDateTime.parse(
                                headers.get((String) args[0]), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant()
                                .toEpochMilli() : -1L;
                        case "getContentType" -> headers.get("Content-Type");
                        case "getContentLengthLong" -> contentLength();
                        case "getContentLength" -> (int) contentLength();
                        case "getInputStream" -> new Body(body);
                        case "getParameter" -> params.containsKey((String) args[0])
                                ? params.get((String) args[0]).get(0) : null;
                        case "getParameterValues" -> params.containsKey((String) args[0])
                                ? params.get((String) args[0]).toArray(String[]::new) : null;
                        case "getPart" -> parts().get((String) args[0]);
                        case "getParts" -> List.copyOf(parts().values());
                        case "getCookies" -> cookies.isEmpty() ? null : cookies.entrySet().stream()
                                .map(e -> new Cookie(e.getKey(), e.getValue())).toArray(Cookie[]::new);
                        case "getAttribute" -> attributes.get((String) args[0]);
                        case "setAttribute" -> {
                            attributes.put((String) args[0], args[1]);
                            yield null;
                        }
                        case "removeAttribute" -> {
                            attributes.remove((String) args[0]);
                            yield null;
                        }
                        case "getContextPath" -> "";
                        case "getServletPath" -> servletPath;
                        case "getPathInfo" -> pathInfo;
                        case "getRequestURI" -> uri;
                        case "getQueryString" -> query;
                        case "getRemoteAddr" -> remoteAddr;
                        case "getProtocol" -> "HTTP/1.1";
                        case "getScheme" -> server.getScheme();
                        case "getServerName" -> server.getHost();
                        case "getServerPort" -> server.getPort() >= 0 ? server.getPort()
                                : "https".equals(server.getScheme()) ? 443 : 80;
                        case "isSecure" -> "https".equals(server.getScheme());
                        case "getCharacterEncoding" -> encoding[0];
                        case "setCharacterEncoding" -> {
                            encoding[0] = (String) args[0];
                            yield null;
                        }
                        case "toString" -> method + " " + uri;
                        case "hashCode" -> System.identityHashCode(proxy);
                        case "equals" -> proxy == args[0];
                        default -> throw new UnsupportedOperationException("request." + m.getName());
                    });
        }
    }

    /** A request's body, read from memory at once (blocking reads only). */
    private static final class Body extends ServletInputStream {
        private final byte[] bytes;
        private int next;

        Body(byte[] bytes) {
            this.bytes = bytes;
        }

        @Override
        public void setReadListener(ReadListener listener) {
            throw new UnsupportedOperationException("blocking reads only");
        }

        @Override
        public boolean isFinished() {
            return next == bytes.length;
        }

        @Override
        public int read() {
            return isFinished() ? -1 : bytes[next++] & 0xff;
        }

        @Override
        public boolean isReady() {
            return true;
        }
    }

    /** A response that keeps what was sent. */
    public static class Response {
        public int status = 200;
        public final Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        /** Each {@code Set-Cookie} header, in order. */
        public final List<String> cookies = new ArrayList<>();
        /** What was written through {@code getWriter}. */
        public final StringWriter body = new StringWriter();
        /** What was written through {@code getOutputStream} (a download). */
        public final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        /** True once the answer was flushed, an error or a redirect sent. */
        public boolean committed;
        public final HttpServletResponse proxy;

        public Response() {
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
                    throw new UnsupportedOperationException("blocking only");
                }
            };
            proxy = (HttpServletResponse) Proxy.newProxyInstance(FakeHttp.class.getClassLoader(),
                    new Class<?>[] {HttpServletResponse.class}, (p, m, args) -> switch (m.getName()) {
                        case "setStatus" -> {
                            status = (Integer) args[0];
                            yield null;
                        }
                        case "sendError" -> {
                            status = (Integer) args[0];
                            committed = true;
                            yield null;
                        }
                        case "sendRedirect" -> {
                            status = 302;
                            headers.put("Location", (String) args[0]);
                            committed = true;
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
                        case "setContentLength", "setContentLengthLong" -> {
                            headers.put("Content-Length", String.valueOf(args[0]));
                            yield null;
                        }
                        case "setCharacterEncoding", "setLocale", "setBufferSize", "setDateHeader", "setIntHeader",
                                "addCookie" -> null;
                        case "resetBuffer" -> {
                            body.getBuffer().setLength(0);
                            bytes.reset();
                            yield null;
                        }
                        case "reset" -> {
                            body.getBuffer().setLength(0);
                            bytes.reset();
                            headers.clear();
                            cookies.clear();
                            status = 200;
                            yield null;
                        }
                        case "flushBuffer" -> {
                            writer.flush();
                            committed = true;
                            yield null;
                        }
                        case "isCommitted" -> committed;
                        case "getWriter" -> writer;
                        case "getOutputStream" -> out;
                        case "toString" -> "response";
                        case "hashCode" -> System.identityHashCode(p);
                        case "equals" -> p == args[0];
                        default -> throw new UnsupportedOperationException("response." + m.getName());
                    });
        }

        /** What was sent: the text written, then the bytes (as UTF-8). */
        public String body() {
            return body.toString() + bytes.toString(StandardCharsets.UTF_8);
        }

        /** The value of the cookie {@code name} that the answer sets (the last one), or null. */
        public String cookie(String name) {
            String value = null;
            for (String c : cookies) {
                if (c.startsWith(name + "=")) {
                    int end = c.indexOf(';');
                    value = c.substring(name.length() + 1, end < 0 ? c.length() : end);
                }
            }
            return value;
        }

        /** The value of the field {@code name} of the form posting to {@code action}; fails the test if none. */
        public String field(String action, String name) {
            Matcher form = Pattern.compile("<form[^>]*action=\"" + Pattern.quote(action) + "\"[^>]*>(.*?)</form>",
                    Pattern.DOTALL).matcher(body());
            if (!form.find()) {
                throw new AssertionError("no form to " + action + " in " + body());
            }
            Matcher f = Pattern.compile("name=\"" + Pattern.quote(name) + "\" value=\"([^\"]*)\"").matcher(
                    form.group(1));
            if (!f.find()) {
                throw new AssertionError("no field " + name + " in the form to " + action);
            }
            return f.group(1);
        }
    }
}
