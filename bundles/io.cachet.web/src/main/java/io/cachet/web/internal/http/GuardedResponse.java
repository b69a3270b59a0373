package io.cachet.web.internal.http;

import java.io.IOException;
import java.util.Arrays;
import java.util.UUID;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;

/**
 * The response every servlet of the server writes to. {@code sendError} — called by servlets, by the HTTP
 * runtime when a servlet throws (after it put the exception in the request) and by {@code HttpServlet} for a
 * method it does not serve — ends in {@link ErrorPage} instead of the container's HTML page, which would name
 * servlet classes and print the stack trace. An {@code Allow} header never offers {@code TRACE}. While Cachet starts
 * (or stops), a 404 sent this way (the HTTP runtime's answer for an address no servlet serves, and Jersey's for a
 * path no resource serves) is a 503 with {@code Retry-After}: what serves that address may not be registered yet.
 */
final class GuardedResponse extends HttpServletResponseWrapper {

    private static final Logger LOG = LoggerFactory.getLogger(GuardedResponse.class);

    static final String STARTING = "Cachet is starting (or stopping) and does not serve this address now. Send the"
            + " request again in a moment (Retry-After); GET /health answers 200 once Cachet is ready.";

    private final HttpServletRequest request;
    private final boolean starting;

    /** @param starting Cachet has not finished starting, or is stopping: a 404 is then a 503 and Retry-After */
    GuardedResponse(HttpServletRequest request, HttpServletResponse response, boolean starting) {
        super(response);
        this.request = request;
        this.starting = starting;
    }

    @Override
    public void sendError(int status) throws IOException {
        sendError(status, null);
    }

    /** The message is not shown: containers and libraries put internals there. */
    @Override
    public void sendError(int status, String ignoredMessage) throws IOException {
        if (isCommitted()) {
            throw new IllegalStateException("the response is already committed");
        }
        Throwable failure = (Throwable) request.getAttribute(RequestDispatcher.ERROR_EXCEPTION);
        String description = null;
        if (failure != null && tooSlow(failure)) {
            status = 408;
            description = "The request body arrived too slowly; send it again at a steady pace.";
        } else if (failure != null && unparsable(failure)) {
            status = 400;
            description = "The request could not be parsed: check the encoding of its parameters (a % must be"
                    + " followed by two hexadecimal digits of UTF-8).";
        } else if (status == 404 && starting) {
            status = 503;
            description = STARTING;
            setHeader("Retry-After", ErrorPage.STARTING_RETRY_AFTER);
        } else if (status >= 500 && status != 503) {
            String reference = UUID.randomUUID().toString();
            LOG.error("{} {} failed with {}, reference {}", request.getMethod(), ErrorPage.path(request), status,
                    reference, failure);
            description = "The server could not complete the request. Quote reference " + reference
                    + " to the operator.";
        }
        ErrorPage.write(request, (HttpServletResponse) getResponse(), status, description);
    }

    @Override
    public void setHeader(String name, String value) {
        super.setHeader(name, "Allow".equalsIgnoreCase(name) ? withoutTrace(value) : value);
    }

    @Override
    public void addHeader(String name, String value) {
        super.addHeader(name, "Allow".equalsIgnoreCase(name) ? withoutTrace(value) : value);
    }

    static String withoutTrace(String allow) {
        if (allow == null) {
            return null;
        }
        return Arrays.stream(allow.split(",")).map(String::strip)
                .filter(m -> !m.equalsIgnoreCase("TRACE") && !m.isEmpty()).collect(Collectors.joining(", "));
    }

    /** Jetty ended a body that arrived below the minimum data rate ({@link JettyLimits}). */
    static boolean tooSlow(Throwable failure) {
        for (Throwable t = failure; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof org.eclipse.jetty.http.BadMessageException bad && bad.getCode() == 408) {
                return true;
            }
        }
        return false;
    }

    /** The container could not decode the request (bad percent-encoding of a form body, say): the client's fault. */
    static boolean unparsable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t.getClass().getName().equals("org.eclipse.jetty.http.BadMessageException")) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }
}
