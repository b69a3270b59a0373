package io.cachet.console.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.felix.webconsole.spi.SecurityProvider;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.context.ServletContextHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cachet.api.operator.Operator;
import io.cachet.api.operator.OperatorDirectory;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Guards the Felix Web Console with Cachet's operator accounts (HTTP Basic). The distribution names this
 * provider in {@code felix.webconsole.security.providers}, so the console serves nothing until it is
 * registered and its built-in admin/admin never applies.
 *
 * <p>Only administrators get in: Web Console 5.0.8 itself never calls {@link #authorize}, so letting another
 * operator authenticate would hand them the whole console.
 */
@Component(service = SecurityProvider.class, property = SecurityProvider.PROPERTY_ID + "=" + ConsoleSecurityProvider.ID)
public class ConsoleSecurityProvider implements SecurityProvider {

    static final String ID = "cachet";
    static final String REALM = "Cachet operators";
    static final String ADMIN_ROLE = "admin";
    /**
     * Basic authentication sends the password with every request and a console page makes a dozen; without
     * this, each would cost a PBKDF2 run and an audit record. A password change or lock takes effect on open
     * sessions after at most this long.
     */
    static final Duration REMEMBER = Duration.ofSeconds(60);
    private static final int MAX_REMEMBERED = 100;
    private static final Logger LOG = LoggerFactory.getLogger(ConsoleSecurityProvider.class);

    private record Remembered(Operator operator, Instant until) {
    }

    private final OperatorDirectory directory;
    private final Clock clock;
    /** Keyed by the SHA-256 of the Authorization header, so no password is kept in memory. */
    private final Map<String, Remembered> remembered = new ConcurrentHashMap<>();

    @Activate
    public ConsoleSecurityProvider(@Reference OperatorDirectory directory) {
        this(directory, Clock.systemUTC());
    }

    ConsoleSecurityProvider(OperatorDirectory directory, Clock clock) {
        this.directory = directory;
        this.clock = clock;
    }

    @Override
    public Object authenticate(HttpServletRequest request, HttpServletResponse response) {
        String header = request.getHeader("Authorization");
        Optional<Operator> operator;
        try {
            operator = header == null ? Optional.empty() : recall(header).or(() -> check(header));
        } catch (RuntimeException e) {
            LOG.error("Web Console login impossible: {}", e.getMessage(), e);
            send(response, HttpServletResponse.SC_SERVICE_UNAVAILABLE, "The operator directory is not available; "
                    + "try again later.");
            return null;
        }
        if (operator.isEmpty()) {
            response.setHeader("WWW-Authenticate", "Basic realm=\"" + REALM + "\", charset=\"UTF-8\"");
            send(response, HttpServletResponse.SC_UNAUTHORIZED, "Log in with your Cachet operator account.");
            return null;
        }
        Operator op = operator.get();
        if (op.mustChangePassword()) {
            response.setStatus(HttpServletResponse.SC_SEE_OTHER);
            response.setHeader("Location", request.getContextPath() + PasswordChangeServlet.PATH);
            flush(response);
            return null;
        }
        if (!op.hasRole(ADMIN_ROLE)) {
            send(response, HttpServletResponse.SC_FORBIDDEN, "Your operator account has no access to the Web Console.");
            return null;
        }
        remember(header, op);
        request.setAttribute(ServletContextHelper.AUTHENTICATION_TYPE, HttpServletRequest.BASIC_AUTH);
        request.setAttribute(ServletContextHelper.REMOTE_USER, op.login());
        return op;
    }

    @Override
    public boolean authorize(Object user, String role) {
        return user instanceof Operator op && op.hasRole(ADMIN_ROLE);
    }

    @Override
    public void logout(HttpServletRequest request, HttpServletResponse response) {
        String header = request.getHeader("Authorization");
        if (header != null) {
            remembered.remove(digest(header));
        }
        // a 401 for the same realm makes browsers drop the Basic credentials they cached
        response.setHeader("WWW-Authenticate", "Basic realm=\"" + REALM + "\", charset=\"UTF-8\"");
        send(response, HttpServletResponse.SC_UNAUTHORIZED, "Logged out.");
    }

    private Optional<Operator> recall(String header) {
        Remembered r = remembered.get(digest(header));
        return r != null && clock.instant().isBefore(r.until()) ? Optional.of(r.operator()) : Optional.empty();
    }

    private void remember(String header, Operator op) {
        Instant now = clock.instant();
        if (remembered.size() >= MAX_REMEMBERED) {
            remembered.values().removeIf(r -> !now.isBefore(r.until()));
            if (remembered.size() >= MAX_REMEMBERED) {
                remembered.clear();
            }
        }
        remembered.put(digest(header), new Remembered(op, now.plus(REMEMBER)));
    }

    private Optional<Operator> check(String header) {
        int space = header.indexOf(' ');
        if (space < 0 || !header.substring(0, space).equalsIgnoreCase("Basic")) {
            return Optional.empty();
        }
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(header.substring(space + 1).trim());
        } catch (IllegalArgumentException malformed) {
            return Optional.empty();
        }
        try {
            int colon = indexOf(decoded, (byte) ':');
            if (colon <= 0) {
                return Optional.empty();
            }
            String login = new String(decoded, 0, colon, StandardCharsets.UTF_8);
            CharBuffer chars = StandardCharsets.UTF_8.decode(ByteBuffer.wrap(decoded, colon + 1, decoded.length - colon - 1));
            char[] password = new char[chars.remaining()];
            chars.get(password);
            Arrays.fill(chars.array(), '\0');
            return directory.authenticate(login, password); // wipes password
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

    private static String digest(String header) {
        try {
            return HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(header.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("This Java runtime lacks SHA-256", e);
        }
    }

    private static void send(HttpServletResponse response, int status, String message) {
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

    private static void flush(HttpServletResponse response) {
        // commit now, so the HTTP runtime does not replace the status with its own 403
        try {
            response.flushBuffer();
        } catch (IOException e) {
            LOG.debug("Client went away", e);
        }
    }
}
