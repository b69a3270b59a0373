package io.cachet.web.internal.http;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.eclipse.jetty.server.ConnectionLimit;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.servlet.ServletContextHandler;
import org.eclipse.jetty.servlet.ServletHolder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/** The limits on the Jetty 11 the runtime uses, over real sockets. */
class JettyLimitsTest {

    private Server server;
    private int port;
    private final List<Socket> sockets = new ArrayList<>();

    private void start(JettyLimits limits) throws Exception {
        server = new Server(new InetSocketAddress("127.0.0.1", 0));
        ServletContextHandler handler = new ServletContextHandler();
        handler.addServlet(new ServletHolder(new HttpServlet() {
            @Override
            protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                limits.applyOnce(req);
                if (req.getRequestURI().startsWith("/pause")) {
                    // the whole body read, then this server pauses before the read that meets its end
                    jakarta.servlet.ServletInputStream in = req.getInputStream();
                    byte[] body = in.readNBytes(req.getContentLength());
                    try {
                        Thread.sleep(PAUSE_MILLIS); // the pause is the case under test, not a wait for something
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    if (req.getRequestURI().equals("/pause/kept")) {
                        PrefetchedBody.readEnd(in, body.length == req.getContentLength());
                    } else {
                        in.read();
                    }
                } else {
                    req.getInputStream().readAllBytes();
                }
                resp.setContentType("text/plain");
                resp.getWriter().write("ok");
            }
        }), "/*");
        server.setHandler(handler);
        server.start();
        port = ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    }

    @AfterEach
    void stop() throws Exception {
        for (Socket s : sockets) {
            s.close();
        }
        if (server != null) {
            server.stop();
        }
    }

    private Socket open() throws IOException {
        Socket s = new Socket("127.0.0.1", port);
        sockets.add(s);
        return s;
    }

    private static void send(Socket s, String request) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write(request.getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    private static String get() {
        return "GET /x HTTP/1.1\r\nHost: localhost\r\n\r\n";
    }

    /** Reads one small response whole (the servlet answers "ok" with a content length). */
    private static String answer(Socket s, int timeoutMillis) throws IOException {
        s.setSoTimeout(timeoutMillis);
        InputStream in = s.getInputStream();
        StringBuilder b = new StringBuilder();
        while (!(b.indexOf("\r\n\r\n") > 0 && (b.toString().endsWith("ok") || b.indexOf(" 408 ") > 0))) {
            int c = in.read();
            if (c < 0) {
                break;
            }
            b.append((char) c);
        }
        return b.toString();
    }

    @Test
    void beyondTheCapNoConnectionIsServedUntilOneCloses() throws Exception {
        start(new JettyLimits(2, 0));
        Socket first = open();
        send(first, get());
        assertTrue(answer(first, 10_000).startsWith("HTTP/1.1 200"), "the first request applies the limits");
        assertTrue(server.getBean(ConnectionLimit.class) != null);

        Socket a = open();
        send(a, get());
        assertTrue(answer(a, 10_000).startsWith("HTTP/1.1 200"));
        Socket b = open();
        send(b, get());
        assertTrue(answer(b, 10_000).startsWith("HTTP/1.1 200"));

        // Jetty's cap stops the acceptors; one already waiting in accept() may still take one more connection
        int acceptors = ((ServerConnector) server.getConnectors()[0]).getAcceptors();
        List<Socket> over = new ArrayList<>();
        for (int i = 0; i < acceptors + 2; i++) {
            Socket s = open();
            send(s, get());
            over.add(s);
        }
        List<Socket> served = new ArrayList<>();
        List<Socket> waiting = new ArrayList<>();
        for (Socket s : over) {
            try {
                if (answer(s, 1_500).startsWith("HTTP/1.1 200")) {
                    served.add(s);
                }
            } catch (SocketTimeoutException notServed) {
                waiting.add(s);
            }
        }
        assertTrue(served.size() <= acceptors, served.size() + " connections over the cap were served");
        assertFalse(waiting.isEmpty());
        // every connection but the first closes: one a waiting acceptor took over the cap counts too, else the
        // first and that one would still fill the cap of 2 and nothing more would be served
        a.close();
        b.close();
        for (Socket s : served) {
            s.close();
        }
        for (Socket s : waiting) {
            assertTrue(answer(s, 20_000).startsWith("HTTP/1.1 200"), "served once others closed");
            s.close(); // making room for the next one waiting
        }
    }

    private static final long PAUSE_MILLIS = 200;

    /**
     * A 26-byte body that arrived whole, then a 200 ms pause of the server's own before the read of its end: Jetty's
     * rate check (1000 B/s over 200 ms wants 200 bytes) ends the plain read with 408; PrefetchedBody.readEnd keeps it.
     */
    @Test
    void aWholeSmallBodyIsKeptAfterAPauseOfTheServer() throws Exception {
        start(new JettyLimits(0, 1000));
        String body = "{\"reason\":\"keyCompromise\"}";
        for (String path : new String[] { "/pause/plain", "/pause/kept" }) {
            Socket s = open();
            send(s, "POST " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + body.length() + "\r\n\r\n" + body);
            String answer = answer(s, 10_000);
            if (path.endsWith("plain")) {
                assertTrue(answer.startsWith("HTTP/1.1 408"), "Jetty's own verdict, which the case relies on: " + answer);
            } else {
                assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
            }
        }
    }

    @Test
    void aBodyTrickledBelowTheMinimumRateIsEndedWith408() throws Exception {
        start(new JettyLimits(0, 1000));
        Socket first = open();
        send(first, get());
        assertTrue(answer(first, 10_000).startsWith("HTTP/1.1 200"));

        Socket slow = open();
        send(slow, "POST /x HTTP/1.1\r\nHost: localhost\r\nContent-Length: 100000\r\n\r\n");
        boolean ended = false;
        // 1 byte every 50 ms is 20 bytes/s, far below 1000: Jetty ends it at the first read after a second
        for (int i = 0; i < 400 && !ended; i++) {
            try {
                send(slow, "x");
                Thread.sleep(50);
                ended = slow.getInputStream().available() > 0;
            } catch (IOException closed) {
                ended = true;
            }
        }
        assertTrue(ended, "the slow body was still being accepted after 400 bytes");
        String answer;
        try {
            answer = answer(slow, 10_000);
        } catch (IOException closed) {
            answer = "closed";
        }
        assertTrue(answer.startsWith("HTTP/1.1 408") || answer.equals("closed") || answer.isEmpty(), answer);
    }

}
