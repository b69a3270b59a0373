package io.cachet.token.soft.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

import io.cachet.api.testing.ForwardingToken;
import io.cachet.api.testing.ForwardingTokenDriver;
import io.cachet.api.token.KeyAlgorithm;
import io.cachet.api.token.PinPolicy;
import io.cachet.api.token.Token;
import io.cachet.api.token.TokenCapability;
import io.cachet.api.token.TokenDriver;
import io.cachet.api.token.TokenException;
import io.cachet.api.token.TokenInfo;
import io.cachet.api.token.TokenKey;
import io.cachet.token.tck.TokenDriverCompliance;

/**
 * Tests the compliance kit itself: a driver that declares only the basics gets its capability tests skipped (not
 * passed), and a driver that breaks a promise fails.
 */
class TckSelfTest {

    /** The software token showing only what every driver must do, as SoftHSM2 would. */
    static final class BasicDriver extends ForwardingTokenDriver {
        BasicDriver(TokenDriver delegate) {
            super(delegate);
        }

        @Override
        public String id() {
            return "basic";
        }

        @Override
        public Set<TokenCapability> capabilities() {
            return Set.of();
        }

        @Override
        public TokenInfo initialize(long slotId, char[] soPin, char[] userPin, String label, PinPolicy policy) {
            if (policy.maxUserPinTries().isPresent() || policy.mustChangeAtFirstUse() || !policy.soUnblockAllowed()) {
                throw new TokenException(TokenException.Reason.UNSUPPORTED, "basic driver: no PIN policy");
            }
            return delegate.initialize(slotId, soPin, userPin, label, policy);
        }
    }

    /** The software token claiming its keys are extractable. */
    static final class ExtractableKeysDriver extends ForwardingTokenDriver {
        ExtractableKeysDriver(SoftTokenDriver delegate) {
            super(delegate);
        }

        @Override
        public String id() {
            return "extractable";
        }

        @Override
        public Token login(String serial, char[] userPin) {
            return new ForwardingToken(delegate.login(serial, userPin)) {
                @Override
                public List<TokenKey> keys() {
                    return delegate.keys().stream().map(ExtractableKeysDriver::extractable).toList();
                }

                @Override
                public TokenKey generateKeyPair(String alias, KeyAlgorithm algorithm) {
                    return extractable(delegate.generateKeyPair(alias, algorithm));
                }
            };
        }

        static TokenKey extractable(TokenKey key) {
            return new TokenKey(key.alias(), key.algorithm(), key.publicKey(), true, true, true, false);
        }
    }

    static class BasicSuite extends TokenDriverCompliance {
        @TempDir
        Path directory;

        @Override
        protected TokenDriver driver() {
            return new BasicDriver(new SoftTokenDriver(directory, 4));
        }

        @Override
        protected TokenDriver reconnect(TokenDriver previous) {
            return driver();
        }
    }

    static class ExtractableSuite extends TokenDriverCompliance {
        @TempDir
        Path directory;

        @Override
        protected TokenDriver driver() {
            return new ExtractableKeysDriver(new SoftTokenDriver(directory, 4));
        }

        @Override
        protected TokenDriver reconnect(TokenDriver previous) {
            return driver();
        }
    }

    private static EngineExecutionResults run(Class<?> suite) {
        return EngineTestKit.engine("junit-jupiter").selectors(selectClass(suite)).execute();
    }

    @Test
    void undeclaredCapabilitiesAreSkippedAsNotApplicable() {
        EngineExecutionResults results = run(BasicSuite.class);
        results.testEvents().assertStatistics(s -> s.failed(0).aborted(11).succeeded(32));
        results.testEvents().aborted().stream().forEach(e -> {
            String message = e.getPayload(TestExecutionResult.class).orElseThrow()
                    .getThrowable().orElseThrow().getMessage();
            assertTrue(message.contains("not applicable: driver 'basic' does not declare "), message);
        });
    }

    @Test
    void aDriverThatBreaksAPromiseFails() {
        EngineExecutionResults results = run(ExtractableSuite.class);
        results.testEvents().assertStatistics(s -> s.aborted(0).failed(6).succeeded(37));
        assertEquals(Set.of("EC_P256", "EC_P384", "RSA_2048", "RSA_3072", "RSA_4096",
                "finds the token and its keys again after the driver is re-created"), failedNames(results));
    }

    private static Set<String> failedNames(EngineExecutionResults results) {
        Set<String> names = new TreeSet<>();
        results.testEvents().failed().stream().map(Event::getTestDescriptor)
                .forEach(d -> names.add(d.getDisplayName()));
        return names;
    }
}
