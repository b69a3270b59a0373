package io.cachet.api.operator;

import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Operator accounts and their credentials. Thread-safe. Passwords travel as {@code char[]} and are wiped
 * by the directory once used; only salted hashes are stored. Failed logins are counted and an account is
 * locked for a while after too many; every change and every failure is audited.
 */
@ProviderType
public interface OperatorDirectory {

    /**
     * @return the operator when {@code password} is right and the account is not locked; empty otherwise
     *         (the reason is audited, not returned, so that callers cannot leak it)
     */
    Optional<Operator> authenticate(String login, char[] password);

    /** @return the operator owning this API key, if the key is valid */
    Optional<Operator> authenticateApiKey(String apiKey);

    /**
     * Replaces the password after checking the current one and the password policy.
     *
     * @throws OperatorException with a message for the operator when the current password is wrong or the new
     *         one breaks the policy (too short, same as before, ...)
     */
    void changePassword(String login, char[] currentPassword, char[] newPassword);
}
