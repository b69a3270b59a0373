package io.cachet.console.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.cachet.api.operator.Operator;
import io.cachet.api.operator.OperatorDirectory;
import io.cachet.api.web.ConsoleAccess;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@link ConsoleAccess} for every console page, this bundle's and other bundles': the Web Console's login (session
 * cookie, else Basic), a role check, and anti-forgery tokens (HMAC of the form and the login under a key drawn at
 * each start, so forms from before a restart are refused).
 */
@Component(service = ConsoleAccess.class)
public class ConsolePageAccess implements ConsoleAccess {

    private final OperatorDirectory directory;
    private final ConsoleSessions sessions;
    private final byte[] tokenKey = new byte[32];

    @Activate
    public ConsolePageAccess(@Reference OperatorDirectory directory, @Reference ConsoleSessions sessions) {
        this.directory = directory;
        this.sessions = sessions;
        new SecureRandom().nextBytes(tokenKey);
    }

    /** For tests: a directory that keeps the sessions too. */
    ConsolePageAccess(JdbcOperatorDirectory directory) {
        this(directory, directory);
    }

    @Override
    public Optional<Operator> operator(HttpServletRequest request, HttpServletResponse response, String role) {
        Optional<Operator> operator = ConsoleSecurityProvider.authenticateOperator(directory, sessions, request, response);
        if (operator.isPresent() && role != null && !operator.get().hasRole(role)) {
            ConsoleSecurityProvider.send(response, HttpServletResponse.SC_FORBIDDEN,
                    "Your operator account lacks the role " + role + " that this page needs.");
            return Optional.empty();
        }
        return operator;
    }

    @Override
    public String formToken(Operator operator, String form) {
        return token(operator.login(), form);
    }

    @Override
    public boolean formAllowed(HttpServletRequest request, Operator operator, String form) {
        String sent = request.getParameter(TOKEN_FIELD);
        return PasswordChangeServlet.sameOrigin(request) && sent != null && MessageDigest.isEqual(
                token(operator.login(), form).getBytes(StandardCharsets.US_ASCII), sent.getBytes(StandardCharsets.US_ASCII));
    }

    /** HMAC of the form and the login: a form made for one operator, or one form, is worthless for another. */
    String token(String login, String form) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(tokenKey, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal((form + "\0" + login).getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("This Java runtime lacks HmacSHA256", e);
        }
    }
}
