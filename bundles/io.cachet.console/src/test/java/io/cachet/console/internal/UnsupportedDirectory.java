package io.cachet.console.internal;

import java.time.Instant;
import java.util.List;

import io.cachet.api.operator.ApiKey;
import io.cachet.api.operator.ApiKeyScope;
import io.cachet.api.operator.Authentication;
import io.cachet.api.operator.IssuedApiKey;
import io.cachet.api.operator.OperatorDirectory;

/** A directory whose every method fails; tests override the one they need to behave in a particular way. */
class UnsupportedDirectory implements OperatorDirectory {

    @Override
    public Authentication login(String login, char[] password, String client) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Authentication authenticateApiKey(String apiKey, String client) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void changePassword(String login, char[] currentPassword, char[] newPassword, String client) {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<ApiKey> apiKeys(String login) {
        throw new UnsupportedOperationException();
    }

    @Override
    public IssuedApiKey createApiKey(String login, ApiKeyScope scope, String label, Instant expiresAt, String actor) {
        throw new UnsupportedOperationException();
    }

    @Override
    public IssuedApiKey rotateApiKey(String login, String keyId, String actor) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void revokeApiKey(String login, String keyId, String actor) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void createAccount(String login, java.util.Set<String> roles, char[] password, String actor) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void setDisabled(String login, boolean disabled, String actor) {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<io.cachet.api.operator.Operator> accounts() {
        throw new UnsupportedOperationException();
    }

    @Override
    public java.util.Set<String> disabledAccounts() {
        throw new UnsupportedOperationException();
    }
}
