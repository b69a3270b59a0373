package io.cachet.console.internal;

import java.util.Optional;

import io.cachet.api.operator.Authentication;
import io.cachet.api.operator.Operator;

/**
 * Login sessions of the Web Console (a cookie instead of HTTP Basic, so the browser does not resend the password
 * with every request, nor to requests other sites make it send). Kept by the operator directory, which checks the
 * account at every request: a new password, a disabled account or a logout ends a session at once. Internal to
 * this bundle; thread-safe.
 */
public interface ConsoleSessions {

    /** A password check and, when granted to an operator who need not change the password, a new session. */
    public record Opened(Authentication authentication, String token) {
    }

    /**
     * Checks the password as {@link io.cachet.api.operator.OperatorDirectory#login} does (throttled and audited the
     * same way) and opens a session when it is granted and the password need not be changed first.
     *
     * @return the check, with the session's token (null when none was opened)
     */
    Opened openSession(String login, char[] password, String client);

    /** @return the operator of a live session whose account is still enabled and whose password is unchanged */
    Optional<Operator> session(String token);

    /** Ends a session; unknown tokens are ignored. */
    void closeSession(String token);
}
