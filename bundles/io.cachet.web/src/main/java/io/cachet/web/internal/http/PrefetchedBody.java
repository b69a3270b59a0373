package io.cachet.web.internal.http;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import org.eclipse.jetty.http.BadMessageException;
import org.eclipse.jetty.util.MultiMap;
import org.eclipse.jetty.util.UrlEncoded;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;

/**
 * A small request body read as soon as the request arrives, then served from memory. Jetty's minimum request data
 * rate ({@link JettyLimits}) is measured from the body's first byte to each read, whether or not the whole body
 * has already arrived: a 28-byte form read 30 ms late (a busy machine, a database lookup before the read) looks
 * like 1 KiB/s too slow and ends in 408. Reading bodies of announced length up to {@link #MAX} at once keeps the
 * rate check for what it is for — bodies that really trickle in — without failing small requests on the server's
 * own delays. Multipart bodies are left to the container, whose part parser reads the stream itself.
 *
 * <p>Form fields ({@code application/x-www-form-urlencoded}) are parsed here with Jetty's own decoder, since the
 * container can no longer read them; a malformed one is the same {@link BadMessageException} (400) the container
 * would raise. The query string's parameters come first, as the servlet specification has it.
 */
final class PrefetchedBody extends HttpServletRequestWrapper {

    /** Bodies up to this size are read at once: every JSON request and form of the server fits. */
    static final int MAX = 256 * 1024;

    private final byte[] body;
    private Map<String, String[]> parameters;
    private boolean streamOpened;
    private boolean readerOpened;

    private PrefetchedBody(HttpServletRequest request, byte[] body) {
        super(request);
        this.body = body;
    }

    /**
     * The request with its body read, or the request itself when its body is not a small one of known length. A
     * request without a body (no length, not chunked: every GET) gets an empty one without asking Jetty, whose rate
     * check, reached through a framework's "is there a body?" read (Jersey's), answered 408 to GETs on a busy server.
     */
    static HttpServletRequest of(HttpServletRequest request) throws IOException {
        long length = request.getContentLengthLong();
        String type = request.getContentType();
        boolean chunked = request.getHeader("Transfer-Encoding") != null;
        if (length <= 0 && !chunked) {
            return new PrefetchedBody(request, new byte[0]);
        }
        if (length <= 0 || length > MAX
                || type != null && type.toLowerCase(Locale.ROOT).startsWith("multipart/")) {
            return request;
        }
        ServletInputStream in = request.getInputStream();
        byte[] body = in.readNBytes((int) length);
        readEnd(in, body.length == length);
        return new PrefetchedBody(request, body);
    }

    /**
     * Reads the body's end now: Jetty checks the rate again when a read reaches the end. Once every announced byte has
     * arrived ({@code complete}), a 408 from that check says only that this server paused between the last byte and
     * this read (a garbage collection, a busy core: 25 ms is "below 1 KiB/s" for a 26-byte body, as CI saw under
     * load); the body is whole, so it is kept. A body still short of its length keeps Jetty's verdict.
     */
    static void readEnd(ServletInputStream in, boolean complete) throws IOException {
        try {
            in.read();
        } catch (BadMessageException e) {
            if (!complete || e.getCode() != 408) {
                throw e;
            }
        }
    }

    /**
     * Zeroes the copy once the request is answered: a body may hold a secret (the root PIN of the ARL ceremony, a
     * password form). Form fields already decoded are strings, which the garbage collector alone reclaims.
     */
    static void wipe(HttpServletRequest request) {
        if (request instanceof PrefetchedBody prefetched) {
            java.util.Arrays.fill(prefetched.body, (byte) 0);
        }
    }

    @Override
    public ServletInputStream getInputStream() {
        if (readerOpened) {
            throw new IllegalStateException("getReader() was called on this request");
        }
        streamOpened = true;
        return new Stream(body);
    }

    @Override
    public BufferedReader getReader() {
        if (streamOpened) {
            throw new IllegalStateException("getInputStream() was called on this request");
        }
        readerOpened = true;
        return new BufferedReader(new InputStreamReader(new ByteArrayInputStream(body), charset()));
    }

    @Override
    public String getParameter(String name) {
        String[] values = parameters().get(name);
        return values == null || values.length == 0 ? null : values[0];
    }

    @Override
    public Map<String, String[]> getParameterMap() {
        return parameters();
    }

    @Override
    public Enumeration<String> getParameterNames() {
        return Collections.enumeration(parameters().keySet());
    }

    @Override
    public String[] getParameterValues(String name) {
        String[] values = parameters().get(name);
        return values == null ? null : values.clone();
    }

    private synchronized Map<String, String[]> parameters() {
        if (parameters != null) {
            return parameters;
        }
        // the container's own: the query string's (it finds the body already read, so no form fields)
        Map<String, String[]> all = new LinkedHashMap<>(super.getParameterMap());
        String type = getContentType();
        if (type != null && type.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded")
                && !streamOpened && !readerOpened) {
            MultiMap<String> form = new MultiMap<>();
            try {
                UrlEncoded.decodeTo(new String(body, StandardCharsets.ISO_8859_1), form, charset());
            } catch (IllegalArgumentException e) {
                throw new BadMessageException(400, "Unable to parse form content", e);
            }
            for (Map.Entry<String, java.util.List<String>> field : form.entrySet()) {
                String[] before = all.get(field.getKey());
                String[] values = field.getValue().toArray(String[]::new);
                if (before == null) {
                    all.put(field.getKey(), values);
                } else {
                    String[] merged = java.util.Arrays.copyOf(before, before.length + values.length);
                    System.arraycopy(values, 0, merged, before.length, values.length);
                    all.put(field.getKey(), merged);
                }
            }
        }
        parameters = Collections.unmodifiableMap(all);
        return parameters;
    }

    private Charset charset() {
        String name = getCharacterEncoding();
        if (name == null) {
            return StandardCharsets.UTF_8;
        }
        try {
            return Charset.forName(name);
        } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
            throw new BadMessageException(400, "Unsupported character encoding " + name, e);
        }
    }

    /** The body from memory; never blocks, so a read listener is told at once that everything is there. */
    private static final class Stream extends ServletInputStream {
        private final ByteArrayInputStream in;

        Stream(byte[] body) {
            this.in = new ByteArrayInputStream(body);
        }

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
        public void setReadListener(ReadListener listener) {
            try {
                if (!isFinished()) {
                    listener.onDataAvailable();
                }
                listener.onAllDataRead();
            } catch (IOException e) {
                listener.onError(e);
            }
        }
    }
}
