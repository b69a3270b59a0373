package io.cachet.delivery.cloud.internal;

import java.util.List;
import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;

/**
 * The customer space's accounts and sessions, as Click&amp;Cert and the CSC API use them. Registered as an OSGi
 * service by the accounts component ({@code io.cachet.delivery.cloud.internal.space}); thread-safe; every outcome
 * audited by the implementation (failures too), never a password, code or assertion in the audit log.
 *
 * <p><b>Throttling</b> is the implementation's: per account and per client address, failures of
 * {@link #login} and {@link #confirm} count together; callers never retry on their own.
 */
public interface HolderAccess {

    /** Cookie holding the session's secret (HttpOnly, SameSite=Strict, Secure when the request was HTTPS, path /). */
    String SESSION_COOKIE = "cachet_space";

    /** Header carrying {@link HolderSession#csrf()} on script and API requests. */
    String CSRF_HEADER = "X-CSRF-Token";

    /**
     * The live session of the request's cookie (and refreshes its idle timer), empty when there is none, it expired
     * (idle or absolute limit) or it was logged out.
     */
    Optional<HolderSession> session(HttpServletRequest request);

    /**
     * Whether a state-changing request of {@code session} is genuine: its {@code csrf} form field or
     * {@value #CSRF_HEADER} header equals the session's token, and its {@code Origin} (or {@code Referer}) when
     * present is this server's.
     */
    boolean genuine(HolderSession session, HttpServletRequest request);

    /** The account of that id, if it exists and is not closed. */
    Optional<Holder> holder(String holderId);

    /**
     * The ids of the cloud orders whose customer space this account holds (their Certificate Manager's e-mail is the
     * account's login and the space was opened for them), newest first.
     */
    List<String> orderIds(String holderId);

    /**
     * Checks a login's e-mail and password only (the CSC API's HTTP Basic {@code auth/login}); throttled, audited.
     *
     * @param client the client's address, for throttling and the audit log
     */
    AuthOutcome login(String email, char[] password, String client);

    /**
     * Re-authentication of a logged-in or token-bearing holder before a signature: the password again, plus the
     * second factor when one is enrolled ({@code FACTOR_REQUIRED} when it is and none is given). Throttled, audited.
     *
     * @param factorKind {@code totp} or {@code webauthn}, or null when no factor is given
     * @param factorResponse the 6-digit TOTP code, or the JSON of the WebAuthn assertion
     *        ({@code PublicKeyCredential} as {@code webauthn.js} posts it) answering {@link #factorChallenge}
     * @param origin the request's origin (WebAuthn checks it)
     */
    AuthOutcome confirm(String holderId, char[] password, String factorKind, String factorResponse, String origin,
            String client);

    /** The second factors the holder enrolled: {@code totp} and/or {@code webauthn}; empty when none. */
    List<String> factors(String holderId);

    /**
     * A fresh WebAuthn challenge for the holder's enrolled authenticators, as the JSON of
     * {@code PublicKeyCredentialRequestOptions} ({@code webauthn.js} reads it), remembered for the next
     * {@link #confirm}; empty when the holder has no WebAuthn authenticator.
     */
    Optional<String> factorChallenge(String holderId);
}
