package io.cachet.delivery.cloud.internal.csc;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.cachet.web.testing.FakeHttp;

import jakarta.servlet.http.HttpServlet;

/**
 * A real HTTP server (the JDK's) on a random port of 127.0.0.1 that hands every request under a path to a servlet, as
 * the HTTP whiteboard would, as {@link FakeHttp}'s request and response.
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
        String path = exchange.getRequestURI().getRawPath();
        FakeHttp.Request request = FakeHttp.request(exchange.getRequestMethod(), prefix,
                path.substring(prefix.length())).remoteAddr(exchange.getRemoteAddress().getAddress().getHostAddress());
        exchange.getRequestHeaders().forEach((name, values) -> request.header(name, values.get(0)));
        request.body(request.headers.get("Content-Type"), exchange.getRequestBody().readAllBytes());
        if (request.headers.get("Content-Length") == null) {
            request.chunked();
        }
        FakeHttp.Response response = new FakeHttp.Response();
        try {
            servlet.service(request.build(), response.proxy);
        } catch (jakarta.servlet.ServletException e) {
            throw new IOException(e);
        }
        response.headers.forEach((k, v) -> {
            if (!k.equalsIgnoreCase("Content-Length")) {
                exchange.getResponseHeaders().set(k, v);
            }
        });
        byte[] bytes = response.bytes.toByteArray();
        exchange.sendResponseHeaders(response.status, bytes.length == 0 ? -1 : bytes.length);
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
