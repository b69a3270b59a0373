package io.cachet.web.internal.http;

import java.io.IOException;

import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The part of a request body a servlet left unread, once it has answered. A servlet that refuses a body (413,
 * 401, 404 …) answers before reading it; Jetty then closes the connection while the client is still sending,
 * and many clients (Java's HttpClient among them) report the reset instead of the answer. Reading and dropping
 * a bounded remainder lets the client finish sending, read the answer and keep its connection. A remainder
 * announced or found to be over {@link #MAX_DRAINED} is not read: the connection closes, as before. Jetty has
 * no setting for this, hence this small class.
 */
final class UnreadBody {

    static final long MAX_DRAINED = 1024 * 1024;

    private UnreadBody() {
    }

    /** Before an answer is written: reads and drops the body, up to {@link #MAX_DRAINED} bytes. */
    static void before(HttpServletRequest request, HttpServletResponse response) {
        drain(request, response, false);
    }

    /**
     * Once a servlet has answered: sends the answer (a client may wait for it before sending the rest), then
     * reads and drops what is left of the body, up to {@link #MAX_DRAINED} bytes.
     */
    static void after(HttpServletRequest request, HttpServletResponse response) {
        drain(request, response, true);
    }

    /**
     * A remainder too large to drain closes the connection, and says so while the answer can still carry the
     * header, so no client reuses it.
     */
    private static void drain(HttpServletRequest request, HttpServletResponse response, boolean answered) {
        long declared = request.getContentLengthLong();
        boolean chunked = "chunked".equalsIgnoreCase(request.getHeader("Transfer-Encoding"));
        if (declared <= 0 && !chunked) {
            return;
        }
        try {
            ServletInputStream in = request.getInputStream();
            if (in.isFinished()) {
                return;
            }
            if (declared > MAX_DRAINED) {
                closeAfter(response);
                return;
            }
            if (answered) {
                response.flushBuffer();
            }
            byte[] buffer = new byte[8192];
            long left = MAX_DRAINED;
            int n = 0;
            while (left > 0 && (n = in.read(buffer, 0, (int) Math.min(buffer.length, left))) >= 0) {
                left -= n;
            }
            if (n >= 0 && !in.isFinished()) {
                closeAfter(response);
            }
        } catch (IOException | RuntimeException e) {
            // the body was read through getReader() (IllegalStateException), the client went away, or sends too
            // slowly (Jetty's BadMessageException): nothing more to drain
        }
    }

    private static void closeAfter(HttpServletResponse response) {
        if (!response.isCommitted()) {
            response.setHeader("Connection", "close");
        }
    }
}
