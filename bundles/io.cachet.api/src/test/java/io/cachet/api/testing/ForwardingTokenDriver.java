package io.cachet.api.testing;

import java.util.List;
import java.util.Set;

import io.cachet.api.token.PinPolicy;
import io.cachet.api.token.Token;
import io.cachet.api.token.TokenCapability;
import io.cachet.api.token.TokenDriver;
import io.cachet.api.token.TokenInfo;

/**
 * A token driver that passes every call to a real one; a test overrides the calls it changes (fewer capabilities, a
 * crash at a chosen step, tokens wrapped in a {@link ForwardingToken}). For the modules' tests.
 */
public class ForwardingTokenDriver implements TokenDriver {
    protected final TokenDriver delegate;

    public ForwardingTokenDriver(TokenDriver delegate) {
        this.delegate = delegate;
    }

    @Override
    public String id() {
        return delegate.id();
    }

    @Override
    public Set<TokenCapability> capabilities() {
        return delegate.capabilities();
    }

    @Override
    public List<TokenInfo> tokens() {
        return delegate.tokens();
    }

    @Override
    public TokenInfo initialize(long slotId, char[] soPin, char[] userPin, String label, PinPolicy policy) {
        return delegate.initialize(slotId, soPin, userPin, label, policy);
    }

    @Override
    public Token login(String serial, char[] userPin) {
        return delegate.login(serial, userPin);
    }
}
