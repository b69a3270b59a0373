package io.cachet.console.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;

import org.apache.felix.webconsole.spi.SecurityProvider;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.context.ServletContextHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cachet.api.operator.Authentication;
import io.cachet.api.operator.Operator;
import io.cachet.api.operator.OperatorDirectory;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Guards the Felix Web Console with Cachet's operator accounts. The distribution names this provider in
 * {@code felix.webconsole.security.providers}, so the console serves nothing until it is registered and its
 * built-in admin/admin never applies.
 *
 * <p>Browsers log in on a form ({@link ConsoleLoginServlet}) and get a session cookie ({@code HttpOnly},
 * {@code SameSite=Strict}): they are never asked for HTTP Basic credentials, which they would resend with every
 * request, including those other sites make them send. Programs may still send {@code Authorization: Basic}.
 *
 * <p>Only administrators get in: Web Console 5.0.8 itself never calls {@link #authorize}, so letting another
 * operator authenticate would hand them the whole console.
 *
 * <p>Every request is checked against the operator directory, which reads the account each time: a password
 * change or a disabled account takes effect on the next request (the directory, not this class, spares the
 * repeated PBKDF2 runs). Failed attempts are throttled by the directory; while a client or account waits, the
 * answer is 429 with {@code Retry-After}, and the credentials are not even checked.
 */
@Component(service = SecurityProvider.class, property = SecurityProvider.PROPERTY_ID + "=" + ConsoleSecurityProvider.ID)
public class ConsoleSecurityProvider implements SecurityProvider {

    static final String ID = "cachet";
    static final String REALM = "Cachet operators";
    static final String ADMIN_ROLE = "admin";
    private static final Logger LOG = LoggerFactory.getLogger(ConsoleSecurityProvider.class);

    static final String COOKIE = "cachet_console";

    private final OperatorDirectory directory;
    private final ConsoleSessions sessions;

    @Activate
    public ConsoleSecurityProvider(@Reference OperatorDirectory directory, @Reference ConsoleSessions sessions) {
        this.directory = directory;
        this.sessions = sessions;
    }

    /** For tests: a directory that keeps the sessions too. */
    ConsoleSecurityProvider(JdbcOperatorDirectory directory) {
        this(directory, directory);
    }

    @Override
    public Object authenticate(HttpServletRequest request, HttpServletResponse response) {
        Optional<Operator> operator = authenticateOperator(directory, sessions, request, response);
        if (operator.isEmpty()) {
            return null;
        }
        Operator op = operator.get();
        if (!op.hasRole(ADMIN_ROLE)) {
            send(response, HttpServletResponse.SC_FORBIDDEN, "Your operator account has no access to the Web Console.");
            return null;
        }
        return op;
    }

    /**
     * Who sends the request: the operator of its session cookie, else of its Basic credentials. A browser with
     * neither is sent to the login form (never challenged for Basic credentials, which it would remember and resend);
     * anything else gets a Basic challenge.
     *
     * @return the operator, or empty when the response has been sent
     */
    static Optional<Operator> authenticateOperator(OperatorDirectory directory, ConsoleSessions sessions,
            HttpServletRequest request, HttpServletResponse response) {
        String token = cookie(request, COOKIE);
        if (token != null) {
            Optional<Operator> fromSession;
            try {
                fromSession = sessions.session(token);
            } catch (RuntimeException e) {
                LOG.error("Operator login impossible: {}", e.getMessage(), e);
                send(response, HttpServletResponse.SC_SERVICE_UNAVAILABLE, "The operator directory is not available; "
                        + "try again later.");
                return Optional.empty();
            }
            if (fromSession.isPresent()) {
                request.setAttribute(ServletContextHelper.AUTHENTICATION_TYPE, HttpServletRequest.FORM_AUTH);
                request.setAttribute(ServletContextHelper.REMOTE_USER, fromSession.get().login());
                return fromSession;
            }
            response.addHeader("Set-Cookie", ConsoleLoginServlet.expiredCookie(request));
        }
        if (request.getHeader("Authorization") == null && wantsHtml(request)) {
            response.setStatus(HttpServletResponse.SC_SEE_OTHER);
            response.setHeader("Cache-Control", "no-store");
            response.setHeader("Location", request.getContextPath() + ConsoleLoginServlet.PATH + "?next="
                    + java.net.URLEncoder.encode(request.getRequestURI(), StandardCharsets.UTF_8));
            flush(response);
            return Optional.empty();
        }
        return authenticateOperator(directory, request, response);
    }

    /**
     * Checks the request's Basic credentials and answers the request when they do not let the operator in: 401
     * with a challenge, 429 while throttled, 303 to the password page when the password must be changed first, 503
     * when the directory is unavailable. On success, sets the servlet context's authentication attributes.
     *
     * @return the operator, or empty when the response has been sent
     */
    static Optional<Operator> authenticateOperator(OperatorDirectory directory, HttpServletRequest request,
            HttpServletResponse response) {
        String header = request.getHeader("Authorization");
        Authentication result;
        try {
            result = header == null ? Authentication.denied("Log in with your Cachet operator account.")
                    : check(directory, header, request.getRemoteAddr());
        } catch (RuntimeException e) {
            LOG.error("Operator login impossible: {}", e.getMessage(), e);
            send(response, HttpServletResponse.SC_SERVICE_UNAVAILABLE, "The operator directory is not available; "
                    + "try again later.");
            return Optional.empty();
        }
        switch (result.status()) {
            case THROTTLED -> {
                response.setHeader("Retry-After", Long.toString(result.retryAfter().toSeconds()));
                send(response, 429, result.message());
                return Optional.empty();
            }
            case GRANTED -> { }
            default -> {
                response.setHeader("WWW-Authenticate", "Basic realm=\"" + REALM + "\", charset=\"UTF-8\"");
                send(response, HttpServletResponse.SC_UNAUTHORIZED, "Log in with your Cachet operator account.");
                return Optional.empty();
            }
        }
        Operator op = result.operator();
        if (op.mustChangePassword()) {
            response.setStatus(HttpServletResponse.SC_SEE_OTHER);
            response.setHeader("Location", request.getContextPath() + PasswordChangeServlet.PATH);
            flush(response);
            return Optional.empty();
        }
        request.setAttribute(ServletContextHelper.AUTHENTICATION_TYPE, HttpServletRequest.BASIC_AUTH);
        request.setAttribute(ServletContextHelper.REMOTE_USER, op.login());
        return Optional.of(op);
    }

    @Override
    public boolean authorize(Object user, String role) {
        return user instanceof Operator op && op.hasRole(ADMIN_ROLE);
    }

    @Override
    public void logout(HttpServletRequest request, HttpServletResponse response) {
        String token = cookie(request, COOKIE);
        if (token != null) {
            sessions.closeSession(token);
            response.addHeader("Set-Cookie", ConsoleLoginServlet.expiredCookie(request));
            response.setStatus(HttpServletResponse.SC_SEE_OTHER);
            response.setHeader("Cache-Control", "no-store");
            response.setHeader("Location", request.getContextPath() + ConsoleLoginServlet.PATH);
            flush(response);
            return;
        }
        // a 401 for the same realm makes browsers drop the Basic credentials they cached
        response.setHeader("WWW-Authenticate", "Basic realm=\"" + REALM + "\", charset=\"UTF-8\"");
        send(response, HttpServletResponse.SC_UNAUTHORIZED, "Logged out.");
    }

    static boolean wantsHtml(HttpServletRequest request) {
        String accept = request.getHeader("Accept");
        return accept != null && accept.contains("text/html");
    }

    /** The value of cookie {@code name} from the Cookie header, or null. */
    static String cookie(HttpServletRequest request, String name) {
        String header = request.getHeader("Cookie");
        if (header == null) {
            return null;
        }
        for (String part : header.split(";")) {
            int eq = part.indexOf('=');
            if (eq > 0 && part.substring(0, eq).trim().equals(name)) {
                String v = part.substring(eq + 1).trim();
                return v.isEmpty() ? null : v;
            }
        }
        return null;
    }

    private static Authentication check(OperatorDirectory directory, String header, String client) {
        int space = header.indexOf(' ');
        if (space < 0 || !header.substring(0, space).equalsIgnoreCase("Basic")) {
            return Authentication.denied("Log in with your Cachet operator account.");
        }
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(header.substring(space + 1).trim());
        } catch (IllegalArgumentException malformed) {
            return Authentication.denied("Log in with your Cachet operator account.");
        }
        try {
            int colon = indexOf(decoded, (byte) ':');
            if (colon <= 0) {
                return Authentication.denied("Log in with your Cachet operator account.");
            }
            String login = new String(decoded, 0, colon, StandardCharsets.UTF_8);
            CharBuffer chars = StandardCharsets.UTF_8.decode(ByteBuffer.wrap(decoded, colon + 1, decoded.length - colon - 1));
            char[] password = new char[chars.remaining()];
            chars.get(password);
            Arrays.fill(chars.array(), '\0');
            return directory.login(login, password, client); // wipes password
        } finally {
            Arrays.fill(decoded, (byte) 0);
        }
    }

    private static int indexOf(byte[] bytes, byte b) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }

    static void send(HttpServletResponse response, int status, String message) {
        response.setStatus(status);
        response.setContentType("text/plain;charset=UTF-8");
        response.setHeader("Cache-Control", "no-store");
        try {
            response.getWriter().write(message + "\n");
        } catch (IOException | IllegalStateException e) {
            LOG.debug("Could not write the response body", e);
        }
        flush(response);
    }

    static void flush(HttpServletResponse response) {
        // commit now, so the HTTP runtime does not replace the status with its own 403
        try {
            response.flushBuffer();
        } catch (IOException e) {
            LOG.debug("Client went away", e);
        }
    }
}
