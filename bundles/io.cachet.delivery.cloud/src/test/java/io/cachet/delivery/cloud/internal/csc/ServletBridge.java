package io.cachet.delivery.cloud.internal.csc;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Proxy;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Map;
import java.util.TreeMap;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * A real HTTP server (the JDK's) on a random port of 127.0.0.1 that hands every request under a path to a servlet, as
 * the HTTP whiteboard would: only what {@link CscServlet} uses of the servlet API is there; anything else fails the
 * test.
 */
final class ServletBridge implements AutoCloseable {

    private final HttpServer server;
    private final String prefix;

    ServletBridge(String prefix, HttpServlet servlet) throws IOException {
        this.prefix = prefix;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext(prefix + "/", exchange -> {
            try (exchange) {
                serve(servlet, exchange);
            }
        });
        server.start();
    }

    URI base() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + prefix + "/");
    }

    private void serve(HttpServlet servlet, HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        String path = exchange.getRequestURI().getRawPath();
        String pathInfo = path.substring(prefix.length());
        InputStream in = new ByteArrayInputStream(body);
        String length = exchange.getRequestHeaders().getFirst("Content-Length");
        HttpServletRequest request = (HttpServletRequest) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] { HttpServletRequest.class }, (p, m, args) -> switch (m.getName()) {
                    case "getMethod" -> exchange.getRequestMethod();
                    case "getPathInfo" -> pathInfo;
                    case "getRequestURI" -> path;
                    case "getHeader" -> exchange.getRequestHeaders().getFirst((String) args[0]);
                    case "getRemoteAddr" -> exchange.getRemoteAddress().getAddress().getHostAddress();
                    case "getContentLengthLong" -> length == null ? -1L : Long.parseLong(length);
                    case "getInputStream" -> new ServletInputStream() {
                        @Override
                        public int read() throws IOException {
                            return in.read();
                        }

                        @Override
                        public int read(byte[] b, int off, int len) throws IOException {
                            return in.read(b, off, len);
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
                    case "toString" -> exchange.getRequestMethod() + " " + path;
                    case "hashCode" -> System.identityHashCode(p);
                    case "equals" -> p == args[0];
                    default -> throw new UnsupportedOperationException("request." + m.getName());
                });
        int[] status = { 200 };
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        HttpServletResponse response = (HttpServletResponse) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] { HttpServletResponse.class }, (p, m, args) -> switch (m.getName()) {
                    case "setStatus" -> {
                        status[0] = (Integer) args[0];
                        yield null;
                    }
                    case "setHeader" -> {
                        headers.put((String) args[0], (String) args[1]);
                        yield null;
                    }
                    case "setContentType" -> {
                        headers.put("Content-Type", (String) args[0]);
                        yield null;
                    }
                    case "setCharacterEncoding", "setContentLength" -> null;
                    case "getOutputStream" -> new ServletOutputStream() {
                        @Override
                        public void write(int b) {
                            out.write(b);
                        }

                        @Override
                        public boolean isReady() {
                            return true;
                        }

                        @Override
                        public void setWriteListener(WriteListener listener) {
                            throw new UnsupportedOperationException();
                        }
                    };
                    case "toString" -> "response";
                    case "hashCode" -> System.identityHashCode(p);
                    case "equals" -> p == args[0];
                    default -> throw new UnsupportedOperationException("response." + m.getName());
                });
        try {
            servlet.service(request, response);
        } catch (jakarta.servlet.ServletException e) {
            throw new IOException(e);
        }
        headers.forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
        byte[] bytes = out.toByteArray();
        exchange.sendResponseHeaders(status[0], bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream o = exchange.getResponseBody()) {
                o.write(bytes);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
