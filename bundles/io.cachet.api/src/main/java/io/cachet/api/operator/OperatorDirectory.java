package io.cachet.api.operator;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Operator accounts and their credentials. Thread-safe. Passwords travel as {@code char[]} and are wiped
 * by the directory once used; only salted hashes of passwords and digests of API-key secrets are stored.
 *
 * <p>Failed attempts are throttled per client address and per account with an exponential back-off: during the
 * back-off a credential is refused without being checked ({@link Authentication.Status#THROTTLED}). Nobody can
 * lock an account for good by failing on purpose. Failures are audited in bursts (the first at once, the rest
 * counted and summarised), so the audit log cannot be flooded. Every change takes effect on the next request.
 */
@ProviderType
public interface OperatorDirectory {

    /**
     * Checks a password.
     *
     * @param client the address of the client that sent it (throttling and audit); null when unknown
     * @return {@link Authentication.Status#GRANTED} with the operator (who may still have to change the
     *         password: {@link Operator#mustChangePassword()}), {@code DENIED} or {@code THROTTLED}
     * @since 1.1
     */
    Authentication login(String login, char[] password, String client);

    /**
     * Checks an API key ({@code ck_<id>_<secret>}).
     *
     * @param client the address of the client that sent it; null when unknown
     * @return {@code GRANTED} with the owner, whose roles are cut down to the key's scope, and the key;
     *         {@code DENIED} (unknown, wrong, malformed, revoked, expired, disabled account),
     *         {@code PASSWORD_CHANGE_REQUIRED} (the owner has not yet replaced a password someone else chose) or
     *         {@code THROTTLED}
     * @since 1.1
     */
    Authentication authenticateApiKey(String apiKey, String client);

    /**
     * Replaces the password after checking the current one and the password policy.
     *
     * @param client the address of the client (throttling and audit); null when unknown
     * @throws OperatorException with a message for the operator when the current password is wrong, attempts are
     *         throttled, or the new one breaks the policy (naming the rule)
     * @since 1.1
     */
    void changePassword(String login, char[] currentPassword, char[] newPassword, String client);

    /**
     * @return the keys of {@code login}, newest first, revoked and expired ones included; never a secret
     * @since 1.1
     */
    List<ApiKey> apiKeys(String login);

    /**
     * Creates an API key for {@code login}.
     *
     * @param label what the operator calls it (at most 100 characters; may be empty)
     * @param expiresAt when it stops working, in the future; null for never
     * @param actor who does it, for the audit log
     * @throws OperatorException when the scope exceeds the operator's roles, the expiry is past, the label is bad
     *         or the operator has too many live keys
     * @since 1.1
     */
    IssuedApiKey createApiKey(String login, ApiKeyScope scope, String label, Instant expiresAt, String actor);

    /**
     * Replaces the secret of a live key of {@code login}; the old secret is refused from now on. Id, scope, label
     * and expiry stay.
     *
     * @throws OperatorException when {@code login} has no such key, or it is revoked or expired
     * @since 1.1
     */
    IssuedApiKey rotateApiKey(String login, String keyId, String actor);

    /**
     * Revokes a key of {@code login}; it is refused from the next request on.
     *
     * @throws OperatorException when {@code login} has no such key or it is already revoked
     * @since 1.1
     */
    void revokeApiKey(String login, String keyId, String actor);

    /**
     * Creates an account.
     *
     * @param roles its roles ({@code admin}, {@code operator}, {@code ra-officer}, {@code support}, {@code auditor},
     *        {@code reseller})
     * @param password its first password, which it must change at first login (wiped); null for an account that
     *        only uses API keys (a reseller's): it can never log in with a password
     * @param actor who does it, for the audit log
     * @throws OperatorException when the login is taken or malformed, a role unknown, or the password breaks the
     *         policy
     * @since 1.2
     */
    void createAccount(String login, java.util.Set<String> roles, char[] password, String actor);

    /**
     * Disables (or enables again) an account: while disabled, its password and keys are refused.
     *
     * @throws OperatorException when there is no such account
     * @since 1.2
     */
    void setDisabled(String login, boolean disabled, String actor);

    /**
     * @return every account, by login, with its roles (never a secret)
     * @since 1.2
     */
    List<Operator> accounts();

    /**
     * @return the logins of the accounts that are disabled now (see {@link #setDisabled})
     * @since 1.2
     */
    java.util.Set<String> disabledAccounts();

    /**
     * @return the operator when {@code password} is right and not throttled; empty otherwise
     * @deprecated since 1.1: use {@link #login}, which takes the client address and says why
     */
    @Deprecated
    default Optional<Operator> authenticate(String login, char[] password) {
        Authentication a = login(login, password, null);
        return a.granted() ? Optional.of(a.operator()) : Optional.empty();
    }

    /**
     * @return the operator owning this API key, if the key may be used now
     * @deprecated since 1.1: use {@link #authenticateApiKey(String, String)}
     */
    @Deprecated
    default Optional<Operator> authenticateApiKey(String apiKey) {
        Authentication a = authenticateApiKey(apiKey, null);
        return a.granted() ? Optional.of(a.operator()) : Optional.empty();
    }

    /** @deprecated since 1.1: use {@link #changePassword(String, char[], char[], String)} */
    @Deprecated
    default void changePassword(String login, char[] currentPassword, char[] newPassword) {
        changePassword(login, currentPassword, newPassword, null);
    }
}
